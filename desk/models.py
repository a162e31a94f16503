"""The local office's store: SQLAlchemy models.

One SQLite file per office (WAL, foreign keys on); the schema is owned by the
Alembic migrations in ``desk/migrations``, and these models must stay in step
with them (a test compares the two).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Organization(Base):
    """An agency known to this office: itself (``is_self``) or a correspondent."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(35), unique=True)  # QCVN 102 OrganId
    name: Mapped[str] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(String(35))
    address: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)
    # Place name printed in the date line ("Hạ Long, ngày …").
    place: Mapped[str | None] = mapped_column(String(100))
    # Short name used in ký hiệu ("UBND" in "15/QĐ-UBND").
    notation: Mapped[str | None] = mapped_column(String(30))
    # The seal image (red PNG, transparent, actual size) for the organisation's signature.
    seal_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))

    units: Mapped[list[Unit]] = relationship(back_populates="organization")


class Unit(Base):
    """A phòng ban of this office."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    name: Mapped[str] = mapped_column(String(200))
    notation: Mapped[str | None] = mapped_column(String(30))

    organization: Mapped[Organization] = relationship(back_populates="units")
    people: Mapped[list[Person]] = relationship(back_populates="unit")


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(50))
    position: Mapped[str | None] = mapped_column(String(100))  # chức vụ
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    email: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The handwritten signature image (blue PNG, transparent) for visible signatures.
    signature_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))

    # Loaded with the person: the signed-in user is held across sessions by the app.
    unit: Mapped[Unit | None] = relationship(back_populates="people", lazy="joined")
    roles: Mapped[list[PersonRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}


class PersonRole(Base):
    __tablename__ = "person_roles"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class Blob(Base):
    """A file in the content-addressed store; the row exists only once the file is on disk."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint("direction IN ('in', 'out')", name="ck_documents_direction"),
        CheckConstraint("length(subject) <= 500", name="ck_documents_subject_len"),
        CheckConstraint("urgency BETWEEN 0 AND 4", name="ck_documents_urgency"),
        CheckConstraint("confidentiality BETWEEN 0 AND 3", name="ck_documents_confidentiality"),
        Index("ix_documents_list", "direction", "state", "updated_at"),
        Index("ix_documents_updated", "updated_at"),
        Index("ix_documents_code", "number", "notation", "issuer_code"),
        Index("ix_documents_edxml", "edxml_document_id"),
        Index("ix_documents_due", "due_date"),
        Index("ix_documents_deadlines", "direction", "state", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(20))
    doc_type: Mapped[str] = mapped_column(String(10))
    number: Mapped[str | None] = mapped_column(String(11))  # CodeNumber
    notation: Mapped[str | None] = mapped_column(String(30))  # CodeNotation
    issuer_code: Mapped[str | None] = mapped_column(String(35))
    issuer_name: Mapped[str | None] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(100))
    issued_date: Mapped[date | None] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(500))
    signer_competence: Mapped[str | None] = mapped_column(String(50))
    signer_position: Mapped[str | None] = mapped_column(String(100))
    signer_name: Mapped[str | None] = mapped_column(String(50))
    urgency: Mapped[int] = mapped_column(Integer, default=0)
    confidentiality: Mapped[int] = mapped_column(Integer, default=0)
    due_date: Mapped[date | None] = mapped_column(Date)
    page_count: Mapped[int | None] = mapped_column(Integer)
    copies: Mapped[int | None] = mapped_column(Integer)  # số bản
    edxml_document_id: Mapped[str | None] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(10), default="paper")  # paper | exchange | local
    response_for_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="document", order_by="Attachment.position", cascade="all, delete-orphan"
    )
    recipients: Mapped[list[Recipient]] = relationship(
        back_populates="document", order_by="Recipient.position", cascade="all, delete-orphan"
    )
    register_entries: Mapped[list[RegisterEntry]] = relationship(back_populates="document")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="document", order_by="Assignment.id"
    )
    events: Mapped[list[DocumentEvent]] = relationship(
        back_populates="document", order_by="DocumentEvent.id"
    )


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/pdf")
    size: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20), default="main")  # main | attachment

    document: Mapped[Document] = relationship(back_populates="attachments")


