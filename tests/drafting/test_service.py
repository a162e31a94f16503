"""Drafts in a real store: creation, replies, versions through checkout/checkin and the watcher."""

from __future__ import annotations

import os
import time
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from desk.drafting import DraftWatcher, checkin, checkout, versions, work_path
from desk.drafting.fill import document_text
from desk.errors import ConflictError, StateError, ValidationError
from desk.models import AuditEntry, Document, DocumentEvent, Person
from desk.office import Office
from desk.services.documents import get_document
from tests.drafting.conftest import Staff, latest_draft_blob, new_draft, new_incoming


def _person(office: Office, pid: int) -> Person:
    with office.db.read() as s:
        p = s.get(Person, pid)
        assert p is not None
        return p


def _edit(path: Path, text: str) -> None:
    d = docx.Document(str(path))
    d.add_paragraph(text)
    d.save(str(path))


def test_create_draft_reply(office: Office, staff: Staff) -> None:
    incoming = new_incoming(office, staff)
    doc_id = new_draft(office, staff, "cong-van", response_for_id=incoming)
    with office.db.read() as s:
        doc = get_document(s, doc_id)
        assert (doc.direction, doc.state, doc.doc_type) == ("out", "draft", "CV")
        assert doc.response_for_id == incoming
        assert [(a.kind, a.filename, a.position) for a in doc.attachments] == [
            ("draft", "du-thao-v1.docx", 0)]
        assert office.blobs.exists(doc.attachments[0].blob_sha256)
        assert [e.action for e in doc.events] == ["create"]
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "draft.create")).one()
        assert '"template":"cong-van"' in audit.data.replace(" ", "")


def test_create_draft_refusals(office: Office, staff: Staff) -> None:
    own = new_draft(office, staff, "cong-van")
    with pytest.raises(ValidationError) as not_in:
        new_draft(office, staff, "cong-van", response_for_id=own)
    assert not_in.value.code == "not_incoming"
    with pytest.raises(ValidationError) as wrong_type:
        new_draft(office, staff, "quyet-dinh", doc_type="CV")
    assert wrong_type.value.code == "template_type"
    with pytest.raises(ValidationError) as unknown:
        new_draft(office, staff, "cong-dien")
    assert unknown.value.code == "no_template" and "cong-van" in unknown.value.vi
    with office.db.read() as s:
        assert s.scalars(select(Document).where(Document.direction == "out")).all() == [
            s.get(Document, own)]


def test_checkout_checkin_versions(office: Office, staff: Staff) -> None:
    doc_id = new_draft(office, staff, "to-trinh")
    who = _person(office, staff.specialist)
    path = checkout(office, doc_id)
    assert path == work_path(office, doc_id) and path.parent == office.paths.home / "work" / str(doc_id)
    assert not checkin(office, doc_id, who)  # unchanged: no version
    _edit(path, "Bổ sung ý kiến của Phòng Tài chính – Kế hoạch.")
    assert checkin(office, doc_id, who)
    assert not checkin(office, doc_id, who)
    _edit(path, "Lần sửa thứ hai.")
    assert checkin(office, doc_id, who)
    with office.db.read() as s:
        vs = versions(s, doc_id)
        assert [v.number for v in vs] == [1, 2, 3]
        assert [v.filename for v in vs] == ["du-thao-v1.docx", "du-thao-v2.docx", "du-thao-v3.docx"]
        assert len({v.sha256 for v in vs}) == 3 and all(v.saved_by == who.id for v in vs)
        doc = get_document(s, doc_id)
        assert [a.position for a in doc.attachments] == [0, 1, 2]
        edits = [e for e in doc.events if e.action == "edit"]
        assert [e.data["draft_version"] for e in edits] == [2, 3]  # type: ignore[index]
        for v in vs:  # every version is intact in the store
            assert office.blobs.hash_of(v.sha256) == v.sha256
    assert "Lần sửa thứ hai." in document_text(office.blobs.path_for(vs[-1].sha256))
    assert "Lần sửa thứ hai." not in document_text(office.blobs.path_for(vs[1].sha256))


def test_checkout_never_overwrites_unsaved_work(office: Office, staff: Staff) -> None:
    doc_id = new_draft(office, staff, "bao-cao")
    path = checkout(office, doc_id)
    _edit(path, "Chưa lưu thành phiên bản.")
    edited = path.read_bytes()
    with pytest.raises(ConflictError) as err:
        checkout(office, doc_id)
    assert err.value.code == "unsaved_work" and path.read_bytes() == edited
    assert checkin(office, doc_id, _person(office, staff.specialist))
    assert checkout(office, doc_id).read_bytes() == edited
    # A working copy of an older version is simply replaced by the latest.
    path.write_bytes(office.blobs.read_bytes(versions_first(office, doc_id)))
    assert checkout(office, doc_id).read_bytes() == edited


def versions_first(office: Office, doc_id: int) -> str:
    with office.db.read() as s:
        return versions(s, doc_id)[0].sha256


