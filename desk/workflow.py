"""Document state machines, as data.

Each direction has a table of allowed steps: from which states, to which state,
and which edXML status code (QCVN 102) the step produces. ``apply`` is the only
way a document changes state; it records the step in the document's history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from desk.clock import now
from desk.db import db_time, raw
from desk.errors import StateError
from desk.models import Document
from desk.outbox import queue_status
from desk.search import enqueue

_EVENT = (
    "INSERT INTO document_events(document_id, at, actor_id, action, from_state, to_state, "
    "status_code, note, data) VALUES (:d, :at, :actor, :action, :from, :to, :code, :note, :data)"
)


@dataclass(frozen=True)
class State:
    code: str
    vi: str
    en: str


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[str | None]
    target: str | None  # None: the state does not change
    status_code: str | None
    vi: str
    en: str


def _step(action: str, sources: set[str] | set[str | None] | set[None], target: str | None, code: str | None,
          vi: str, en: str) -> Step:
    return Step(action, frozenset[str | None](sources), target, code, vi, en)


INCOMING_STATES = (
    State("received", "Chờ vào sổ", "Awaiting registration"),
    State("registered", "Chờ trình", "Awaiting presentation"),
    State("presented", "Chờ xử lý", "Awaiting the leader"),
    State("in_progress", "Đang xử lý", "In progress"),
    State("done", "Hoàn thành", "Done"),
    State("refused", "Đã từ chối", "Refused"),
    State("revoked", "Đã thu hồi", "Revoked"),
)
OUTGOING_STATES = (
    State("draft", "Dự thảo", "Draft"),
    State("in_review", "Chờ duyệt", "In review"),
    State("awaiting_signature", "Chờ ký", "Awaiting signature"),
    State("awaiting_release", "Chờ phát hành", "Awaiting release"),
    State("released", "Đã phát hành", "Released"),
    State("revoked", "Đã thu hồi", "Revoked"),
)
STATES = {"in": {s.code: s for s in INCOMING_STATES}, "out": {s.code: s for s in OUTGOING_STATES}}

_ACTIVE_IN = {"received", "registered", "presented", "in_progress"}
#: Incoming states still being handled (lists, deadlines and counts use them).
ACTIVE_IN = frozenset(_ACTIVE_IN)

# Status codes (QCVN 102): 01 đã đến, 02 từ chối, 03 đã tiếp nhận, 04 phân công,
# 05 đang xử lý, 06 hoàn thành, 13 thu hồi, 15 đồng ý thu hồi/cập nhật, 16 từ chối.
INCOMING_STEPS = (
    _step("receive", {None}, "received", "01", "Tiếp nhận", "Receive"),
    _step("register", {"received"}, "registered", "03", "Vào sổ đến", "Register"),
    _step("refuse", {"received"}, "refused", "02", "Từ chối tiếp nhận", "Refuse"),
    _step("present", {"registered"}, "presented", None, "Trình lãnh đạo", "Present to leader"),
    _step("assign", {"registered", "presented", "in_progress"}, "in_progress", "04",
          "Phân công xử lý", "Assign"),
    _step("progress", {"in_progress"}, None, "05", "Cập nhật tiến độ", "Report progress"),
    _step("opinion", {"presented", "in_progress", "done"}, None, None, "Cho ý kiến", "Give opinion"),
    _step("return", {"in_progress"}, "presented", None, "Trả lại lãnh đạo", "Return to leader"),
    _step("finish", {"in_progress"}, "done", "06", "Hoàn thành", "Finish"),
    _step("edit", {"received", "registered", "presented"}, None, None, "Sửa thông tin", "Edit"),
    # The sender revoked it (13): we agree (15) and withdraw it (Decree 30 App. VI).
    _step("revoke", _ACTIVE_IN | {"done"}, "revoked", "15", "Thu hồi theo yêu cầu nơi gửi",
          "Revoked at the sender's request"),
)
OUTGOING_STEPS = (
    _step("create", {None}, "draft", None, "Tạo dự thảo", "Create draft"),
    _step("edit", {"draft"}, None, None, "Sửa dự thảo", "Edit draft"),
    # The head of unit reviews a specialist's draft, then forwards it to the leader.
    _step("submit_review", {"draft"}, "in_review", None, "Trình duyệt", "Submit for review"),
    _step("approve", {"in_review"}, "awaiting_signature", None, "Duyệt, trình ký",
          "Approve and forward to the leader"),
    _step("comment", {"draft", "in_review", "awaiting_signature"}, None, None, "Góp ý", "Comment"),
    # The head of unit (or the leader) edits the draft while reviewing it.
    _step("revise", {"in_review", "awaiting_signature"}, None, None, "Sửa dự thảo khi duyệt",
          "Revise draft"),
    _step("submit", {"draft"}, "awaiting_signature", None, "Trình ký", "Submit for signature"),
    _step("return", {"in_review", "awaiting_signature"}, "draft", None, "Trả lại dự thảo",
          "Return draft"),
    _step("sign", {"awaiting_signature"}, "awaiting_release", None, "Ký duyệt", "Sign"),
    _step("release", {"awaiting_release"}, "released", None, "Phát hành", "Release"),
    _step("revoke", {"released"}, "revoked", "13", "Thu hồi", "Revoke"),
    # A recipient's status (01 … 06, 02, 15, 16) arrived through the exchange.
    _step("recipient_status", {"released", "revoked"}, None, None, "Nơi nhận báo trạng thái",
          "Recipient status"),
)
STEPS = {
    "in": {s.action: s for s in INCOMING_STEPS},
    "out": {s.action: s for s in OUTGOING_STEPS},
}
# Codes the receiving office reports back to the sender through the exchange.
REPORTED_CODES = {"01", "02", "03", "04", "05", "06", "15", "16"}


def state_label(direction: str, state: str) -> str:
    from desk.i18n import t

    s = STATES[direction].get(state)
    return t(s.vi, s.en) if s else state


def step_for(direction: str, action: str) -> Step:
    return STEPS[direction][action]


class Stateful(Protocol):
    """A document, a search hit or a list row: what the table needs to answer."""

    @property
    def direction(self) -> str: ...
    @property
    def state(self) -> str: ...


def can(doc: Stateful, action: str) -> bool:
    """True if the table allows ``action`` from the document's state (what a front end may offer)."""
    step = STEPS[doc.direction].get(action)
    return step is not None and doc.state in step.sources


