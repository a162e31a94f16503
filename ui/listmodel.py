"""The document list: a table model that fetches pages on demand.

Only the rows the user has scrolled to are loaded (``canFetchMore`` /
``fetchMore``, pages of :data:`PAGE`), so a list of 100,000 documents opens as
fast as one of 100. A page of the default order is served by the store's list
index in a few milliseconds, so fetching stays on the GUI thread; the first page
of a search is computed in the background by the window (see search-as-you-type).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desk.clock import today
from desk.reference import DOC_TYPES_BY_CODE, format_code
from desk.search import Hit
from desk.services.queries import due_flag
from ui.i18n import fmt_date, tr

PAGE = 200
T = TypeVar("T")
Fetch = Callable[[int, int], list[Hit]]  # (offset, limit) -> rows


class Row(NamedTuple):
    """A list row: Hit's fields in a plain tuple (no per-row dict), repeated values shared.

    At 100,000 rows this keeps the scrolled-through list at a fraction of the memory
    the Hit objects would take.
    """

    id: int
    direction: str
    state: str
    doc_type: str
    number: str | None
    notation: str | None
    issuer_name: str | None
    issued_date: date | None
    subject: str
    urgency: int
    due_date: date | None

# (key, header) — keys are the sortable names of desk.services.queries.SORTABLE.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Number"),
    ("issued", "Date"),
    ("type", "Type"),
    ("subject", "Subject"),
    ("issuer", "Issued by"),
    ("state", "Status"),
    ("due", "Deadline"),
    ("urgency", "Urgency"),
)


def urgency_text(level: int) -> str:
    names = {1: tr("Urgent"), 2: tr("Very urgent"), 3: tr("Flash"), 4: tr("Flash (timed)")}
    return names.get(level, "")


OVERDUE_BG = QColor("#fde2e1")
SOON_BG = QColor("#fff1cc")
Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._shared: dict[object, object] = {}
        self._fetch: Fetch | None = None
        self._exhausted = True
        self._sortable = True
        self.soon_until: date = today()
        self._bold = QFont()
        self._bold.setBold(True)

    # --- source ---------------------------------------------------------------------------

    def set_source(self, fetch: Fetch | None, first_page: list[Hit] | None = None, *,
                   sortable: bool = True) -> None:
        """Show a new list; ``first_page`` when it was already computed in the background."""
        self.beginResetModel()
        self._fetch = fetch
        self._sortable = sortable
        self._shared = {}
        if first_page is not None:
            self._rows = [self._pack(h) for h in first_page]
            self._exhausted = len(first_page) < PAGE
        else:
            self._rows = []
            self._exhausted = fetch is None
        self.endResetModel()
        if first_page is None and fetch is not None:
            self.fetchMore(QModelIndex())

    @property
    def sortable(self) -> bool:
        return self._sortable

    def _share(self, value: T) -> T:
        """One object for equal values (states, issuers, dates repeat across many rows)."""
        return self._shared.setdefault(value, value)  # type: ignore[return-value]

    def _pack(self, h: Hit) -> Row:
        s = self._share
        return Row(h.id, s(h.direction), s(h.state), s(h.doc_type), h.number, s(h.notation),
                   s(h.issuer_name), s(h.issued_date), h.subject, h.urgency, s(h.due_date))

    def hit(self, row: int) -> Row | None:
        """The row's document (a Row has the same fields as desk.search.Hit)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, doc_id: int) -> int:
        return next((i for i, h in enumerate(self._rows) if h.id == doc_id), -1)

    def loaded(self) -> int:
        return len(self._rows)

    # --- incremental fetching ---------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and self._fetch is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetch is None or self._exhausted:
            return
        rows = self._fetch(len(self._rows), PAGE)
        if len(rows) < PAGE:
            self._exhausted = True
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(self._pack(h) for h in rows)
            self.endInsertRows()

    # --- table ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        h = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(h, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            flag = self.due_flag(h)
            if flag == "overdue":
                return QBrush(OVERDUE_BG)
            if flag == "soon":
                return QBrush(SOON_BG)
            return None
        if role == Qt.ItemDataRole.FontRole and h.urgency > 0:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            flag = self.due_flag(h)
            if flag == "overdue":
                return tr("Overdue")
            if flag == "soon":
                return tr("Due soon")
            return h.subject if key == "subject" else None
        if role == Qt.ItemDataRole.UserRole:
            return h.id
        return None

    def due_flag(self, h: Hit | Row) -> str | None:
        return due_flag(h, self.soon_until)

    @staticmethod
    def _text(h: Hit | Row, key: str) -> str:
        from desk.workflow import state_label

        if key == "code":
            return format_code(h.number, h.notation)
        if key == "issued":
            return fmt_date(h.issued_date)
        if key == "type":
            t = DOC_TYPES_BY_CODE.get(h.doc_type)
            return t.name if t else h.doc_type
        if key == "subject":
            return h.subject
        if key == "issuer":
            return h.issuer_name or ""
        if key == "state":
            return state_label(h.direction, h.state)
        if key == "due":
            return fmt_date(h.due_date)
        if key == "urgency":
            return urgency_text(h.urgency)
        return ""
