"""Routing: presenting to a leader, assigning, progress, opinions, finishing, returning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import audit, workflow
from desk.clock import now, today
from desk.errors import PermissionDenied, ValidationError
from desk.models import Assignment, Document, Opinion, Person, Unit
from desk.reference import AssignmentRole, Role
from desk.services.people import require_role


@dataclass(frozen=True)
class AssignTarget:
    role: AssignmentRole
    person_id: int | None = None
    unit_id: int | None = None

    def __post_init__(self) -> None:
        if (self.person_id is None) == (self.unit_id is None):
            raise ValidationError("Mỗi phân công dành cho một người hoặc một đơn vị.",
                                  "Each assignment goes to one person or one unit.")


def deadline_from_working_days(start: date, working_days: int,
                               calendar_file: Path | None = None) -> date:
    from desk.workdays import load_calendar

    if working_days < 0:
        raise ValidationError("Số ngày làm việc phải không âm.", "Working days must not be negative.")
    result: date = load_calendar(calendar_file).add_working_days(start, working_days)
    return result


def present(session: Session, doc: Document, actor: Person, leader: Person | None = None,
            note: str | None = None) -> None:
    """Trình: the clerk presents a registered document to a leader."""
    require_role(actor, Role.CLERK)
    if leader is not None:
        require_role(leader, Role.LEADER)
    workflow.apply(session, doc, "present", actor.id, note=note,
                   data={"leader_id": leader.id} if leader else None)
    audit.record(session, actor.username, "document.present", "document", doc.id,
                 leader=leader.username if leader else None)


def assign(session: Session, doc: Document, actor: Person, targets: list[AssignTarget],
           deadline: date | None = None, note: str | None = None) -> list[Assignment]:
    """Phân công: chủ trì (exactly one open), phối hợp, để biết, with a deadline."""
    require_role(actor, Role.LEADER)
    workflow.check(doc.direction, doc.state, "assign")
    if not targets:
        raise ValidationError("Chưa chọn người hoặc đơn vị xử lý.", "No assignee chosen.")
    if deadline is not None and deadline < today():
        raise ValidationError("Hạn xử lý đã qua.", "The deadline is in the past.",
                              code="deadline_past")
    open_leads = [a for a in doc.assignments if a.state == "open" and a.role == "chu_tri"]
    new_leads = [t for t in targets if t.role == AssignmentRole.LEAD]
    if len(open_leads) + len(new_leads) != 1:
        raise ValidationError(
            "Văn bản cần đúng một đơn vị hoặc người chủ trì xử lý.",
            "A document needs exactly one lead assignee (chủ trì).", code="one_lead")
    for t in targets:
        if t.person_id is not None and session.get(Person, t.person_id) is None:
            raise ValidationError(f"Không có người dùng #{t.person_id}.", f"No person #{t.person_id}.")
        if t.unit_id is not None and session.get(Unit, t.unit_id) is None:
            raise ValidationError(f"Không có đơn vị #{t.unit_id}.", f"No unit #{t.unit_id}.")
    at = now()
    created = []
    for t in targets:
        a = Assignment(person_id=t.person_id, unit_id=t.unit_id,
                       role=t.role.value, deadline=deadline, note=note, state="open",
                       assigned_by=actor.id, assigned_at=at, progress=0)
        doc.assignments.append(a)
        created.append(a)
    if deadline is not None and (doc.due_date is None or deadline < doc.due_date):
        doc.due_date = deadline
    session.flush()
    workflow.apply(session, doc, "assign", actor.id, note=note, data={
        "assignments": [{"id": a.id, "role": a.role, "person_id": a.person_id,
                         "unit_id": a.unit_id} for a in created],
        "deadline": deadline.isoformat() if deadline else None})
    audit.record(session, actor.username, "document.assign", "document", doc.id,
                 assignments=[a.id for a in created],
                 deadline=deadline.isoformat() if deadline else None)
    return created


def _own_assignment(session: Session, doc: Document, actor: Person) -> Assignment:
    """The actor's open assignment on the document (a lead one first)."""
    mine = [a for a in doc.assignments if a.state == "open" and (
        a.person_id == actor.id or (a.unit_id is not None and a.unit_id == actor.unit_id))]
    if not mine:
        raise PermissionDenied(
            f"{actor.full_name} không được giao xử lý văn bản này.",
            f"{actor.full_name} is not assigned to this document.", code="not_assignee")
    mine.sort(key=lambda a: (a.role != "chu_tri", a.id))
    return mine[0]


