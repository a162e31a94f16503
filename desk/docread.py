"""Reading a file for import: its kind, its pages' words, its metadata, its text.

Slow (OCR takes seconds a page, LibreOffice a second a file): call it before any
write transaction, off the GUI thread. Only what the metadata needs is OCRed
here (the first and the last page); the other pages of a scan are OCRed
afterwards by :func:`ocr_remaining`, for the search index.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.docmeta import ReadResult, read_certificates, read_layouts
from desk.errors import ValidationError
from desk.layout import OCR, PageLayout, segments_from_words

MIN_TEXT_CHARS = 80  # a page whose text layer is shorter than this is a scan (or only a stamp's text)
SECOND_READ_CONF = 60.0  # the second read of a number or date must see its digits at least this clearly


@dataclass
class PreparedFile:
    path: Path  # the file as given (kept as the document's original)
    file_type: str  # pdf | docx | odt | doc | rtf
    pdf: Path | None  # the PDF read (the file itself, or LibreOffice's rendition)
    pages: int
    read: ReadResult
    page_texts: dict[int, str] = field(default_factory=dict)
    ocr_pending: list[int] = field(default_factory=list)
    ocr_error: str | None = None
    workdir: Path | None = None  # holds a rendition; removed by cleanup()

    @property
    def text(self) -> str:
        return "\n".join(self.page_texts[i] for i in sorted(self.page_texts))

    def cleanup(self) -> None:
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None


# --- what kind of file is it ------------------------------------------------------------------

_TYPE_NAMES = {
    "docx": ("tài liệu Word (.docx)", "Word document (.docx)"),
    "odt": ("tài liệu OpenDocument (.odt)", "OpenDocument text (.odt)"),
    "doc": ("tài liệu Word cũ (.doc)", "legacy Word document (.doc)"),
    "rtf": ("tài liệu RTF", "RTF document"),
    "edxml": ("gói edXML", "edXML package"),
    "xlsx": ("bảng tính Excel", "Excel workbook"), "xls": ("bảng tính Excel cũ", "legacy Excel workbook"),
    "pptx": ("bản trình chiếu PowerPoint", "PowerPoint presentation"),
    "ods": ("bảng tính OpenDocument", "OpenDocument spreadsheet"),
    "zip": ("tệp nén ZIP", "ZIP archive"), "rar": ("tệp nén RAR", "RAR archive"),
    "7z": ("tệp nén 7z", "7z archive"),
    "jpeg": ("ảnh JPEG", "JPEG image"), "png": ("ảnh PNG", "PNG image"), "tiff": ("ảnh TIFF", "TIFF image"),
    "gif": ("ảnh GIF", "GIF image"), "html": ("trang HTML", "HTML page"), "xml": ("tệp XML", "XML file"),
    "text": ("tệp văn bản thuần", "plain text file"), "empty": ("tệp rỗng", "empty file"),
    "unknown": ("tệp không rõ định dạng", "file of unknown format"),
}
CONVERTIBLE = ("docx", "odt", "doc", "rtf")


def sniff(path: Path) -> str:
    """The file's type from its content (not its name)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except FileNotFoundError:
        raise ValidationError(f"Không tìm thấy tệp {path}.", f"File not found: {path}.", code="no_file") from None
    except OSError as exc:
        raise ValidationError(f"Không đọc được tệp {path.name}: {exc}.", f"Cannot read {path.name}: {exc}.",
                              code="unreadable") from None
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                if "mimetype" in names:
                    mime = z.read("mimetype").decode("ascii", "replace").strip()
                    if mime.endswith("opendocument.text"):
                        return "odt"
                    if mime.endswith("opendocument.spreadsheet"):
                        return "ods"
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "ppt/presentation.xml" in names:
                    return "pptx"
        except zipfile.BadZipFile:
            return "zip"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls" if path.suffix.lower() in (".xls", ".xlsx") else "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"Rar!"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf"):
        return "7z"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"GIF8":
        return "gif"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        if b"edxml" in head.lower() or b"messageheader" in head.lower():
            return "edxml"
        if b"<html" in text[:300] or b"<!doctype html" in text[:300]:
            return "html"
        return "xml"
    try:
        head.decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "unknown"


