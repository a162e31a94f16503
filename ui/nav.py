"""The navigation tree: the views a role works with, each with its count."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from ui.i18n import tr
from ui.icons import icon

CLERK, LEADER, SPECIALIST = "van_thu", "lanh_dao", "chuyen_vien"
ALL = frozenset({CLERK, LEADER, SPECIALIST})


@dataclass(frozen=True)
class NavEntry:
    key: str  # "in:received", "out:draft", "due:overdue", "mine", "registers", "search", "stats"
    label: str
    roles: frozenset[str]


def sections() -> list[tuple[str, str, list[NavEntry]]]:
    """(label, icon, entries); labels are built at call time so the language applies."""
    return [
        (tr("Incoming documents"), "incoming", [
            NavEntry("in:received", tr("Awaiting registration"), frozenset({CLERK})),
            NavEntry("in:registered", tr("Awaiting presentation"), frozenset({CLERK})),
            NavEntry("in:presented", tr("Awaiting the leader"), frozenset({CLERK, LEADER})),
            NavEntry("in:in_progress", tr("In progress"), ALL),
            NavEntry("in:done", tr("Done"), ALL),
            NavEntry("due:overdue", tr("Overdue"), ALL),
            NavEntry("due:soon", tr("Due soon"), ALL),
        ]),
        (tr("Outgoing documents"), "outgoing", [
            NavEntry("out:draft", tr("Drafts"), frozenset({SPECIALIST, LEADER})),
            NavEntry("out:in_review", tr("Awaiting review"), frozenset({LEADER, SPECIALIST})),
            NavEntry("out:awaiting_signature", tr("Awaiting signature"), frozenset({LEADER, SPECIALIST})),
            NavEntry("out:awaiting_release", tr("Awaiting release"), frozenset({CLERK, LEADER})),
            NavEntry("out:released", tr("Released"), ALL),
        ]),
        (tr("My work"), "tasks", [NavEntry("mine", tr("My work"), frozenset({SPECIALIST, LEADER}))]),
        (tr("Registers"), "register", [NavEntry("registers", tr("Registers"), frozenset({CLERK, LEADER}))]),
        (tr("Search"), "search", [NavEntry("search", tr("Search"), ALL)]),
        (tr("Statistics"), "stats", [NavEntry("stats", tr("Statistics"), ALL)]),
    ]


def default_view(roles: frozenset[str]) -> str:
    if CLERK in roles:
        return "in:received"
    if LEADER in roles:
        return "in:presented"
    return "mine"


class NavTree(QTreeWidget):
    view_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setAccessibleName(tr("Navigation"))
        self._items: dict[str, QTreeWidgetItem] = {}
        self._labels: dict[str, str] = {}
        self.currentItemChanged.connect(self._changed)

    def build(self, roles: frozenset[str]) -> None:
        self.blockSignals(True)
        self.clear()
        self._items.clear()
        for label, icon_name, entries in sections():
            visible = [e for e in entries if e.roles & roles]
            if not visible:
                continue
            if len(visible) == 1 and len(entries) == 1:
                item = QTreeWidgetItem(self, [visible[0].label])
                item.setIcon(0, icon(icon_name))
                self._register(item, visible[0])
                continue
            top = QTreeWidgetItem(self, [label])
            top.setIcon(0, icon(icon_name))
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            f = QFont()
            f.setBold(True)
            top.setFont(0, f)
            for e in visible:
                self._register(QTreeWidgetItem(top, [e.label]), e)
            top.setExpanded(True)
        self.blockSignals(False)

    def _register(self, item: QTreeWidgetItem, e: NavEntry) -> None:
        item.setData(0, Qt.ItemDataRole.UserRole, e.key)
        self._items[e.key] = item
        self._labels[e.key] = e.label

    def view_keys(self) -> list[str]:
        return list(self._items)

    def select(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        self.setCurrentItem(item)
        return True

    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def set_counts(self, counts: dict[str, int], alerts: dict[str, int]) -> None:
        """``alerts``: views whose items need attention (overdue), shown in red."""
        for key, item in self._items.items():
            n = counts.get(key, 0) if key.startswith(("in:", "out:", "due:")) or key == "mine" \
                else counts.get(key)
            item.setText(0, f"{self._labels[key]} ({n:,})".replace(",", ".") if n is not None
                         else self._labels[key])
            late = alerts.get(key, 0)
            if late or key == "due:overdue" and (n or 0) > 0:
                item.setForeground(0, QBrush(QColor("#c62828")))
                item.setToolTip(0, tr("{n} overdue").format(n=late or n))
            elif key == "due:soon" and (n or 0) > 0:
                item.setForeground(0, QBrush(QColor("#b26a00")))
            else:
                item.setForeground(0, QBrush())

    def _changed(self, cur: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None) -> None:
        key = cur.data(0, Qt.ItemDataRole.UserRole) if cur else None
        if key:
            self.view_chosen.emit(key)
