"""The main screens: navigation with counts, paged lists, search as you type, sorting,
the detail pane with the PDF drawn, statistics and registers. Screenshots of each."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.gui.conftest import shot, wait_idle


def _count(win: Any, **filters: Any) -> int:
    from desk.search import Filters, count_documents

    with win.ctx.office.db.read() as s:
        return count_documents(s, Filters(**filters))


def test_navigation_counts_and_lists(open_window: Any, qtbot: Any) -> None:
    win = open_window("vanthu")
    nav = win.nav
    # The clerk's views: registration first, no "My work".
    assert nav.current_key() == "in:received"
    assert "mine" not in nav.view_keys() and "registers" in nav.view_keys()
    received = _count(win, direction="in", states=["received"])
    assert nav._items["in:received"].text(0).endswith(f"({received})")
    assert win.list_page.model.rowCount() == received
    shot(win, "main-clerk-awaiting-registration")
    # Every list view shows exactly what the core counts.
    for key in ("in:in_progress", "in:done", "out:released"):
        nav.select(key)
        wait_idle(qtbot)
        direction, state = key.split(":")
        total = _count(win, direction=direction, states=[state])
        assert win.list_page.count_label.text().split()[0].replace(".", "") == str(total)
        assert {h.state for h in win.list_page.model._rows} == {state}
    shot(win, "main-outgoing-released")


def test_incremental_fetching_and_sorting(open_window: Any, qtbot: Any) -> None:
    from ui.listmodel import PAGE

    win = open_window("vanthu")
    win.nav.select("search")  # every document, 300 of them
    wait_idle(qtbot)
    model = win.list_page.model
    assert model.rowCount() == PAGE and model.canFetchMore()
    table = win.list_page.table
    for _ in range(5):
        table.scrollToBottom()
        qtbot.wait(20)
    assert model.rowCount() == 300 and not model.canFetchMore()
    # Sort by deadline, ascending then descending, through the header.
    due_col = 6
    win.list_page._header_clicked(due_col)
    wait_idle(qtbot)
    first = [h.due_date for h in model._rows[:50] if h.due_date]
    assert first == sorted(first, reverse=True)
    win.list_page._header_clicked(due_col)
    wait_idle(qtbot)
    ordered = [h.due_date for h in model._rows if h.due_date]
    assert ordered == sorted(ordered)


def test_search_as_you_type_folds_vietnamese(open_window: Any, qtbot: Any, shown_messages: list[Any]) -> None:
    from desk.textfold import fold

    win = open_window("vanthu")
    win.nav.select("search")
    wait_idle(qtbot)
    box = win.list_page.search
    qtbot.keyClicks(box, "chua chay rung")  # no diacritics: folded like "chữa cháy rừng"
    # The search starts when typing pauses (the debounce timer), then runs off the GUI thread.
    qtbot.waitUntil(lambda: not win.list_page._timer.isActive(), timeout=30_000)
    wait_idle(qtbot)
    assert win.list_page.last_search_ms is not None, shown_messages
    rows = win.list_page.model._rows
    assert rows, "no results for 'chua chay rung'"
    expected = win.ctx.office.search.search("chua chay rung", win.list_page.filters(), limit=200,
                                            prefix_last=True)
    assert [h.id for h in rows] == [h.id for h in expected]
    assert all("chua chay rung" in fold(h.subject) for h in rows[:3])  # subject matches rank first
    shot(win, "main-search-as-you-type")
    box.clear()
    wait_idle(qtbot)


def test_detail_pane_renders_pdf_and_history(open_window: Any, qtbot: Any) -> None:
    from sqlalchemy import text

    win = open_window("vanthu")
    with win.ctx.office.db.read() as s:
        doc_id, state, direction = s.execute(text(
            "SELECT d.id, d.state, d.direction FROM documents d JOIN attachments a ON a.document_id = d.id "
            "WHERE d.direction = 'in' AND d.state IN ('in_progress', 'done') "
            "AND EXISTS (SELECT 1 FROM assignments x WHERE x.document_id = d.id) LIMIT 1")).one()
    win.nav.select(f"in:{state}")
    wait_idle(qtbot)
    row = win.list_page.model.row_of(doc_id)
    while row < 0 and win.list_page.model.canFetchMore():
        win.list_page.model.fetchMore()
        row = win.list_page.model.row_of(doc_id)
    with qtbot.waitSignal(win.detail.pdf.rendered, timeout=10_000):
        win.list_page.table.selectRow(row)
    wait_idle(qtbot)
    pix = win.detail.pdf.image.pixmap()
    assert not pix.isNull() and pix.width() > 300
    img = pix.toImage()
    dark = sum(1 for y in range(0, img.height(), 7) for x in range(0, img.width(), 7)
               if img.pixelColor(x, y).lightness() < 100)
    assert dark > 50, "the page text was not drawn"
    assert win.detail.history.topLevelItemCount() >= 3
    assert win.detail.assign_tree.topLevelItemCount() >= 1
    win.detail.tabs.setCurrentWidget(win.detail.pdf)
    shot(win, "main-detail-pdf")
    win.detail.pdf.zoom_in()
    wait_idle(qtbot)
    assert win.detail.pdf.image.pixmap().width() > pix.width()
    win.detail.tabs.setCurrentIndex(4)
    shot(win, "main-detail-history")


def test_statistics_and_registers(open_window: Any, qtbot: Any, tmp_path: Any) -> None:
    from docx import Document as Docx

    win = open_window("vanthu")
    win.nav.select("stats")
    wait_idle(qtbot)
    page = win.stack.currentWidget()
    assert page.data is not None
    total = sum(n for _d, _s, n in page.data.by_state)
    assert total == 300
    from desk.workflow import INCOMING_STATES, OUTGOING_STATES

    assert len(page.by_state.rows) == len(INCOMING_STATES) + len(OUTGOING_STATES)
    assert sum(sum(v) for _label, v in page.by_state.rows) == 300 and page.by_unit.rows
    shot(win, "main-statistics")
    win.nav.select("registers")
    wait_idle(qtbot)
    reg = win.stack.currentWidget()
    assert reg.model.rowCount() > 0
    shot(win, "main-registers")
    out = tmp_path / "so-den.docx"
    reg.export(out, "in", reg.year.value(), "normal")
    wait_idle(qtbot)
    assert len(Docx(str(out)).tables[0].rows) == reg.model.rowCount() + 2  # headings, column numbers


def test_specialist_sees_my_work(open_window: Any, qtbot: Any) -> None:
    win = open_window("cv.dat")
    assert win.nav.current_key() == "mine"
    uid = win.ctx.user().id
    rows = win.list_page.model._rows
    from sqlalchemy import text

    with win.ctx.office.db.read() as s:
        expected = s.execute(text(
            "SELECT count(DISTINCT a.document_id) FROM assignments a JOIN documents d ON d.id = a.document_id "
            "WHERE a.person_id = :p AND a.state = 'open' AND d.state = 'in_progress'"), {"p": uid}).scalar()
    assert len(rows) == expected > 0
    deadlines = [h.due_date for h in rows if h.due_date]
    assert deadlines == sorted(deadlines)  # nearest deadline first
    late = [i for i, h in enumerate(rows) if win.list_page.model.due_flag(h) == "overdue"]
    if late:
        brush = win.list_page.model.data(win.list_page.model.index(late[0], 0), Qt.ItemDataRole.BackgroundRole)
        assert brush is not None  # overdue rows stand out
    shot(win, "main-specialist-my-work")
