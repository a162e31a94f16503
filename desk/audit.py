"""Append-only, hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited entry breaks its own hash and a deleted one breaks the next entry's
link. The head (last id and hash) is also kept in ``meta`` so that removing the
newest entries is caught too. SQLite triggers refuse UPDATE and DELETE on the
table; verification catches changes made by going around them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.clock import now
from desk.db import db_time, raw
from desk.models import AuditEntry, Meta

GENESIS = "0" * 64
_HEAD_KEY = "audit_head"
_INSERT = (
    "INSERT INTO audit_log(at, actor, action, entity, entity_id, data, prev_hash, hash) "
    "VALUES (:at, :actor, :action, :entity, :eid, :data, :prev, :hash)"
)
_HEAD = "SELECT value FROM meta WHERE key = :k"
_SET_HEAD = ("INSERT INTO meta(key, value) VALUES (:k, :v) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value")


@dataclass(frozen=True)
class AuditRecord:
    id: int
    hash: str


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(
    prev_hash: str, at: datetime, actor: str | None, action: str, entity: str,
    entity_id: str | None, data: str,
) -> str:
    payload = _canonical(
        {"prev": prev_hash, "at": at.isoformat(), "actor": actor, "action": action,
         "entity": entity, "entity_id": entity_id, "data": data}
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session, actor: str | None, action: str, entity: str,
    entity_id: object = None, **data: Any,
) -> AuditRecord:
    """Append an entry in the caller's transaction (which must be a write transaction)."""
    con = raw(session)
    row = con.execute(_HEAD, {"k": _HEAD_KEY}).fetchone()
    prev_hash = json.loads(row[0])["hash"] if row else GENESIS
    at = now()
    data_json = _canonical(data)
    eid = None if entity_id is None else str(entity_id)
    digest = entry_hash(prev_hash, at, actor, action, entity, eid, data_json)
    cur = con.execute(_INSERT, {
        "at": db_time(at), "actor": actor, "action": action, "entity": entity, "eid": eid,
        "data": data_json, "prev": prev_hash, "hash": digest})
    new_id = int(cur.lastrowid)
    con.execute(_SET_HEAD, {"k": _HEAD_KEY, "v": json.dumps({"id": new_id, "hash": digest})})
    return AuditRecord(new_id, digest)


@dataclass(frozen=True)
class AuditProblem:
    entry_id: int | None
    kind: str  # edited | missing | head
    detail: str


def verify(session: Session) -> tuple[int, list[AuditProblem]]:
    """Walk the chain; returns (entries checked, problems found)."""
    problems: list[AuditProblem] = []
    prev_hash = GENESIS
    prev_id = 0
    count = 0
    rows = session.execute(
        select(AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action,
               AuditEntry.entity, AuditEntry.entity_id, AuditEntry.data,
               AuditEntry.prev_hash, AuditEntry.hash).order_by(AuditEntry.id)
    )
    for row in rows:
        count += 1
        if row.id != prev_id + 1 or row.prev_hash != prev_hash:
            problems.append(AuditProblem(row.id, "missing",
                                         f"entries between #{prev_id} and #{row.id} were removed"
                                         if row.id != prev_id + 1 else
                                         f"entry #{row.id} does not follow #{prev_id}"))
        expected = entry_hash(row.prev_hash, row.at, row.actor, row.action, row.entity,
                              row.entity_id, row.data)
        if expected != row.hash:
            problems.append(AuditProblem(row.id, "edited", f"entry #{row.id} was changed"))
        prev_hash, prev_id = row.hash, row.id
    head = session.get(Meta, _HEAD_KEY)
    if head is not None:
        h = json.loads(head.value)
        if h["id"] != prev_id or h["hash"] != prev_hash:
            problems.append(AuditProblem(h["id"], "head",
                                         f"the log ends at #{prev_id} but its head says #{h['id']}"))
    elif count:
        problems.append(AuditProblem(None, "head", "the log has no recorded head"))
    return count, problems

