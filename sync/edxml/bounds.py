"""Bounds on every field of a parsed package, checked before anything reaches the database.

``rules.check_header`` sizes the fields Decree 30 App. VI names; this walks the whole
model so that no number (``PageAmount`` of 23 digits overflows SQLite's INTEGER), no
text and no list is left unbounded, whatever field a later change adds.
"""

from __future__ import annotations

import dataclasses
import enum

from sync.edxml.model import Package
from sync.errors import edxml_error

MAX_INT = 1_000_000_000  # far below SQLite's 2**63 - 1; no count in a document comes near it
INT_MAX_BY_FIELD: dict[str, int] = {
    "priority": 9,
    "page_amount": 1_000_000,
    "promulgation_amount": 10_000_000,
    "receiver_type": 1,
    "steering_type": 1_000,
    "size": 1 << 40,
}
MAX_TEXT = 2_000
TEXT_MAX_BY_FIELD: dict[str, int] = {"content": 100_000, "description": 10_000, "reason": 10_000}
MAX_ITEMS = 1_000  # recipients, places, appendixes, trace headers … in one package


def _too_big(where: str, vi_what: str, en_what: str) -> Exception:
    return edxml_error("edxml_out_of_range", f"Trường {where} {vi_what}.", f"Field {where} {en_what}.")


def _check(where: str, name: str, value: object) -> None:
    if value is None or isinstance(value, (bool, enum.Enum)):
        return
    if isinstance(value, int):
        # Magnitude is what overflows a database column; the sign is the rules' business.
        hi = INT_MAX_BY_FIELD.get(name, MAX_INT)
        if not -hi <= value <= hi:
            raise _too_big(where, f"có giá trị {str(value)[:30]} vượt giới hạn {hi}",
                           f"has the value {str(value)[:30]}, beyond the limit of {hi}")
    elif isinstance(value, str):
        hi = TEXT_MAX_BY_FIELD.get(name, MAX_TEXT)
        if len(value) > hi:
            raise _too_big(where, f"dài {len(value)} ký tự, vượt {hi}", f"is {len(value)} characters, over {hi}")
    elif isinstance(value, tuple):
        if len(value) > MAX_ITEMS:
            raise _too_big(where, f"có {len(value)} mục, vượt {MAX_ITEMS}", f"has {len(value)} items, over {MAX_ITEMS}")
        for i, item in enumerate(value):
            _check(f"{where}[{i}]", name, item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            tag = _element(f.name)
            _check(f"{where}/{tag}" if where else tag, f.name, getattr(value, f.name))


def _element(field_name: str) -> str:
    """The standard's element name of a model field (page_amount -> PageAmount)."""
    return "".join(p[:1].upper() + p[1:] for p in field_name.split("_") if p)


def check_package_bounds(pkg: Package) -> None:
    """Raise EdxmlError (``edxml_out_of_range``) for the first field out of bounds."""
    _check("", "", pkg.header)
    _check("TraceHeaderList", "", pkg.trace)
    for i, a in enumerate(pkg.attachments):
        _check(f"Attachment[{i}]/size", "size", a.size)
        _check(f"Attachment[{i}]/description", "description", a.description)
        _check(f"Attachment[{i}]/content_type", "content_type", a.content_type)
