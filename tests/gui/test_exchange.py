"""Through the app, between two offices and a real exchange server on 127.0.0.1: a document
sent by office B arrives in office A's list when A syncs from the status bar; A's clerk
registers and presents it, the leader assigns, the specialist finishes; the statuses
(03, 04, 06) travel back and office B sees them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.gui.conftest import shot, wait_idle


@pytest.fixture
def two_offices(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    from sync.testing.server_proc import ServerProcess
    from tests.engine.conftest import make_site

    with ServerProcess(tmp_path / "exchange-server") as srv:
        a, b = make_site(srv, tmp_path, "a"), make_site(srv, tmp_path, "b")
        yield a, b
        b.office.close()


def _engine(win: Any, site: Any) -> Any:
    """Office A's engine as the status bar would build it from Settings (exchange.toml and the
    keyring); built directly here with a short retry policy."""
    from sync.client import ExchangeClient
    from sync.engine import SyncEngine

    return SyncEngine(win.ctx.office, ExchangeClient(site.url, site.code, site.secret, retry_delay=0.05,
                                                     max_stalls=2))


def test_statuses_reach_the_sender_through_a_real_server(open_window: Any, qtbot: Any, two_offices: Any,
                                                         tmp_path: Path, shown_messages: list[Any]) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from tests.engine.conftest import CODES, outgoing
    from ui import workflow_actions as wa
    from ui.dialogs.register_dialog import RegisterDialog

    a, b = two_offices
    sent_id = outgoing(b, tmp_path, to=[CODES["a"]], subject="Về việc tăng cường phòng, chống bão số 3")
    assert b.engine().run_once().sent >= 1
    home = a.office.paths.home
    a.office.close()  # the app opens office A itself

    def ok(dialog: Any) -> None:
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        wait_idle(qtbot)

    def sync(win: Any) -> None:
        win.sync_status.engine = _engine(win, a)
        win.sync_status.sync_now()
        wait_idle(qtbot, timeout=60_000)

    win = open_window("vanthu.a", home=home)
    sync(win)
    assert "Trực tuyến" in win.sync_status.label.text(), win.sync_status.label.text()
    win.nav.select("in:received")
    wait_idle(qtbot)
    assert win.list_page.model.rowCount() == 1
    doc_id = win.list_page.model.hit(0).id
    win.list_page.table.selectRow(0)
    wait_idle(qtbot)
    shot(win, "exchange-received-in-office-a")
    reg = wa.register(win)
    assert isinstance(reg, RegisterDialog) and reg.subject.toPlainText()
    ok(reg)
    win.nav.select("in:registered")
    wait_idle(qtbot)
    win.list_page.table.selectRow(win.list_page.model.row_of(doc_id))
    ok(wa.present(win))

    win.user_combo.setCurrentIndex(win.user_combo.findData("lanhdao.a"))
    wait_idle(qtbot)
    win.nav.select("in:presented")
    wait_idle(qtbot)
    win.list_page.table.selectRow(win.list_page.model.row_of(doc_id))
    wait_idle(qtbot)
    dlg = wa.assign(win)
    with win.ctx.office.db.read() as s:
        cv = s.execute(text("SELECT id FROM people WHERE username = 'cv.a'")).scalar()
    dlg.lead.setCurrentIndex(dlg.lead.findData(f"person:{cv}"))
    ok(dlg)

    win.user_combo.setCurrentIndex(win.user_combo.findData("cv.a"))
    wait_idle(qtbot)
    win.list_page.table.selectRow(win.list_page.model.row_of(doc_id))
    wait_idle(qtbot)
    fin = wa.finish(win)
    fin.text.setPlainText("Đã triển khai.")
    ok(fin)
    with win.ctx.office.db.read() as s:
        assert s.execute(text("SELECT state FROM documents WHERE id = :d"), {"d": doc_id}).scalar() == "done"
        codes = [r[0] for r in s.execute(text(
            "SELECT status_code FROM outbox WHERE document_id = :d AND kind = 'status' ORDER BY id"),
            {"d": doc_id})]
    assert {"03", "04", "06"} <= set(codes), codes
    sync(win)
    with win.ctx.office.db.read() as s:
        unsent = s.execute(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL")).scalar()
    assert unsent == 0
    assert "chờ gửi: 0" in win.sync_status.label.text()
    shot(win, "exchange-statuses-sent")

    b.engine().run_once()
    with b.office.db.read() as s:
        status = s.execute(text("SELECT status_code FROM recipients WHERE document_id = :d AND org_code = :c"),
                           {"d": sent_id, "c": CODES["a"]}).scalar()
    assert status == "06"
    assert not [m for m in shown_messages if m[0] == "error"], shown_messages
