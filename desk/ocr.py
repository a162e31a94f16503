"""OCR for scanned documents (most published documents are image-only scans with a
signature stamp's text as their only text layer; spec §6).

Pages are rendered with pdfium (pypdfium2) and read by Tesseract with its
Vietnamese model (``tesseract-ocr-vie``). Tesseract is an external program: when
it is not installed, OCR reports that clearly and the import goes on without text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from desk.errors import DeskError
from desk.layout import OCR, PageLayout, Word
from signing.pdfium_lock import PDFIUM_LOCK

MIN_TEXT_CHARS = 80  # a text layer shorter than this is only a stamp: OCR the page
DPI = 300
MAX_WORKERS = 4  # Tesseract processes at once (at most one per core)


class OcrUnavailable(DeskError):
    code = "ocr_unavailable"


def tesseract_path() -> str | None:
    found = shutil.which("tesseract")
    if found:
        return found
    if os.name == "nt":
        for base in (os.environ.get("PROGRAMFILES", ""), os.environ.get("PROGRAMFILES(X86)", "")):
            candidate = Path(base) / "Tesseract-OCR" / "tesseract.exe"
            if base and candidate.is_file():
                return str(candidate)
    return None


def needs_ocr(text: str) -> bool:
    return len("".join(text.split())) < MIN_TEXT_CHARS


def _tesseract() -> str:
    exe = tesseract_path()
    if exe is None:
        raise OcrUnavailable(
            "Chưa cài Tesseract OCR nên không đọc được văn bản scan; hãy nhập thông tin bằng tay "
            "hoặc cài Tesseract (gói tiếng Việt).",
            "Tesseract OCR is not installed, so scanned text cannot be read; enter the fields by hand "
            "or install Tesseract (with Vietnamese).")
    return exe


def _run(args: list[str], timeout: float) -> bytes:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core per page; pages run side by side instead
    try:
        r = subprocess.run(args, capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise OcrUnavailable("Nhận dạng chữ quá lâu, đã dừng.", "OCR took too long and was stopped.") from None
    except OSError as exc:
        raise OcrUnavailable(f"Không chạy được Tesseract: {exc}", f"Cannot run Tesseract: {exc}") from None
    if r.returncode != 0:
        msg = r.stderr.decode(errors="replace").strip()[:200]
        raise OcrUnavailable(f"Tesseract báo lỗi: {msg}", f"Tesseract failed: {msg}")
    return r.stdout


_SLASHES = str.maketrans({"⁄": "/", "∕": "/", "／": "/", "⧸": "/"})


def words_from_tsv(tsv: str, scale: float) -> list[Word]:
    """Tesseract TSV (level 5 rows are words) to words in PDF points (``scale`` = 72 / dpi)."""
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            left, top, width, height = (int(cols[k]) for k in (6, 7, 8, 9))
            conf = float(cols[10])
        except ValueError:
            continue
        words.append(Word(cols[11].strip().translate(_SLASHES), left * scale, top * scale, (left + width) * scale,
                          (top + height) * scale, OCR, max(0.0, conf)))
    return words


def ocr_layouts(path: Path, pages: list[int] | None = None, *, lang: str = "vie", timeout: float = 120.0,
                dpi: int = DPI, progress: Callable[[int, int], None] | None = None,
                cancel: threading.Event | None = None) -> tuple[int, dict[int, PageLayout]]:
    """OCR the given pages (all when None) into positioned words; (page count, layouts by page)."""
    exe = _tesseract()
    import pypdfium2 as pdfium

    from desk.layout import segments_from_words

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path))
        count = len(pdf)
    try:
        wanted = list(range(count)) if pages is None else sorted({p for p in pages if 0 <= p < count})
        out: dict[int, PageLayout] = {}
        sizes: dict[int, tuple[float, float]] = {}
        workers = max(1, min(len(wanted), os.cpu_count() or 1, MAX_WORKERS))
        with tempfile.TemporaryDirectory(prefix="desk-ocr-") as tmp, \
                ThreadPoolExecutor(max_workers=workers, thread_name_prefix="desk-ocr") as pool:
            futures = {}
            for i in wanted:
                if cancel is not None and cancel.is_set():
                    break
                # pdfium is not thread-safe: pages are rendered here, one by one, under the
                # process-wide lock; Tesseract runs as separate processes, one page per core.
                with PDFIUM_LOCK:
                    page = pdf[i]
                    sizes[i] = page.get_size()
                    image = page.render(scale=dpi / 72).to_pil().convert("L")
                    page.close()
                png = Path(tmp) / f"p{i}.png"
                image.save(png)
                futures[pool.submit(_run, [exe, str(png), "-", "-l", lang, "--psm", "3", "tsv"],
                                    timeout)] = i
            for k, fut in enumerate(as_completed(futures)):
                i = futures[fut]
                words = words_from_tsv(fut.result().decode("utf-8", errors="replace"), 72 / dpi)
                out[i] = PageLayout(sizes[i][0], sizes[i][1], segments_from_words(words), OCR)
                if progress:
                    progress(k + 1, len(wanted))
        return count, out
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def read_region(path: Path, page_index: int, box: tuple[float, float, float, float], *, dpi: int = 400,
                lang: str = "vie", timeout: float = 60.0) -> list[Word]:
    """A second, independent read of one line of a page (another resolution, one-line mode).

    Used to check what OCR read where a wrong value costs most (the number, the date):
    a value is trusted only when both reads agree.
    """
    x0, y0, x1, y1 = box
    h = max(4.0, y1 - y0)
    return ocr_crop(path, page_index, (max(0, x0 - h), max(0, y0 - 0.4 * h), x1 + h, y1 + 0.4 * h),
                    dpi=dpi, psm=7, lang=lang, timeout=timeout)


def render_crop(path: Path, page_index: int, crop: tuple[float, float, float, float], dpi: int, *,
                drop_red: bool = False) -> Any:
    """One rectangle of a page (in points, from the top left) rendered in grey at ``dpi`` (a PIL image).

    ``drop_red``: the grey is the red channel alone, so red ink (the seal over a signer's name on
    a colour scan) turns as light as the paper while black print stays black; the same as the
    plain grey on a black-and-white page."""
    import pypdfium2 as pdfium

    scale = dpi / 72
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[page_index]
            rendered = page.render(scale=scale).to_pil()
            image = rendered.convert("RGB").getchannel("R") if drop_red else rendered.convert("L")
            page.close()
        finally:
            pdf.close()
    x0, y0, x1, y1 = crop
    return image.crop((int(x0 * scale), int(y0 * scale), int(x1 * scale), int(y1 * scale)))


def ocr_crop(path: Path, page_index: int, crop: tuple[float, float, float, float], *, dpi: int,
             psm: int, lang: str = "vie", timeout: float = 60.0, drop_red: bool = False) -> list[Word]:
    """The words Tesseract reads in one rectangle of a page (in points, from the top left),
    rendered at ``dpi`` (``drop_red``: see :func:`render_crop`), in page-segmentation mode
    ``psm``; their boxes are in points from the rectangle's corner."""
    exe = _tesseract()
    image = render_crop(path, page_index, crop, dpi, drop_red=drop_red)
    with tempfile.TemporaryDirectory(prefix="desk-ocr-") as tmp:
        png = Path(tmp) / "crop.png"
        image.save(png)
        tsv = _run([exe, str(png), "-", "-l", lang, "--psm", str(psm), "tsv"], timeout)
    return words_from_tsv(tsv.decode("utf-8", errors="replace"), 72 / dpi)


