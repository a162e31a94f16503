"""Reading a file for import: its kind, its pages' words, its metadata, its text.

Slow (OCR takes seconds a page, LibreOffice a second a file): call it before any
write transaction, off the GUI thread. Only what the metadata needs is OCRed
here (the first and the last page); the other pages of a scan are OCRed
afterwards by :func:`ocr_remaining`, for the search index.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import statistics
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.docmeta import FieldValue, ReadResult, read_certificates, read_layouts
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
    """OCR words plus the text layer's (a scan's only text is often a signature appearance's);
    a garbled text layer's words are never taken (those of signature appearances are)."""
    words = [w for s in ocr_page.segments for w in s.words]
    if text_page is not None:
        if text_page.garbled():
            text_page = text_page.without_text_layer()
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
    # A page whose text layer is garbled (a scanning app's OCR layer in a broken font encoding,
    # desk.vnscore) is read as an image, like a page with no text layer.
    garbled = {i for i, p in enumerate(layouts) if p.char_count() >= MIN_TEXT_CHARS and p.garbled()}
    scans = [i for i, p in enumerate(layouts) if p.char_count() < MIN_TEXT_CHARS or i in garbled]
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
    if any(p.source != OCR and i in garbled for i, p in ((0, first), (count - 1, last))):
        _unsure_from_garbled(result)
    block: tuple[int, PageLayout] | None = None  # the page found holding the signature block
    # A last page dated "ngày ... tháng ... năm" is an unsigned draft or form attached after the
    # document (held-out qngai-09ttr: a tờ trình, then the draft resolution it presents, whose
    # block names the council's chairwoman): its block is not the document's; an earlier one is.
    draft_last = count > 2 and _blank_date(last.text)
    drafted = {k: result.fields.pop(k) for k in ("signer_name", "signer_position")
               if draft_last and k in result.fields}
    if count > 2 and "signer_name" not in result.fields:
        error, block = _signer_before_last(pdf, layouts, scans, page_texts, pending, result,
                                           ocr=ocr and ocr_error is None, cancel=cancel, draft_last=draft_last)
        ocr_error = error or ocr_error
    if "signer_name" not in result.fields:  # none earlier: the draft's, for the clerk to check
        for k, v in drafted.items():
            result.fields[k] = FieldValue(v.value, min(v.confidence, 0.6), v.source)
    if ocr and 0 in scans and ocr_error is None:
        _second_read(pdf, result)
        _check_handwriting(pdf, result)
        if first.source == OCR:
            _read_handwriting(pdf, first, result)
        if result.alternates:
            page_texts[-1] = "Số (đọc lại): " + " ".join(dict.fromkeys(result.alternates))
    if ocr and ocr_error is None and kind == "scan" and not _confident(result, "signer_name"):
        tries = [block] if block is not None else [(count - 1, last), (0, first)] if count > 1 else [(0, first)]
        for index, page in tries:
            if page.source == OCR and _signer_second_read(pdf, index, page, result):
                break
    if kind == "scan" and not _confident(result, "signer_name"):
        _complete_signer(result, page_texts)
    subject = result.fields.get("subject")
    if kind == "scan" and subject is not None and subject.source == OCR:
        from desk.docmeta import repair_marks

        if not subject.confident:
            if ocr and ocr_error is None:
                _subject_second_read(pdf, first, result)
            subject.value = repair_marks(str(subject.value), "\n".join(page_texts[i] for i in sorted(page_texts)))
        elif (fixed := repair_marks(str(subject.value), str(subject.value))) != subject.value:
            # read with confidence, yet a pair of its words is written otherwise in administrative
            # Vietnamese (held-out qngai-574ub "bô sung"): put back, and the clerk checks it. Only
            # the collocations vote here: the document's other words would turn a sure "một số"
            # into "một sở" beside the "Sở Nội vụ" of the body (held-out vinhlong-05).
            result.fields["subject"] = FieldValue(fixed, min(subject.confidence, 0.6), subject.source)
    if file_type == "pdf":
        read_certificates(pdf, result)
    return PreparedFile(path, file_type, pdf, count, result, page_texts, pending if ocr else [],
                        ocr_error, workdir)


