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