class Recipient(Base):
    """A nơi nhận of a document; for outgoing documents it also tracks delivery (statuses 01–06)."""

    __tablename__ = "recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    org_code: Mapped[str | None] = mapped_column(String(35))
    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(10), default="exchange")  # exchange | paper | internal
    position: Mapped[int] = mapped_column(Integer, default=0)
    status_code: Mapped[str | None] = mapped_column(String(2))
    status_at: Mapped[datetime | None] = mapped_column(DateTime)
    status_desc: Mapped[str | None] = mapped_column(Text)  # the last status's Description
    # Why the exchange could not deliver to it (e.g. "recipient_unknown"); None when it could.
    delivery_error: Mapped[str | None] = mapped_column(String(40))

    document: Mapped[Document] = relationship(back_populates="recipients")


class RegisterCounter(Base):
    """The last number issued in one series of one register for one year."""

    __tablename__ = "register_counters"

    book: Mapped[str] = mapped_column(String(3), primary_key=True)  # in | out
    series: Mapped[str] = mapped_column(String(10), primary_key=True)  # normal | secret
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class RegisterEntry(Base):
    """A line of a sổ văn bản đến / đi."""

    __tablename__ = "register_entries"
    __table_args__ = (
        UniqueConstraint("book", "series", "year", "number", name="uq_register_number"),
        UniqueConstraint("book", "document_id", name="uq_register_document"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    book: Mapped[str] = mapped_column(String(3))
    series: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    registered_at: Mapped[datetime] = mapped_column(DateTime)
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    note: Mapped[str | None] = mapped_column(String(500))

    document: Mapped[Document] = relationship(back_populates="register_entries")


class Assignment(Base):
    """A leader's assignment of a document to a unit or a person."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint(
            "(person_id IS NOT NULL) OR (unit_id IS NOT NULL)", name="ck_assignment_target"
        ),
        Index("ix_assignments_person", "person_id", "state", "deadline"),
        Index("ix_assignments_unit", "unit_id", "state", "deadline"),
        Index("ix_assignments_document", "document_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(10))  # chu_tri | phoi_hop | de_biet
    deadline: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | done | returned
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent

    document: Mapped[Document] = relationship(back_populates="assignments")
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    unit: Mapped[Unit | None] = relationship()


class Opinion(Base):
    """An assignee's opinion or progress report (ý kiến, tiến độ)."""

    __tablename__ = "opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(10))  # opinion | progress
    progress: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DocumentEvent(Base):
    """The history of a document: every transition, with its edXML status code."""

    __tablename__ = "document_events"
    __table_args__ = (Index("ix_events_document", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    status_code: Mapped[str | None] = mapped_column(String(2))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, object] | None] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="events")


class DocumentText(Base):
    """Extracted PDF text, kept apart from the document row so lists stay light."""

    __tablename__ = "document_texts"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)


class OutboxItem(Base):
    """Something to send to the exchange server; written in the same transaction as its cause."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # status | edoc
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    status_code: Mapped[str | None] = mapped_column(String(2))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """Append-only, hash-chained audit log (UPDATE and DELETE are refused by triggers)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str | None] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str | None] = mapped_column(String(50))
    data: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Meta(Base):
    """Small key/value facts about the store (audit head, search index version …)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SearchQueueItem(Base):
    """A document whose search entry must be rewritten (see desk.search)."""

    __tablename__ = "search_queue"

    seq: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer)


class InboxItem(Base):
    """A package fetched from the exchange server, tracked until acknowledged.

    The unique server id makes storing idempotent: a package seen again after a
    crash (stored but not yet acknowledged) is only acknowledged, never stored twice.
    """

    __tablename__ = "inbox"

    server_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    message_type: Mapped[str] = mapped_column(String(10))  # edoc | status
    sender: Mapped[str | None] = mapped_column(String(35))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    state: Mapped[str] = mapped_column(String(10))  # stored | ignored | acked
    note: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    acked_at: Mapped[datetime | None] = mapped_column(DateTime)
