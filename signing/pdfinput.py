"""Opening a PDF for reading or for an incremental update, with one error for bad input."""

from __future__ import annotations

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader

from .errors import InvalidDocument


def read_pdf(data: bytes) -> PdfFileReader:
    try:
        return PdfFileReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, IndexError) as exc:
        raise InvalidDocument("Tệp không phải PDF hợp lệ hoặc bị hỏng.", "Not a valid PDF, or damaged.") from exc


def open_incremental(data: bytes) -> IncrementalPdfFileWriter:
    try:
        w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidDocument("Tệp không phải PDF hợp lệ hoặc bị hỏng.", "Not a valid PDF, or damaged.") from exc
    if w.security_handler is not None:
        raise InvalidDocument("Tệp PDF được mã hóa, không ký được.", "The PDF is encrypted and cannot be signed.")
    return w
