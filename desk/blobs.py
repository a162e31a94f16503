"""Content-addressed blob store (SHA-256).

A file is written to a temporary name in the store, fsynced, then renamed into
place and the folder fsynced, so a crash leaves either no file or the whole
file. Identical content is stored once. The database row for a blob is added
only after the file is durable; a crash between the two leaves an orphan file
(harmless, reported by fsck), never a row pointing at nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from desk.errors import StorageError

CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (a rename into it) durable.

    Windows cannot open a directory with ``os.open`` (PermissionError) and NTFS
    journals the rename itself, so there is nothing to do there.
    """
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a closed file's data to disk.

    Opened for writing (without truncating): Windows' FlushFileBuffers refuses a
    handle opened read-only (PermissionError), POSIX accepts either.
    """
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


_fsync_dir = fsync_dir  # the name used inside this module


def sha256_file(path: Path) -> str:
    """SHA-256 (hex) of a file, read in blocks."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._tmp = self.root / "tmp"

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_stream(self, stream: BinaryIO) -> StoredBlob:
        digest = hashlib.sha256()
        size = 0
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="in-")
        except OSError as exc:
            raise self._write_error(exc) from exc
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.is_file() and final.stat().st_size == size:
                tmp.unlink()
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, final)
                _fsync_dir(final.parent)
            return StoredBlob(sha, size, final)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise self._write_error(exc) from exc

    @staticmethod
    def _write_error(exc: OSError) -> StorageError:
        return StorageError(
            f"Không ghi được tệp vào kho lưu trữ ({exc.strerror}). "
            "Hãy kiểm tra dung lượng đĩa và quyền ghi của thư mục dữ liệu.",
            f"Could not write the file to the store ({exc.strerror}). "
            "Check free disk space and write permission on the data folder.",
            code="blob_write",
        )

    def put_file(self, path: Path) -> StoredBlob:
        with open(path, "rb") as f:
            return self.put_stream(f)

    def put_bytes(self, data: bytes) -> StoredBlob:
        import io

        return self.put_stream(io.BytesIO(data))

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path_for(sha256), "rb")
        except FileNotFoundError:
            raise StorageError(
                f"Thiếu tệp {sha256[:12]}… trong kho lưu trữ. Hãy chạy 'desk fsck' và khôi phục từ bản sao lưu.",
                f"File {sha256[:12]}… is missing from the store. Run 'desk fsck' and restore from a backup.",
                code="blob_missing",
            ) from None

    def read_bytes(self, sha256: str) -> bytes:
        with self.open(sha256) as f:
            return f.read()

    def iter_stored(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and len(sub.name) == 2:
                for f in sorted(sub.iterdir()):
                    if f.is_file():
                        yield sub.name + f.name

    def hash_of(self, sha256: str) -> str:
        return sha256_file(self.path_for(sha256))

    def copy_to(self, sha256: str, dest: Path) -> None:
        shutil.copyfile(self.path_for(sha256), dest)


@dataclass
class FsckReport:
    checked: int = 0
    damaged: list[str] = field(default_factory=list)  # content no longer matches its hash
    missing: list[str] = field(default_factory=list)  # referenced in the database, not on disk
    orphans: list[str] = field(default_factory=list)  # on disk, not referenced

    @property
    def ok(self) -> bool:
        return not self.damaged and not self.missing


def fsck(store: BlobStore, referenced: set[str]) -> FsckReport:
    report = FsckReport()
    on_disk = set()
    for sha in store.iter_stored():
        on_disk.add(sha)
        report.checked += 1
        if store.hash_of(sha) != sha:
            report.damaged.append(sha)
        elif sha not in referenced:
            report.orphans.append(sha)
    report.missing = sorted(referenced - on_disk)
    return report
