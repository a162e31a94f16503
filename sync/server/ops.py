"""The exchange operations on the database and blob store (synchronous; run off the loop)."""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from sync.axis import hash_file_matches
from sync.edxml import MessageHeader, Package, StatusCode, StatusHeader, parse_file
from sync.errors import EdxmlError
from sync.server.auth import Caller
from sync.server.db import agencies, deliveries, documents, uploads
from sync.server.errors import ApiError, bad_request, forbidden, not_found
from sync.server.store import BlobStore

ACK_STATES = ("done", "fail", "processing")
# A delivery row for a recipient the server does not know: kept so that the sender's
# getSentEdocList shows it, never listed to anyone as received.
UNKNOWN = "unknown"
STATUS_DESC = {
    "pending": "Chờ nhận",
    "processing": "Đang xử lý",
    "done": "Đã nhận",
    "fail": "Nhận lỗi",
    UNKNOWN: "Đơn vị nhận chưa đăng ký trên trục, không chuyển được",
}
_NOT_WAITING = ("done", UNKNOWN)


def fmt_time(ts: float | None) -> str:
    return "" if ts is None else datetime.fromtimestamp(ts).strftime("%d/%m/%Y %H:%M:%S")


def parse_to(value: str) -> list[str]:
    """The ``to`` parameter: JSON list of codes or of objects with a code, or comma text."""
    value = value.strip()
    if not value:
        return []
    try:
        obj = json.loads(value)
    except json.JSONDecodeError:
        return [v.strip() for v in value.split(",") if v.strip()]
    items = obj if isinstance(obj, list) else [obj]
    out: list[str] = []
    for it in items:
        if isinstance(it, str):
            out.append(it.strip())
        elif isinstance(it, dict):
            code = it.get("code") or it.get("OrganId") or it.get("organId") or it.get("id")
            if isinstance(code, str):
                out.append(code.strip())
    return [c for c in out if c]


@dataclass(frozen=True)
class SendRequest:
    from_code: str
    message_type: str
    declared_hash: str
    to: list[str]


def send_request(params: dict[str, str]) -> SendRequest:
    from_code = params.get("from", "").strip()
    mt = params.get("messagetype", "edoc").strip().lower() or "edoc"
    declared = params.get("hash-file", "").strip()
    if not from_code:
        raise bad_request("missing_param", "Thiếu tham số from.", "Missing parameter: from.")
    if mt not in ("edoc", "status"):
        raise bad_request(
            "bad_param", f"messagetype không hợp lệ: {mt}.", f"Invalid messagetype: {mt}."
        )
    if not declared:
        raise bad_request(
            "missing_param", "Thiếu tham số hash-file.", "Missing parameter: hash-file."
        )
    return SendRequest(from_code, mt, declared, parse_to(params.get("to", "")))


def check_sender(caller: Caller, from_code: str) -> None:
    if from_code not in caller.codes:
        raise forbidden(
            "send_as_other",
            f"Hệ thống {caller.system_id} không được gửi thay đơn vị {from_code}.",
            f"System {caller.system_id} may not send as {from_code}.",
        )


def _validate(req: SendRequest, path: Path, size: int, digest: bytes) -> Package:
    if not hash_file_matches(req.declared_hash, digest):
        raise ApiError(
            "400",
            "hash_mismatch",
            "Mã băm của gói tin (hash-file) không khớp nội dung nhận được.",
            "The package hash (hash-file) does not match the content received.",
        )
    try:
        pkg = parse_file(path)
    except EdxmlError as exc:
        raise ApiError("422", exc.code, exc.vi, exc.en) from None
    if pkg.kind != req.message_type:
        raise bad_request(
            "kind_mismatch",
            f"messagetype={req.message_type} nhưng gói tin là {pkg.kind}.",
            f"messagetype={req.message_type} but the package is a {pkg.kind}.",
        )
    if pkg.sender != req.from_code:
        raise forbidden(
            "sender_mismatch",
            f"Đơn vị gửi trong gói tin ({pkg.sender}) khác tham số from ({req.from_code}).",
            f"The package's sender ({pkg.sender}) differs from the from parameter ({req.from_code}).",
        )
    return pkg


@dataclass(frozen=True)
class Routing:
    """Where a package goes: recipients the server knows, and those it does not."""

    known: list[str]
    unknown: list[str]


def _recipients(engine: Engine, req: SendRequest, pkg: Package) -> Routing:
    """Deliver to every known recipient; report the unknown ones; refuse when none is known.

    A status goes to ``ResponseFor/OrganId`` alone (it has no To): spec §1 and §4.
    """
    wanted = req.to if (req.to and pkg.kind == "edoc") else list(pkg.recipients)
    wanted = [c for c in dict.fromkeys(wanted) if c]
    with engine.connect() as conn:
        known = set(
            conn.execute(
                select(agencies.c.code).where(
                    agencies.c.code.in_(wanted), agencies.c.deleted.is_(False)
                )
            ).scalars()
        )
    unknown = [c for c in wanted if c not in known]
    if not known:
        raise ApiError(
            "404",
            "recipient_unknown",
            f"Đơn vị nhận chưa đăng ký trên trục: {', '.join(unknown) or '(trống)'}.",
            f"Recipient not registered on the exchange: {', '.join(unknown) or '(none)'}.",
        )
    return Routing([c for c in wanted if c in known], unknown)


