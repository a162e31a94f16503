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
from pathlib import Path
from typing import Any

from desk.errors import DeskError
from signing.pdfium_lock import PDFIUM_LOCK

MIN_TEXT_CHARS = 80  # a text layer shorter than this is only a stamp: OCR the page
DPI = 300


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


def ocr_pdf(path: Path, *, pages: int | None = 2, lang: str = "vie", timeout: float = 120.0,
            progress: Callable[[int, int], None] | None = None,
            cancel: threading.Event | None = None) -> str:
    """Text of the first ``pages`` pages (all when None); the first page carries the metadata."""
    exe = tesseract_path()
    if exe is None:
        raise OcrUnavailable(
            "Chưa cài Tesseract OCR nên không đọc được văn bản scan; hãy nhập thông tin bằng tay "
            "hoặc cài Tesseract (gói tiếng Việt).",
            "Tesseract OCR is not installed, so scanned text cannot be read; enter the fields by hand "
            "or install Tesseract (with Vietnamese).")
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
                try:
                    r = subprocess.run([exe, str(png), "-", "-l", lang, "--psm", "4"],
                                       capture_output=True, timeout=timeout)
                except subprocess.TimeoutExpired:
                    raise OcrUnavailable("Nhận dạng chữ quá lâu, đã dừng.",
                                         "OCR took too long and was stopped.") from None
                if r.returncode != 0:
                    raise OcrUnavailable(
                        f"Tesseract báo lỗi: {r.stderr.decode(errors='replace').strip()[:200]}",
                        f"Tesseract failed: {r.stderr.decode(errors='replace').strip()[:200]}")
                texts.append(r.stdout.decode("utf-8", errors="replace"))
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
