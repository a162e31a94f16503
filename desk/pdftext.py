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
from typing import TYPE_CHECKING

from desk.errors import ValidationError
from desk.reference import DOC_TYPES, normalize_code
from desk.textfold import fold

if TYPE_CHECKING:
    from pypdf import PdfReader

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
        with path.open("rb") as f:  # read as needed: pypdf given a path reads the whole file first
            return _read(PdfReader(f))
    except FileNotFoundError:
        raise ValidationError(f"Không tìm thấy tệp {path}.", f"File not found: {path}.",
                              code="no_file") from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(
            f"Tệp {path.name} không phải PDF hợp lệ hoặc đã bị hỏng ({exc}).",
            f"{path.name} is not a valid PDF or is damaged ({exc}).",
            code="bad_pdf",
        ) from exc


def _read(reader: PdfReader) -> PdfInfo:
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


_CODE = re.compile(r"S[ốô]\s*:?\s*(\d{1,11})\s*/\s*([0-9A-Za-zĐđ][0-9A-Za-zĐđ\s/\-\.]{0,40})",
                   re.IGNORECASE)
_DATE = re.compile(r"(?:([^\n,]{2,60}),\s*)?ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})",
                   re.IGNORECASE)
_SUBJECT = re.compile(r"^\s*(V/v|Về việc)\s*(.+)$", re.IGNORECASE | re.MULTILINE)
# Words of the right-hand column that OCR and some text layers merge into left-hand lines.
_RIGHT_COLUMN = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc",
                 "doc lap tu do hanh phuc")
_PLACE = re.compile(r"((?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s*){1,4})$")
_BODY_START = ("can cu", "kinh gui", "thuc hien", "de nghi", "dieu ", "theo ", "xet ", "nham ")


def _cut_right_column(line: str) -> str:
    folded = fold(line)
    cut = min((folded.find(p) for p in _RIGHT_COLUMN if p in folded), default=-1)
    return line[:cut].strip() if cut > 0 else (line if cut == -1 else "")


def guess_fields(text: str) -> GuessedFields:
    g = GuessedFields()
    head = text[:4000]
    m = _CODE.search(head)
    if m:
        g.number = m.group(1)
        notation = normalize_code(m.group(2).split("\n")[0]).split()[0] if m.group(2).strip() else ""
        g.notation = notation.strip(" .-/")[:30] or None
    m = _DATE.search(head)
    if m:
        try:
            g.issued_date = date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
        except ValueError:
            g.issued_date = None
        if m.group(1):
            pm = _PLACE.search(m.group(1).strip().split("\n")[-1].strip())
            if pm and 1 < len(pm.group(1).strip()) <= 40:
                g.place = pm.group(1).strip()
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
    g.issuer_name = _issuer(lines)
    return g


def _issuer(lines: list[str]) -> str | None:
    """The issuing body: the upper-case line(s) above "Số:"; with a parent body, the second."""
    candidates = []
    for ln in lines[:6]:
        if re.match(r"^so\s*:", fold(ln)):
            break
        left = _cut_right_column(ln)
        if left and left.upper() == left and any(c.isalpha() for c in left):
            candidates.append(left)
    if not candidates:
        return None
    return candidates[1 if len(candidates) > 1 else 0][:200]


def _subject_from(lines: list[str]) -> str:
    out: list[str] = []
    for ln in lines:
        fl = fold(ln)
        if re.match(r"^[-_=.]{3,}$", ln) or fl.startswith(_BODY_START):
            break
        if out and (out[-1].endswith((".", ";", ":")) or not ln[:1].islower()):
            break  # a new sentence: the body has begun
        out.append(ln)
    return " ".join(" ".join(out).split())[:500]
