"""The list page: search box, column filters and the document table."""

from __future__ import annotations

import time
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.reference import DOC_TYPES
from desk.search import Filters, Hit
from desk.services import queries
from ui.context import AppContext
from ui.i18n import tr
from ui.icons import icon
from ui.listmodel import COLUMNS, PAGE, DocumentListModel, Fetch, Row
from ui.ops import OpContext, query

SEARCH_DELAY_MS = 150
NO_DATE = QDate(2000, 1, 1)


class ListPage(QWidget):
    document_selected = Signal(object)  # int | None
    list_shown = Signal(int)  # rows in the first page
    activated = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view_key = ""
        self._generation = 0
        self._sort: tuple[str, bool] | None = None
        self.last_search_ms: float | None = None  # query start → rows in the model
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search: subject, number, issuer, signer, text… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName(tr("Search"))
        self.type_filter = QComboBox()
        self.type_filter.addItem(tr("All types"), "")
        for t in DOC_TYPES:
            self.type_filter.addItem(t.name, t.code)
        self.urgency_filter = QComboBox()
        for text, value in ((tr("Any urgency"), -1), (tr("Urgent or more"), 1),
                            (tr("Very urgent or more"), 2), (tr("Flash"), 3)):
            self.urgency_filter.addItem(text, value)
        self.date_from = self._date_edit(tr("From"))
        self.date_to = self._date_edit(tr("To"))
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.type_filter, 1)
        bar.addWidget(self.urgency_filter, 1)
        bar.addWidget(QLabel(tr("From")))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(tr("To")))
        bar.addWidget(self.date_to)
        self.model = DocumentListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header.sectionClicked.connect(self._header_clicked)
        widths = {"code": 130, "issued": 90, "type": 100, "subject": 300, "issuer": 170, "state": 110,
                  "due": 90, "urgency": 80}
        for i, (key, _) in enumerate(COLUMNS):
            header.resizeSection(i, widths[key])
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.count_label = QLabel()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.type_filter, self.urgency_filter):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.setTabOrder(self.search, self.type_filter)
        self.setTabOrder(self.type_filter, self.urgency_filter)
        self.setTabOrder(self.urgency_filter, self.date_from)
        self.setTabOrder(self.date_from, self.date_to)
        self.setTabOrder(self.date_to, self.table)

    def _date_edit(self, name: str) -> QDateEdit:
        e = QDateEdit()
        e.setDisplayFormat("dd/MM/yyyy")
        e.setCalendarPopup(True)
        e.setMinimumDate(NO_DATE)
        e.setSpecialValueText(" ")  # shown at the minimum: "no date"
        e.setDate(NO_DATE)
        e.setAccessibleName(name)
        return e

    # --- filters -----------------------------------------------------------------------------

    def filters(self) -> Filters:
        key = self.view_key
        f = Filters()
        user = self.ctx.user()
        if key.startswith(("in:", "out:")):
            direction, state = key.split(":", 1)
            f.direction, f.states = direction, [state]
        elif key == "mine" and user is not None:
            f.assignee_id, f.states = user.id, ["in_progress"]
        elif key.startswith("due:"):
            f.direction = "in"
        code = self.type_filter.currentData()
        if code:
            f.doc_types = [code]
        urgency = self.urgency_filter.currentData()
        if urgency is not None and urgency >= 0:
            f.urgency_min = urgency
        f.date_from = self._date(self.date_from)
        f.date_to = self._date(self.date_to)
        return f

    @staticmethod
    def _date(e: QDateEdit) -> date | None:
        d = e.date()
        return None if d == NO_DATE else date(d.year(), d.month(), d.day())

    def _plain(self, f: Filters) -> bool:
        return not (f.doc_types or f.urgency_min is not None or f.date_from or f.date_to)

    # --- loading -----------------------------------------------------------------------------

    def set_view(self, key: str) -> None:
        self.view_key = key
        self._sort = None
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list for the view, the search text and the filters (first page off-thread)."""
        from desk.clock import today
        from desk.services.routing import deadline_from_working_days

        self._generation += 1
        generation = self._generation
        text, f, key, sort = self.search.text().strip(), self.filters(), self.view_key, self._sort
        user = self.ctx.user()
        fetch = self._fetcher(key, text, f, sort, user.id if user else None)
        started = time.perf_counter()
        self.model.soon_until = deadline_from_working_days(today(), 2)

        def work(_ctx: OpContext) -> tuple[list[Hit], int]:
            rows = fetch(0, PAGE)
            return rows, self._count(key, text, f, user.id if user else None, len(rows))

        def show(result: tuple[list[Hit], int]) -> None:
            if generation != self._generation:
                return
            rows, total = result
            selected = self.current_id()
            self.model.set_source(fetch, rows, sortable=not text)
            if text:
                self.last_search_ms = (time.perf_counter() - started) * 1000
            self.count_label.setText(tr("{n} documents").format(n=f"{total:,}".replace(",", ".")))
            if selected is not None and (row := self.model.row_of(selected)) >= 0:
                self.table.selectRow(row)
            elif selected is not None:
                self.document_selected.emit(None)  # it left this list: the detail pane follows
            self.list_shown.emit(len(rows))

        query(self, work, show)

    def _fetcher(self, key: str, text: str, f: Filters, sort: tuple[str, bool] | None,
                 user_id: int | None) -> Fetch:
        office = self.ctx.office
        if text and not key.startswith("due:"):
            return lambda off, lim: office.search.search(text, f, limit=lim, offset=off, prefix_last=True)
        if key.startswith("due:"):
            kind = key.split(":", 1)[1]
            return lambda off, lim: queries.due_page(office, kind, limit=lim, offset=off)
        if key == "mine" and user_id is not None and sort is None and self._plain(f):
            return lambda off, lim: queries.my_page(office, user_id, limit=lim, offset=off)
        return lambda off, lim: queries.page(office, f, limit=lim, offset=off, sort=sort[0] if sort else None,
                                             descending=sort[1] if sort else True)

    def _count(self, key: str, text: str, f: Filters, user_id: int | None, first: int) -> int:
        office = self.ctx.office
        if text and not key.startswith("due:"):
            return office.search.count(text, f)
        if key.startswith("due:"):
            if first < PAGE:
                return first
            c = queries.deadline_counts(office)
            return c.overdue if key == "due:overdue" else c.due_soon
        return queries.count(office, f)

    # --- selection and sorting ------------------------------------------------------------------

    def current_id(self) -> int | None:
        idx = self.table.currentIndex()
        h = self.model.hit(idx.row()) if idx.isValid() else None
        return h.id if h else None

    def current_hit(self) -> Row | None:
        idx = self.table.currentIndex()
        return self.model.hit(idx.row()) if idx.isValid() else None

    def selected_hits(self) -> list[Row]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [h for r in rows if (h := self.model.hit(r)) is not None]

    def _row_changed(self, cur: QModelIndex, _prev: QModelIndex) -> None:
        h = self.model.hit(cur.row()) if cur.isValid() else None
        self.document_selected.emit(h.id if h else None)

    def _double_clicked(self, idx: QModelIndex) -> None:
        h = self.model.hit(idx.row())
        if h is not None:
            self.activated.emit(h.id)

    def _header_clicked(self, section: int) -> None:
        if not self.model.sortable or self.view_key.startswith("due:"):
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
            return
        key = COLUMNS[section][0]
        descending = not (self._sort is not None and self._sort[0] == key and self._sort[1])
        self._sort = (key, descending)
        self.table.horizontalHeader().setSortIndicator(
            section, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self.refresh()