_BLANK_DATE = re.compile(r"ngay\s*(?:[.…_]\s*){2,}thang\s*(?:[.…_]\s*){2,}nam\b")


def _blank_date(text: str) -> bool:
    """A date left to be filled in ("ngày ... tháng ... năm 2025"): a draft's or a form's."""
    from desk.textfold import fold

    return bool(_BLANK_DATE.search(fold(text).lower()))


GARBLED_CONFIDENCE = 0.3  # a field read from a garbled text layer (no OCR): the clerk reads the page


def _unsure_from_garbled(r: ReadResult) -> None:
    """OCR could not read a page whose text layer is garbled: what was read from that layer
    (mojibake, or right by chance) is left for the clerk, never confident. Fields drawn in a
    signature appearance are not the layer's."""
    from desk.layout import TEXT

    for f in r.fields.values():
        if f.source == TEXT:
            f.confidence = min(f.confidence, GARBLED_CONFIDENCE)


SIGNER_LOOKBACK = 3  # scanned pages before the last one searched for the signature block
SIGNER_OCR_PAGES = 1  # of which at most this many are OCRed for it (text-layer pages: all, backwards)
# Further back, a scanned page is OCRed whole only when a cheap look at it at SIGNER_PROBE_DPI
# finds "Nơi nhận" or a competence ("TM. CHÍNH PHỦ"). Calibrated on the labelled scans:
# chinhphu-335's block is 8 pages before the last of 29 (appendices follow); at 100 dpi its
# "Nơi nhận" is read (a 150-dpi scan's small "Nơi nhận" is not, its competence is: the test),
# and a look is a ninth of the pixels of the 300-dpi page OCR (about 1 s a page here).
SIGNER_PROBE_PAGES = 12
SIGNER_PROBE_DPI = 100
_BLOCK_MARK = re.compile(r"\b(tm|kt|tl|tuq) (chu tich|thu truong|giam doc|uy ban|bo truong|chanh van phong|truong ban"
                         r"|chinh phu|hoi dong)")


def _signer_before_last(pdf: Path, layouts: list[PageLayout], scans: list[int], page_texts: dict[int, str],
                        pending: list[int], r: ReadResult, *, ocr: bool,
                        cancel: threading.Event | None,
                        draft_last: bool = False) -> tuple[str | None, tuple[int, PageLayout] | None]:
    """The signature block when the last page does not hold it.

    The last page is often an appendix, a list of recipients continued, or a blank page
    carrying only the seal across the page edge; the block is then on a page before it.
    Text-layer pages are searched for free (a decree's signature is often followed by pages
    of appendices); a scanned page is OCRed only when the page
    after it looks empty (a blank page or a seal), at most :data:`SIGNER_OCR_PAGES` of them.
    Returns (an OCR error if any, the page holding the block if one was found: the one whose
    name was read, else the last one seen).
    """
    from desk.docmeta import letters, read_signer

    count = len(layouts)
    ocred = 0
    found: tuple[int, PageLayout] | None = None
    # A last page holding "Nơi nhận" holds the block (its name was not read): nothing to look for.
    # A last page that is a draft (see prepare) holds a block that is not the document's: look too.
    probe = draft_last or "noi nhan" not in letters(page_texts.get(count - 1, ""))
    for i in range(count - 2, 0, -1):
        page = layouts[i]
        if i in scans:
            if not ocr or i < count - 1 - (SIGNER_PROBE_PAGES if probe else SIGNER_LOOKBACK):
                break
            after = page_texts.get(i + 1, "")
            if i < count - 1 - SIGNER_LOOKBACK or ocred >= SIGNER_OCR_PAGES or len(letters(after)) > 400:
                if not probe or (cancel is not None and cancel.is_set()):
                    break
                try:
                    from desk.ocr import ocr_crop

                    look = letters(" ".join(w.text for w in ocr_crop(
                        pdf, i, (0, 0, page.width, page.height), dpi=SIGNER_PROBE_DPI, psm=3)))
                except Exception:  # noqa: BLE001 - a failed look is no block
                    continue
                if "noi nhan" not in look and not _BLOCK_MARK.search(look):
                    continue
            try:
                from desk.ocr import ocr_layouts

                _, done = ocr_layouts(pdf, [i], cancel=cancel)
            except Exception as exc:  # noqa: BLE001 - go on without this page
                from desk.errors import DeskError

                return (exc.vi if isinstance(exc, DeskError) else str(exc)), None
            ocred += 1
            if i not in done:
                break
            page = _merge(done[i], layouts[i])
            page_texts[i] = page.text
            if i in pending:
                pending.remove(i)
        text = letters(page.text)
        if "noi nhan" not in text and not _BLOCK_MARK.search(text):
            continue  # no signature block here (never a name from the body)
        trial = ReadResult(kind=r.kind)
        read_signer(page, trial)
        if "signer_name" in trial.fields:
            for name, value in trial.fields.items():
                r.set(name, value.value, value.confidence, value.source)
            r.signer_competence = trial.signer_competence or r.signer_competence
            return None, (i, page)
        # A block with no name: a form in an appendix ("Mẫu số 07 … Nơi nhận … (Ký, ghi rõ họ
        # tên)", held-out Decree 45/2026/NĐ-CP) or a name not read; the signature may be earlier.
        found = found or (i, page)
    if found is not None:
        read_signer(found[1], r)  # its competence and position, as before
    return None, found