def check_status_party(engine: Engine, pkg: Package) -> None:
    """A status is accepted only between the two parties of a delivered document.

    01–06, 02, 15, 16 come from an agency the document was delivered to and go to its
    sender; 13 (thu hồi) comes from the sender and goes to an agency it was delivered
    to. Anything else is a forgery (or a status for a document this server never
    carried) and is refused, so no agency can move another's per-recipient table.
    """
    h = pkg.header
    assert isinstance(h, StatusHeader)
    target, addressee, author = h.response_for.document_id, h.response_for.organ_id, pkg.sender
    if h.status_code is StatusCode.REVOKE:
        sender, receiver = author, addressee
    else:
        sender, receiver = addressee, author
    q = (
        select(func.count())
        .select_from(deliveries.join(documents, deliveries.c.doc_id == documents.c.id))
        .where(
            documents.c.message_type == "edoc",
            documents.c.edxml_document_id == target,
            documents.c.sender_code == sender,
            deliveries.c.receiver_code == receiver,
            deliveries.c.status != UNKNOWN,
        )
    )
    with engine.connect() as conn:
        if conn.execute(q).scalar_one() == 0:
            raise forbidden(
                "status_not_party",
                f"Trạng thái {h.status_code.value} bị từ chối: đơn vị {author} không phải "
                f"{'nơi gửi' if sender == author else 'nơi nhận'} của văn bản {target or '(trống)'} "
                "trên trục này.",
                f"Status {h.status_code.value} refused: agency {author} is not the "
                f"{'sender' if sender == author else 'a recipient'} of document "
                f"{target or '(none)'} on this exchange.",
            )


def unknown_recipients(engine: Engine, doc_id: str) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(deliveries.c.receiver_code)
                .where(deliveries.c.doc_id == doc_id, deliveries.c.status == UNKNOWN)
                .order_by(deliveries.c.id)
            ).scalars()
        )


def _key(pkg: Package) -> tuple[str, str, str, str]:
    h = pkg.header
    if isinstance(h, StatusHeader):
        return h.response_for.document_id, "", "", h.status_code.value
    assert isinstance(h, MessageHeader)
    notation = "/".join(p for p in (h.code.code_number, h.code.code_notation) if p)
    return h.document_id, h.subject, notation, ""


def _existing(engine: Engine, sender: str, mt: str, edxml_id: str, sha: str) -> str | None:
    with engine.connect() as conn:
        found: str | None = conn.execute(
            select(documents.c.id).where(
                documents.c.sender_code == sender,
                documents.c.message_type == mt,
                documents.c.edxml_document_id == edxml_id,
                documents.c.content_sha256 == sha,
            )
        ).scalar()
    return found


def send(
    engine: Engine,
    store: BlobStore,
    caller: Caller,
    req: SendRequest,
    path: Path,
    size: int,
    digest: bytes,
    upload_id: str | None = None,
) -> tuple[str, list[str]]:
    """Validate, store durably and deliver one package; the same package twice gives one DocId.

    Returns the DocId and the recipients the server does not know (not delivered).
    """
    check_sender(caller, req.from_code)
    pkg = _validate(req, path, size, digest)
    routing = _recipients(engine, req, pkg)
    if pkg.kind == "status":
        check_status_party(engine, pkg)
    edxml_id, title, notation, status_code = _key(pkg)
    sha = digest.hex()
    found = _existing(engine, req.from_code, req.message_type, edxml_id, sha)
    if found:
        path.unlink(missing_ok=True)
        if upload_id:
            with engine.begin() as conn:
                conn.execute(update(uploads).where(uploads.c.id == upload_id).values(doc_id=found))
        return found, unknown_recipients(engine, found)
    if path.stat().st_size != size:
        os.truncate(path, size)  # drop the transport's trailing CRLF before storing
    doc_id = uuid.uuid4().hex
    rel = store.commit(path, doc_id)
    now = time.time()
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(documents).values(
                    id=doc_id,
                    sender_code=req.from_code,
                    system_id=caller.system_id,
                    message_type=req.message_type,
                    edxml_document_id=edxml_id,
                    content_sha256=sha,
                    size=size,
                    blob=rel,
                    title=title[:2000],
                    notation=notation[:100],
                    status_code=status_code,
                    created_at=now,
                )
            )
            conn.execute(
                insert(deliveries),
                # Every row names every column: executemany compiles from the first row.
                [
                    dict(doc_id=doc_id, receiver_code=c, status=st, created_at=now, updated_at=now)
                    for c, st in [(c, "pending") for c in routing.known]
                    + [(c, UNKNOWN) for c in routing.unknown]
                ],
            )
            if upload_id:
                conn.execute(update(uploads).where(uploads.c.id == upload_id).values(doc_id=doc_id))
    except IntegrityError:
        # A concurrent identical send won the race: deliver it once.
        store.doc_path(rel).unlink(missing_ok=True)
        again = _existing(engine, req.from_code, req.message_type, edxml_id, sha)
        if again is None:
            raise
        return again, unknown_recipients(engine, again)
    return doc_id, routing.unknown


