from __future__ import annotations

import pytest
from sqlalchemy import select

from desk.errors import PermissionDenied, StateError
from desk.models import DocumentEvent, Opinion, Person
from desk.office import Office
from desk.services import documents as docs
from desk.services import review

from .helpers import get


def test_draft_review_return_and_forward(office: Office, staff) -> None:
    with office.db.write() as s:
        d = docs.create_outgoing(s, office.blobs, docs.DocumentInput(doc_type="BC", subject="Báo cáo quý IV"),
                                 s.get(Person, staff.specialist))
        doc_id = d.id
    with office.db.write() as s:
        d, sp, head = get(s, doc_id), s.get(Person, staff.specialist), s.get(Person, staff.leader)
        review.submit_for_review(s, d, sp)
        review.comment(s, d, head, "Bổ sung số liệu tháng 11")
        review.return_draft(s, d, head, "Chưa đủ số liệu")
        assert d.state == "draft"
        review.submit_for_review(s, d, sp)
        with pytest.raises(PermissionDenied):
            review.approve(s, d, sp)
        review.approve(s, d, head)
        assert d.state == "awaiting_signature"
        with pytest.raises(StateError):
            review.submit_for_review(s, d, sp)
    with office.db.read() as s:
        actions = [e.action for e in s.scalars(select(DocumentEvent).where(DocumentEvent.document_id == doc_id)
                                               .order_by(DocumentEvent.id))]
        assert actions == ["create", "submit_review", "comment", "return", "submit_review", "approve"]
        assert [o.text for o in s.scalars(select(Opinion))] == ["Bổ sung số liệu tháng 11"]


def test_a_reviewer_revises_the_word_draft_and_it_becomes_a_version(office: Office, staff, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import docx

    from desk.drafting import checkin, checkout, create_draft, versions

    with office.db.write() as s:
        d = create_draft(s, office.blobs, docs.DocumentInput(doc_type="CV", subject="Về việc họp giao ban"),
                         "cong-van", s.get(Person, staff.specialist))
        doc_id = d.id
        review.submit_for_review(s, d, s.get(Person, staff.specialist))
    path = checkout(office, doc_id)
    w = docx.Document(str(path))
    w.add_paragraph("Bổ sung: thành phần dự họp gồm lãnh đạo các phòng.")
    w.save(str(path))
    with office.db.read() as s:
        head = s.get(Person, staff.leader)
    assert checkin(office, doc_id, head) is True
    with office.db.read() as s:
        assert [v.number for v in versions(s, doc_id)] == [1, 2]
        assert get(s, doc_id).state == "in_review"
        actions = [e.action for e in s.scalars(select(DocumentEvent).where(DocumentEvent.document_id == doc_id))]
        assert actions[-1] == "revise"
