"""Reading PDFs: page count, text layer, and the metadata a clerk would type in.

Decree 30 lays out the first page in a fixed way (issuing body top left, "Số:
15/QĐ-UBND" under it, place and date top right, type name and trích yếu in the
middle), so the fields can be pre-filled from the text layer; the clerk checks
them before registering. Published text layers put stray spaces inside numbers
("507 /UBND-KGVX"): they are normalised here.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desk.errors import ValidationError
from desk.reference import DOC_TYPES, normalize_code
from desk.textfold import fold

MAX_TEXT = 500_000


@dataclass
class PdfInfo:
    pages: int
    text: str


@dataclass
class GuessedFields:
    number: str | None = None
    notation: str | None = None
    issued_date: date | None = None
    place: str | None = None
    doc_type: str | None = None
    subject: str | None = None
    issuer_name: str | None = None


def read_pdf(path: Path) -> PdfInfo:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            with contextlib.suppress(Exception):
                reader.decrypt("")
        pages = len(reader.pages)
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            try:
                t = page.extract_text() or ""
            except Exception:  # one broken page must not lose the others
                t = ""
            parts.append(t)
            size += len(t)
            if size > MAX_TEXT:
                break
        return PdfInfo(pages, "\n".join(parts)[:MAX_TEXT])
    except FileNotFoundError:
        raise ValidationError(f"Không tìm thấy tệp {path}.", f"File not found: {path}.",
                              code="no_file") from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(
            f"Tệp {path.name} không phải PDF hợp lệ hoặc đã bị hỏng ({exc}).",
            f"{path.name} is not a valid PDF or is damaged ({exc}).",
            code="bad_pdf",
        ) from exc


_CODE = re.compile(r"S[ốô]\s*:?\s*(\d{1,11})\s*/\s*([0-9A-Za-zĐđ][0-9A-Za-zĐđ\s/\-\.]{0,40})",
                   re.IGNORECASE)
_DATE = re.compile(r"(?:([^\n,]{2,40}),\s*)?ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})",
                   re.IGNORECASE)
_SUBJECT = re.compile(r"^\s*(V/v|Về việc)\s*(.+)$", re.IGNORECASE | re.MULTILINE)


def guess_fields(text: str) -> GuessedFields:
    g = GuessedFields()
    head = text[:4000]
    m = _CODE.search(head)
    if m:
        g.number = m.group(1)
        notation = normalize_code(m.group(2).split("\n")[0])
        notation = re.split(r"\s{2,}|\s(?=[A-ZĐ][a-zà-ỹ])", notation)[0].strip(" .-/")
        g.notation = notation[:30] or None
    m = _DATE.search(head)
    if m:
        try:
            g.issued_date = date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
        except ValueError:
            g.issued_date = None
        if m.group(1):
            place = m.group(1).strip().split("\n")[-1].strip()
            if 1 < len(place) <= 40:
                g.place = place
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
    folded = [fold(ln) for ln in lines]
    for i, fl in enumerate(folded):
        for t in DOC_TYPES:
            if t.code != "CV" and fl == fold(t.name):
                g.doc_type = t.code
                if i + 1 < len(lines):
                    g.subject = _subject_from(lines[i + 1:i + 4])
                break
        if g.doc_type:
            break
    sm = _SUBJECT.search(head)
    if sm and not g.subject:
        g.subject = " ".join(sm.group(2).split())
        g.doc_type = g.doc_type or "CV"
    for ln in lines[:6]:
        fl = fold(ln)
        if fl.startswith(("uy ban", "ubnd", "so ", "phong", "bo ", "van phong", "chi cuc", "cuc ")):
            g.issuer_name = ln.strip()[:200]
            break
    return g


def _subject_from(lines: list[str]) -> str:
    out = []
    for ln in lines:
        if re.match(r"^[-_=.]{3,}$", ln) or fold(ln).startswith(("can cu", "kinh gui")):
            break
        out.append(ln)
    return " ".join(" ".join(out).split())[:500]