def type_label(file_type: str) -> tuple[str, str]:
    return _TYPE_NAMES.get(file_type, _TYPE_NAMES["unknown"])


def unsupported(path: Path, file_type: str) -> ValidationError:
    vi, en = type_label(file_type)
    if file_type == "edxml":
        return ValidationError(
            f"{path.name} là {vi}: hãy nhận gói edXML bằng lệnh nhận gói edXML (desk edxml import).",
            f"{path.name} is an {en}: receive it with the edXML import (desk edxml import).",
            code="edxml_file")
    return ValidationError(
        f"{path.name} là {vi}, không nhập được làm văn bản đến; nhận PDF, DOCX, ODT, DOC, RTF.",
        f"{path.name} is a {en}, which cannot be imported as a document; PDF, DOCX, ODT, DOC and RTF can.",
        code="unsupported_file")


# --- reading ------------------------------------------------------------------------------------


def _merge(ocr_page: PageLayout, text_page: PageLayout | None) -> PageLayout:
    """OCR words plus the text layer's (a scan's only text is often a signature appearance's)."""
    words = [w for s in ocr_page.segments for w in s.words]
    if text_page is not None:
        words += [w for s in text_page.segments for w in s.words]
    return PageLayout(ocr_page.width, ocr_page.height, segments_from_words(words), OCR)


def _refuse_bomb(path: Path) -> None:
    """A decompression bomb is never rendered nor read: pdfium and OCR would inflate it whole."""
    from signing.pdfsafety import scan_pdf

    if scan_pdf(path).bomb:
        raise ValidationError(
            f"Tệp {path.name} chứa dữ liệu nén phình to bất thường (bom giải nén): không đọc tệp này.",
            f"{path.name} holds abnormally inflating compressed data (a decompression bomb): not read.",
            code="pdf_bomb")


def prepare(path: Path, *, ocr: bool = True, cancel: threading.Event | None = None,
            progress: Callable[[str, float], None] | None = None) -> PreparedFile:
    """Read a file for import (no database): kind, page count, metadata with confidences."""
    from desk.layout import pdf_layouts

    path = Path(path)
    file_type = sniff(path)
    workdir: Path | None = None
    pdf = path
    if file_type in CONVERTIBLE:
        from desk.convert import ConversionError, convert_to_pdf

        workdir = Path(tempfile.mkdtemp(prefix="desk-import-"))
        src = workdir / f"source.{file_type}"
        shutil.copyfile(path, src)
        if progress:
            progress("convert", 0.0)
        try:
            pdf = convert_to_pdf(src, workdir / "rendition.pdf", cancel=cancel).pdf
        except ConversionError as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            raise ValidationError(f"Không chuyển được {path.name} sang PDF: {exc.vi}",
                                  f"Cannot convert {path.name} to PDF: {exc.en}", code="convert_failed") from exc
    elif file_type != "pdf":
        raise unsupported(path, file_type)
    if file_type == "pdf":
        _refuse_bomb(path)
    try:
        count, layouts = pdf_layouts(pdf)
    except Exception as exc:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        raise ValidationError(
            f"Tệp {path.name} không phải PDF hợp lệ hoặc đã bị hỏng ({exc}).",
            f"{path.name} is not a valid PDF or is damaged ({exc}).", code="bad_pdf") from exc
    if count == 0:
        raise ValidationError(f"Tệp {path.name} không có trang nào.", f"{path.name} has no pages.",
                              code="bad_pdf")
    scans = [i for i, p in enumerate(layouts) if p.char_count() < MIN_TEXT_CHARS]
    page_texts = {i: p.text for i, p in enumerate(layouts) if i not in scans}
    first, last = layouts[0], layouts[-1]
    kind = "scan" if 0 in scans else "born-digital"
    ocr_error = None
    pending = list(scans)
    if ocr and scans:
        meta_pages = sorted({p for p in (0, count - 1) if p in scans})
        try:
            from desk.ocr import ocr_layouts

            _, done = ocr_layouts(pdf, meta_pages, cancel=cancel,
                                  progress=(lambda k, n: progress("ocr", k / n)) if progress else None)
            for i, page in done.items():
                merged = _merge(page, layouts[i])
                page_texts[i] = merged.text
                if i == 0:
                    first = merged
                if i == count - 1:
                    last = merged
                pending.remove(i)
        except Exception as exc:  # OcrUnavailable and Tesseract failures: go on without OCR
            from desk.errors import DeskError

            ocr_error = exc.vi if isinstance(exc, DeskError) else str(exc)
    for i in pending:
        page_texts.setdefault(i, layouts[i].text)
    result = read_layouts(first, last if count > 1 else None, kind=kind)
    if ocr and 0 in scans and ocr_error is None:
        _second_read(pdf, result)
        if result.alternates:
            page_texts[-1] = "Số (đọc lại): " + " ".join(dict.fromkeys(result.alternates))
    if file_type == "pdf":
        read_certificates(pdf, result)
    return PreparedFile(path, file_type, pdf, count, result, page_texts, pending if ocr else [],
                        ocr_error, workdir)


