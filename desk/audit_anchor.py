"""Anchors for the audit log, and the cross-check of records against it.

The hash chain (``desk.audit``) finds an edited or removed entry, but whoever can write
the database can also delete the newest entries and rewrite ``meta.audit_head``, or
empty the log. So the head is MACed with a key kept outside the database (a 0600 key
file, ``DESK_AUDIT_KEY_FILE`` or ``<data folder>/keys/audit.key``) and copied out:
into every backup's manifest and the office's anchor file. ``desk audit verify`` then
checks that every anchor it holds is still in the chain (else: truncated or rewritten).

Register numbers and the key fields of documents are in the chain's entries (the
services record them); :func:`cross_check` compares the database with what the chain
says, so an edit made in the database by hand is found.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.audit import AuditProblem
from desk.clock import now
from desk.models import AuditEntry, Document, RegisterEntry

KEY_ENV = "DESK_AUDIT_KEY_FILE"
# AuditProblem.kind of an anchor older than a restore of a backup: said, not a problem.
SUPERSEDED = "superseded"
ANCHORS_FILE = "audit-anchors.jsonl"


def key_path(home: Path) -> Path:
    env = os.environ.get(KEY_ENV)
    return Path(env) if env else home / "keys" / "audit.key"


def load_key(home: Path, *, create: bool = True) -> bytes | None:
    path = key_path(home)
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(base64.b64encode(os.urandom(32)))
    return base64.b64decode(path.read_bytes().strip())


def _mac(key: bytes, head: dict[str, Any]) -> str:
    body = json.dumps({k: head[k] for k in ("id", "hash", "count", "at")}, sort_keys=True)
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def signed_head_of(database: Path, home: Path) -> dict[str, Any]:
    """The MACed head of the audit log in ``database`` (a live file or a backup snapshot)."""
    con = sqlite3.connect(str(database))
    try:
        row = con.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        count = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        con.close()
    return _signed(home, row[0] if row else 0, row[1] if row else "", count)


def signed_head(session: Session, home: Path) -> dict[str, Any]:
    """The MACed head of the office's live audit log (what the sync engine deposits)."""
    row = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return _signed(home, row[0] if row else 0, row[1] if row else "", int(count))


def _signed(home: Path, head_id: int, digest: str, count: int) -> dict[str, Any]:
    head: dict[str, Any] = {"id": int(head_id), "hash": digest, "count": count,
                            "at": now().isoformat(timespec="seconds")}
    key = load_key(home)
    assert key is not None
    head["mac"] = _mac(key, head)
    return head


def remember(home: Path, head: dict[str, Any]) -> None:
    """Keep an anchor in the office's anchor file (0600)."""
    path = home / ANCHORS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(json.dumps(head) + "\n")


def anchors(home: Path) -> list[dict[str, Any]]:
    path = home / ANCHORS_FILE
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            out.append(item)
    return out


def check_anchors(session: Session, home: Path, heads: list[dict[str, Any]],
                  where: str = "") -> list[AuditProblem]:
    """Every anchored head must still be in the chain, with the same hash.

    ``where`` names the anchors' keeper in the problems (e.g. "the exchange server").
    """
    key = load_key(home, create=False)
    problems: list[AuditProblem] = []
    if not heads:
        return problems
    if key is None:
        return [AuditProblem(None, "anchor", "the audit key is missing: the anchors cannot be checked")]
    last = session.execute(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)).scalar() or 0
    by = f" (kept by {where})" if where else ""
    for h in heads:
        try:
            ok = hmac.compare_digest(str(h.get("mac", "")).encode(), _mac(key, h).encode())
        except (KeyError, TypeError, ValueError):
            ok = False
        if not ok:
            problems.append(AuditProblem(None, "anchor", f"an anchor's MAC is wrong (forged or damaged){by}"))
            continue
        if not h["id"]:
            continue
        have = session.execute(select(AuditEntry.hash).where(AuditEntry.id == h["id"])).scalar()
        restored = _restored_after(session, str(h["at"]))
        if have != h["hash"] and restored is not None:
            problems.append(AuditProblem(int(h["id"]), SUPERSEDED,
                                         f"head #{h['id']} of {h['at']}{by} predates the restore of a "
                                         f"backup on {restored:%d/%m/%Y %H:%M}"))
        elif have is None:
            problems.append(AuditProblem(int(h["id"]), "head",
                                         f"the log ends at #{last} but was anchored at #{h['id']} "
                                         f"on {h['at']}{by}: newest entries were removed"))
        elif have != h["hash"]:
            problems.append(AuditProblem(int(h["id"]), "edited",
                                         f"entry #{h['id']} differs from its anchor of {h['at']}{by}"))
    return problems


def _restored_after(session: Session, at: str) -> datetime | None:
    """When a backup was restored after the time ``at`` (an anchor's), if it was."""
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return None
    return session.scalar(select(AuditEntry.at).where(AuditEntry.action == "audit.restored",
                                                       AuditEntry.at > when).order_by(AuditEntry.id.desc()))


def _expected(session: Session) -> tuple[dict[tuple[str, int], tuple[Any, ...]], dict[int, str]]:
    registers: dict[tuple[str, int], tuple[Any, ...]] = {}
    subjects: dict[int, str] = {}
    rows = session.execute(select(AuditEntry.action, AuditEntry.entity_id, AuditEntry.data)
                           .where(AuditEntry.entity == "document").order_by(AuditEntry.id))
    for action, eid, data in rows:
        if eid is None or not str(eid).isdigit():
            continue
        doc_id = int(eid)
        d = json.loads(data) if data else {}
        if action in ("register.in", "register.out"):
            registers[(action[-3:].lstrip("."), doc_id)] = (d.get("number"), d.get("year"), d.get("series"))
        elif "subject" in d and action.startswith("document."):
            subjects[doc_id] = str(d["subject"])
        elif action == "document.edit" and "subject" in d.get("changes", {}):
            subjects[doc_id] = str(d["changes"]["subject"][1])
    return registers, subjects


def cross_check(session: Session) -> list[AuditProblem]:
    """Register numbers and subjects in the database must be what the audit chain recorded."""
    registers, subjects = _expected(session)
    problems: list[AuditProblem] = []
    for e in session.scalars(select(RegisterEntry)):
        want = registers.get((e.book, e.document_id))
        if want is not None and want != (e.number, e.year, e.series):
            problems.append(AuditProblem(None, "record",
                                         f"register {e.book} of document #{e.document_id}: the database says "
                                         f"{e.number}/{e.year} but the audit log recorded {want[0]}/{want[1]}"))
    for doc_id, subject in session.execute(select(Document.id, Document.subject)):
        want_subject = subjects.get(doc_id)
        if want_subject is not None and want_subject != subject:
            problems.append(AuditProblem(None, "record",
                                         f"the subject of document #{doc_id} was changed outside Desk"))
    return problems
