"""End to end through the real dialogs: the clerk imports and registers (with the duplicate
warning), presents to a leader; the leader assigns; the specialist records progress and finishes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.conftest import shot, wait_idle
from tests.support import windows


def _pdf(path: Path) -> Path:
    from desk.docpdf import PageSpec, render_to

    return render_to(PageSpec(
        issuer_parent="UBND TỈNH QUẢNG NINH", issuer="SỞ TÀI CHÍNH", code="123/STC-NS", place="Hạ Long",
        issued=date(2026, 11, 20), type_name="", subject="Về việc bổ sung dự toán ngân sách năm 2026",
        body=["Căn cứ Luật Ngân sách nhà nước;", "Sở Tài chính đề nghị các đơn vị rà soát, báo cáo."],
        position="GIÁM ĐỐC", signer="Lê Văn Tài", recipients=["Như trên", "Lưu: VT"]), path)


def _ok(dialog: Any) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def _doc(win: Any, doc_id: int) -> Any:
    from desk.services.documents import get_document

    with win.ctx.office.db.read() as s:
        d = get_document(s, doc_id)
        _ = d.assignments, d.attachments
        return d


def _select(win: Any, qtbot: Any, view: str, doc_id: int) -> None:
    win.nav.select(view)
    wait_idle(qtbot)
    row = win.list_page.model.row_of(doc_id)
    assert row >= 0, f"#{doc_id} not in {view}"
    win.list_page.table.selectRow(row)
    wait_idle(qtbot)


def test_clerk_imports_registers_and_presents(open_window: Any, qtbot: Any, tmp_path: Path,
                                              shown_messages: list[Any]) -> None:
    from ui import workflow_actions as wa
    from ui.dialogs.register_dialog import RegisterDialog

    win = open_window("vanthu")
    pdf = _pdf(tmp_path / "cong-van-123.pdf")
    note = tmp_path / "ghi-chu.txt"
    note.write_text("không phải PDF", encoding="utf-8")
    dlg = wa.import_files(win, [pdf, note])
    assert "ghi-chu.txt" in dlg.warning.text()
    assert dlg.files.paths() == [pdf]
    shot(dlg, "clerk-import-dialog")
    _ok(dlg)
    qtbot.waitUntil(lambda: isinstance(win.last_dialog, RegisterDialog) and win.last_dialog.isVisible(),
                    timeout=20_000)
    reg = win.last_dialog
    # Pre-filled from the PDF's text.
    assert reg.number.text() == "123" and reg.notation.text() == "STC-NS"
    assert reg.issued.date().toString("dd/MM/yyyy") == "20/11/2026"
    assert "dự toán ngân sách" in reg.subject.toPlainText()
    reg.issuer_name.setText("Sở Tài chính tỉnh Quảng Ninh")
    reg.issuer_code.setText("000.00.03.H49")
    shot(reg, "clerk-register-dialog")
    doc_id = reg.doc_id
    _ok(reg)
    wait_idle(qtbot)
    d = _doc(win, doc_id)
    assert d.state == "registered" and d.issuer_code == "000.00.03.H49" and d.number == "123"
    from desk.services.registers import registration_of

    with win.ctx.office.db.read() as s:
        entry = registration_of(s, doc_id, "in")
    assert entry is not None and entry.year == date.today().year

    # The same letter arrives again: the registration dialog warns about the duplicate.
    dlg = wa.import_files(win, [pdf])
    _ok(dlg)
    qtbot.waitUntil(lambda: isinstance(win.last_dialog, RegisterDialog) and win.last_dialog.doc_id != doc_id
                    and win.last_dialog.isVisible(), timeout=20_000)
    dup = win.last_dialog
    assert dup.duplicates.text() == ""
    dup.issuer_code.setText("000.00.03.H49")
    qtbot.waitUntil(lambda: f"#{doc_id}" in dup.duplicates.text(), timeout=20_000)
    shot(dup, "clerk-register-duplicate-warning")
    dup.reject()
    wait_idle(qtbot)
    assert _doc(win, dup.doc_id).state == "received"  # not registered, nothing numbered

    # Present the registered one to the chairman.
    _select(win, qtbot, "in:registered", doc_id)
    assert win.act_present.isEnabled()
    pres = wa.present(win)
    pres.leader.setCurrentIndex(pres.leader.findText("Trần Văn Đức", Qt.MatchFlag.MatchStartsWith))
    assert pres.leader.currentIndex() >= 0
    _ok(pres)
    wait_idle(qtbot)
    assert _doc(win, doc_id).state == "presented"
    assert not [m for m in shown_messages if m[0] == "error"], shown_messages


def test_leader_assigns_and_specialist_finishes(open_window: Any, qtbot: Any,
                                                shown_messages: list[Any]) -> None:
    from sqlalchemy import text

    from ui import workflow_actions as wa

    win = open_window("chutich")
    assert win.nav.current_key() == "in:presented"
    with win.ctx.office.db.read() as s:
        doc_id = s.execute(text("SELECT id FROM documents WHERE state = 'presented' ORDER BY id LIMIT 1")).scalar()
        dat = s.execute(text("SELECT id FROM people WHERE username = 'cv.dat'")).scalar()
        ha = s.execute(text("SELECT id FROM people WHERE username = 'cv.ha'")).scalar()
    _select(win, qtbot, "in:presented", doc_id)
    assert win.act_assign.isEnabled() and not win.act_register.isEnabled()
    dlg = wa.assign(win)
    dlg.lead.setCurrentIndex(dlg.lead.findData(f"person:{dat}"))
    dlg.set_checked(dlg.support, f"person:{ha}")
    dlg.set_checked(dlg.info, "unit:1")
    dlg.days.setValue(5)
    from desk.clock import today
    from desk.services.routing import deadline_from_working_days

    expected = deadline_from_working_days(today(), 5)
    assert dlg.deadline_value() == expected
    dlg.note.setPlainText("Đề nghị tham mưu văn bản trả lời.")
    shot(dlg, "leader-assign-dialog")
    _ok(dlg)
    wait_idle(qtbot)
    d = _doc(win, doc_id)
    assert d.state == "in_progress" and d.due_date == expected
    roles = sorted((a.role, a.person_id, a.unit_id) for a in d.assignments)
    assert roles == sorted([("chu_tri", dat, None), ("phoi_hop", ha, None), ("de_biet", None, 1)])

    # The specialist: My work, progress, finish.
    win.user_combo.setCurrentIndex(win.user_combo.findData("cv.dat"))
    wait_idle(qtbot)
    assert win.nav.current_key() == "mine"
    _select(win, qtbot, "mine", doc_id)
    assert win.act_progress.isEnabled() and win.act_finish.isEnabled()
    p = wa.report_progress(win)
    p.percent.setValue(60)
    p.text.setPlainText("Đã tổng hợp số liệu các xã.")
    _ok(p)
    wait_idle(qtbot)
    assert [a.progress for a in _doc(win, doc_id).assignments if a.person_id == dat] == [60]
    empty = wa.return_to_leader(win)
    _ok(empty)  # a return needs a reason: the dialog stays open and says so
    assert empty.isVisible() and empty.error.text()
    empty.reject()
    f = wa.finish(win)
    f.text.setPlainText("Đã ban hành văn bản trả lời.")
    shot(win, "specialist-my-work")
    _ok(f)
    wait_idle(qtbot)
    assert _doc(win, doc_id).state == "done"
    win.detail.tabs.setCurrentIndex(4)
    _select(win, qtbot, "in:done", doc_id)
    history = [win.detail.history.topLevelItem(i).text(2) for i in range(win.detail.history.topLevelItemCount())]
    assert any("Phân công" in h for h in history) and any("Hoàn thành" in h for h in history)
    shot(win, "specialist-history-after-finish")
    assert not [m for m in shown_messages if m[0] == "error"], shown_messages


def test_pdfs_dropped_on_the_import_dialog(open_window: Any, qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from ui import workflow_actions as wa

    win = open_window("vanthu")
    dlg = wa.import_files(win)
    pdf = _pdf(tmp_path / "keo-tha.pdf")
    other = tmp_path / "anh.png"
    other.write_bytes(b"not a pdf")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf)), QUrl.fromLocalFile(str(other))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    dlg.files.dropEvent(event)
    assert dlg.files.paths() == [pdf] and dlg.files.rejected == ["anh.png"]
    dlg.reject()


def test_leader_approves_a_reviewed_draft(open_window: Any, qtbot: Any, shown_messages: list[Any]) -> None:
    from ui import workflow_actions as wa

    win = open_window("chutich")
    win.nav.select("out:in_review")
    wait_idle(qtbot)
    assert win.list_page.model.rowCount() > 0
    win.list_page.table.selectRow(0)
    wait_idle(qtbot)
    doc_id = win.list_page.current_id()
    assert win.act_approve.isEnabled()
    dlg = wa.approve(win)
    dlg.text.setPlainText("Đồng ý, trình ký.")
    _ok(dlg)
    wait_idle(qtbot)
    assert _doc(win, doc_id).state == "awaiting_signature"
    assert not [m for m in shown_messages if m[0] == "error"], shown_messages


def test_the_registration_form_marks_what_the_reader_was_unsure_of(open_window: Any, qtbot: Any,
                                                                   tmp_path: Path) -> None:
    """A document whose number the reader could not find (a blank left for the signing service)
    opens with the number in yellow and a hint; the fields read with confidence stay plain."""
    from desk.docpdf import PageSpec, render_to
    from desk.services import actions
    from ui.dialogs.register_dialog import RegisterDialog

    win = open_window("vanthu")
    pdf = render_to(PageSpec(
        issuer_parent="UBND TỈNH QUẢNG NINH", issuer="SỞ TÀI CHÍNH", code="      /STC-NS", place="Hạ Long",
        issued=date(2026, 11, 21), type_name="", subject="Về việc bổ sung dự toán ngân sách năm 2026",
        body=["Căn cứ Luật Ngân sách nhà nước;"], position="GIÁM ĐỐC", signer="Lê Văn Tài",
        recipients=["Như trên", "Lưu: VT"]), tmp_path / "so-trong.pdf")
    doc_id = actions.import_file(win.ctx.office, pdf, win.ctx.user_id).value
    dlg = RegisterDialog(win.ctx, doc_id, win)
    assert dlg.number.property("unsure") is True and "#fff3cd" in dlg.number.styleSheet()
    assert "Không tìm thấy" in dlg.number.toolTip()
    assert dlg.subject.property("unsure") is None and dlg.issuer_name.property("unsure") is None
    assert dlg.check_hint.isVisibleTo(dlg) and "ô tô vàng" in dlg.check_hint.text()
    dlg.reject()


def test_the_registration_form_says_a_number_was_written_by_hand(open_window: Any, qtbot: Any,
                                                                  tmp_path: Path) -> None:
    """A real scan whose number and day were written by hand (Decision 981/QĐ-TTg as published):
    the form says, under the number, that it was written by hand and the clerk must check it."""
    windows.needs("tesseract")  # the reader's OCR of the scan
    from desk.services import actions
    from ui.dialogs.register_dialog import RegisterDialog

    win = open_window("vanthu")
    scan = Path(__file__).resolve().parents[1] / "data" / "real" / "docs" / "981-ttg.signed.pdf"
    doc_id = actions.import_file(win.ctx.office, scan, win.ctx.user_id).value
    dlg = RegisterDialog(win.ctx, doc_id, win)
    dlg.show()
    qtbot.waitExposed(dlg)
    note = dlg.by_hand["number"]
    assert note.isVisible() and note.text() == "Số viết tay — văn thư kiểm tra lại trên văn bản."
    assert dlg.number.property("unsure") is True and dlg.number.toolTip() == note.text()
    assert shot(dlg, "register-handwritten-number").stat().st_size > 0
    dlg.reject()
    # A document whose number was typed (not read from handwriting) says nothing of the kind.
    from desk.docpdf import PageSpec, render_to

    pdf = render_to(PageSpec(
        issuer_parent="UBND TỈNH QUẢNG NINH", issuer="SỞ TÀI CHÍNH", code="15/STC-NS", place="Hạ Long",
        issued=date(2026, 11, 21), type_name="", subject="Về việc bổ sung dự toán ngân sách năm 2026",
        body=["Căn cứ Luật Ngân sách nhà nước;"], position="GIÁM ĐỐC", signer="Lê Văn Tài",
        recipients=["Như trên", "Lưu: VT"]), tmp_path / "so-in.pdf")
    other = RegisterDialog(win.ctx, actions.import_file(win.ctx.office, pdf, win.ctx.user_id).value, win)
    other.show()
    assert not other.by_hand["number"].isVisible() and not other.by_hand["issued_date"].isVisible()
    other.reject()
