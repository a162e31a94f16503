"""Registers (sổ văn bản đến / đi) and their numbering.

Numbers run from 01 on 1 January within a year, separately for secret
documents, with no gaps and no duplicates. The counter is read and advanced
inside the caller's write transaction, which holds SQLite's write lock from its
first statement (BEGIN IMMEDIATE), so concurrent processes queue; if the
transaction fails the number goes back with it, so no gap is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import audit, workflow
from desk.clock import now
from desk.db import db_time, raw
from desk.errors import ValidationError
from desk.models import Document, Person, RegisterEntry
from desk.reference import Role, format_number
from desk.services.people import require_role


def series_for(doc: Document) -> str:
    return "secret" if doc.confidentiality > 0 else "normal"


_NEXT = (
    "INSERT INTO register_counters(book, series, year, last_number) VALUES (:b, :s, :y, 1) "
    "ON CONFLICT(book, series, year) DO UPDATE SET last_number = last_number + 1 "
    "RETURNING last_number"
)


_ENTRY = (
    "INSERT INTO register_entries(book, series, year, number, document_id, registered_at, "
    "registered_by, note) VALUES (:b, :s, :y, :n, :d, :at, :by, :note)"
)


def next_number(session: Session, book: str, series: str, year: int) -> int:
    """Advance the counter in one statement (this is the hot path of registration)."""
    row = raw(session).execute(_NEXT, {"b": book, "s": series, "y": year}).fetchone()
    return int(row[0])


@dataclass(frozen=True)
class Registration:
    document_id: int
    book: str
    series: str
    year: int
    number: int

    @property
    def label(self) -> str:
        return format_number(self.number)


@dataclass(frozen=True)
class _Entry:
    series: str
    year: int
    number: int


def _enter(session: Session, doc: Document, book: str, actor: Person, note: str | None,
           on: date | None = None) -> _Entry:
    at = now()
    year = (on or at.date()).year
    series = series_for(doc)
    number = next_number(session, book, series, year)
    raw(session).execute(_ENTRY, {"b": book, "s": series, "y": year, "n": number, "d": doc.id,
                                  "at": db_time(at), "by": actor.id, "note": note})
    return _Entry(series, year, number)


def register_incoming(session: Session, doc: Document, actor: Person,
                      note: str | None = None, *, automatic: bool = False) -> Registration:
    """Vào sổ đến: give the document the next số đến of this year.

    ``automatic``: registered by ``import --register`` without a person checking the fields.
    """
    require_role(actor, Role.CLERK)
    if doc.direction != "in":
        raise ValidationError("Chỉ văn bản đến mới vào sổ đến.",
                              "Only incoming documents go into the incoming register.")
    workflow.check("in", doc.state, "register")
    entry = _enter(session, doc, "in", actor, note)
    workflow.apply(session, doc, "register", actor.id, note=note,
                   data={"number": entry.number, "year": entry.year, "series": entry.series,
                         **({"automatic": True} if automatic else {})})
    audit.record(session, actor.username, "register.in", "document", doc.id,
                 number=entry.number, year=entry.year, series=entry.series)
    return Registration(doc.id, "in", entry.series, entry.year, entry.number)


def issue_outgoing_number(session: Session, doc: Document, actor: Person,
                          issued: date | None = None) -> Registration:
    """Cấp số văn bản đi: the number and date written on the document at release."""
    require_role(actor, Role.CLERK)
    if doc.direction != "out":
        raise ValidationError("Chỉ văn bản đi mới được cấp số đi.",
                              "Only outgoing documents get an outgoing number.")
    existing = session.scalars(select(RegisterEntry).where(
        RegisterEntry.book == "out", RegisterEntry.document_id == doc.id)).first()
    if existing is not None:
        return Registration(doc.id, "out", existing.series, existing.year, existing.number)
    entry = _enter(session, doc, "out", actor, None, issued)
    doc.number = format_number(entry.number)
    doc.issued_date = issued or now().date()
    audit.record(session, actor.username, "register.out", "document", doc.id,
                 number=entry.number, year=entry.year, series=entry.series)
    return Registration(doc.id, "out", entry.series, entry.year, entry.number)


def registration_of(session: Session, doc_id: int, book: str) -> RegisterEntry | None:
    return session.scalars(select(RegisterEntry).where(
        RegisterEntry.book == book, RegisterEntry.document_id == doc_id)).first()
