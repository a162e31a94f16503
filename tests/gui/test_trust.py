"""Settings → Trusted certificates: import a certificate from the app (it lands in the office's
trust folder through signing.trust), see it listed with the shipped store, remove it; and the
signature panel shows what was recorded when a document arrived and what this check trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from signing.trust import bundled_anchors
from tests.gui.conftest import shot, wait_idle


def test_import_and_remove_a_certificate_in_settings(open_window: Any, qtbot: Any, token_world: Any,
                                                     shown_messages: list[Any], tmp_path: Path) -> None:
    from signing.trust import OfficeTrust
    from ui.dialogs.settings_dialog import SettingsDialog, TrustSection

    win = open_window("vanthu")
    dlg = SettingsDialog(win.ctx, win)
    section = next(p for p in dlg.parts if isinstance(p, TrustSection))
    assert section.title == "Chứng thư tin cậy"
    names = [section.list.item(i).text() for i in range(section.list.count())]
    assert any("RootCA chuyên dùng Chính phủ G2" in n and n.startswith("[Desk]") for n in names)
    assert f"{len(bundled_anchors())} của Desk" in section.summary.text()

    assert section.import_file(str(token_world.pki.cert_path("root"))) == 1
    assert shown_messages[-1][0] == "info" and "Đã thêm 1 chứng thư" in shown_messages[-1][2]
    office = OfficeTrust(win.ctx.office.paths.home)
    assert [a.origin for a in office.anchors()].count("office") == 1
    assert "1 của đơn vị" in section.summary.text()
    assert win.ctx.trust().counts()["office"] == 1  # the app verifies with the same object
    dlg.tabs.setCurrentWidget(section)
    dlg.show()
    shot(dlg, "settings-trust")

    junk = tmp_path / "junk.cer"
    junk.write_bytes(b"not a certificate")
    assert section.import_file(str(junk)) == 0
    assert shown_messages[-1][0] == "error" and "không phải chứng thư" in shown_messages[-1][2]

    rows = [section.list.item(i) for i in range(section.list.count())]
    mine = next(i for i, r in enumerate(rows) if r.text().startswith("[Đơn vị]"))
    bundled = next(i for i, r in enumerate(rows) if r.text().startswith("[Desk]"))
    section.list.setCurrentRow(bundled)
    assert not section.remove_btn.isEnabled()  # the shipped store is not removed from here
    section.list.setCurrentRow(mine)
    assert section.remove_btn.isEnabled()
    section.remove_btn.click()
    assert [a.origin for a in office.anchors()].count("office") == 0
    dlg.done(0)
    wait_idle(qtbot)


def test_signature_panel_shows_the_verdict_recorded_on_arrival(qtbot: Any, token_world: Any) -> None:
    from signing.trust import TrustSettings
    from ui.app import application
    from ui.sigpanel import SignaturePanel

    application()
    panel = SignaturePanel(lambda: TrustSettings.bundled())
    qtbot.addWidget(panel)
    rec = {"verdict": "untrusted", "checked_at": "2026-12-01T09:30:00",
           "reasons": [{"severity": "problem", "code": "untrusted",
                        "vi": "chưa cài chứng thư gốc", "en": "root not installed"}]}
    panel.set_pdf(b"%PDF-1.7 no signature here", "a.pdf", rec)
    assert panel.on_arrival.text() == ("Khi tiếp nhận (01/12/2026 09:30): toàn vẹn, chưa xác nhận được người ký"
                                       " — chưa cài chứng thư gốc")
    panel.show_trust(TrustSettings.bundled())
    assert panel.trust_line.text().startswith(f"Chứng thư tin cậy: {len(bundled_anchors())} của Desk")


def test_app_import_records_the_verdict_and_the_panel_shows_it(open_window: Any, qtbot: Any, token_world: Any,
                                                               tmp_path: Path, shown_messages: list[Any]) -> None:
    import threading

    from desk.services.detail import load_detail
    from signing.keys import Pkcs11KeySource
    from signing.pades import DocumentSigner, Level, SignOptions
    from signing.trust import OfficeTrust, TrustSettings
    from tests.support import pki
    from ui.dialogs.import_dialog import import_work
    from ui.ops import OpContext, _Signals

    win = open_window("vanthu")
    OfficeTrust(win.ctx.office.paths.home).add(token_world.pki.cert_path("root"))
    draft = pki.make_decree_pdf(tmp_path / "draft.pdf").read_bytes()
    with Pkcs11KeySource(token_world.module, pki.ORG_TOKEN).open(lambda _r: pki.USER_PIN) as key:
        signed, _ = DocumentSigner(key, SignOptions(level=Level.B_B, trust=TrustSettings())).sign_bytes(draft)
    path = tmp_path / "cong-van-den.pdf"
    path.write_bytes(signed)
    result = import_work(win.ctx, [path])(OpContext(_Signals(), threading.Event()))
    assert result.document_ids and not result.failures
    detail = load_detail(win.ctx.office, result.document_ids[0])
    rec = detail.signatures_on_arrival["cong-van-den.pdf"]
    assert rec["verdict"] == "valid" and rec["signers"][0]["signer"] == pki.ORG_NAME
    win.detail.show_document(result.document_ids[0])
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: win.detail.signatures.report is not None, timeout=30_000)
    assert win.detail.signatures.on_arrival.text().startswith("Khi tiếp nhận (")
    assert "hợp lệ" in win.detail.signatures.on_arrival.text()
    assert "1 của đơn vị" in win.detail.signatures.trust_line.text()
