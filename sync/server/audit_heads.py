"""Offices' audit heads, kept by the exchange server as an anchor outside the office.

An office deposits the MACed head of its audit log (``desk.audit_anchor``) after each
sync round; ``desk audit verify`` reads back the heads it deposited and reports the
log as truncated when one of them is no longer in its chain. The MAC key stays in the
office: the server stores the head as given and cannot forge one that verifies.

An agency deposits and reads its own heads only: they are filed under its own code,
and asking for another code is refused (not even an integration centre that may send
for that code reads them).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from sync.server.auth import Caller
from sync.server.db import audit_heads
from sync.server.errors import bad_request, forbidden

MAX_PER_AGENCY = 1000  # history kept per agency; the oldest go first
LIST_LIMIT = 200
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MAX_INT = 2**62


def _bad(detail_vi: str, detail_en: str) -> Exception:
    return bad_request("bad_audit_head", f"Mốc nhật ký không hợp lệ: {detail_vi}.",
                       f"Invalid audit head: {detail_en}.")


def parse_head(raw: bytes) -> dict[str, Any]:
    """The head in a deposit body ``{"head": {id, hash, count, at, mac}}``, checked field by field."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _bad("nội dung không phải JSON", "the body is not JSON") from None
    head = body.get("head") if isinstance(body, dict) else None
    if not isinstance(head, dict):
        raise _bad("thiếu trường head", "no head object")
    out: dict[str, Any] = {}
    for name in ("id", "count"):
        v = head.get(name)
        if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < _MAX_INT:
            raise _bad(f"trường {name} phải là số nguyên không âm", f"{name} must be a non-negative integer")
        out[name] = v
    h = head.get("hash")
    if not isinstance(h, str) or not (h == "" or _HEX64.fullmatch(h)):
        raise _bad("trường hash phải là 64 chữ số hex", "hash must be 64 hex digits")
    if (h == "") != (out["id"] == 0):
        raise _bad("hash và id không khớp nhau", "hash and id disagree")
    out["hash"] = h
    mac = head.get("mac")
    if not isinstance(mac, str) or not _HEX64.fullmatch(mac):
        raise _bad("trường mac phải là 64 chữ số hex", "mac must be 64 hex digits")
    out["mac"] = mac
    at = head.get("at")
    if not isinstance(at, str) or not 0 < len(at) <= 40 or not at.isascii() or not at.isprintable():
        raise _bad("trường at phải là thời điểm", "at must be a time")
    out["at"] = at
    return out


def deposit(engine: Engine, caller: Caller, head: dict[str, Any]) -> bool:
    """File ``head`` under the caller's own code; False when it was already there."""
    try:
        return _deposit(engine, caller, head)
    except IntegrityError:  # the same head deposited twice at once: the other one filed it
        return False


def _deposit(engine: Engine, caller: Caller, head: dict[str, Any]) -> bool:
    with engine.begin() as conn:
        seen = conn.execute(select(func.count()).select_from(audit_heads).where(
            audit_heads.c.code == caller.code, audit_heads.c.head_id == head["id"],
            audit_heads.c.hash == head["hash"], audit_heads.c.mac == head["mac"])).scalar_one()
        if seen:
            return False
        conn.execute(insert(audit_heads).values(
            code=caller.code, head_id=head["id"], hash=head["hash"], count=head["count"],
            at=head["at"], mac=head["mac"], received_at=time.time()))
        keep = select(audit_heads.c.id).where(audit_heads.c.code == caller.code) \
            .order_by(audit_heads.c.id.desc()).limit(MAX_PER_AGENCY)
        conn.execute(delete(audit_heads).where(audit_heads.c.code == caller.code,
                                               audit_heads.c.id.not_in(keep.scalar_subquery())))
    return True


def own_heads(engine: Engine, caller: Caller, asked: str) -> list[dict[str, Any]]:
    """The caller's heads, newest first; asking for any other agency's is refused."""
    asked = asked.strip()
    if asked and asked != caller.code:
        raise forbidden("audit_heads_not_yours",
                        f"Đơn vị {caller.code} chỉ được đọc mốc nhật ký của chính mình, không của {asked}.",
                        f"Agency {caller.code} may read only its own audit heads, not those of {asked}.")
    with engine.connect() as conn:
        rows = conn.execute(select(audit_heads).where(audit_heads.c.code == caller.code)
                            .order_by(audit_heads.c.id.desc()).limit(LIST_LIMIT)).all()
    out = []
    for row in rows:
        r = row._mapping  # (a Row's .count is the tuple method, not the column)
        out.append({"id": int(r["head_id"]), "hash": r["hash"], "count": int(r["count"]), "at": r["at"],
                    "mac": r["mac"], "received_at": r["received_at"]})
    return out
