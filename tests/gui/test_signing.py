"""The leader signs with the SoftHSM2 token through the dialogs: certificate picker, PIN dialog
(once, never retried), appearance moved on the preview, batch with progress, the signing session.
A 50-document batch proves the event loop keeps ticking while signing runs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from tests.gui.conftest import shot, wait_idle

LEADER_CERT_HOLDER = "Nguyễn Văn An"


@pytest.fixture(scope="module")
def decree_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.support import pki

    return pki.make_decree_pdf(tmp_path_factory.mktemp("decree") / "quyet-dinh.pdf")


def awaiting_signature(win: Any, pdf: Path, n: int = 1) -> list[int]:
    from desk import workflow
    from desk.services.documents import DocumentInput, FileInput, create_outgoing
    from desk.services.people import person_by_username
    from tests.support import pki

    ids = []
    with win.ctx.office.db.write() as s:
        author = person_by_username(s, "cv.dat")
        for i in range(n):
            doc = create_outgoing(s, win.ctx.office.blobs, DocumentInput(
                doc_type="QD", subject=f"Phê duyệt kế hoạch chuyển đổi số năm 2026 (bản {i + 1})",
                notation="QĐ-UBND", signer_position=pki.LEADER_TITLE.title(), signer_name=pki.LEADER_NAME),
                author, files=[FileInput(pdf, f"quyet-dinh-{i + 1}.pdf")])
            workflow.apply(s, doc, "submit", author.id)
            ids.append(doc.id)
    return ids


def pin_dialogs(win: Any) -> list[Any]:
    from ui.signing_dialogs import PinDialog

    return [d for d in win.findChildren(PinDialog) if d.isVisible()]


def answer_pin(win: Any, qtbot: Any, pin: str, screenshot: str | None = None) -> Any:
    qtbot.waitUntil(lambda: len(pin_dialogs(win)) == 1, timeout=20_000)
    dlg = pin_dialogs(win)[0]
    dlg.pin.setText(pin)
    if screenshot:
        shot(dlg, screenshot)
    dlg.accept()
    return dlg


def leader_window(open_window: Any, trust_dir: Path, token_world: Any) -> Any:
    win = open_window("chutich", signature_image=str(token_world.images["signature"]),
                      trust_dir=str(trust_dir), signing_level="b-b", signing_online=False)
    win.ctx.test_world = token_world  # lets the helpers pick the leader's own certificate by serial
    return win


def pick_leader_cert(dlg: Any, qtbot: Any) -> None:
    from tests.support import pki

    serial = format(dlg.ctx.test_world.pki.cert("leader").serial_number, "x") if hasattr(dlg.ctx, "test_world") \
        else None
    qtbot.waitUntil(lambda: bool(dlg.picker.certs), timeout=20_000)
    assert dlg.picker.select(serial or LEADER_CERT_HOLDER, pki.LEADER_TOKEN)
    assert dlg.picker.choice().token_label == "LANHDAO"


def _doc(win: Any, doc_id: int) -> Any:
    from desk.services.documents import get_document

    with win.ctx.office.db.read() as s:
        d = get_document(s, doc_id)
        _ = d.attachments
        return d


def test_leader_signs_through_the_dialog(open_window: Any, qtbot: Any, token_world: Any, trust_dir: Path,
                                        decree_pdf: Path, shown_messages: list[Any]) -> None:
    from signing.verify import verify_pdf
    from ui import workflow_actions as wa
    from ui.pdfrender import render_page

    win = leader_window(open_window, trust_dir, token_world)
    [doc_id] = awaiting_signature(win, decree_pdf)
    win.nav.select("out:awaiting_signature")
    wait_idle(qtbot)
    win.list_page.table.selectRow(win.list_page.model.row_of(doc_id))
    wait_idle(qtbot)
    assert win.act_sign.isEnabled()
    dlg = wa.sign_selected(win)
    pick_leader_cert(dlg, qtbot)
    qtbot.waitUntil(lambda: dlg.preview.box is not None, timeout=20_000)
    auto = dlg.preview.box
    dlg.preview.move_box(-20, 10, emit=True)  # the leader nudges the signature
    assert dlg.box is not None and abs(dlg.box.box.x1 - (auto.x1 - 20)) < 0.01
    shot(dlg, "leader-sign-dialog-placement")
    dlg.sign_btn.click()
    answer_pin(win, qtbot, "123456", screenshot="leader-pin-dialog")
    qtbot.waitUntil(lambda: dlg.outcome is not None, timeout=60_000)
    wait_idle(qtbot)
    assert dlg.outcome.signed == [doc_id] and not dlg.outcome.failed, dlg.outcome
    shot(dlg, "leader-sign-dialog-done")
    d = _doc(win, doc_id)
    assert d.state == "awaiting_release"
    mains = sorted((a for a in d.attachments if a.kind == "main"), key=lambda a: a.id)
    assert len(mains) == 2  # the draft is kept, the signed version is the current one
    signed = win.ctx.office.blobs.read_bytes(mains[-1].blob_sha256)
    report = verify_pdf(signed, trust=win.ctx.trust())
    [sig] = report.signatures
    assert sig.intact and sig.valid and sig.signer == LEADER_CERT_HOLDER
    assert sig.field_name == "LanhDao"
    # The appearance is drawn where the leader moved it (pdfium draws forms).
    page = render_page(signed, dlg.box.page, 1.0)
    unsigned = render_page(decree_pdf.read_bytes(), dlg.box.page, 1.0)
    b = dlg.box.box
    h = page.height_pt

    def inked(img: Any) -> int:
        return sum(1 for x in range(int(b.x1), int(b.x2), 2) for y in range(int(h - b.y2), int(h - b.y1), 2)
                   if img.pixelColor(x, y).blue() > img.pixelColor(x, y).red() + 40)

    assert inked(page.image) > 30 and inked(unsigned.image) == 0
    # The detail pane shows the signed file and its verification.
    win.nav.select("out:awaiting_release")
    wait_idle(qtbot)
    win.list_page.table.selectRow(win.list_page.model.row_of(doc_id))
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: win.detail.signatures.report is not None, timeout=30_000)
    assert win.detail.signatures.list.count() == 1
    win.detail.tabs.setCurrentWidget(win.detail.signatures)
    win.detail.signatures.details_btn.setChecked(True)
    shot(win, "leader-detail-signature-panel")
    win.detail.tabs.setCurrentWidget(win.detail.pdf)
    wait_idle(qtbot)
    shot(win, "leader-detail-signed-pdf")
    assert not [m for m in shown_messages if m[0] == "error"], shown_messages


def test_wrong_pin_is_reported_once_and_never_retried(open_window: Any, qtbot: Any, token_world: Any,
                                                      trust_dir: Path, decree_pdf: Path,
                                                      shown_messages: list[Any]) -> None:
    from ui import workflow_actions as wa

    win = leader_window(open_window, trust_dir, token_world)
    [doc_id] = awaiting_signature(win, decree_pdf)
    win.nav.select("out:awaiting_signature")
    wait_idle(qtbot)
    win.list_page.table.selectRow(win.list_page.model.row_of(doc_id))
    dlg = wa.sign_selected(win)
    pick_leader_cert(dlg, qtbot)
    seen: list[Any] = []
    dlg.sign_btn.click()
    seen.append(answer_pin(win, qtbot, "000000"))
    wait_idle(qtbot)
    errors = [m for m in shown_messages if m[0] == "error"]
    assert len(errors) == 1 and "PIN" in errors[0][2], shown_messages
    qtbot.wait(300)
    assert pin_dialogs(win) == []  # no second prompt: a wrong PIN is not retried
    assert _doc(win, doc_id).state == "awaiting_signature"
    assert dlg.sign_btn.isEnabled()  # the leader may try again, deliberately


def test_final_try_warning_shown_and_cancel_signs_nothing(open_window: Any, qtbot: Any, token_world: Any,
                                                           trust_dir: Path, decree_pdf: Path,
                                                           shown_messages: list[Any]) -> None:
    from tests.support import pki
    from ui import workflow_actions as wa

    win = leader_window(open_window, trust_dir, token_world)
    [doc_id] = awaiting_signature(win, decree_pdf)
    win.nav.select("out:awaiting_signature")
    wait_idle(qtbot)
    win.list_page.table.selectRow(win.list_page.model.row_of(doc_id))
    dlg = wa.sign_selected(win)
    qtbot.waitUntil(lambda: bool(dlg.picker.certs), timeout=20_000)
    assert dlg.picker.select(LEADER_CERT_HOLDER, pki.FINAL_TRY_TOKEN)
    assert dlg.picker.choice().pin_warning  # the picker already warns (tooltip)
    dlg.sign_btn.click()
    qtbot.waitUntil(lambda: len(pin_dialogs(win)) == 1, timeout=20_000)
    pin = pin_dialogs(win)[0]
    assert pin.warning.isVisible() and "cuối cùng" in pin.warning.text()
    shot(pin, "leader-pin-dialog-final-try")
    pin.reject()
    wait_idle(qtbot)
    assert "hủy" in dlg.status.text().lower()
    assert _doc(win, doc_id).state == "awaiting_signature"
    assert not [m for m in shown_messages if m[0] == "error"], shown_messages


def test_signing_session_one_pin_sign_return_skip(open_window: Any, qtbot: Any, token_world: Any,
                                                  trust_dir: Path, decree_pdf: Path,
                                                  shown_messages: list[Any]) -> None:
    from dataclasses import replace

    from sqlalchemy import text

    from ui import workflow_actions as wa

    win = leader_window(open_window, trust_dir, token_world)
    with win.ctx.office.db.write() as s:  # only our three documents wait
        s.execute(text("UPDATE documents SET state = 'draft' WHERE state = 'awaiting_signature'"))
    ids = awaiting_signature(win, decree_pdf, 4)
    dlg = wa.signing_session(win)
    assert [t.doc_id for t in dlg.targets] == ids
    pick_leader_cert(dlg, qtbot)
    dlg.start_btn.click()
    answer_pin(win, qtbot, "123456")
    qtbot.waitUntil(lambda: dlg.index == 0 and dlg.sign_btn.isEnabled(), timeout=30_000)
    shot(dlg, "leader-signing-session")
    dlg.sign_btn.click()
    qtbot.waitUntil(lambda: dlg.index == 1 and dlg.sign_btn.isEnabled(), timeout=30_000)
    dlg.return_btn.click()  # no comment: refused
    assert dlg.index == 1 and dlg.status.text()
    dlg.comment.setText("Đề nghị bổ sung căn cứ pháp lý.")
    dlg.return_btn.click()
    qtbot.waitUntil(lambda: dlg.index == 2 and dlg.skip_btn.isEnabled(), timeout=30_000)
    dlg.skip_btn.click()
    qtbot.waitUntil(lambda: dlg.index == 3 and dlg.sign_btn.isEnabled(), timeout=30_000)
    assert pin_dialogs(win) == []  # one PIN for the whole session
    # The certificate on the token changes (simulated: the session now expects another
    # fingerprint, as if another token with the same label had been plugged in).
    dlg.choice = replace(dlg.choice, sha256="00" * 32)
    dlg.sign_btn.click()
    qtbot.waitUntil(lambda: dlg.key is None, timeout=30_000)
    wait_idle(qtbot)
    assert "thay đổi" in dlg.status.text()
    states = [_doc(win, i).state for i in ids]
    assert states == ["awaiting_release", "draft", "awaiting_signature", "awaiting_signature"]
    assert dlg.signed == [ids[0]] and dlg.returned == [ids[1]] and dlg.skipped == [ids[2]]
    shot(dlg, "leader-signing-session-stopped")
    dlg.reject()
    assert not [m for m in shown_messages if m[0] == "error"], shown_messages


def test_event_loop_keeps_ticking_while_50_documents_sign(open_window: Any, qtbot: Any, token_world: Any,
                                                          trust_dir: Path, decree_pdf: Path,
                                                          shown_messages: list[Any], monkeypatch: Any) -> None:
    """The GUI thread stays free while a batch signs, checked without any time bound (the
    machine's load cannot fail it): every document is signed off the GUI thread, and after
    each one the signing thread waits until the GUI thread has run its event loop again (a
    10 ms timer ticked). Had the GUI thread been busy signing, or blocked waiting for the
    signer, that hand-shake would never complete and the batch would not finish."""
    import threading

    from ui import signflow
    from ui import workflow_actions as wa

    win = leader_window(open_window, trust_dir, token_world)
    ids = awaiting_signature(win, decree_pdf, 50)
    win.nav.select("out:awaiting_signature")
    wait_idle(qtbot)
    win.list_page.table.selectAll()
    dlg = wa.sign_selected(win)
    assert len(dlg.targets) >= 50
    pick_leader_cert(dlg, qtbot)

    ticked = threading.Event()
    ticks: list[float] = []
    on_gui_thread: list[bool] = []
    handshakes: list[bool] = []
    real_sign = signflow.actions.sign

    def tick() -> None:
        ticks.append(time.perf_counter())
        ticked.set()

    def sign_then_wait_for_the_gui(*args: Any, **kwargs: Any) -> Any:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        result = real_sign(*args, **kwargs)
        ticked.clear()
        # Generous: this is not a time bound but a guard against a hang if the GUI were blocked.
        handshakes.append(ticked.wait(60))
        return result

    monkeypatch.setattr(signflow.actions, "sign", sign_then_wait_for_the_gui)
    timer = QTimer(win)
    timer.setInterval(10)
    timer.timeout.connect(tick)
    dlg.sign_btn.click()
    answer_pin(win, qtbot, "123456")
    timer.start()
    started = time.perf_counter()
    progress_seen: list[int] = []
    dlg.progress.valueChanged.connect(progress_seen.append)
    qtbot.waitUntil(lambda: dlg.outcome is not None, timeout=300_000)
    elapsed = time.perf_counter() - started
    timer.stop()
    wait_idle(qtbot)
    assert set(ids) <= set(dlg.outcome.signed) and not dlg.outcome.failed
    assert len(on_gui_thread) >= 50 and not any(on_gui_thread), "a document was signed on the GUI thread"
    assert len(handshakes) == len(on_gui_thread) and all(handshakes), \
        "the GUI thread did not run its event loop while a document was being signed"
    assert len(set(progress_seen)) > 10  # the progress bar moved as documents were signed
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)] or [0.0]
    print(f"50-document batch: {elapsed:.1f} s, {len(ticks)} ticks, longest gap {max(gaps) * 1000:.0f} ms")
    assert not [m for m in shown_messages if m[0] == "error"], shown_messages


def test_clerk_releases_with_the_organisation_seal(open_window: Any, qtbot: Any, token_world: Any,
                                                   trust_dir: Path, decree_pdf: Path,
                                                   shown_messages: list[Any]) -> None:
    """Prepared draft → the leader signs (dialog) → the clerk numbers, seals and releases (dialog)."""
    from sqlalchemy import text

    from desk import workflow
    from desk.services.documents import DocumentInput, FileInput, RecipientInput, create_outgoing
    from desk.services.outgoing import prepare_pdf, set_seal_image
    from desk.services.people import person_by_username
    from signing.verify import verify_pdf
    from tests.support import pki
    from ui import workflow_actions as wa

    win = leader_window(open_window, trust_dir, token_world)
    office = win.ctx.office
    with office.db.write() as s:
        author = person_by_username(s, "cv.dat")
        doc = create_outgoing(s, office.blobs, DocumentInput(
            doc_type="QD", subject="Phê duyệt kế hoạch chuyển đổi số năm 2026", notation="QĐ-UBND",
            signer_position="Chủ tịch", signer_name=pki.LEADER_NAME,
            recipients=[RecipientInput("Sở Nội vụ tỉnh Quảng Ninh", "000.00.02.H49")]),
            author, files=[FileInput(decree_pdf, "quyet-dinh.pdf")])
        doc_id = doc.id
    with office.db.read() as s:
        author = person_by_username(s, "cv.dat")
        clerk = person_by_username(s, "vanthu")
    prepare_pdf(office, doc_id, decree_pdf.read_bytes(), author, filename="quyet-dinh.pdf")
    with office.db.write() as s:
        workflow.apply(s, s.get(type(doc), doc_id), "submit", author.id)
    set_seal_image(office, token_world.images["seal"], clerk)

    win.nav.select("out:awaiting_signature")
    wait_idle(qtbot)
    win.list_page.table.selectRow(win.list_page.model.row_of(doc_id))
    dlg = wa.sign_selected(win)
    pick_leader_cert(dlg, qtbot)
    dlg.sign_btn.click()
    answer_pin(win, qtbot, "123456")
    qtbot.waitUntil(lambda: dlg.outcome is not None, timeout=60_000)
    assert dlg.outcome.signed == [doc_id], dlg.outcome
    dlg.reject()

    win.user_combo.setCurrentIndex(win.user_combo.findData("vanthu"))
    wait_idle(qtbot)
    win.nav.select("out:awaiting_release")
    wait_idle(qtbot)
    win.list_page.table.selectRow(win.list_page.model.row_of(doc_id))
    wait_idle(qtbot)
    assert win.act_release.isEnabled()
    rel = wa.release(win)
    qtbot.waitUntil(lambda: bool(rel.picker.certs), timeout=20_000)
    assert rel.picker.select(pki.ORG_NAME, pki.ORG_TOKEN)
    rel.release_btn.click()
    answer_pin(win, qtbot, pki.USER_PIN)
    qtbot.waitUntil(lambda: rel.registration is not None or rel.release_btn.isEnabled(), timeout=60_000)
    wait_idle(qtbot)
    assert rel.registration is not None, shown_messages
    shot(rel, "clerk-release-dialog")
    from desk.services.documents import get_document
    from desk.services.outgoing import current_main

    with office.db.read() as s:
        d = get_document(s, doc_id)
        main = current_main(d)
        assert d.state == "released" and d.number == f"{rel.registration.number:02d}"
        queued = s.execute(text("SELECT count(*) FROM outbox WHERE document_id = :d"), {"d": doc_id}).scalar()
    assert queued >= 1
    report = verify_pdf(office.blobs.read_bytes(main.blob_sha256), trust=win.ctx.trust())
    assert [sig.intact for sig in report.signatures] == [True, True]
    assert {sig.field_name for sig in report.signatures} == {"LanhDao", "CoQuan"}
    assert not [m for m in shown_messages if m[0] == "error"], shown_messages
