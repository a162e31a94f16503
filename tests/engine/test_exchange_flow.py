"""Offices exchanging documents and statuses through a real server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from desk.models import Document, InboxItem, OutboxItem, Person
from desk.reference import AssignmentRole, Role
from desk.services import registers, release, routing

from .conftest import Site, doc, outgoing


def incoming_docs(site: Site) -> list[Document]:
    with site.office.db.read() as s:
        rows = s.scalars(select(Document).where(Document.direction == "in")).all()
        for d in rows:
            d.attachments  # noqa: B018
        return list(rows)


def statuses(site: Site, doc_id: int) -> dict[str, str | None]:
    return {r.org_code: r.status_code for r in doc(site, doc_id).recipients}


def test_a_document_and_its_statuses_travel_both_ways(sites: dict[str, Site], tmp_path: Path) -> None:
    a, b, c = sites["a"], sites["b"], sites["c"]
    sent = outgoing(a, tmp_path, [b.code, c.code])
    ra = a.engine().run_once()
    assert (ra.sent, ra.errors) == (1, [])

    rb = b.engine().run_once()
    assert (rb.received, rb.errors) == (1, [])
    [got] = incoming_docs(b)
    original = doc(a, sent)
    assert got.subject == original.subject and got.number == original.number
    assert got.edxml_document_id == original.edxml_document_id
    assert got.issuer_code == a.code and got.state == "received" and got.source == "exchange"
    assert b.office.blobs.read_bytes(got.attachments[0].blob_sha256) == \
        a.office.blobs.read_bytes(original.attachments[0].blob_sha256)
    # 01 went back in the same round.
    with b.office.db.read() as s:
        assert [(o.status_code, o.sent_at is not None) for o in s.scalars(select(OutboxItem))] == [("01", True)]

    a.engine().run_once()
    assert statuses(a, sent) == {b.code: "01", c.code: None}

    clerk, leader, sp = b.person(Role.CLERK), b.person(Role.LEADER), b.person(Role.SPECIALIST)
    with b.office.db.write() as s:
        d = s.get(Document, got.id)
        registers.register_incoming(s, d, clerk)
        routing.assign(s, d, leader, [routing.AssignTarget(AssignmentRole.LEAD, person_id=sp.id)])
        routing.finish(s, d, s.get(Person, sp.id), "Đã triển khai")
    assert b.engine().run_once().sent == 3
    c.engine().run_once()
    a.engine().run_once()
    assert statuses(a, sent) == {b.code: "06", c.code: "01"}

    # Nothing is received twice.
    again = b.engine().run_once()
    assert (again.received, again.duplicates) == (0, 0)
    assert len(incoming_docs(b)) == 1


def test_revoke_reaches_the_recipient_and_its_agreement_comes_back(sites: dict[str, Site], tmp_path: Path) -> None:
    a, b = sites["a"], sites["b"]
    sent = outgoing(a, tmp_path, [b.code])
    a.engine().run_once()
    b.engine().run_once()
    with a.office.db.write() as s:
        release.revoke(s, s.get(Document, sent), a.person(Role.CLERK), "Sai sót về số liệu")
    a.engine().run_once()
    rb = b.engine().run_once()
    assert rb.statuses == 1
    [got] = incoming_docs(b)
    assert got.state == "revoked"
    a.engine().run_once()
    assert statuses(a, sent) == {b.code: "15"}
    assert doc(a, sent).state == "revoked"


def test_offline_work_is_queued_and_sent_when_the_link_returns(sites: dict[str, Site], tmp_path: Path) -> None:
    a, b = sites["a"], sites["b"]
    sent = outgoing(a, tmp_path, [b.code])
    offline = a.engine(url="http://127.0.0.1:9")  # nothing listens there
    r = offline.run_once()
    assert r.sent == 0 and r.errors and "Không kết nối được" in r.errors[0]
    st = offline.status()
    assert st.pending_out == 1 and st.last_error
    with a.office.db.write() as s:  # the backoff has passed
        for o in s.scalars(select(OutboxItem)):
            o.next_attempt_at = None
    assert a.engine().run_once().sent == 1
    assert b.engine().run_once().received == 1
    assert a.engine().status().pending_out == 0
    assert statuses(a, sent) == {b.code: None}


def test_a_hostile_package_is_refused_and_the_sender_told(sites: dict[str, Site], tmp_path: Path) -> None:
    a, b = sites["a"], sites["b"]
    evil = tmp_path / "evil.edxml"
    evil.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                     b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&e;</edXML>')
    from sync.errors import ServerRefused

    client = a.engine().client
    try:
        client.send_edoc(evil, to=[b.code])
        refused_by_server = False
    except ServerRefused:
        refused_by_server = True
    r = b.engine().run_once()
    assert incoming_docs(b) == [] and r.received == 0
    if not refused_by_server:
        # It reached B's mailbox: B refuses it, acknowledges it, and stores nothing.
        assert r.rejected == 1
        with b.office.db.read() as s:
            assert [i.state for i in s.scalars(select(InboxItem))] == ["quarantine"]


def test_a_replacement_withdraws_the_earlier_document_on_both_sides(sites: dict[str, Site], tmp_path: Path) -> None:
    from desk import workflow
    from desk.reference import Role as R
    from desk.services import documents as docs

    a, b = sites["a"], sites["b"]
    first = outgoing(a, tmp_path, [b.code], subject="Về việc lịch tiếp công dân tháng 12")
    a.engine().run_once()
    b.engine().run_once()
    clerk = a.person(R.CLERK)
    with a.office.db.write() as s:
        new = docs.create_outgoing(s, a.office.blobs, docs.DocumentInput(
            doc_type="CV", subject="Về việc lịch tiếp công dân tháng 12 (thay thế)", notation="UBND-VP"), clerk)
        workflow.apply(s, new, "submit", clerk.id)
        workflow.apply(s, new, "sign", clerk.id)
        release.release(s, new, clerk, [(b.code, "B")], replaces=s.get(Document, first),
                        reason="Thay đổi giờ tiếp công dân")
    assert doc(a, first).state == "revoked"
    a.engine().run_once()
    assert b.engine().run_once().received == 1
    states = {d.subject: d.state for d in incoming_docs(b)}
    assert states == {"Về việc lịch tiếp công dân tháng 12": "revoked",
                      "Về việc lịch tiếp công dân tháng 12 (thay thế)": "received"}
    a.engine().run_once()
    assert statuses(a, first) == {b.code: "15"}


def test_revoking_what_the_recipient_never_got_is_refused_with_16(sites: dict[str, Site], tmp_path: Path) -> None:
    a, b = sites["a"], sites["b"]
    sent = outgoing(a, tmp_path, [b.code])
    a.engine().run_once()
    b.engine().run_once()
    with b.office.db.write() as s:  # B no longer holds it (already withdrawn by hand)
        for d in s.scalars(select(Document).where(Document.direction == "in")):
            from desk import workflow

            workflow.apply(s, d, "revoke", None, note="Hủy theo yêu cầu")
    with a.office.db.write() as s:
        release.revoke(s, s.get(Document, sent), a.person(Role.CLERK), "Sai sót")
    a.engine().run_once()
    b.engine().run_once()
    a.engine().run_once()
    assert statuses(a, sent) == {b.code: "16"}


def test_a_damaged_outbox_item_fails_alone(sites: dict[str, Site], tmp_path: Path) -> None:
    """A payload that does not read as its kind (desk.outbox) is that item's error; the
    items behind it are still sent (issue 14: typed payload readers)."""
    from desk import outbox

    a, b = sites["a"], sites["b"]
    with a.office.db.write() as s:  # first in the queue
        bad = outbox.queue_status(s, "05", to=b.code, edxml_document_id="x")
        s.flush()
        bad.payload = {"to": [b.code]}  # a status names one office, as text
        bad_id = bad.id
    sent = outgoing(a, tmp_path, [b.code])
    r = a.engine().run_once()
    assert (r.sent, r.send_failed) == (1, 1)
    assert any("'to' is not text" in e for e in r.errors)
    with a.office.db.read() as s:
        row = s.get(OutboxItem, bad_id)
        assert row is not None and row.sent_at is None and row.attempts == 1
        assert "damaged outbox item" in (row.last_error or "") or "bị hỏng" in (row.last_error or "")
        [package] = s.scalars(select(OutboxItem).where(OutboxItem.document_id == sent)).all()
        assert package.sent_at is not None and outbox.read_payload(package).delivery.server_id
    assert b.engine().run_once().received == 1
