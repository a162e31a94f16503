"""The USB-stick path from the sync status: the app writes the waiting packages to a folder
and takes packages in from one (through sync.engine.files, off the GUI thread)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from tests.gui.conftest import shot, wait_idle


def test_export_and_import_from_the_sync_status(open_window: Any, qtbot: Any, tmp_path: Path,
                                                shown_messages: list[Any]) -> None:
    from desk.models import Document, OutboxItem
    from desk.services.people import self_org
    from sync.edxml import (
        AttachmentSource,
        Code,
        MessageHeader,
        Organization,
        PromulgationInfo,
        write_package_file,
    )

    win = open_window("vanthu")
    office = win.ctx.office
    with office.db.read() as s:
        me = self_org(s).code
        waiting = s.scalar(select(func.count()).select_from(OutboxItem)
                           .where(OutboxItem.sent_at.is_(None))) or 0
        before = s.scalar(select(func.count()).select_from(Document)) or 0
    assert [a.text() for a in win.sync_status.menu.actions() if not a.isSeparator()] == [
        "Ghi các gói đang chờ gửi ra thư mục hoặc USB…", "Nhận gói tin từ thư mục hoặc USB…",
        "Gói tin bị để riêng…"]
    shot(win, "sync-status-usb-menu")

    out = tmp_path / "usb-out"
    win.sync_status.export_outbox(out)
    wait_idle(qtbot)
    assert len(list(out.glob("*.edxml"))) == waiting
    assert shown_messages[-1][0] == "info" and f"Đã ghi {waiting} gói tin" in shown_messages[-1][2]

    stick = tmp_path / "usb-in"
    stick.mkdir()
    pdf = tmp_path / "cv.pdf"
    from desk.docpdf import PageSpec, render_to

    render_to(PageSpec("", "Sở Nội vụ", "88/SNV-VP", "Hạ Long", date(2026, 12, 1), "",
                       "Về việc rà soát biên chế", ["Đề nghị báo cáo."]), pdf)
    sender = "000.00.31.H49"
    write_package_file(stick / "in.edxml", MessageHeader(
        from_=Organization(sender, "Sở Nội vụ"), to=(Organization(me),),
        document_id=f"{sender},2026/12/01,88/SNV-VP", code=Code("88", "SNV-VP"),
        promulgation_info=PromulgationInfo("Hạ Long", date(2026, 12, 1)),
        subject="Về việc rà soát biên chế"), None, [AttachmentSource(pdf, "cv.pdf")])
    win.sync_status.import_packages(stick)
    wait_idle(qtbot)
    assert "Đã nhận: 1 văn bản" in shown_messages[-1][2], shown_messages[-1]
    with office.db.read() as s:
        assert (s.scalar(select(func.count()).select_from(Document)) or 0) == before + 1
        got = s.scalars(select(Document).where(Document.issuer_code == sender)).one()
        assert got.subject == "Về việc rà soát biên chế" and got.state == "received"
    win.sync_status.import_packages(stick)  # the same stick again
    wait_idle(qtbot)
    assert "đã có từ trước: 1" in shown_messages[-1][2]


def test_detail_shows_each_recipients_last_status(open_window: Any) -> None:
    from desk.models import Document, Recipient
    from desk.services.detail import load_detail

    win = open_window("vanthu")
    office = win.ctx.office
    with office.db.write() as s:
        r = s.scalars(select(Recipient).join(Document).where(
            Document.direction == "out", Recipient.status_code.is_not(None))).first()
        assert r is not None
        r.status_code, r.status_desc = "03", "Đã vào sổ đến số 12"
        r.delivery_error = None
        doc_id, name = r.document_id, r.name
    lines = load_detail(office, doc_id).recipients
    assert any(line.startswith(f"{name} — 03 Đã tiếp nhận") and line.endswith("Đã vào sổ đến số 12")
               for line in lines), lines


def test_packages_set_aside_are_listed_with_their_reason(open_window: Any, qtbot: Any, tmp_path: Path,
                                                        shown_messages: list[Any]) -> None:
    """A broken package taken in from a USB stick is set aside; the sync status lists it, with why."""
    win = open_window("vanthu")
    stick = tmp_path / "usb-bad"
    stick.mkdir()
    (stick / "hong.edxml").write_bytes(b"<?xml version='1.0' encoding='UTF-8'?><edXML><broken")
    win.sync_status.import_packages(stick)
    wait_idle(qtbot)
    assert "bị từ chối: 1" in shown_messages[-1][2] or "từ chối: 1" in shown_messages[-1][2], shown_messages[-1]

    win.sync_status.show_set_aside()
    wait_idle(qtbot)
    dlg = win.sync_status.set_aside_dialog
    assert dlg.windowTitle() == "Gói tin bị để riêng"
    assert dlg.table.rowCount() == 1
    assert dlg.table.item(0, 2).text() == "văn bản"
    assert dlg.table.item(0, 3).text().strip() != ""  # the reason, as recorded
    assert dlg.table.item(0, 4).text().endswith(".edxml")  # the bytes are kept for the clerk
    shot(dlg, "sync-status-set-aside")
    dlg.reject()
