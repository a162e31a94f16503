from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from desk.backup import backup, restore
from desk.errors import ValidationError
from desk.models import Person
from desk.office import Office
from desk.services import documents as docs

from .helpers import new_incoming


def _with_file(office: Office, staff, tmp_path: Path) -> None:
    f = tmp_path / "bien-ban.pdf"
    f.write_bytes(b"%PDF-1.4 not parsed here" + bytes(range(256)))
    with office.db.write() as s:
        docs.create_incoming(s, office.blobs, docs.DocumentInput(doc_type="BB", subject="Biên bản họp"),
                             s.get(Person, staff.clerk), files=[docs.FileInput(f)])
    new_incoming(office, staff.clerk)


def test_backup_then_restore_into_a_new_folder(office: Office, staff, tmp_path: Path) -> None:
    _with_file(office, staff, tmp_path)
    r = backup(office, tmp_path / "bk")
    assert r.documents == 2 and r.blobs == 1
    restored = restore(r.path, tmp_path / "other-pc")
    assert (restored.documents, restored.blobs) == (2, 1)
    assert restored.previous is None
    again = Office.open(tmp_path / "other-pc")
    try:
        assert [h.subject for h in again.search.search("bien ban")] == ["Biên bản họp"]
    finally:
        again.close()


def test_restore_keeps_the_old_data(office: Office, staff, tmp_path: Path) -> None:
    _with_file(office, staff, tmp_path)
    r = backup(office, tmp_path / "bk")
    office.close()
    restored = restore(r.path, office.paths.home)
    assert restored.previous is not None and (restored.previous / "desk.sqlite3").exists()


def test_a_damaged_backup_is_refused_and_nothing_changes(office: Office, staff, tmp_path: Path) -> None:
    _with_file(office, staff, tmp_path)
    r = backup(office, tmp_path / "bk")
    damaged = tmp_path / "damaged.deskbak"
    with tarfile.open(r.path) as src, tarfile.open(damaged, "w") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()  # type: ignore[union-attr]
            if m.name.startswith("blobs/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            import io

            dst.addfile(m, io.BytesIO(data))
    target = tmp_path / "target"
    with pytest.raises(ValidationError) as e:
        restore(damaged, target)
    assert "bị hỏng" in str(e.value) and "blob damaged" in str(e.value)
    assert not target.exists()
    assert not list(tmp_path.glob(".target-restore-*"))


def test_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "x.deskbak"
    junk.write_bytes(b"hello")
    with pytest.raises(ValidationError):
        restore(junk, tmp_path / "t")