def allowed_actions(doc: Stateful) -> list[str]:
    return [a for a, s in STEPS[doc.direction].items() if doc.state in s.sources]


def check(doc_direction: str, doc_state: str | None, action: str) -> Step:
    step = STEPS[doc_direction].get(action)
    if step is None or doc_state not in step.sources:
        name_vi = step.vi if step else action
        name_en = step.en if step else action
        known = STATES[doc_direction].get(doc_state or "")
        vi_state, en_state = (known.vi, known.en) if known else ("—", "new")
        raise StateError(
            f"Không thể thực hiện «{name_vi}» với văn bản đang ở trạng thái «{vi_state}».",
            f"Cannot {name_en.lower()} a document that is {en_state.lower()}.",
            code=f"forbidden_{action}",
        )
    return step


def apply(
    session: Session, doc: Document, action: str, actor_id: int | None,
    note: str | None = None, data: dict[str, object] | None = None,
) -> int:
    """Move ``doc`` by ``action`` (or raise StateError) and record it in the history; returns the event id.

    When the document came through the exchange and the step has a status code
    the sender should hear about, an outbox item is written in the same
    transaction for the sync engine to send.
    """
    prev = doc.state
    step = check(doc.direction, prev, action)
    at = now()
    if step.target is not None:
        doc.state = step.target
    doc.updated_at = at
    if doc.id is None:
        session.flush()
    # Written as plain statements: this is the hot path of every user action.
    cur = raw(session).execute(_EVENT, {
        "d": doc.id, "at": db_time(at), "actor": actor_id, "action": action, "from": prev,
        "to": doc.state, "code": step.status_code, "note": note,
        "data": json.dumps(data, ensure_ascii=False, default=str) if data is not None else None,
    })
    event_id = int(cur.lastrowid)
    enqueue(session, doc.id)
    if (
        step.status_code in REPORTED_CODES
        and doc.direction == "in"
        and doc.source == "exchange"
        and doc.issuer_code
    ):
        queue_status(session, step.status_code, to=doc.issuer_code,
                     edxml_document_id=doc.edxml_document_id, note=note or "", document_id=doc.id, at=at)
    return event_id
