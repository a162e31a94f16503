"""The one writer and reader of outbox items: what the sync engine must send, typed.

Every status (01 … 16) and every package to send is queued through
:func:`queue_status` or :func:`queue_package`, inside the transaction of the
change that causes it. An item's JSON payload is read back only through
:func:`read_payload` (or :func:`status_payload` / :func:`package_payload`), which
checks its shape and returns a :class:`StatusPayload` or a :class:`PackagePayload`;
a damaged row is a :class:`~desk.errors.StorageError` for that item alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from desk.clock import now
from desk.errors import StorageError
from desk.models import OutboxItem

#: edXML Bussiness types of a package: new, (1 unused here), update, replace.
NEW, UPDATE, REPLACE = 0, 2, 3
REVOKE = 1  # never queued: a revocation is status 13
BUSINESS_TYPES = (NEW, REVOKE, UPDATE, REPLACE)
NOTE_LIMIT = 500  # characters of a status' note (edXML Description)


def _bad(what: str) -> StorageError:
    return StorageError(f"Mục chờ gửi bị hỏng: {what}.", f"A damaged outbox item: {what}.",
                        code="bad_outbox_payload")


def _text(data: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _bad(f"'{key}' is not text")
    return value


def _codes(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(c, str) and c for c in value):
        raise _bad(f"'{key}' is not a list of office codes")
    return tuple(value)


def _mapping(data: object) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _bad("the payload is not a JSON object")
    return data


@dataclass(frozen=True)
class Delivery:
    """What the server said when the item was sent (added to the payload then)."""

    server_id: str = ""
    unknown: tuple[str, ...] = ()  # recipients the server does not know

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> Delivery:
        unknown = _codes(data["unknown"], "unknown") if "unknown" in data else ()
        return Delivery(_text(data, "server_id"), unknown)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"server_id": self.server_id} if self.server_id else {}
        if self.unknown:
            out["unknown"] = list(self.unknown)
        return out


@dataclass(frozen=True)
class StatusPayload:
    """A status packet (QCVN 102 code in the row) about ``edxml_document_id`` for ``to``."""

    to: str
    edxml_document_id: str = ""
    note: str = ""
    delivery: Delivery = Delivery()

    @property
    def recipients(self) -> list[str]:
        return [self.to]

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> StatusPayload:
        to = _text(data, "to", required=True)
        if not to:
            raise _bad("a status without its recipient")
        return StatusPayload(to, _text(data, "edxml_document_id"), _text(data, "note"), Delivery.from_json(data))

    def to_json(self) -> dict[str, object]:
        return {"to": self.to, "edxml_document_id": self.edxml_document_id, "note": self.note,
                **self.delivery.to_json()}


@dataclass(frozen=True)
class PackagePayload:
    """The edXML package of a released document for ``to``; with ``business`` UPDATE or
    REPLACE it updates or replaces the released document ``target``."""

    to: tuple[str, ...]
    business: int = NEW
    target: str = ""
    reason: str = ""
    delivery: Delivery = Delivery()

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> PackagePayload:
        business = data.get("business", NEW)
        if isinstance(business, bool) or not isinstance(business, int) or business not in BUSINESS_TYPES:
            raise _bad(f"unknown business type {business!r}")
        target = _text(data, "target")
        if business in (UPDATE, REPLACE) and not target:
            raise _bad("an update or replacement without the document it changes")
        return PackagePayload(_codes(data.get("to"), "to"), business, target, _text(data, "reason"),
                              Delivery.from_json(data))

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"to": list(self.to), "business": self.business}
        if self.business != NEW:
            out.update(target=self.target, reason=self.reason)
        return {**out, **self.delivery.to_json()}

    @property
    def recipients(self) -> list[str]:
        return list(self.to)


Payload = StatusPayload | PackagePayload


def read_payload(item: OutboxItem) -> Payload:
    """The item's payload, checked against its kind."""
    readers: dict[str, Callable[[Mapping[str, Any]], Payload]] = {
        "status": StatusPayload.from_json, "edoc": PackagePayload.from_json}
    reader = readers.get(item.kind)
    if reader is None:
        raise _bad(f"unknown kind {item.kind!r}")
    return reader(_mapping(item.payload))


def status_payload(item: OutboxItem) -> StatusPayload:
    p = read_payload(item)
    if not isinstance(p, StatusPayload):
        raise _bad(f"item #{item.id} is not a status")
    return p


def package_payload(item: OutboxItem) -> PackagePayload:
    p = read_payload(item)
    if not isinstance(p, PackagePayload):
        raise _bad(f"item #{item.id} is not a package")
    return p


def record_delivery(item: OutboxItem, server_id: str, unknown: Sequence[str] = ()) -> None:
    """Keep the server's id of the sent item (and the recipients it did not know) in its payload."""
    p = read_payload(item)
    item.payload = replace(p, delivery=Delivery(server_id, tuple(unknown))).to_json()


def queue_status(session: Session, code: str, *, to: str, edxml_document_id: str | None,
                 note: str = "", document_id: int | None = None, at: datetime | None = None) -> OutboxItem:
    """A status packet (QCVN 102 code) about ``edxml_document_id`` for the office ``to``."""
    payload = StatusPayload(to, edxml_document_id or "", (note or "")[:NOTE_LIMIT])
    item = OutboxItem(kind="status", document_id=document_id, status_code=code,
                      payload=payload.to_json(), created_at=at or now(), attempts=0)
    session.add(item)
    return item


def queue_package(session: Session, document_id: int, to: Sequence[str], *, business: int = NEW,
                  target: str = "", reason: str = "", at: datetime | None = None) -> OutboxItem:
    """The edXML package of a released document for the offices ``to``; with ``business``
    UPDATE or REPLACE it updates or replaces the released document ``target``."""
    payload = PackagePayload(tuple(to), business, target, reason)
    item = OutboxItem(kind="edoc", document_id=document_id, payload=payload.to_json(),
                      created_at=at or now(), attempts=0)
    session.add(item)
    return item