# Reading digits written by hand into a printed blank ("Số:  …  /QĐ-TTg", "ngày … tháng"). Tesseract
# has no model for handwriting, so a value is taken only when most of several independent reads
# (binarisations × page modes) agree. Calibrated on the 17 labelled scans whose number and day are
# handwritten (tests/data/real, bench/data/reading_more.toml): with 6 of 9 reads required (or at
# least 3 and every read that found digits) and the width check below, 4 numbers and 1 day read
# right, 1 number and 1 day wrong; with fewer reads required, or without the width check, as many
# or more wrong than right.
HANDWRITING_DPI = 400
HANDWRITING_THRESHOLDS = (100, 140, 180)  # grey levels: faint ballpoint to dark felt-tip
HANDWRITING_PSMS = ("7", "8", "13")  # one line, one word, raw line
HANDWRITING_AGREE = 6
# Width of one handwritten digit and its spacing, as a share of its height: 0.3 ("1") to 0.75
# ("0", "8") on the same labelled scans.
HANDWRITTEN_DIGIT_WIDTH = 0.85


# A mark shorter than this share of the blank's box is not a digit (a colon's dot, a speck). Printed
# digits in an unsure number's box are about a third of its height (985/QĐ-TTg: 0.32), handwritten
# ones more; the dots of "Số:" a tenth.
MARK_HEIGHT = 0.25


