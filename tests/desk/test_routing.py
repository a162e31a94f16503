from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from desk import clock
from desk.errors import PermissionDenied, ValidationError
from desk.models import Assignment, Opinion, Person
from desk.office import Office
from desk.reference import AssignmentRole
from desk.services import registers, routing
from desk.services.routing import AssignTarget

from .helpers import get, new_incoming

LEAD, SUPPORT, INFO = AssignmentRole.LEAD, AssignmentRole.SUPPORT, AssignmentRole.INFO


def _registered(office: Office, staff) -> int:
    d = new_incoming(office, staff.clerk)
    with office.db.write() as s:
        registers.register_incoming(s, get(s, d), s.get(Person, staff.clerk))
        routing.present(s, get(s, d), s.get(Person, staff.clerk), s.get(Person, staff.leader))
    return d


def test_assign_lead_support_and_info_with_a_deadline(office: Office, staff) -> None:
    d = _registered(office, staff)
    due = clock.today() + timedelta(days=10)
    with office.db.write() as s:
        made = routing.assign(s, get(s, d), s.get(Person, staff.leader), [
            AssignTarget(LEAD, person_id=staff.specialist), AssignTarget(SUPPORT, unit_id=staff.unit),
            AssignTarget(INFO, person_id=staff.specialist2)], due, "Đề nghị xử lý trước hạn")
        assert [a.role for a in made] == ["chu_tri", "phoi_hop", "de_biet"]
        assert get(s, d).state == "in_progress" and get(s, d).due_date == due


def test_exactly_one_lead(office: Office, staff) -> None:
    d = _registered(office, staff)
    with office.db.write() as s, pytest.raises(ValidationError) as e:
        routing.assign(s, get(s, d), s.get(Person, staff.leader), [AssignTarget(SUPPORT, unit_id=staff.unit)])
    assert "chủ trì" in str(e.value)
    with office.db.write() as s, pytest.raises(ValidationError):
        routing.assign(s, get(s, d), s.get(Person, staff.leader), [
            AssignTarget(LEAD, person_id=staff.specialist), AssignTarget(LEAD, person_id=staff.specialist2)])


def test_only_a_leader_assigns(office: Office, staff) -> None:
    d = _registered(office, staff)
    with office.db.write() as s, pytest.raises(PermissionDenied):
        routing.assign(s, get(s, d), s.get(Person, staff.clerk), [AssignTarget(LEAD, person_id=staff.specialist)])


def test_progress_opinions_and_finish(office: Office, staff) -> None:
    d = _registered(office, staff)
    with office.db.write() as s:
        routing.assign(s, get(s, d), s.get(Person, staff.leader), [
            AssignTarget(LEAD, person_id=staff.specialist), AssignTarget(SUPPORT, unit_id=staff.unit)])
    with office.db.write() as s:
        routing.report_progress(s, get(s, d), s.get(Person, staff.specialist), 60, "Đã tổng hợp số liệu")
        # A member of the supporting unit works through the unit's assignment.
        routing.add_opinion(s, get(s, d), s.get(Person, staff.specialist2), "Thống nhất số liệu")
        routing.finish(s, get(s, d), s.get(Person, staff.specialist2))
        assert get(s, d).state == "in_progress"  # the supporting part alone does not close it
        routing.finish(s, get(s, d), s.get(Person, staff.specialist), "Đã có văn bản trả lời")
        assert get(s, d).state == "done"
    with office.db.read() as s:
        ops = s.scalars(select(Opinion).where(Opinion.document_id == d)).all()
        assert [(o.kind, o.progress) for o in ops] == [("progress", 60), ("opinion", None)]
        assert {a.state for a in s.scalars(select(Assignment))} == {"done"}


def test_someone_not_assigned_cannot_report(office: Office, staff) -> None:
    d = _registered(office, staff)
    with office.db.write() as s:
        routing.assign(s, get(s, d), s.get(Person, staff.leader), [AssignTarget(LEAD, person_id=staff.specialist)])
    with office.db.write() as s, pytest.raises(PermissionDenied) as e:
        routing.report_progress(s, get(s, d), s.get(Person, staff.specialist2), 10, "x")
    assert "không được giao" in str(e.value)


def test_return_to_the_leader_and_reassign(office: Office, staff) -> None:
    d = _registered(office, staff)
    with office.db.write() as s:
        routing.assign(s, get(s, d), s.get(Person, staff.leader), [AssignTarget(LEAD, person_id=staff.specialist)])
    with office.db.write() as s:
        routing.return_to_leader(s, get(s, d), s.get(Person, staff.specialist), "Không thuộc lĩnh vực phụ trách")
        assert get(s, d).state == "presented"
    with office.db.write() as s:
        routing.assign(s, get(s, d), s.get(Person, staff.leader), [AssignTarget(LEAD, person_id=staff.specialist2)])
        assert get(s, d).state == "in_progress"


def test_overdue_and_due_soon(office: Office, staff) -> None:
    docs = [_registered(office, staff) for _ in range(3)]
    today = clock.today()
    with office.db.write() as s:
        for d, days in zip(docs, (1, 30, 2), strict=False):
            routing.assign(s, get(s, d), s.get(Person, staff.leader),
                           [AssignTarget(LEAD, person_id=staff.specialist)], today + timedelta(days=days))
    later = today + timedelta(days=5)
    with office.db.read() as s:
        late = routing.overdue(s, person_id=staff.specialist, on=later)
        assert [i.document_id for i in late] == [docs[0], docs[2]]
        assert routing.overdue(s, person_id=staff.specialist2, on=later) == []
        soon = routing.due_soon(s, within_working_days=3, on=today)
        assert docs[1] not in [i.document_id for i in soon]
        assert docs[0] in [i.document_id for i in soon]


def test_deadline_in_working_days_skips_weekends_and_holidays() -> None:
    # Friday 24/4/2026 + 3 working days: Giỗ Tổ (10/3 lunar) is Sunday 26/4, so Monday 27/4
    # is its nghỉ bù; Tue 28 and Wed 29 count, 30/4 and 1/5 are holidays → Monday 4/5.
    assert routing.deadline_from_working_days(date(2026, 4, 24), 3) == date(2026, 5, 4)
    # Wednesday 29/4/2026 + 1: 30/4 and 1/5 off, then the weekend → Monday 4/5.
    assert routing.deadline_from_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)


def test_deadline_in_the_past_is_refused(office: Office, staff) -> None:
    d = _registered(office, staff)
    with office.db.write() as s, pytest.raises(ValidationError):
        routing.assign(s, get(s, d), s.get(Person, staff.leader), [AssignTarget(LEAD, person_id=staff.specialist)],
                       clock.today() - timedelta(days=1))