def list_received(engine: Engine, caller: Caller, message_type: str) -> list[dict[str, Any]]:
    q = (
        select(documents, deliveries.c.receiver_code, deliveries.c.status, deliveries.c.updated_at)
        .join(deliveries, deliveries.c.doc_id == documents.c.id)
        .where(
            deliveries.c.receiver_code.in_(caller.codes),
            deliveries.c.status.not_in(_NOT_WAITING),
            documents.c.message_type == message_type,
        )
        .order_by(documents.c.created_at)
    )
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        {
            "docId": r.id,
            "serviceType": r.service_type,
            "messageType": r.message_type,
            "from": r.sender_code,
            "to": r.receiver_code,
            "status": r.status,
            "status_desc": STATUS_DESC.get(r.status, r.status),
            "created_time": fmt_time(r.created_at),
            "updated_time": fmt_time(r.updated_at),
            # Desk additions (Gson-based axis clients ignore unknown members).
            "size": r.size,
            "sha256": r.content_sha256,
        }
        for r in rows
    ]


def open_for_read(
    engine: Engine, store: BlobStore, caller: Caller, doc_id: str
) -> tuple[Path, int, str]:
    """The blob of a document the caller may read (a recipient, or its sender)."""
    with engine.begin() as conn:
        doc = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
        mine = doc is not None and (
            doc.sender_code in caller.codes
            or conn.execute(
                select(func.count())
                .select_from(deliveries)
                .where(
                    deliveries.c.doc_id == doc_id,
                    deliveries.c.receiver_code.in_(caller.codes),
                    deliveries.c.status != UNKNOWN,
                )
            ).scalar_one()
            > 0
        )
        if doc is None or not mine:
            # The same answer for "absent" and "not yours": no probing of other mailboxes.
            raise not_found(f"Không tìm thấy văn bản {doc_id}.", f"Document {doc_id} not found.")
        conn.execute(
            update(deliveries)
            .where(
                deliveries.c.doc_id == doc_id,
                deliveries.c.receiver_code.in_(caller.codes),
                deliveries.c.received_at.is_(None),
            )
            .values(received_at=time.time())
        )
    return store.doc_path(doc.blob), doc.size, doc.content_sha256


def update_status(engine: Engine, caller: Caller, doc_id: str, status: str) -> None:
    status = status.strip().lower()
    if status not in ACK_STATES:
        raise bad_request(
            "bad_param",
            f"Trạng thái không hợp lệ: {status} (done, fail, processing).",
            f"Invalid status: {status} (done, fail, processing).",
        )
    now = time.time()
    with engine.begin() as conn:
        res = conn.execute(
            update(deliveries)
            .where(
                deliveries.c.doc_id == doc_id,
                deliveries.c.receiver_code.in_(caller.codes),
                deliveries.c.status != UNKNOWN,
            )
            .values(status=status, updated_at=now)
        )
        if res.rowcount == 0:
            raise not_found(f"Không tìm thấy văn bản {doc_id}.", f"Document {doc_id} not found.")


def list_sent(
    engine: Engine, caller: Caller, message_type: str, doc_id: str = ""
) -> list[dict[str, Any]]:
    cond = [documents.c.sender_code.in_(caller.codes), documents.c.message_type == message_type]
    if doc_id:
        cond.append(documents.c.id == doc_id)
    q = (
        select(documents, deliveries.c.receiver_code, deliveries.c.status, deliveries.c.received_at)
        .join(deliveries, deliveries.c.doc_id == documents.c.id)
        .where(and_(*cond))
        .order_by(documents.c.created_at, deliveries.c.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        {
            "serviceType": r.service_type,
            "messageType": r.message_type,
            "senderDocId": r.id,
            "receiverDocId": r.id,
            "fromCode": r.sender_code,
            "toCode": r.receiver_code,
            "title": r.title,
            "notation": r.notation,
            "sentTime": fmt_time(r.created_at),
            "receivedTime": fmt_time(r.received_at),
            "sendStatus": "fail" if r.status == UNKNOWN else "done",
            "sendStatusDesc": STATUS_DESC[UNKNOWN] if r.status == UNKNOWN else "Đã gửi lên trục",
            "receiveStatus": r.status,
            "receiveStatusDesc": STATUS_DESC.get(r.status, r.status),
        }
        for r in rows
    ]


def count_received(engine: Engine, caller: Caller, message_type: str) -> int:
    q = (
        select(func.count())
        .select_from(deliveries.join(documents, deliveries.c.doc_id == documents.c.id))
        .where(
            deliveries.c.receiver_code.in_(caller.codes),
            deliveries.c.status.not_in(_NOT_WAITING),
            documents.c.message_type == message_type,
        )
    )
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())
