# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""The clerk's number and date, filled in after the leader has signed.

Decree 30 has the leader sign first; the Văn thư then gives the document its
number ("Số: 15/QĐ-UBND") and date and adds the organisation's signature. To do
that without breaking the leader's signature, the drafting step places empty text
fields (So, Ngay, Thang) in the blanks before anyone signs; filling them later is a
form-filling incremental update, which PAdES/DocMDP rules allow after an approval
signature. The fields' font is put into the AcroForm's default resources at
preparation time, so the filling update only adds a value and an appearance stream.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from .errors import AppearanceError, InvalidDocument
from .fonts import BASE_CHARS, stamp_font, text_ops
from .pdfinput import open_incremental as _writer
from .placement import Box, find_text

FONT_RESOURCE = "DeskSerif"
NUMBER_FIELD, DAY_FIELD, MONTH_FIELD = "So", "Ngay", "Thang"


@dataclass(frozen=True)
class FieldAnchor:
    """A text field in the blank between two pieces of page text."""

    name: str
    after: str  # text left of the blank, e.g. "Số:"
    before: str  # text right of the blank, e.g. "/QĐ-UBND"
    page: int = 0


def default_anchors(notation: str, page: int = 0) -> tuple[FieldAnchor, ...]:
    """Number after "Số:", day after "ngày", month after "tháng" (Decree 30 layout)."""
    return (FieldAnchor(NUMBER_FIELD, "Số:", "/" + notation, page),
            FieldAnchor(DAY_FIELD, "ngày", "tháng", page),
            FieldAnchor(MONTH_FIELD, "tháng", "năm", page))


def _blank_between(data: bytes, anchor: FieldAnchor) -> Box:
    lefts = find_text(data, anchor.page, anchor.after)
    rights = find_text(data, anchor.page, anchor.before)
    for left in lefts:
        for right in rights:
            same_line = abs(left.cy - right.cy) < 4
            if same_line and right.x1 > left.x2 + 4:
                return Box(left.x2 + 1, min(left.y1, right.y1) - 2, right.x1 - 1, max(left.y2, right.y2) + 2)
    raise AppearanceError(
        f"Không tìm thấy chỗ trống giữa \"{anchor.after}\" và \"{anchor.before}\" để điền {anchor.name}.",
        f"No blank between \"{anchor.after}\" and \"{anchor.before}\" for field {anchor.name}.",
    )


def _acroform(writer: IncrementalPdfFileWriter) -> generic.DictionaryObject:
    root = writer.root
    if "/AcroForm" not in root:
        root[pdf_name("/AcroForm")] = writer.add_object(generic.DictionaryObject({
            pdf_name("/Fields"): generic.ArrayObject()}))
        writer.update_root()
    form = root["/AcroForm"]
    resolved: generic.DictionaryObject = form.get_object() if isinstance(form, generic.IndirectObject) else form
    return resolved


