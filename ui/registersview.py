"""Sổ văn bản: the incoming and outgoing register books, and printing them (DOCX, Decree 30 App. IV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.clock import today
from ui.context import AppContext
from ui.i18n import tr
from ui.icons import icon
from ui.ops import Op, OpContext, query

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers: tuple[str, ...] = ()
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.headers, self.rows = headers, rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and index.isValid():
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class RegistersPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.book = QComboBox()
        self.book.addItem(tr("Incoming register"), "in")
        self.book.addItem(tr("Outgoing register"), "out")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today().year)
        self.series = QComboBox()
        self.series.addItem(tr("Ordinary documents"), "normal")
        self.series.addItem(tr("Secret documents"), "secret")
        self.print_btn = QPushButton(icon("print"), tr("Print the register (DOCX)…"))
        self.print_btn.setShortcut("Ctrl+P")
        self.print_btn.clicked.connect(self.print_book)
        self.count = QLabel()
        bar = QHBoxLayout()
        for label, w in ((tr("Register"), self.book), (tr("Year"), self.year), (tr("Series"), self.series)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.print_btn)
        self.model = RowsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count)
        self.book.currentIndexChanged.connect(lambda _i: self.refresh())
        self.series.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year.valueChanged.connect(lambda _v: self.refresh())

    def refresh(self) -> None:
        from desk.reports.register_book import IN_COLUMNS, OUT_COLUMNS
        from desk.services.queries import register_book

        self._generation += 1
        generation, office = self._generation, self.ctx.office
        book, year, series = self.book.currentData(), self.year.value(), self.series.currentData()

        def work(_ctx: OpContext) -> list[tuple[str, ...]]:
            return register_book(office, book, year, series)

        def show(rows: list[tuple[str, ...]]) -> None:
            if generation != self._generation:
                return
            self.model.set_rows(IN_COLUMNS if book == "in" else OUT_COLUMNS, rows)
            for c, w in enumerate((90, 60, 200, 120, 90, 360, 160, 90, 80, 100)):
                self.table.horizontalHeader().resizeSection(c, w)
            self.count.setText(tr("{n} entries").format(n=len(rows)))

        query(self, work, show)

    def print_book(self) -> None:
        book, year, series = self.book.currentData(), self.year.value(), self.series.currentData()
        name = f"so-{'den' if book == 'in' else 'di'}-{year}.docx"
        path, _ = QFileDialog.getSaveFileName(self, tr("Print the register"), name, "Word (*.docx)")
        if path:
            self.export(Path(path), book, year, series)

    def export(self, path: Path, book: str, year: int, series: str) -> Op[int]:
        from desk.services.queries import write_register

        office = self.ctx.office

        def work(_ctx: OpContext) -> int:
            return write_register(office, book, year, path, series)

        def done(n: int) -> None:
            from ui import messages

            messages.info(tr("The register was written to {path} ({n} entries).").format(path=path, n=n), self)

        return Op(self, work, title=tr("Writing the register…"), cancellable=False).success(done).run()
