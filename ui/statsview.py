"""Thống kê: counts by state, overdue, per unit and per month, drawn as bar charts."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desk.services.queries import Stats, stats
from ui.context import AppContext
from ui.i18n import tr
from ui.ops import OpContext, query

IN_COLOR, OUT_COLOR, LATE_COLOR = QColor("#1565c0"), QColor("#2e7d32"), QColor("#c62828")


class BarChart(QWidget):
    """Horizontal grouped bars: one row per label, one bar per series."""

    def __init__(self, title: str, series: list[tuple[str, QColor]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.series = series
        self.rows: list[tuple[str, list[int]]] = []
        self.setMinimumHeight(120)

    def set_rows(self, rows: list[tuple[str, list[int]]]) -> None:
        self.rows = rows
        bar_h = 12 * len(self.series) + 6
        self.setMinimumHeight(40 + 20 + len(rows) * bar_h)
        self.update()

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        x = 8.0
        for name, color in self.series:  # legend
            p.fillRect(QRectF(x, 26, 10, 10), color)
            p.drawText(QRectF(x + 14, 22, 200, 18), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            x += 24 + p.fontMetrics().horizontalAdvance(name)
        top, label_w = 46.0, 210.0
        peak = max((v for _, vals in self.rows for v in vals), default=0) or 1
        width = max(self.width() - label_w - 70, 10)
        bar_h = 12 * len(self.series) + 6
        for i, (label, vals) in enumerate(self.rows):
            y = top + i * bar_h
            p.setPen(QColor("#37474f"))
            p.drawText(QRectF(8, y, label_w - 12, bar_h - 6),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       p.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 12)))
            for j, v in enumerate(vals):
                w = width * v / peak
                color = self.series[j][1]
                p.fillRect(QRectF(label_w, y + j * 12, max(w, 1), 10), color)
                p.setPen(QColor("#37474f"))
                p.drawText(QRectF(label_w + w + 4, y + j * 12 - 3, 70, 16),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{v:,}".replace(",", "."))
        p.end()


class StatsPage(QScrollArea):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWidgetResizable(True)
        body = QWidget()
        self.setWidget(body)
        self.headline = QLabel()
        self.headline.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.by_state = BarChart(tr("Documents by status"), [(tr("Incoming"), IN_COLOR), (tr("Outgoing"), OUT_COLOR)])
        self.by_unit = BarChart(tr("Open assignments per unit"),
                                [(tr("Open"), IN_COLOR), (tr("Overdue"), LATE_COLOR)])
        self.by_month = BarChart(tr("Documents per month (last 12 months)"),
                                 [(tr("Incoming"), IN_COLOR), (tr("Outgoing"), OUT_COLOR)])
        grid = QGridLayout()
        grid.addWidget(self.by_state, 0, 0)
        grid.addWidget(self.by_unit, 0, 1)
        grid.addWidget(self.by_month, 1, 0, 1, 2)
        lay = QVBoxLayout(body)
        lay.addWidget(self.headline)
        lay.addLayout(grid)
        lay.addStretch(1)
        self.data: Stats | None = None

    def refresh(self) -> None:
        office = self.ctx.office

        def work(_ctx: OpContext) -> Stats:
            return stats(office)

        query(self, work, self.show_stats)

    def show_stats(self, st: Stats) -> None:
        from desk.i18n import t
        from desk.workflow import INCOMING_STATES, OUTGOING_STATES

        self.data = st
        self.headline.setText(tr("Overdue: {late} · Due within 2 working days: {soon}").format(
            late=st.overdue, soon=st.due_soon))
        counts = {(d, s): n for d, s, n in st.by_state}
        rows = [(t(s.vi, s.en), [counts.get(("in", s.code), 0), 0]) for s in INCOMING_STATES]
        rows += [(t(s.vi, s.en), [0, counts.get(("out", s.code), 0)]) for s in OUTGOING_STATES]
        self.by_state.set_rows(rows)
        self.by_unit.set_rows([(u, [n, late]) for u, n, late in st.by_unit])
        self.by_month.set_rows([(f"{m[5:7]}/{m[:4]}", [i, o]) for m, i, o in st.by_month])
