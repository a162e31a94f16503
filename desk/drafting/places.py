"""Where a converted draft left room for the clerk's number and date.

A draft prints "Số:" + blank + "/ký hiệu" and "…, ngày" + blank + "tháng" + blank +
"năm" + blank (see desk.drafting.values). After conversion the blanks are found
from the PDF's own text layer, so they are right whatever the template's
layout, font or the user's edits: the clerk's form fields go exactly there.

Coordinates are PDF user space points, origin at the bottom left of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.errors import ValidationError
from signing.pdfium_lock import PDFIUM_LOCK


@dataclass(frozen=True)
class Box:
    page: int  # 0-based
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def rounded(self) -> tuple[int, float, float, float, float]:
        return (self.page, round(self.x0, 1), round(self.y0, 1), round(self.x1, 1),
                round(self.y1, 1))


# Field names used by signing.formfields for the clerk's number and date.
CLERK_FIELDS = ("So", "Ngay", "Thang", "Nam")


@dataclass(frozen=True)
class BlankPlaces:
    number: Box  # between "Số:" and "/ký hiệu"
    day: Box  # between "ngày" and "tháng"
    month: Box  # between "tháng" and "năm"
    year: Box  # after "năm"
    number_font_size: float
    date_font_size: float
    number_baseline: float
    date_baseline: float

    def clerk_boxes(self) -> dict[str, Box]:
        """The four blanks by form-field name (So, Ngay, Thang, Nam)."""
        return dict(zip(CLERK_FIELDS, (self.number, self.day, self.month, self.year),
                        strict=True))


_NUMBER = re.compile(r"Số\s*:\s*/")
_DATE = re.compile(r"ngày\s+tháng\s+năm")


def _not_found(what_vi: str, what_en: str, path: Path) -> ValidationError:
    return ValidationError(
        f"Không tìm thấy chỗ trống {what_vi} trong {path.name}: bản PDF phải được chuyển từ dự "
        "thảo chưa ghi số, ngày.",
        f"No blank {what_en} in {path.name}: the PDF must come from a draft without number and "
        "date.", code="no_blank")


def locate_blanks(pdf_path: Path, *, max_pages: int = 1) -> BlankPlaces:
    """Find the blank number and date on the first page(s) of a converted draft."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf_path = Path(pdf_path)
    with PDFIUM_LOCK:  # pdfium is not thread-safe; previews render on other threads
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            for index in range(min(max_pages, len(pdf))):
                tp = pdf[index].get_textpage()
                text = tp.get_text_range()
                if len(text) != tp.count_chars():  # indices must line up with char boxes
                    text = "".join(chr(raw.FPDFText_GetUnicode(tp.raw, i))
                                   for i in range(tp.count_chars()))
                found = _on_page(_Page(tp, text, index))
                if found is not None:
                    return found
            raise _not_found("cho số và ngày", "number and date", pdf_path)
        finally:
            pdf.close()


class _Page:
    def __init__(self, textpage: Any, text: str, index: int) -> None:
        self.tp, self.text, self.index = textpage, text, index

    def box(self, i: int) -> tuple[float, float, float, float]:
        left, bottom, right, top = self.tp.get_charbox(i)
        return float(left), float(bottom), float(right), float(top)

    def size(self, i: int) -> float:
        import pypdfium2.raw as raw

        return float(raw.FPDFText_GetFontSize(self.tp.raw, i))

    def line(self, indices: list[int], font_size: float) -> tuple[float, float, float]:
        # The chosen letters have no descender, so their lowest edge is the baseline. The
        # box starts 2 pt below it (where signing.formfields writes a value's baseline 2 pt
        # above the box bottom) and rises one font size above it.
        base = min(self.box(i)[1] for i in indices)
        return base - 2, base + font_size, base


def _on_page(pg: _Page) -> BlankPlaces | None:
    text = pg.text
    number = _NUMBER.search(text)
    date = _DATE.search(text, number.end() if number else 0)
    if number is None or date is None:
        return None
    # "Số:" ends at the colon; the number's room ends where "/" begins.
    colon = text.index(":", number.start())
    slash = number.end() - 1
    number_size = pg.size(colon)
    y0, y1, number_base = pg.line([number.start(), slash], number_size)
    number_box = Box(pg.index, pg.box(colon)[2], y0, pg.box(slash)[0], y1)

    s = date.start()
    ngay_end = s + len("ngày") - 1
    thang = text.index("tháng", ngay_end)
    nam = text.index("năm", thang)
    nam_end = nam + len("năm") - 1
    date_size = pg.size(thang)
    y0, y1, date_base = pg.line([s, thang, nam, nam_end], date_size)
    day = Box(pg.index, pg.box(ngay_end)[2], y0, pg.box(thang)[0], y1)
    month = Box(pg.index, pg.box(thang + 4)[2], y0, pg.box(nam)[0], y1)
    # The year's room is trailing no-break space, which the text layer does not
    # show: a space and 9 no-break spaces, against the day's 1 + 6 + 1.
    year_x0 = pg.box(nam_end)[2]
    year = Box(pg.index, year_x0, y0, year_x0 + day.width * 10 / 8, y1)
    return BlankPlaces(number_box, day, month, year, number_size, date_size, number_base,
                       date_base)