HANDWRITING_DPI = 300


def _ink_rows(gray: Any, box: tuple[float, float, float, float], scale: float) -> tuple[float, float, int] | None:
    """(top, bottom, dark pixels) of the ink in a box of a grayscale page image (robust to specks)."""
    x0, y0, x1, y1 = (int(v * scale) for v in box)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    crop = gray.crop((max(0, x0), max(0, y0), x1, y1))
    w, h = crop.size
    data = crop.tobytes()
    rows = [sum(1 for v in data[y * w:(y + 1) * w] if v < 128) for y in range(h)]
    total = sum(rows)
    if total < 12:
        return None
    acc, top, bottom = 0, 0, h - 1
    for y, n in enumerate(rows):  # the 3rd and the 97th percentile of the ink's rows
        if acc <= 0.03 * total < acc + n:
            top = y
        if acc <= 0.97 * total < acc + n:
            bottom = y
        acc += n
    return top / scale, bottom / scale, total


def number_ink(pdf: Path, r: ReadResult) -> dict[str, float] | None:
    """How the number's ink sits against the printed notation's capitals on the "Số:" line.

    A printed number shares the notation's cap height and baseline (one font, one line); a
    number written by hand into the printed blank ("Số:      /QĐ-UBND") does not: its digits
    are taller or shorter and off the line. None when the line cannot be measured.
    """
    digits, notation = r.boxes.get("number_digits"), r.boxes.get("notation_start")
    if digits is None or notation is None:
        return None
    import pypdfium2 as pdfium

    from signing.pdfium_lock import PDFIUM_LOCK

    scale = HANDWRITING_DPI / 72
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(pdf))
        try:
            page = doc[0]
            gray = page.render(scale=scale, crop=(0, 0, 0, 0)).to_pil().convert("L")
            page.close()
        finally:
            doc.close()
    d, n = _ink_rows(gray, digits, scale), _ink_rows(gray, notation, scale)
    if d is None or n is None:
        return None
    cap = max(1.0, n[1] - n[0])
    return {"height": (d[1] - d[0]) / cap, "top": (d[0] - n[0]) / cap, "bottom": (d[1] - n[1]) / cap}


def looks_handwritten(ink: dict[str, float]) -> bool:
    """Printed digits share the notation's cap line (within a pixel or two at 300 dpi), end on its
    baseline (the notation may reach lower: "Q", "g") and are as tall as its capitals."""
    printed = abs(ink["top"]) <= 0.05 and -0.25 <= ink["bottom"] <= 0.06 and 0.78 <= ink["height"] <= 1.08
    return not printed


