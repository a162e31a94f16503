from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desk import workflow
from desk.errors import DeskError, StateError
from desk.i18n import set_language
from desk.models import DocumentEvent, OutboxItem, Person
from desk.office import Office
from desk.reference import AssignmentRole
from desk.services import documents as docs
from desk.services import registers, routing

from .helpers import get, new_incoming


def test_assigning_an_unregistered_document_is_refused_in_vietnamese(office: Office, staff) -> None:
    d = new_incoming(office, staff.clerk)
    with office.db.write() as s, pytest.raises(StateError) as e:
        routing.assign(s, get(s, d), s.get(Person, staff.leader),
                       [routing.AssignTarget(AssignmentRole.LEAD, person_id=staff.specialist)])
    assert str(e.value) == "Không thể thực hiện «Phân công xử lý» với văn bản đang ở trạng thái «Chờ vào sổ»."
    set_language("en")
    assert str(e.value) == "Cannot assign a document that is awaiting registration."


def test_editing_a_released_document_is_refused(office: Office, staff) -> None:
    with office.db.write() as s:
        d = docs.create_outgoing(s, office.blobs, docs.DocumentInput(doc_type="TB", subject="Thông báo lịch họp"),
                                 s.get(Person, staff.clerk))
        for action in ("submit", "sign", "release"):
            workflow.apply(s, d, action, staff.leader)
        doc_id = d.id
    with office.db.write() as s, pytest.raises(StateError) as e:
        docs.update_metadata(s, get(s, doc_id), {"subject": "Sửa"}, s.get(Person, staff.clerk))
    assert "Đã phát hành" in str(e.value)
    with office.db.read() as s:
        assert get(s, doc_id).subject == "Thông báo lịch họp"


def test_each_step_records_its_edxml_status_code(office: Office, staff) -> None:
    d = new_incoming(office, staff.clerk, source="exchange", edxml_document_id="000.00.00.H49,2026/11/02,123/UBND-NN")
    with office.db.write() as s:
        doc = get(s, d)
        registers.register_incoming(s, doc, s.get(Person, staff.clerk))
        routing.assign(s, doc, s.get(Person, staff.leader),
                       [routing.AssignTarget(AssignmentRole.LEAD, person_id=staff.specialist)])
        routing.report_progress(s, doc, s.get(Person, staff.specialist), 40, "Đang soạn báo cáo")
        routing.finish(s, doc, s.get(Person, staff.specialist), "Đã báo cáo")
    with office.db.read() as s:
        codes = [e.status_code for e in s.scalars(select(DocumentEvent).where(
            DocumentEvent.document_id == d).order_by(DocumentEvent.id))]
        outbox = s.scalars(select(OutboxItem).order_by(OutboxItem.id)).all()
    assert codes == ["01", "03", "04", "05", "06"]
    # The sender hears of each step through the outbox, written with the step.
    assert [o.status_code for o in outbox] == ["01", "03", "04", "05", "06"]
    assert {o.payload["to"] for o in outbox} == {"000.00.00.H49"}


def test_paper_documents_send_no_statuses(office: Office, staff) -> None:
    d = new_incoming(office, staff.clerk)
    with office.db.write() as s:
        registers.register_incoming(s, get(s, d), s.get(Person, staff.clerk))
    with office.db.read() as s:
        assert s.scalars(select(OutboxItem)).all() == []


ACTIONS = sorted({a for steps in workflow.STEPS.values() for a in steps} - {"receive", "create"})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(direction=st.sampled_from(["in", "out"]), actions=st.lists(st.sampled_from(ACTIONS), max_size=12))
def test_the_state_machine_never_reaches_a_forbidden_state(office: Office, staff, direction, actions) -> None:
    with office.db.write() as s:
        data = docs.DocumentInput(doc_type="CV", subject="Kiểm thử")
        creator = docs.create_incoming if direction == "in" else docs.create_outgoing
        doc = creator(s, office.blobs, data, s.get(Person, staff.clerk))
        state = doc.state
        for action in actions:
            step = workflow.STEPS[direction].get(action)
            allowed = step is not None and state in step.sources
            if allowed:
                workflow.apply(s, doc, action, staff.clerk)
                state = step.target or state
            else:
                with pytest.raises(StateError):
                    workflow.apply(s, doc, action, staff.clerk)
            assert doc.state == state
            assert doc.state in workflow.STATES[direction]
        history = s.scalars(select(DocumentEvent).where(DocumentEvent.document_id == doc.id)
                            .order_by(DocumentEvent.id)).all()
        # The history is a chain: every step starts where the previous one ended.
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_state == before.to_state
        assert history[-1].to_state == doc.state


def test_every_error_has_both_languages() -> None:
    with pytest.raises(DeskError) as exc:
        workflow.check("in", "done", "register")
    assert exc.value.vi and exc.value.en and exc.value.vi != exc.value.en


def test_unknown_document(office: Office, staff) -> None:
    with office.db.read() as s, pytest.raises(DeskError) as e:
        docs.get_document(s, 4242)
    assert str(e.value) == "Không tìm thấy văn bản #4242."