def report_progress(session: Session, doc: Document, actor: Person, percent: int,
                    text: str) -> Opinion:
    if not 0 <= percent <= 100:
        raise ValidationError("Tiến độ phải từ 0 đến 100%.", "Progress must be 0 to 100%.")
    a = _own_assignment(session, doc, actor)
    workflow.check(doc.direction, doc.state, "progress")
    a.progress = percent
    op = Opinion(document_id=doc.id, assignment_id=a.id, person_id=actor.id, kind="progress",
                 progress=percent, text=text, created_at=now())
    session.add(op)
    workflow.apply(session, doc, "progress", actor.id, note=text, data={"progress": percent})
    audit.record(session, actor.username, "document.progress", "document", doc.id,
                 progress=percent)
    return op


def add_opinion(session: Session, doc: Document, actor: Person, text: str) -> Opinion:
    if not text.strip():
        raise ValidationError("Ý kiến không được để trống.", "The opinion is empty.")
    workflow.check(doc.direction, doc.state, "opinion")
    assignment = next((a for a in doc.assignments if a.state == "open" and a.person_id == actor.id),
                      None)
    op = Opinion(document_id=doc.id, assignment_id=assignment.id if assignment else None,
                 person_id=actor.id, kind="opinion", text=text, created_at=now())
    session.add(op)
    workflow.apply(session, doc, "opinion", actor.id, note=text)
    audit.record(session, actor.username, "document.opinion", "document", doc.id)
    return op


def finish(session: Session, doc: Document, actor: Person, text: str | None = None) -> None:
    """Hoàn thành: a supporting assignee closes their part; the lead closes the document."""
    a = _own_assignment(session, doc, actor)
    at = now()
    a.state, a.closed_at, a.progress = "done", at, 100
    if a.role == "chu_tri":
        workflow.apply(session, doc, "finish", actor.id, note=text)
        for other in doc.assignments:
            if other.state == "open" and other.role == "de_biet":
                other.state, other.closed_at = "done", at
    audit.record(session, actor.username, "assignment.finish", "document", doc.id,
                 assignment=a.id, role=a.role)


def return_to_leader(session: Session, doc: Document, actor: Person, reason: str) -> None:
    """Trả lại: the lead assignee sends the document back to the leader to re-assign."""
    if not reason.strip():
        raise ValidationError("Cần nêu lý do trả lại.", "Give a reason for returning it.")
    a = _own_assignment(session, doc, actor)
    if a.role != "chu_tri":
        raise PermissionDenied("Chỉ người chủ trì mới trả lại văn bản.",
                               "Only the lead assignee can return the document.")
    workflow.check(doc.direction, doc.state, "return")
    at = now()
    for other in doc.assignments:
        if other.state == "open":
            other.state, other.closed_at = "returned", at
    workflow.apply(session, doc, "return", actor.id, note=reason)
    audit.record(session, actor.username, "document.return", "document", doc.id, reason=reason)


@dataclass(frozen=True)
class DeadlineItem:
    assignment_id: int
    document_id: int
    subject: str
    deadline: date
    role: str
    person_id: int | None
    unit_id: int | None


def _deadline_query(person_id: int | None, unit_id: int | None):  # type: ignore[no-untyped-def]
    q = (select(Assignment.id, Assignment.document_id, Document.subject, Assignment.deadline,
                Assignment.role, Assignment.person_id, Assignment.unit_id)
         .join(Document, Document.id == Assignment.document_id)
         .where(Assignment.state == "open", Assignment.deadline.is_not(None),
                Assignment.role != "de_biet"))
    if person_id is not None:
        q = q.where(Assignment.person_id == person_id)
    if unit_id is not None:
        q = q.where(Assignment.unit_id == unit_id)
    return q.order_by(Assignment.deadline, Assignment.id)


def overdue(session: Session, *, person_id: int | None = None, unit_id: int | None = None,
            on: date | None = None) -> list[DeadlineItem]:
    day = on or today()
    q = _deadline_query(person_id, unit_id).where(Assignment.deadline < day)
    return [DeadlineItem(*row) for row in session.execute(q)]


def due_soon(session: Session, *, within_working_days: int = 2, person_id: int | None = None,
             unit_id: int | None = None, on: date | None = None) -> list[DeadlineItem]:
    day = on or today()
    limit = deadline_from_working_days(day, within_working_days)
    q = _deadline_query(person_id, unit_id).where(Assignment.deadline >= day,
                                                  Assignment.deadline <= limit)
    return [DeadlineItem(*row) for row in session.execute(q)]