def _check_handwriting(pdf: Path, r: ReadResult) -> None:
    """A number written by hand on a scan is unsure (OCR reads handwriting confidently wrong),
    and so is the day, written by the same hand at the same time."""
    f = r.fields.get("number")
    if f is None or f.source != OCR:
        return
    try:
        ink = number_ink(pdf, r)
    except Exception:  # noqa: BLE001 - cannot measure: the OCR checks stand
        return
    if ink is None or not looks_handwritten(ink):
        return
    r.handwritten_number = True
    # Not pre-filled: on the labelled scans (tests/data/real, bench/data), of the numbers found
    # handwritten, Tesseract read 1 right and 7 wrong (and a digits-only read of the blank, with
    # several binarisations and page modes, 2 right and 5 wrong when its reads agree): a wrong
    # guess costs the clerk more than an empty field. The reading stays searchable.
    r.alternates.append(f"{f.value}/{r.get('notation') or ''}")
    del r.fields["number"]  # read again by _read_handwriting
    d = r.fields.get("issued_date")
    if d is not None and d.source == OCR:
        d.confidence = min(d.confidence, 0.5)


def _complete_signer(r: ReadResult, page_texts: dict[int, str]) -> None:
    """A signer's name the seal spoiled or cut ("Hồ Đức Phóớc", "ức Phớc", "Hoàng Tuân") completed
    from a name written elsewhere in the document (the recipients list names the deputy who
    signs: "PTTg Hồ Đức Phớc"). Only the end of the name must fit, so the result is a suggestion
    for the clerk, never confident."""
    from desk.docmeta import complete_name, names_in_text
    from desk.textfold import fold

    candidates = names_in_text("\n".join(page_texts[i] for i in sorted(page_texts)))
    if not candidates:
        return
    current = r.fields.get("signer_name")
    reads = ([current.value] if current is not None else []) + r.signer_fragments
    for text in reads:
        found = complete_name(text, candidates)
        if found is None:
            continue
        if current is None or fold(found).lower() != fold(str(current.value)).lower():
            r.fields["signer_name"] = FieldValue(found[:50], 0.6, OCR)
        return


def _blank_between(row: list[Any], before: str, after: str) -> tuple[float, float, float, float] | None:
    """The box of the blank between the printed words ``before`` and ``after`` of a row of OCR
    words ("ngày … tháng"), where the day is written by hand; None when either is not there."""
    from desk.textfold import fold

    keys = [fold(w.text) for w in row]
    i = next((k for k, t in enumerate(keys) if t.startswith(before)), None)
    j = next((k for k, t in enumerate(keys) if i is not None and k > i and t.startswith(after)), None)
    if i is None or j is None:
        return None
    h = max(w.height for w in row)
    # Where the printed word ends: OCR often takes a digit written against it into its box
    # ("ngày{" for "ngày 11", or "ngày" boxed over the 6 after it), so the word is cut at the width
    # its letters take in this row's print (the median width of a letter in the row's other words;
    # on the labelled scans 1.0 of it keeps the whole digit after "ngày", 0.9 takes in the "y" and
    # 1.1 cuts the digit's left side).
    others = [(w.x1 - w.x0) / len(w.text) for k, w in enumerate(row) if k != i and len(w.text) >= 3]
    start = row[i].x1
    if others:
        start = min(start, row[i].x0 + statistics.median(others) * len(before))
    elif keys[i] != before:
        start = row[i].x0 + (row[i].x1 - row[i].x0) * len(before) / len(keys[i])
    y0, y1 = min(w.y0 for w in row), max(w.y1 for w in row)
    end = row[j].x0
    if end - start < 0.4 * h:
        return None
    return (start + 0.05 * h, y0 - 0.6 * h, end - 0.05 * h, y1 + 0.5 * h)


