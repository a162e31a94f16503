from __future__ import annotations

from pathlib import Path

import pytest

from desk.blobs import BlobStore, fsck
from desk.errors import StorageError


def test_identical_content_is_stored_once(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    a = store.put_bytes(b"%PDF-1.7 cong van")
    b = store.put_bytes(b"%PDF-1.7 cong van")
    c = store.put_bytes(b"%PDF-1.7 quyet dinh")
    assert a.sha256 == b.sha256 != c.sha256
    assert sorted(store.iter_stored()) == sorted({a.sha256, c.sha256})
    assert store.read_bytes(a.sha256) == b"%PDF-1.7 cong van"
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []  # no temporary file left


def test_fsck_finds_damaged_missing_and_orphan_files(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    good = store.put_bytes(b"good").sha256
    bad = store.put_bytes(b"will be damaged").sha256
    orphan = store.put_bytes(b"nobody points here").sha256
    store.path_for(bad).write_bytes(b"will be damagex")
    missing = "ab" * 32
    report = fsck(store, {good, bad, missing})
    assert report.damaged == [bad]
    assert report.missing == [missing]
    assert report.orphans == [orphan]
    assert not report.ok


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    with pytest.raises(StorageError) as e:
        store.open("cd" * 32)
    assert "desk fsck" in str(e.value)


def test_an_unwritable_store_is_a_clear_error(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    (tmp_path / "blobs").write_text("not a folder")
    with pytest.raises(StorageError) as e:
        store.put_bytes(b"x")
    assert "Không ghi được tệp" in str(e.value)
