"""Presenting to a leader, and the leader's assignment (chủ trì / phối hợp / để biết, deadline, note)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.clock import today
from ui.context import AppContext, User
from ui.dialogs.common import buttons, date_edit, pydate, qdate
from ui.i18n import fmt_date, tr


class PresentDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Present to a leader"))
        self.leader = QComboBox()
        for p in ctx.people():
            if p.has("lanh_dao"):
                self.leader.addItem(f"{p.full_name} — {p.position}", p.id)
        self.note = QLineEdit()
        form = QFormLayout()
        form.addRow(tr("Leader:"), self.leader)
        form.addRow(tr("Note:"), self.note)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons(self, tr("Present")))

    def values(self) -> tuple[int | None, str | None]:
        return self.leader.currentData(), self.note.text().strip() or None


def present_work(ctx: AppContext, doc_ids: list[int], leader_id: int | None,
                 note: str | None) -> Callable[[Any], int]:
    from desk.services import actions

    office, actor_id = ctx.office, ctx.user_id
    return lambda _op: actions.present(office, doc_ids, actor_id, leader_id, note).count


def _target_items(ctx: AppContext) -> list[tuple[str, str, int]]:
    """(label, kind, id) for every person who handles documents and every unit."""
    from desk.services.queries import units

    out: list[tuple[str, str, int]] = []
    people: list[User] = [p for p in ctx.people() if p.has("chuyen_vien") or p.has("lanh_dao")]
    for p in people:
        out.append((f"{p.full_name} — {p.position}", "person", p.id))
    for unit_id, name in units(ctx.office):
        out.append((tr("Unit: {name}").format(name=name), "unit", unit_id))
    return out


class AssignDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, days: int = 5) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Assign for handling"))
        items = _target_items(ctx)
        self.lead = QComboBox()
        self.lead.setAccessibleName(tr("Lead"))
        for label, kind, ident in items:
            self.lead.addItem(label, f"{kind}:{ident}")
        self.support = self._checklist(items)
        self.info = self._checklist(items)
        self.days = QSpinBox()
        self.days.setRange(0, 365)
        self.days.setSuffix(" " + tr("working days"))
        self.deadline = date_edit(today())
        self.deadline.setMinimumDate(qdate(today()))
        self.deadline_text = QLabel()
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.days.valueChanged.connect(self._days_changed)
        self.deadline.dateChanged.connect(lambda d: self.deadline_text.setText(fmt_date(pydate(d))))
        self.days.setValue(days)
        self._days_changed(days)
        dl = QHBoxLayout()
        dl.addWidget(self.days)
        dl.addWidget(QLabel(tr("→ deadline")))
        dl.addWidget(self.deadline)
        form = QFormLayout()
        form.addRow(tr("Lead (chủ trì):"), self.lead)
        form.addRow(tr("Support (phối hợp):"), self.support)
        form.addRow(tr("For information (để biết):"), self.info)
        form.addRow(tr("Deadline:"), dl)
        form.addRow(tr("Note:"), self.note)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, tr("Assign")))
        self.resize(620, 560)

    @staticmethod
    def _checklist(items: list[tuple[str, str, int]]) -> QListWidget:
        w = QListWidget()
        for label, kind, ident in items:
            it = QListWidgetItem(label)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Unchecked)
            it.setData(Qt.ItemDataRole.UserRole, f"{kind}:{ident}")
            w.addItem(it)
        w.setFixedHeight(110)
        return w

    def _days_changed(self, n: int) -> None:
        from desk.services.routing import deadline_from_working_days

        d = deadline_from_working_days(today(), n, self.ctx.office.paths.calendar)
        self.deadline.setDate(qdate(d))

    @staticmethod
    def checked(w: QListWidget) -> list[str]:
        """Checked targets as "person:ID" / "unit:ID"."""
        return [w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, w: QListWidget, key: str) -> None:
        for i in range(w.count()):
            if w.item(i).data(Qt.ItemDataRole.UserRole) == key:
                w.item(i).setCheckState(Qt.CheckState.Checked)

    def targets(self) -> list[Any]:
        from desk.reference import AssignmentRole
        from desk.services.routing import AssignTarget

        def target(role: AssignmentRole, key: str) -> AssignTarget:
            kind, ident = key.split(":")
            return AssignTarget(role, person_id=int(ident) if kind == "person" else None,
                                unit_id=int(ident) if kind == "unit" else None)

        lead = self.lead.currentData()
        out = [target(AssignmentRole.LEAD, lead)]
        out += [target(AssignmentRole.SUPPORT, k) for k in self.checked(self.support) if k != lead]
        out += [target(AssignmentRole.INFO, k) for k in self.checked(self.info) if k != lead]
        return out

    def deadline_value(self) -> date | None:
        return pydate(self.deadline.date()) if self.days.value() > 0 else None

    def accept(self) -> None:
        if self.lead.currentIndex() < 0:
            self.error.setText(tr("Choose who leads the handling."))
            return
        super().accept()


def assign_work(ctx: AppContext, doc_id: int, targets: list[Any], deadline: date | None,
                note: str | None) -> Callable[[Any], int]:
    from desk.services import actions

    office, actor_id = ctx.office, ctx.user_id
    return lambda _op: actions.assign(office, doc_id, actor_id, targets, deadline, note).count