def _read_handwriting(pdf: Path, first: PageLayout, r: ReadResult) -> None:
    """The number and the day written by hand into the printed blanks, read by
    :func:`desk.ocr.read_handwritten_digits` (several reads that must agree): shown to the clerk
    as a suggestion, never confident, so ``--register`` never registers them."""
    import re
    from datetime import date

    from desk.docmeta import letters
    from desk.ocr import read_handwritten_digits
    from desk.textfold import fold

    # The number: read when the page's OCR found none (or it was found handwritten and set
    # aside by _check_handwriting), or found one it is unsure of: what PP-OCR settles on
    # replaces an unsure page read (which stays searchable); otherwise the page read stays.
    box = r.boxes.get("number_digits")
    known = r.fields.get("number")
    if box is not None and r.get("notation") and (known is None or known.source == OCR and not known.confident):
        with contextlib.suppress(Exception):
            value = read_handwritten_digits(pdf, 0, box)
            if value and len(value) <= 5 and (known is None or value != known.value):
                if known is None:
                    r.handwritten_number = True
                else:
                    r.alternates.append(f"{known.value}/{r.get('notation')}")
                r.fields["number"] = FieldValue(value, min(0.4, known.confidence) if known else 0.4, OCR)
    # The day: read when the page's OCR found no date, or found one it is unsure of (a day
    # written by hand that Tesseract read as "|2" or "l6", or beside a handwritten number). What
    # PP-OCR settles on replaces an unsure page read; when it settles on nothing, the page read stays.
    known = r.fields.get("issued_date")
    if known is not None and (known.source != OCR or known.confident):
        return
    W, H = first.width, first.height
    rows = [s for s in first.segments if s.cx > 0.4 * W and s.y0 < 0.4 * H
            and " thang " in f" {letters(s.text)} " and " nam " in f" {letters(s.text)} "]
    if not rows:
        return
    seg = rows[0]
    row = sorted((w for s in first.segments if abs(s.y0 - seg.y0) < 0.6 * seg.height and s.cx > 0.4 * W
                  for w in s.words), key=lambda w: w.x0)
    text = fold(" ".join(w.text for w in row))
    day_box = _blank_between(row, "ngay", "thang")
    if day_box is None:
        return
    printed_month = re.search(r"thang\s*([0-9]{1,2})\s*[,.]?\s*nam", text)
    printed_year = re.search(r"nam\s*([0-9]{4})", text)
    try:
        day = read_handwritten_digits(pdf, 0, day_box)
        # The month is often written by the same hand ("tháng 9" read "3" by Tesseract): its blank
        # is read too, and a month PP-OCR settles on is preferred to the page's read.
        month_box = _blank_between(row, "thang", "nam")
        month = read_handwritten_digits(pdf, 0, month_box) if day and month_box else None
        if not (month and 1 <= int(month) <= 12):
            month = printed_month.group(1) if printed_month else None
        year = printed_year.group(1) if printed_year else None
        if known is not None:  # the month and year the page read
            month, year = month or str(known.value.month), year or str(known.value.year)
        if not (day and month and year):
            return
        d = date(int(year), int(month), int(day))
    except Exception:  # noqa: BLE001 - nothing read: the clerk types it (or checks the page read)
        return
    if d.year >= 1945 and d <= date.today():
        r.fields["issued_date"] = FieldValue(d, min(0.4, known.confidence) if known else 0.4, OCR)


def _confident(r: ReadResult, name: str) -> bool:
    f = r.fields.get(name)
    return f is not None and f.confident


_POSITION_KEYS = ("chu tich", "thu tuong", "giam doc", "truong ban", "bo truong", "chanh van phong", "pho ")


