"""Reviewing a draft: the head of unit comments, returns it, or forwards it to the leader.

Every step is a workflow transition, so it is in the document's history; comments are
opinions tied to the document.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desk import audit, workflow
from desk.clock import now
from desk.errors import ValidationError
from desk.models import Document, Opinion, Person
from desk.reference import Role
from desk.services.people import require_role


def submit_for_review(session: Session, doc: Document, actor: Person, note: str | None = None) -> None:
    """The specialist sends the draft to the head of unit."""
    workflow.apply(session, doc, "submit_review", actor.id, note=note)
    audit.record(session, actor.username, "draft.submit_review", "document", doc.id)


def submit(session: Session, doc: Document, actor: Person, note: str | None = None) -> None:
    """Trình ký: the draft goes straight to the leader for signature."""
    workflow.apply(session, doc, "submit", actor.id, note=note)
    audit.record(session, actor.username, "draft.submit", "document", doc.id)


def comment(session: Session, doc: Document, actor: Person, text: str) -> Opinion:
    if not text.strip():
        raise ValidationError("Góp ý không được để trống.", "The comment is empty.")
    op = Opinion(document_id=doc.id, person_id=actor.id, kind="opinion", text=text, created_at=now())
    session.add(op)
    workflow.apply(session, doc, "comment", actor.id, note=text)
    audit.record(session, actor.username, "draft.comment", "document", doc.id)
    return op


def approve(session: Session, doc: Document, actor: Person, note: str | None = None) -> None:
    """The head of unit forwards the draft to the leader for signature."""
    require_role(actor, Role.LEADER)
    workflow.apply(session, doc, "approve", actor.id, note=note)
    audit.record(session, actor.username, "draft.approve", "document", doc.id)


def return_draft(session: Session, doc: Document, actor: Person, reason: str) -> None:
    """Back to the drafter, with the reason (from review or from the leader)."""
    if not reason.strip():
        raise ValidationError("Cần nêu lý do trả lại.", "Give a reason for returning it.")
    workflow.apply(session, doc, "return", actor.id, note=reason)
    audit.record(session, actor.username, "draft.return", "document", doc.id, reason=reason)
