# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""Where each Decree 30 appearance goes on the page.

The leader's image sits between the position title ("CHỦ TỊCH") and the full name
("Nguyễn Văn An"), found by searching the page's text (pdfium); explicit
coordinates override the search. The seal overlaps about a third of the leader's
image on its left. Text-only stamps go to the top right of page 1.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
from pyhanko.pdf_utils.reader import PdfFileReader

from .errors import AppearanceError
from .pdfium_lock import PDFIUM_LOCK

MM = 72 / 25.4



@dataclass(frozen=True)
class Box:
    """A rectangle in PDF user space (origin bottom left, points)."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    @property
    def cx(self) -> float:
        return (self.x1 + self.x2) / 2

    @property
    def cy(self) -> float:
        return (self.y1 + self.y2) / 2

    def as_ints(self) -> tuple[int, int, int, int]:
        return round(self.x1), round(self.y1), round(self.x2), round(self.y2)


@dataclass(frozen=True)
class Placement:
    page: int
    box: Box


def fold(text: str) -> str:
    """Vietnamese-insensitive form, one output character per input character:
    no diacritics, đ→d, casefolded, runs of spaces kept as they are."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        base = {"đ": "d", "Đ": "d"}.get(ch, base)
        low = base.casefold()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


def _box_of(textpage: Any, index: int, count: int) -> Box | None:
    n = textpage.count_rects(index, count)
    rects = [textpage.get_rect(i) for i in range(n)]
    if not rects:
        return None
    return Box(min(r[0] for r in rects), min(r[1] for r in rects),
               max(r[2] for r in rects), max(r[3] for r in rects))


def _search(doc: pdfium.PdfDocument, page_index: int, needle: str) -> list[Box]:
    """Occurrences of ``needle``: exact (case-insensitive) first; if none, ignoring
    diacritics and spacing differences, because certificates often carry the name
    without diacritics ("NGUYEN VAN AN") while the document prints "Nguyễn Văn An"."""
    needle = unicodedata.normalize("NFC", needle).strip()
    page = doc[page_index]
    textpage = page.get_textpage()
    found: list[Box] = []
    try:
        searcher = textpage.search(needle, match_case=False, match_whole_word=False)
        while True:
            hit = searcher.get_next()
            if hit is None:
                break
            box = _box_of(textpage, *hit)
            if box is not None:
                found.append(box)
        searcher.close()
        if not found:
            found = _folded_search(textpage, needle)
    finally:
        textpage.close()
        page.close()
    return found


def _folded_search(textpage: Any, needle: str) -> list[Box]:
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # pdfium may add/drop characters; positions would not line up
        return []
    hay = fold(unicodedata.normalize("NFC", text))
    words = fold(needle).split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    found = []
    for m in pattern.finditer(hay):
        box = _box_of(textpage, m.start(), m.end() - m.start())
        if box is not None:
            found.append(box)
    return found


def find_text(pdf: bytes, page_index: int, needle: str) -> list[Box]:
    """Boxes of every occurrence of ``needle`` on a page (case-insensitive)."""
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            return _search(doc, page_index, needle)
        finally:
            doc.close()


def leader_placement(pdf: bytes, title: str, name: str, aspect: float, *, page: int | None = None,
                     max_width: float = 60 * MM, margin: float = 3.0) -> Placement:
    """Box for the leader's image between ``title`` (above) and ``name`` (below).

    ``aspect`` is the image's width / height; the box keeps it, so the drawn image
    fills the widget exactly and the seal can be placed against it later.
    """
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            pages = [page] if page is not None else list(range(len(doc) - 1, -1, -1))
            for index in pages:
                if index < 0 or index >= len(doc):
                    raise AppearanceError(f"Trang {index + 1} không tồn tại.", f"Page {index + 1} does not exist.")
                names = _search(doc, index, name)
                titles = _search(doc, index, title)
                best: tuple[float, Box, Box] | None = None
                for n in names:
                    for t in titles:
                        gap = t.y1 - n.y2
                        aligned = abs(t.cx - n.cx) < 120
                        if gap > 0 and aligned and (best is None or gap < best[0]):
                            best = (gap, t, n)
                if best is None:
                    continue
                _, t, n = best
                bottom, top = n.y2 + margin, t.y1 - margin
                height = top - bottom
                if height < 20:
                    raise AppearanceError(
                        f"Khoảng trống giữa \"{title}\" và \"{name}\" quá hẹp để đặt chữ ký ({height:.0f} pt).",
                        f"The gap between \"{title}\" and \"{name}\" is too small for the signature ({height:.0f} pt).",
                    )
                width = height * aspect
                if width > max_width:
                    width, height = max_width, max_width / aspect
                    bottom = (bottom + top - height) / 2
                    top = bottom + height
                cx = (t.cx + n.cx) / 2
                return Placement(index, Box(cx - width / 2, bottom, cx + width / 2, top))
        finally:
            doc.close()
    raise AppearanceError(
        f"Không tìm thấy chức vụ \"{title}\" phía trên họ tên \"{name}\" trong văn bản: "
        "hãy kiểm tra lại hoặc chỉ định tọa độ chữ ký.",
        f"Could not find the title \"{title}\" above the name \"{name}\": check them or give coordinates.",
    )