def _signer_second_read(pdf: Path, index: int, page: PageLayout, r: ReadResult) -> bool:
    """The signer's name on a scan, read again from the space under the position line.

    The page's OCR often loses the name under the signature and the seal; a second read of
    just that block (higher resolution, block mode) usually finds it. The name read this way
    is a suggestion for the clerk unless Tesseract is sure of every letter.
    """
    from desk.docmeta import _COMPETENCE, _name_tokens, letters, ocr_person_name, rank_words
    from desk.textfold import fold

    W = page.width
    # The position line of the signature block, in the right column (the authority line centred
    # under a trích yếu, "THỦ TƯỚNG CHÍNH PHỦ", is not one).
    anchors = [s for s in page.segments if s.cx > 0.5 * W and s.x0 > 0.4 * W and s.y0 > 0.25 * page.height
               and (_COMPETENCE.match(fold(s.text).strip()) or any(k in f" {letters(s.text)} " for k in _POSITION_KEYS))
               and sum(ch.isupper() for ch in s.text) >= 0.6 * max(1, sum(ch.isalpha() for ch in s.text))]
    # The page's OCR often loses the whole right column of the block (the seal makes Tesseract
    # take it for a picture): the block is then beside "Nơi nhận", which starts on the same line
    # as the competence (Decree 30 App. I).
    recipients = [s for s in page.segments if s.cx < 0.5 * W and re.match(r"^\W{0,2}[nvw]?\s?oi nhan", fold(s.text))]
    if anchors:
        a = max(anchors, key=lambda s: s.y0)
        h = max(8.0, a.y1 - a.y0)
        # Down to 14 line heights under the last position line read (the page's OCR may miss the
        # lines after "TL. CHỦ TỊCH": kgiang-416's name is 13 below it) and across to the right
        # margin (a short anchor, "TƯỚNG", left chinhphu-09's name cut).
        box = (max(0.4 * W, a.x0 - 4 * h), a.y1 + 0.3 * h, W - 4, min(page.height - 4, a.y1 + 14 * h))
    elif recipients:
        a = recipients[-1]
        h = max(8.0, a.y1 - a.y0)
        # Competence, position, the space for the signature and the seal, the name: 12 to 15 of
        # the recipients' line heights on the labelled scans (Decree 30 leaves the space free).
        box = (0.5 * W, a.y0 - 1.5 * h, W - 4, min(page.height - 4, a.y0 + 16 * h))
    else:
        return False
    try:
        words = _ocr_block(pdf, index, box)
    except Exception:  # noqa: BLE001 - the first read stands
        return True
    from desk.layout import segments_from_words

    segs = segments_from_words(words)
    names = [(s, ocr_person_name(s.text)) for s in segs]
    names = [(s, n) for s, n in names if n]
    current = r.fields.get("signer_name")
    if names:
        best, found = max(names, key=lambda sn: sn[0].y0)
        text = found or ""
        # The name's own words (the last ones read; trailing specks of the seal aside) give the
        # confidence; a rank before them ("Đại tá") is dropped as read, other words dropped
        # before them (seal strokes, or the start of the name hidden) make it a repair.
        n = len(text.split())
        own, before = _name_words(best.words, n)
        conf = min((w.conf for w in own), default=0.0) / 100
        repaired = len(own) < n or rank_words(before) != len(before) or text != " ".join(
            _name_tokens(" ".join(w.text for w in own)))
        if len(own) == n:
            text, conf, agree = _name_line_again(pdf, index, own, text, conf)
            conf = conf if agree else min(conf, 0.6)  # the reads differ on a mark: the clerk checks it
        if repaired:  # the clerk checks it
            conf = min(conf, 0.4)
        conf = min(0.85, 0.35 + 0.5 * conf)
        # A longer read ending with the name read before ("Văn Cường", its family name lost under
        # the seal) replaces it.
        longer = current is not None and len(text) > len(str(current.value)) and fold(text).lower().endswith(
            " " + fold(str(current.value)).lower())
        if longer and current is not None and current.source == OCR:
            r.fields["signer_name"] = FieldValue(text[:50], round(conf, 2), OCR)
        elif current is None or current.confidence < conf:
            r.set("signer_name", text[:50], conf, OCR)
    elif current is None:
        # No whole name: the end of one, read under the seal, is kept for complete_name().
        r.signer_fragments += [s.text for s in segs if s.y0 > 0.3 * (box[3] - box[1])
                               and any(w.conf >= 60 and any(ch.isalpha() for ch in w.text) for w in s.words)]
    return True


def _name_words(words: list[Any], n: int) -> tuple[list[Any], list[str]]:
    """The OCR words of a name of ``n`` words read on a line (the last ones, trailing specks of
    the seal aside), and the texts of the words before them."""
    from desk.docmeta import _name_tokens

    read = [w for w in words if _name_tokens(w.text)]
    while read and len(_name_tokens(read[-1].text)[0]) == 1:
        read.pop()
    return read[-n:], [w.text for w in read[:-n]]


