"""Small builders shared by the core's tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from desk.models import Document, Person
from desk.office import Office
from desk.services.documents import DocumentInput, create_incoming


def new_incoming(office: Office, clerk_id: int, **fields: Any) -> int:
    data = dict(doc_type="CV", subject="Về việc tăng cường công tác phòng cháy, chữa cháy rừng",
                number="123", notation="UBND-NN", issuer_code="000.00.00.H49",
                issuer_name="Ủy ban nhân dân tỉnh Quảng Ninh")
    data.update(fields)
    text = data.pop("text", None)
    source = data.pop("source", "paper")
    with office.db.write() as s:
        doc = create_incoming(s, office.blobs, DocumentInput(**data), s.get(Person, clerk_id),
                              text=text, source=source)
        return doc.id


def get(session: Session, doc_id: int) -> Document:
    doc = session.get(Document, doc_id)
    assert doc is not None
    return doc
