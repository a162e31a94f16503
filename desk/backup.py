"""Backup and restore of an office: the SQLite database (online backup API) plus its blobs.

A backup is one tar file (``.deskbak``) with a manifest of hashes. Restore
unpacks into a new folder beside the data folder, verifies everything there
(database integrity, every blob's hash, every referenced blob present, the audit
chain), and only then swaps it in; the old data folder is kept, renamed, never
deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from desk.blobs import BlobStore, fsync_file
from desk.clock import now
from desk.errors import StorageError, ValidationError
from desk.office import Office
from desk.paths import DataPaths

FORMAT = "desk-backup/1"


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class BackupResult:
    path: Path
    documents: int
    blobs: int
    size: int


def backup(office: Office, dest: Path) -> BackupResult:
    dest = Path(dest)
    if str(dest).endswith(("/", os.sep)) or dest.is_dir() or not dest.suffix:
        dest.mkdir(parents=True, exist_ok=True)
        dest = dest / f"desk-{now():%Y%m%d-%H%M%S}.deskbak"
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".desk-backup-") as tmpd:
        snap = Path(tmpd) / "desk.sqlite3"
        src = sqlite3.connect(str(office.paths.database))
        try:
            dst = sqlite3.connect(str(snap))
            with dst:
                src.backup(dst)  # consistent snapshot while others keep working
            docs = dst.execute("SELECT count(*) FROM documents").fetchone()[0]
            referenced = [r[0] for r in dst.execute("SELECT sha256 FROM blobs")]
            revision = dst.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            dst.close()
        finally:
            src.close()
        manifest = {
            "format": FORMAT, "created_at": now().isoformat(), "schema": revision,
            "documents": docs, "database_sha256": _sha256_file(snap),
            "blobs": {sha: office.blobs.path_for(sha).stat().st_size
                      for sha in referenced if office.blobs.exists(sha)},
        }
        missing = [sha for sha in referenced if sha not in manifest["blobs"]]
        if missing:
            raise StorageError(
                f"Thiếu {len(missing)} tệp trong kho; hãy chạy 'desk fsck' trước khi sao lưu.",
                f"{len(missing)} files are missing from the store; run 'desk fsck' first.",
                code="backup_missing_blobs")
        mpath = Path(tmpd) / "manifest.json"
        mpath.write_text(json.dumps(manifest, indent=1), encoding="utf-8", newline="\n")
        partial = dest.with_name(dest.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(mpath, "manifest.json")
            tar.add(snap, "desk.sqlite3")
            for sha in manifest["blobs"]:
                tar.add(office.blobs.path_for(sha), f"blobs/{sha[:2]}/{sha[2:]}")
        fsync_file(partial)
        os.replace(partial, dest)
    return BackupResult(dest, docs, len(manifest["blobs"]), dest.stat().st_size)


@dataclass
class RestoreResult:
    home: Path
    documents: int
    blobs: int
    audit_entries: int
    previous: Path | None
    problems: list[str] = field(default_factory=list)


def _bad(vi: str, en: str) -> ValidationError:
    return ValidationError(vi, en, code="bad_backup")


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for m in tar.getmembers():
        name = m.name
        if not m.isfile() or name.startswith("/") or ".." in Path(name).parts:
            raise _bad(f"Bản sao lưu chứa mục không hợp lệ: {name!r}.",
                       f"The backup contains an invalid entry: {name!r}.")
        members.append(m)
    return members


def verify_folder(home: Path, manifest: dict[str, object]) -> tuple[int, int, int, list[str]]:
    """Check an unpacked office folder; returns (documents, blobs, audit entries, problems)."""
    from desk import audit
    from desk.blobs import fsck
    from desk.db import open_database

    problems = []
    db_path = home / "desk.sqlite3"
    if _sha256_file(db_path) != manifest["database_sha256"]:
        problems.append("database hash differs from the manifest")
    db = open_database(db_path, migrate=False)
    try:
        problems += [f"sqlite: {p}" for p in db.integrity_check()]
        with db.read() as s:
            from sqlalchemy import text

            docs = int(s.execute(text("SELECT count(*) FROM documents")).scalar() or 0)
            referenced = {r[0] for r in s.execute(text("SELECT sha256 FROM blobs"))}
            n_audit, audit_problems = audit.verify(s)
        problems += [f"audit: {p.detail}" for p in audit_problems]
    finally:
        db.dispose()
    report = fsck(BlobStore(home / "blobs"), referenced)
    problems += [f"blob damaged: {sha}" for sha in report.damaged]
    problems += [f"blob missing: {sha}" for sha in report.missing]
    return docs, report.checked, n_audit, problems


def restore(archive: Path, home: Path | None = None) -> RestoreResult:
    paths = DataPaths.resolve(home)
    target = paths.home
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        tar = tarfile.open(archive, "r")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise _bad(f"Không đọc được bản sao lưu {archive}: {exc}.",
                   f"Cannot read the backup {archive}: {exc}.") from exc
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-restore-"))
    try:
        with tar:
            members = _safe_members(tar)
            names = {m.name for m in members}
            if "manifest.json" not in names or "desk.sqlite3" not in names:
                raise _bad("Tệp này không phải bản sao lưu Desk.", "This is not a Desk backup.")
            tar.extractall(staging, members=members, filter="data")
        manifest = json.loads((staging / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise _bad("Định dạng bản sao lưu không được hỗ trợ.", "Unsupported backup format.")
        (staging / "manifest.json").unlink()
        docs, blobs, n_audit, problems = verify_folder(staging, manifest)
        if problems:
            raise _bad("Bản sao lưu bị hỏng, không khôi phục: " + "; ".join(problems[:5]),
                       "The backup is damaged; nothing restored: " + "; ".join(problems[:5]))
        previous = None
        if target.exists() and any(target.iterdir()):
            previous = target.with_name(f"{target.name}.before-restore-{now():%Y%m%d-%H%M%S}")
            os.replace(target, previous)
        elif target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # Open the restored office once: migrations (an older backup) and the search index.
    Office(DataPaths(target)).close()
    return RestoreResult(target, docs, blobs, n_audit, previous)
