"""Backup and restore of an office: the SQLite database (online backup API) plus its blobs.

A backup is one tar file (``.deskbak``) with a manifest of hashes. Restore
unpacks into a new folder beside the data folder, verifies everything there
(database integrity, every blob's hash, every referenced blob present, the audit
chain), and only then swaps it in; the old data folder is kept, renamed, never
deleted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.blobs import BlobStore, fsync_file, sha256_file
from desk.clock import now
from desk.errors import StorageError, ValidationError
from desk.office import Office
from desk.paths import DataPaths

FORMAT = "desk-backup/1"


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
            "documents": docs, "database_sha256": sha256_file(snap),
            "blobs": {sha: office.blobs.path_for(sha).stat().st_size
                      for sha in referenced if office.blobs.exists(sha)},
        }
        missing = [sha for sha in referenced if sha not in manifest["blobs"]]
        if missing:
            raise StorageError(
                f"Thiếu {len(missing)} tệp trong kho; hãy chạy 'desk fsck' trước khi sao lưu.",
                f"{len(missing)} files are missing from the store; run 'desk fsck' first.",
                code="backup_missing_blobs")
        # The audit head, MACed with the office's key: a later truncation of the log is found.
        from desk import audit_anchor

        manifest["audit_head"] = audit_anchor.signed_head_of(snap, office.paths.home)
        audit_anchor.remember(office.paths.home, manifest["audit_head"])
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
    config_restored: list[str] = field(default_factory=list)
    config_left: list[str] = field(default_factory=list)  # in the backup, not restored
    skipped: list[str] = field(default_factory=list)  # unknown entries, never restored


def _bad(vi: str, en: str) -> ValidationError:
    return ValidationError(vi, en, code="bad_backup")


# What a restore takes from a backup: the store (database) and the blobs; the search
# index is rebuilt. Configuration files (exchange connection, calendar, settings,
# templates) come back only when the user asks, after seeing them: a crafted backup
# must not plant ``verify = false`` or a template. Anything else is left in the archive.
_BLOB_NAME = re.compile(r"^blobs/[0-9a-f]{2}/[0-9a-f]{62}$")
CONFIG_FILES = ("exchange.toml", "calendar.toml", "settings.toml")
_CONFIG_DIRS = ("templates/",)
_DATA_ENTRIES = {"desk.sqlite3", "desk.sqlite3-wal", "desk.sqlite3-shm", "blobs", "index"}
MAX_MANIFEST_BYTES = 64 << 20


def _is_config(name: str) -> bool:
    return name in CONFIG_FILES or (name.startswith(_CONFIG_DIRS) and ".." not in Path(name).parts)


@dataclass
class BackupContents:
    data: list[tarfile.TarInfo]  # manifest, database, blobs
    config: list[tarfile.TarInfo]  # restored only on request
    skipped: list[str]  # neither: never restored


def _sort_members(tar: tarfile.TarFile) -> BackupContents:
    out = BackupContents([], [], [])
    for m in tar.getmembers():
        name = m.name
        if name.startswith("/") or ".." in Path(name).parts or "\\" in name:
            raise _bad(f"Bản sao lưu chứa mục không hợp lệ: {name!r}.",
                       f"The backup contains an invalid entry: {name!r}.")
        if m.isdir():
            continue
        if not m.isfile():
            raise _bad(f"Bản sao lưu chứa mục không hợp lệ: {name!r}.",
                       f"The backup contains an invalid entry: {name!r}.")
        if name in ("manifest.json", "desk.sqlite3") or _BLOB_NAME.match(name):
            out.data.append(m)
        elif _is_config(name):
            out.config.append(m)
        else:
            out.skipped.append(name)
    return out


def _read_manifest(path: Path) -> dict[str, Any]:
    bad = _bad("Tệp kê khai (manifest.json) của bản sao lưu bị hỏng hoặc không đúng định dạng.",
               "The backup's manifest (manifest.json) is damaged or malformed.")
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise bad
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise bad from None
    if not isinstance(manifest, dict):
        raise bad
    if manifest.get("format") != FORMAT:
        raise _bad("Định dạng bản sao lưu không được hỗ trợ.", "Unsupported backup format.")
    sha = manifest.get("database_sha256")
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise bad
    return manifest


def config_in_backup(archive: Path) -> dict[str, str]:
    """The configuration files a backup holds, name -> text, to show before restoring them."""
    out: dict[str, str] = {}
    try:
        with tarfile.open(archive, "r") as tar:
            for m in _sort_members(tar).config:
                f = tar.extractfile(m)
                data = f.read(1 << 20) if f is not None else b""
                out[m.name] = data.decode("utf-8", errors="replace")
    except (OSError, tarfile.TarError) as exc:
        raise _bad(f"Không đọc được bản sao lưu {archive}: {exc}.",
                   f"Cannot read the backup {archive}: {exc}.") from exc
    return out


def _make_private_tree(root: Path) -> None:
    if os.name != "posix":
        return
    for dirpath, _dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o700)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o600)


def _reset_anchors(target: Path, manifest: dict[str, Any]) -> None:
    """The restored log is the backup's: its anchor is the manifest's, older ones are kept aside."""
    from desk.audit_anchor import ANCHORS_FILE, remember

    old = target / ANCHORS_FILE
    if old.exists():
        os.replace(old, target / f"audit-anchors.before-restore-{now():%Y%m%d-%H%M%S}.jsonl")
    head = manifest.get("audit_head")
    if isinstance(head, dict):
        remember(target, head)


def _keep_current_config(previous: Path, target: Path) -> None:
    """Everything of the old folder that is not data (settings, keys, connection) stays."""
    for p in previous.iterdir():
        if p.name in _DATA_ENTRIES or p.name.startswith("desk.sqlite3") or (target / p.name).exists():
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.copytree(p, target / p.name, symlinks=True)
        elif p.is_file():
            shutil.copy2(p, target / p.name)


def verify_folder(home: Path, manifest: dict[str, object]) -> tuple[int, int, int, list[str]]:
    """Check an unpacked office folder; returns (documents, blobs, audit entries, problems)."""
    from desk import audit
    from desk.blobs import fsck
    from desk.db import open_database

    problems = []
    db_path = home / "desk.sqlite3"
    if sha256_file(db_path) != manifest["database_sha256"]:
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


def restore(archive: Path, home: Path | None = None, *, with_config: bool = False) -> RestoreResult:
    """Restore the store and blobs of ``archive`` into ``home``; its config files only if asked.

    The files of the current folder that are not data (connection, settings, keys) are kept.
    """
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
            contents = _sort_members(tar)
            names = {m.name for m in contents.data}
            if "manifest.json" not in names or "desk.sqlite3" not in names:
                raise _bad("Tệp này không phải bản sao lưu Desk.", "This is not a Desk backup.")
            members = contents.data + (contents.config if with_config else [])
            tar.extractall(staging, members=members, filter="data")
        manifest = _read_manifest(staging / "manifest.json")
        (staging / "manifest.json").unlink()
        _make_private_tree(staging)
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
        if previous is not None:
            _keep_current_config(previous, target)
            _reset_anchors(target, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # Open the restored office once: migrations (an older backup) and the search index; the
    # restore goes into its audit log, so the heads anchored since the backup (on the exchange
    # server) are known to be superseded by it, not cut off by someone.
    office = Office(DataPaths(target))
    try:
        from desk import audit

        anchored = manifest.get("audit_head")
        head: dict[str, Any] = anchored if isinstance(anchored, dict) else {}
        with office.db.write() as s:
            audit.record(s, None, "audit.restored", "backup", archive.name,
                         backup_head_id=head.get("id"), backup_head_hash=head.get("hash"))
    finally:
        office.close()
    result = RestoreResult(target, docs, blobs, n_audit, previous)
    result.config_restored = [m.name for m in contents.config] if with_config else []
    result.config_left = [] if with_config else [m.name for m in contents.config]
    result.skipped = contents.skipped
    return result