def prepare_clerk_fields(data: bytes, anchors: Sequence[FieldAnchor] | None = None, *,
                         boxes: Mapping[str, tuple[int, Box]] | None = None, font_size: float = 13) -> bytes:
    """Add empty number/date text fields to an unsigned draft (incremental update).

    ``anchors`` find each blank by text search; ``boxes`` gives (page, Box) per field
    name instead. Returns the new PDF bytes.
    """
    placements: dict[str, tuple[int, Box]] = dict(boxes or {})
    for anchor in anchors or ():
        placements.setdefault(anchor.name, (anchor.page, _blank_between(data, anchor)))
    if not placements:
        raise AppearanceError("Chưa chỉ định trường số/ngày nào.", "No number/date fields given.")
    writer = _writer(data)
    if writer.prev.embedded_signatures:
        raise InvalidDocument(
            "Văn bản đã có chữ ký: phải tạo trường số và ngày trước khi lãnh đạo ký.",
            "The document is already signed: add the number/date fields before the leader signs.",
        )
    font_ref = stamp_font().font_ref(writer, "".join(sorted(BASE_CHARS)))
    form = _acroform(writer)
    dr = form.setdefault(pdf_name("/DR"), generic.DictionaryObject())
    fonts = dr.setdefault(pdf_name("/Font"), generic.DictionaryObject())
    fonts[pdf_name("/" + FONT_RESOURCE)] = font_ref
    form[pdf_name("/DA")] = pdf_string(f"/{FONT_RESOURCE} {font_size:g} Tf 0 g")
    fields = form.setdefault(pdf_name("/Fields"), generic.ArrayObject())
    for name, (page_index, box) in placements.items():
        page_ref = writer.find_page_for_modification(page_index)[0]
        page = page_ref.get_object()
        widget = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): pdf_string(name),
            pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(round(v, 2))
                                                   for v in (box.x1, box.y1, box.x2, box.y2)),
            pdf_name("/F"): generic.NumberObject(4),  # print
            pdf_name("/P"): page_ref,
            pdf_name("/DA"): pdf_string(f"/{FONT_RESOURCE} {font_size:g} Tf 0 g"),
            pdf_name("/Q"): generic.NumberObject(1),  # centred
        })
        widget_ref = writer.add_object(widget)
        annots = page.get("/Annots")
        if annots is None:
            page[pdf_name("/Annots")] = generic.ArrayObject([widget_ref])
        else:
            annots.get_object().append(widget_ref)
            if isinstance(annots, generic.IndirectObject):
                writer.mark_update(annots)
        writer.update_container(page)
        fields.append(widget_ref)
    writer.update_container(form)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _find_field(form: generic.DictionaryObject, name: str) -> generic.IndirectObject:
    for ref in form.get("/Fields", []):
        field = ref.get_object()
        if str(field.get("/T", "")) == name:
            return ref  # type: ignore[no-any-return]
    raise AppearanceError(f"Văn bản không có trường \"{name}\" để điền.", f"The document has no field \"{name}\".")


def fill_clerk_fields(data: bytes, values: Mapping[str, str]) -> bytes:
    """Fill the number/date fields as an incremental update; earlier signatures stay valid."""
    writer = _writer(data)
    root = writer.root
    if "/AcroForm" not in root:
        raise AppearanceError("Văn bản không có trường số/ngày để điền.", "The document has no number/date fields.")
    form = root["/AcroForm"].get_object()
    font = stamp_font()
    font_ref = form["/DR"]["/Font"][f"/{FONT_RESOURCE}"]
    for name, value in values.items():
        if font.missing(value) or set(value) - BASE_CHARS:
            raise AppearanceError(f"Giá trị \"{value}\" có ký tự không điền được.",
                                  f"Value \"{value}\" has characters the field font lacks.")
        ref = _find_field(form, name)
        field = ref.get_object()
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        w, h = abs(x2 - x1), abs(y2 - y1)
        size = _font_size(field)
        tw = font.text_width(value, size)
        # prepare_clerk_fields puts the box bottom 2 pt under the neighbours' glyph
        # bottoms (= their baseline), so writing at 2 pt lines the value up with them.
        baseline = min(2.0, h / 4)
        ops = b"/Tx BMC q " + text_ops(font, FONT_RESOURCE, size, [((w - tw) / 2, baseline, value)]) + b" Q EMC"
        ap = generic.StreamObject({
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): generic.ArrayObject([generic.FloatObject(0), generic.FloatObject(0),
                                                    generic.FloatObject(w), generic.FloatObject(h)]),
            pdf_name("/Resources"): generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject(
                {pdf_name("/" + FONT_RESOURCE): font_ref})}),
        }, stream_data=ops)
        field[pdf_name("/V")] = pdf_string(value)
        field[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): writer.add_object(ap)})
        writer.mark_update(ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _font_size(field: Any) -> float:
    da = str(field.get("/DA", ""))
    parts = da.split()
    for i, token in enumerate(parts):
        if token == "Tf" and i >= 1:
            try:
                return float(parts[i - 1])
            except ValueError:
                break
    return 13.0