def seal_box(leader: Box, seal_w: float, seal_h: float, overlap: float = 1 / 3) -> Box:
    """Seal box covering ``overlap`` of the leader image's width, on its left."""
    right = leader.x1 + leader.width * overlap
    return Box(right - seal_w, leader.cy - seal_h / 2, right, leader.cy + seal_h / 2)


def top_right_box(page_w: float, page_h: float, w: float, h: float,
                  right: float = 15 * MM, top: float = 6 * MM) -> Box:
    return Box(page_w - right - w, page_h - top - h, page_w - right, page_h - top)


def page_size(reader: PdfFileReader, page_index: int) -> tuple[float, float]:
    """Width and height of a page's visible area (CropBox, else MediaBox)."""
    page = _page_ref(reader, page_index).get_object()
    box = page.get("/CropBox") or _inherited(page, "/MediaBox")
    x1, y1, x2, y2 = (float(v) for v in box)
    return abs(x2 - x1), abs(y2 - y1)


def page_count(reader: PdfFileReader) -> int:
    return int(reader.root["/Pages"]["/Count"])


def _inherited(page: Any, key: str) -> Any:
    node = page
    while node is not None:
        value = node.get(key)
        if value is not None:
            return value
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    raise AppearanceError("Trang không có kích thước (MediaBox).", "Page has no MediaBox.")


def _page_ref(reader: PdfFileReader, page_index: int) -> Any:
    try:
        return reader.find_page_for_modification(page_index)[0]
    except (IndexError, ValueError, KeyError) as exc:
        raise AppearanceError(f"Trang {page_index + 1} không tồn tại.",
                              f"Page {page_index + 1} does not exist.") from exc


def _widget_placement(reader: PdfFileReader, field: Any) -> Placement | None:
    widget = field if "/Rect" in field else field["/Kids"][0].get_object()
    rect = [float(v) for v in widget["/Rect"]]
    box = Box(min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3]))
    if box.width < 1 or box.height < 1:
        return None  # invisible signature
    page_ref = widget.get_value_as_reference("/P") if "/P" in widget else None
    return Placement(_page_index_of(reader, page_ref, widget), box)


def signature_widget(reader: PdfFileReader, field_name: str, *, fallback_to_last_visible: bool = False
                     ) -> Placement:
    """Page and rectangle of an existing signature field's widget.

    With ``fallback_to_last_visible``, a document signed by other software (whose
    field has another name) still works: the last visible signed signature is used.
    """
    from pyhanko.sign.fields import enumerate_sig_fields

    last_visible: Placement | None = None
    for name, value, field_ref in enumerate_sig_fields(reader, filled_status=None):
        field = field_ref.get_object()
        if name == field_name:
            place = _widget_placement(reader, field)
            if place is not None:
                return place
        elif value is not None and value.get_object().get("/Type") != "/DocTimeStamp":
            last_visible = _widget_placement(reader, field) or last_visible
    if fallback_to_last_visible and last_visible is not None:
        return last_visible
    raise AppearanceError(f"Không tìm thấy chữ ký hiển thị \"{field_name}\" để đặt con dấu cạnh đó.",
                          f"Visible signature field \"{field_name}\" not found.")


def _page_index_of(reader: PdfFileReader, page_ref: Any, widget: Any) -> int:
    for i in range(page_count(reader)):
        ref = _page_ref(reader, i)
        if page_ref is not None and ref == page_ref:
            return i
        for annot in ref.get_object().get("/Annots", []) or []:
            if annot.get_object() is widget:
                return i
    return 0