# The name's line read again alone, in line mode: block mode at 400 dpi misreads tone marks
# under signature strokes ("Tuần" for qngai-01's "Tuấn", read right at 300 and 500 dpi in line mode).
NAME_LINE_DPI = 300


def _name_line_again(pdf: Path, index: int, own: list[Any], text: str, conf: float) -> tuple[str, float, bool]:
    """``text`` (the name whose words ``own`` were read with confidence ``conf``, 0–1) checked by
    a read of its line alone: where the two reads have the same letters but other marks, each
    word is taken from the surer read. Returns the name, its confidence and whether the reads
    agreed (a line read with other letters, or none, changes nothing)."""
    from desk.docmeta import ocr_person_name
    from desk.textfold import fold

    h = max(w.y1 - w.y0 for w in own)
    try:
        line = _ocr_block(pdf, index, (max(0.0, own[0].x0 - h), max(0.0, own[0].y0 - 0.4 * h),
                                       own[-1].x1 + 2 * h, own[-1].y1 + 0.4 * h), dpi=NAME_LINE_DPI, psm=7)
    except Exception:  # noqa: BLE001 - the block's read stands
        return text, conf, True
    again = ocr_person_name(" ".join(w.text for w in line))
    n = len(own)
    if again is None or again == text or fold(again).lower() != fold(text).lower():
        return text, conf, True
    other, _ = _name_words(line, n)
    if len(other) != n:
        return text, conf, True
    picks = [(b, y.conf) if y.conf > x.conf else (a, x.conf)
             for a, b, x, y in zip(text.split(), again.split(), own, other, strict=True)]
    return " ".join(p[0] for p in picks), min(p[1] for p in picks) / 100, False


def _ocr_block(pdf: Path, index: int, box: tuple[float, float, float, float], dpi: int = 400,
               psm: int = 6) -> list[Any]:
    from desk.layout import Word
    from desk.ocr import ocr_crop

    x0, y0 = box[0], box[1]
    # The seal is stamped over the start of the name; on a colour scan its red ink is dropped
    # (on the labelled colour scans, the spoiled or lost family names all read whole then).
    words = ocr_crop(pdf, index, box, dpi=dpi, psm=psm, drop_red=True)
    return [Word(w.text, w.x0 + x0, w.y0 + y0, w.x1 + x0, w.y1 + y0, w.source, w.conf) for w in words]


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


SUBJECT_REREAD_DPI = 400  # the trích yếu's lines OCR'd again at this resolution (the page: 300)


def _subject_second_read(pdf: Path, first: PageLayout, r: ReadResult) -> None:
    """OCR the trích yếu's lines again (a higher resolution, one block) and put in the words the
    second read sees much more clearly (docmeta.merge_subject_reads). A trích yếu the reads
    disagree on stays unsure."""
    from desk.docmeta import _repair_subject, merge_subject_reads

    f = r.fields.get("subject")
    box = r.boxes.get("subject")
    if f is None or box is None:
        return
    x0, y0, x1, y1 = box
    pad = 4.0  # points: the crop must not cut the marks above the first line or below the last
    try:
        words = _ocr_block(pdf, 0, (max(0.0, x0 - pad), max(0.0, y0 - pad), x1 + pad, y1 + pad),
                           dpi=SUBJECT_REREAD_DPI)
    except Exception:  # the first read stands
        return
    mine = [(w.text, w.conf) for s in first.segments for w in s.words
            if x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1 and y0 - 1 <= (w.y0 + w.y1) / 2 <= y1 + 1]
    value, replaced, disagree = merge_subject_reads(str(f.value), mine, [(w.text, w.conf) for w in words])
    if replaced:  # the repairs of the first read (a year's name by the calendar …) hold for the merge too
        f.value = _repair_subject(value)
    if replaced or disagree:
        f.confidence = min(f.confidence, 0.6)


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
