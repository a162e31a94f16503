"""PDF preview: pages rendered off the GUI thread, page navigation and zoom."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr
from ui.icons import icon
from ui.ops import OpContext, query
from ui.pdfrender import RenderedPage, render_page

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
FIT = -1  # zoom index meaning "fit the page to the pane's width"


class PdfView(QWidget):
    rendered = Signal(int)  # page shown (tests and screenshots wait on it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: bytes | None = None
        self._page = 0
        self._pages = 0
        self._zoom_index = FIT
        self._scale = 1.0  # pixels per point of the last render
        self._generation = 0
        self.prev_btn = self._button("go-previous", tr("Previous page (PgUp)"), self.prev_page)
        self.next_btn = self._button("go-next", tr("Next page (PgDown)"), self.next_page)
        self.zoom_out_btn = self._button("zoom-out", tr("Zoom out (Ctrl+-)"), self.zoom_out)
        self.zoom_in_btn = self._button("zoom-in", tr("Zoom in (Ctrl++)"), self.zoom_in)
        self.fit_btn = self._button("zoom-fit", tr("Fit width"), self.fit_width)
        self.page_label = QLabel()
        self.zoom_label = QLabel()
        bar = QHBoxLayout()
        for w in (self.prev_btn, self.page_label, self.next_btn):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out_btn, self.zoom_label, self.zoom_in_btn, self.fit_btn):
            bar.addWidget(w)
        self.image = QLabel(tr("No file to show."))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller = QScrollArea()
        self.scroller.setWidget(self.image)
        self.scroller.setWidgetResizable(True)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.scroller, 1)
        for keys, fn in ((QKeySequence.StandardKey.MoveToPreviousPage, self.prev_page),
                         (QKeySequence.StandardKey.MoveToNextPage, self.next_page),
                         (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
                         (QKeySequence.StandardKey.ZoomOut, self.zoom_out)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(fn)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(120)
        self._refit.timeout.connect(self._refit_now)
        self._fitted_width = 0
        self._update_bar()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._zoom_index == FIT and self._data is not None:
            self._refit.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._zoom_index == FIT and self._data is not None:
            self._refit.start()

    def _refit_now(self) -> None:
        # Fit mode follows the pane's width (the pane may have been hidden when first rendered).
        if abs(self.scroller.viewport().width() - self._fitted_width) > 16:
            self._render()

    def _button(self, name: str, tip: str, slot: object) -> QToolButton:
        b = QToolButton()
        b.setIcon(icon(name))
        b.setToolTip(tip)
        b.setAccessibleName(tip)
        b.clicked.connect(slot)
        return b

    def set_pdf(self, data: bytes | None) -> None:
        self._data, self._page, self._pages = data, 0, 0
        if data is None:
            self._generation += 1
            self.image.setPixmap(QPixmap())
            self.image.setText(tr("No file to show."))
            self._update_bar()
            return
        self.image.setText(tr("Rendering…"))
        self._render()

    @property
    def page(self) -> int:
        return self._page

    @property
    def pages(self) -> int:
        return self._pages

    def prev_page(self) -> None:
        if self._data is not None and self._page > 0:
            self._page -= 1
            self._render()

    def next_page(self) -> None:
        if self._data is not None and self._page + 1 < self._pages:
            self._page += 1
            self._render()

    def _nearest_zoom(self) -> int:
        current = self._scale * 72 / 96 / self.devicePixelRatioF()
        return min(range(len(ZOOMS)), key=lambda i: abs(ZOOMS[i] - current))

    def zoom_in(self) -> None:
        i = self._nearest_zoom() if self._zoom_index == FIT else self._zoom_index
        if i + 1 < len(ZOOMS):
            self._zoom_index = i + 1
            self._render()

    def zoom_out(self) -> None:
        i = self._nearest_zoom() if self._zoom_index == FIT else self._zoom_index
        if i > 0:
            self._zoom_index = i - 1
            self._render()

    def fit_width(self) -> None:
        self._zoom_index = FIT
        self._render()

    def _render(self) -> None:
        if self._data is None:
            return
        self._generation += 1
        generation, data, page = self._generation, self._data, self._page
        dpr = self.devicePixelRatioF()
        self._fitted_width = self.scroller.viewport().width()
        fit = int((self._fitted_width - 24) * dpr) if self._zoom_index == FIT else None
        scale = ZOOMS[max(self._zoom_index, 0)] * 96 / 72 * dpr

        def work(_ctx: OpContext) -> RenderedPage:
            return render_page(data, page, scale, fit_width_px=max(fit, 200) if fit is not None else None)

        def show(r: RenderedPage) -> None:
            if generation != self._generation:
                return  # a newer request superseded this one
            pix = QPixmap.fromImage(r.image)
            pix.setDevicePixelRatio(dpr)
            self.image.setPixmap(pix)
            self._page, self._pages = r.page, r.pages
            self._scale = r.image.width() / r.width_pt
            self._update_bar()
            self.rendered.emit(r.page)

        query(self, work, show)

    def _update_bar(self) -> None:
        has = self._data is not None and self._pages > 0
        self.page_label.setText(tr("Page {n} of {total}").format(n=self._page + 1, total=self._pages)
                                if has else "")
        self.zoom_label.setText(tr("Fit width") if self._zoom_index == FIT
                                else f"{int(ZOOMS[self._zoom_index] * 100)}%")
        self.prev_btn.setEnabled(has and self._page > 0)
        self.next_btn.setEnabled(has and self._page + 1 < self._pages)
