"""Rendering PDF pages to images with their signature appearances.

QtPdf never initialises PDF forms, so it does not draw signature widgets
(toolchain probe §0.2); pdfium does once ``init_forms()`` has been called and
pages are rendered with ``may_draw_forms=True``. pdfium is not thread-safe, so
every call into it in the process goes through :data:`signing.pdfium_lock.PDFIUM_LOCK`. Runs on
worker threads: a QImage may be built off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QImage

from signing.pdfium_lock import PDFIUM_LOCK


@dataclass(frozen=True)
class RenderedPage:
    image: QImage
    page: int
    pages: int
    width_pt: float
    height_pt: float


def render_page(data: bytes, page: int, scale: float, fit_width_px: int | None = None) -> RenderedPage:
    """Page ``page`` (from 0) of a PDF at ``scale`` pixels per point (or fitted to
    ``fit_width_px``), forms drawn."""
    import pypdfium2 as pdfium

    from desk.errors import ValidationError

    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ValidationError(
                "Không mở được tệp PDF: tệp bị hỏng hoặc không phải PDF.",
                "Cannot open the PDF: the file is damaged or not a PDF.", code="bad_pdf") from exc
        try:
            pdf.init_forms()
            count = len(pdf)
            index = max(0, min(page, count - 1))
            p = pdf[index]
            try:
                w, h = p.get_size()
                if fit_width_px:
                    scale = fit_width_px / w
                bitmap = p.render(scale=scale, may_draw_forms=True, rev_byteorder=True)
                fmt = {"RGB": QImage.Format.Format_RGB888, "RGBA": QImage.Format.Format_RGBA8888,
                       "RGBX": QImage.Format.Format_RGBX8888}[bitmap.mode]
                try:
                    image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                                   fmt).copy()
                finally:
                    # Closed here, under the lock: a finaliser running later on another
                    # thread would call into pdfium unguarded.
                    bitmap.close()
            finally:
                p.close()
        finally:
            pdf.close()
    return RenderedPage(image, index, count, w, h)