def test_half_saved_file_is_refused_and_nothing_recorded(office: Office, staff: Staff) -> None:
    doc_id = new_draft(office, staff, "ke-hoach")
    path = checkout(office, doc_id)
    path.write_bytes(path.read_bytes()[:2000])  # the word processor is still writing
    with pytest.raises(ValidationError) as err:
        checkin(office, doc_id, _person(office, staff.specialist))
    assert err.value.code == "bad_docx"
    with office.db.read() as s:
        assert len(versions(s, doc_id)) == 1


def test_checkin_refused_after_submission_keeps_file(office: Office, staff: Staff) -> None:
    from desk import workflow

    doc_id = new_draft(office, staff, "thong-bao")
    path = checkout(office, doc_id)
    with office.db.write() as s:
        workflow.apply(s, get_document(s, doc_id), "submit_review", staff.specialist)
    _edit(path, "Sửa sau khi đã trình.")
    kept = path.read_bytes()
    with pytest.raises(StateError):
        checkin(office, doc_id, _person(office, staff.specialist))
    assert path.read_bytes() == kept
    with office.db.read() as s:
        assert len(versions(s, doc_id)) == 1


def _touch_later(path: Path) -> None:
    st = path.stat()  # make sure the mtime moves even on a coarse clock
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_watcher_polls_each_save(office: Office, staff: Staff) -> None:
    doc_id = new_draft(office, staff, "giay-moi")
    path = checkout(office, doc_id)
    seen: list[int] = []
    w = DraftWatcher(office, doc_id, _person(office, staff.specialist), interval=0.05,
                     on_version=seen.append)
    assert not w.poll()
    _edit(path, "Lưu lần 1.")
    _touch_later(path)
    assert not w.poll()  # changed: waits one interval for the save to finish
    assert w.poll()
    assert not w.poll()
    _edit(path, "Lưu lần 2.")
    _touch_later(path)
    w.poll()
    assert w.poll()
    assert seen == [1, 2]
    with office.db.read() as s:
        assert len(versions(s, doc_id)) == 3


def test_watcher_thread_and_final_flush(office: Office, staff: Staff) -> None:
    doc_id = new_draft(office, staff, "quyet-dinh")
    path = checkout(office, doc_id)
    w = DraftWatcher(office, doc_id, _person(office, staff.specialist), interval=0.05)
    w.start()
    try:
        _edit(path, "Lưu khi luồng nền đang chạy.")
        _touch_later(path)
        deadline = time.monotonic() + 60  # a deadline, not a time asserted: Wine under load is slow
        while w.versions_added < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert w.versions_added == 1
        _edit(path, "Lưu ngay trước khi đóng.")
        _touch_later(path)
    finally:
        w.stop()  # the last save is checked in even if no poll saw it settle
    assert w.versions_added == 2 and w.errors == []
    with office.db.read() as s:
        assert len(versions(s, doc_id)) == 3
        assert latest_draft_blob(office, doc_id) == versions(s, doc_id)[-1].sha256
        assert s.scalars(select(DocumentEvent).where(DocumentEvent.document_id == doc_id,
                                                     DocumentEvent.action == "edit")).all()


def test_editor_presence_follows_lock_files(tmp_path: Path) -> None:
    from desk.drafting.watch import EditorPresence, lock_files

    doc = tmp_path / "du-thao-12.docx"
    doc.write_bytes(b"")
    presence = EditorPresence(doc)
    assert not presence.closed()  # never opened yet: keep waiting
    for lock in (tmp_path / ".~lock.du-thao-12.docx#", tmp_path / "~$-thao-12.docx"):
        assert lock in lock_files(doc)
        lock.write_text("owner")
        assert not presence.closed()
        lock.unlink()
        assert presence.closed()
        presence.seen_open = False


def test_a_half_saved_file_is_looked_at_again_not_reported(office: Office, staff: Staff) -> None:
    """An editor that pauses mid-save leaves a file that looks settled but is not a whole
    .docx yet: the watcher waits for the rest; bytes that stay broken are reported once."""
    doc_id = new_draft(office, staff, "quyet-dinh")
    path = checkout(office, doc_id)
    w = DraftWatcher(office, doc_id, _person(office, staff.specialist), interval=0.05)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # the editor paused half-way
    _touch_later(path)
    assert not w.poll() and not w.poll()  # seen changed, then settled: tried, not reported
    assert w.errors == []
    path.write_bytes(whole)  # ... and finished saving
    _edit(path, "Lưu xong.")
    _touch_later(path)
    w.poll()
    assert w.poll() and w.errors == [] and w.versions_added == 1
    path.write_bytes(b"not a docx at all")
    _touch_later(path)
    w.poll(), w.poll()  # tried once: maybe still saving
    assert w.errors == []
    w.poll(), w.poll()  # the same bytes again: now it is said
    assert [e.code for e in w.errors] == ["bad_docx"]