def _trim_blank(image: Any) -> Any | None:
    """The handwriting in a blank's box: columns of ink grouped into marks; the marks shorter than
    MARK_HEIGHT of the box (the colon of "Số:", specks) and those cut by the box's edges (the printed
    "/" after the blank, a letter before it: thin slices) are dropped. None when no mark is left."""
    w, h = image.size
    px = image.load()
    cols: list[tuple[int, int] | None] = []
    for x in range(w):
        ys = [y for y in range(h) if px[x, y] < 128]
        cols.append((ys[0], ys[-1]) if ys else None)
    marks: list[tuple[int, int, int, int]] = []
    gap = max(2, h // 12)
    x = 0
    while x < w:
        col = cols[x]
        if col is None:
            x += 1
            continue
        x0, (top, bottom), blank = x, col, 0
        while x < w and blank <= gap:
            c = cols[x]
            if c is None:
                blank += 1
            else:
                blank, top, bottom = 0, min(top, c[0]), max(bottom, c[1])
            x += 1
        marks.append((x0, x - blank, top, bottom))
    marks = [m for m in marks if m[3] - m[2] >= MARK_HEIGHT * h]
    if marks and marks[-1][1] >= w - 2 and marks[-1][1] - marks[-1][0] < 0.25 * h:
        marks.pop()
    if marks and marks[0][0] <= 1 and marks[0][1] - marks[0][0] < 0.25 * h:
        marks.pop(0)
    if not marks:
        return None
    top, bottom = min(m[2] for m in marks), max(m[3] for m in marks)
    return image.crop((max(0, marks[0][0] - 4), max(0, top - 4), min(w, marks[-1][1] + 4), min(h, bottom + 4)))


def read_handwritten_digits(path: Path, page_index: int, box: tuple[float, float, float, float], *,
                            timeout: float = 30.0) -> str | None:
    """The digits written by hand in ``box`` (points) of a page when the reads agree, else None:
    PP-OCR's reads first (see :func:`_ppocr_digits`), Tesseract's (below) when those do not
    settle or PP-OCR is not installed. What this returns is a suggestion for the clerk, never a
    confident value."""
    image = render_crop(path, page_index, box, HANDWRITING_DPI)
    inks = [ink for level in HANDWRITING_THRESHOLDS if (ink := _trim_blank(_binarised(image, level))) is not None]
    if not inks:
        return None
    # A read with fewer digits than the ink is wide lost some (a handwritten "1" is often missed):
    # a digit written by hand is at most HANDWRITTEN_DIGIT_WIDTH of its height wide. The trimmed
    # ink can lose a mark at the box's edge, so this under-counts, never over-counts, the digits.
    least = max(ink.size[0] / max(1, ink.size[1]) for ink in inks) / HANDWRITTEN_DIGIT_WIDTH
    return _ppocr_digits(image, least) or _tesseract_digits(inks, least, timeout)


def _binarised(image: Any, level: int) -> Any:
    """Black where the grey ``image`` is darker than ``level``, white elsewhere."""
    return image.point(lambda v: 0 if v < level else 255)


def _tesseract_digits(inks: list[Any], least: float, timeout: float) -> str | None:
    """Tesseract's digits-only reads of a blank's trimmed ink (one image per binarisation), each in
    every page mode of HANDWRITING_PSMS, when they agree (see above)."""
    from collections import Counter

    from PIL import ImageOps

    exe = _tesseract()
    reads: list[str] = []
    with tempfile.TemporaryDirectory(prefix="desk-ocr-") as tmp:
        for k, ink in enumerate(inks):
            png = Path(tmp) / f"blank{k}.png"
            ImageOps.expand(ink, border=25, fill=255).save(png)
            for psm in HANDWRITING_PSMS:
                out = _run([exe, str(png), "-", "-l", "eng", "--psm", psm, "-c",
                            "tessedit_char_whitelist=0123456789"], timeout)
                reads.append("".join(out.decode("utf-8", errors="replace").split()))
    votes = Counter(r for r in reads if r)
    if not votes:
        return None
    value, n = votes.most_common(1)[0]
    agreed = n >= HANDWRITING_AGREE or n >= 3 and n == sum(votes.values())  # most, or all that read digits
    if not agreed or len(value) < least:
        return None
    return value


# PP-OCR (PaddleOCR's PP-OCRv4 text detector and recogniser, run by ONNX Runtime through the
# rapidocr-onnxruntime wheel, which carries the models: nothing is downloaded). Its recogniser
# was trained on printed and handwritten text lines and reads pen digits far better than
# Tesseract. Each blank is read five ways (the recogniser alone on the crop; detector and
# recogniser on the crop, on the crop with a white margin, and on it binarised at two grey
# levels); a read counts when it is all digits once look-alikes are mapped ("g" → 9, "O" → 0)
# and it has at least as many digits as the ink is wide (above); reads of the same value add
# their confidence. Calibrated on the 28 labelled scans whose number and day are handwritten
# (tests/data/real, bench/data/reading_more.toml), reads looked at one by one: a value is taken
# when at least two reads give it, their confidence adds up to PPOCR_AGREE, and no other value
# scores as much. Tesseract's 9 reads, on the same blanks: 5 numbers and 4 days right.
PPOCR_AGREE = 1.5
# PP-OCR drops a digit less often than Tesseract: the width check allows it half a digit more
# (a "24" whose trimmed ink is 1.8 heights wide; on the labelled scans no read it let in is wrong).
PPOCR_WIDTH_SLACK = 0.5
PPOCR_LEVELS = (140, 180)
_PPOCR_LOOKALIKES = str.maketrans({"g": "9", "q": "9", "O": "0", "o": "0", "D": "0", "l": "1", "I": "1",
                                   "|": "1", "Ⅱ": "11", "z": "2", "Z": "2", "S": "5", "s": "5", "B": "8"})
_PPOCR_LOCK = threading.Lock()
_ppocr_engine: Any = None


def _ppocr() -> Any | None:
    """The PP-OCR engine, loaded once (about a second); None when it is not installed."""
    global _ppocr_engine
    with _PPOCR_LOCK:
        if _ppocr_engine is None:
            import importlib
            import logging

            try:  # imported by name: the Windows bundle, which does not ship it yet, must not look for it
                module = importlib.import_module("rapidocr_onnxruntime")
            except ImportError:
                _ppocr_engine = False
                return None
            for name in ("RapidOCR", "OrtInferSession"):  # its loggers print every empty read
                logging.getLogger(name).setLevel(logging.ERROR)
            _ppocr_engine = module.RapidOCR()
        return _ppocr_engine or None


def ppocr_available() -> bool:
    return _ppocr() is not None


def _ppocr_digits(image: Any, least: float) -> str | None:
    import re

    import numpy as np
    from PIL import ImageOps

    engine = _ppocr()
    if engine is None:
        return None
    variants = [ImageOps.expand(x, border=30, fill=255)
                for x in [image, *(_binarised(image, level) for level in PPOCR_LEVELS)]]
    reads: list[tuple[str, float]] = []
    with _PPOCR_LOCK:
        found, _ = engine(np.asarray(image.convert("RGB")), use_det=False, use_cls=False)
        if found:
            reads.append((found[0][0], float(found[0][1])))
        for variant in [image, *variants]:
            found, _ = engine(np.asarray(variant.convert("RGB")), use_cls=False)
            if found:  # the pieces the detector found, left to right; the weakest one's confidence
                pieces = sorted(found, key=lambda f: f[0][0][0])
                reads.append(("".join(str(f[1]) for f in pieces), min(float(f[2]) for f in pieces)))
    scores: dict[str, float] = {}
    counts: dict[str, int] = {}
    for text, confidence in reads:
        # The print at the blank's edges ("Số:" before, "/QĐ" after) and dots between digits go.
        edges = "".join(text.split()).strip("/:;.,'\"")
        digits = re.sub(r"[.,]", "", edges.translate(_PPOCR_LOOKALIKES))
        if not digits.isdigit() or len(digits) + PPOCR_WIDTH_SLACK < least:
            continue
        scores[digits] = scores.get(digits, 0.0) + confidence
        counts[digits] = counts.get(digits, 0) + 1
    if not scores:
        return None
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best = ranked[0]
    if counts[best] < 2 or scores[best] < PPOCR_AGREE or len(ranked) > 1 and scores[ranked[1]] >= scores[best]:
        return None
    return best


def ocr_pdf(path: Path, *, pages: int | None = None, lang: str = "vie", timeout: float = 120.0,
            progress: Callable[[int, int], None] | None = None,
            cancel: threading.Event | None = None) -> str:
    """Plain text of the first ``pages`` pages (all when None)."""
    exe = _tesseract()
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path))
    try:
        with PDFIUM_LOCK:
            count = len(pdf) if pages is None else min(len(pdf), pages)
        texts = []
        with tempfile.TemporaryDirectory(prefix="desk-ocr-") as tmp:
            for i in range(count):
                if cancel is not None and cancel.is_set():
                    break
                image = _render_gray(pdf, i)
                png = Path(tmp) / f"p{i}.png"
                image.save(png)
                out = _run([exe, str(png), "-", "-l", lang, "--psm", "4"], timeout)
                texts.append(out.decode("utf-8", errors="replace"))
                if progress:
                    progress(i + 1, count)
        return "\n".join(texts)
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def _render_gray(pdf: Any, index: int) -> Any:
    """Page ``index`` as a greyscale PIL image at DPI; pdfium only under its lock
    (previews render on other threads), Tesseract runs outside it."""
    with PDFIUM_LOCK:
        page = pdf[index]
        try:
            bitmap = page.render(scale=DPI / 72)
            try:
                return bitmap.to_pil().convert("L")  # a copy: the bitmap's buffer is freed below
            finally:
                bitmap.close()
        finally:
            page.close()