def _second_read(pdf: Path, r: ReadResult) -> None:
    """Re-read the number and date lines of a scan; a value the reads disagree on is unsure.

    Handwritten numbers and days (common on scans) are where OCR is confidently wrong. When
    the first two reads disagree, a third (another resolution) decides which value is shown,
    and the field stays flagged for the clerk's check.
    """
    from desk.docmeta import parse_code, parse_date
    from desk.ocr import read_region

    def value(box_name: str, text: str) -> Any:
        if box_name == "number":
            number, notation, _ = parse_code(text)
            return (number, notation) if number else None
        d, _place, _ = parse_date(text)
        return d

    checks = (("number", ("number", "notation")), ("issued_date", ("issued_date", "place")))
    for box_name, names in checks:
        f = r.fields.get(names[0])
        box = r.boxes.get(box_name)
        if f is None or box is None or f.source != OCR:
            continue
        first = (r.get("number"), r.get("notation")) if box_name == "number" else r.get("issued_date")
        try:
            words = read_region(pdf, 0, box)
        except Exception:  # the first read stands, but unsure
            words = []
        second = value(box_name, " ".join(w.text for w in words))
        digits_conf = min((w.conf for w in words if any(ch.isdigit() for ch in w.text)), default=0.0)
        if second == first and digits_conf >= SECOND_READ_CONF:
            continue
        for n in names:
            if n in r.fields:
                r.fields[n].confidence = min(r.fields[n].confidence, 0.5)
        if second is None or second == first:
            continue
        try:
            third = value(box_name, " ".join(w.text for w in read_region(pdf, 0, box, dpi=300)))
        except Exception:
            continue
        if box_name == "number":  # every reading is searchable: one of them may be the right one
            r.alternates += [f"{v[0]}/{v[1]}" for v in (second, third) if v and v != first]
        if third == second:  # two reads of three agree on the second value: show it (still unsure)
            if box_name == "number":
                r.fields["number"].value, r.fields["notation"].value = second
            else:
                r.fields["issued_date"].value = second


def ocr_remaining(prepared: PreparedFile, *, progress: Callable[[int, int], None] | None = None,
                  cancel: threading.Event | None = None) -> str:
    """OCR the pages not read yet; returns the whole text (no database)."""
    if not prepared.ocr_pending or prepared.pdf is None:
        return prepared.text
    from desk.layout import pdf_layouts
    from desk.ocr import ocr_layouts

    _, text_layers = pdf_layouts(prepared.pdf, prepared.ocr_pending)
    by_page = dict(zip(prepared.ocr_pending, text_layers, strict=True))
    _, done = ocr_layouts(prepared.pdf, prepared.ocr_pending, progress=progress, cancel=cancel)
    for i, page in done.items():
        prepared.page_texts[i] = _merge(page, by_page.get(i)).text
        with contextlib.suppress(ValueError):
            prepared.ocr_pending.remove(i)
    return prepared.text
