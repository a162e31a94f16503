"""Shared helpers of the exchange tests (agency codes, package builders, the Exchange handle)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sync.client import ExchangeClient
from sync.edxml import (
    AttachmentSource,
    Code,
    MessageHeader,
    Organization,
    PromulgationInfo,
    ResponseFor,
    StatusCode,
    StatusHeader,
    write_package_file,
)
from sync.testing.server_proc import ServerProcess

A = "000.00.01.H49"
B = "000.00.02.H49"
C = "000.00.03.H49"  # a Desk agency without axis compatibility
CENTRE = "000.00.09.H49"  # may send and read for A
SAMPLE_FROM = "000.00.00.G22"
SAMPLE_TO = ("000.00.00.H41", "000.00.00.H14", "000.00.00.G17")


@dataclass
class Exchange:
    server: ServerProcess
    secrets: dict[str, str]

    def client(
        self, code: str, *, secret: str | None = None, url: str | None = None, **kw: object
    ) -> ExchangeClient:
        return ExchangeClient(url or self.server.url, code, secret or self.secrets[code], **kw)  # type: ignore[arg-type]


_numbers = itertools.count(1)


def make_edoc(
    folder: Path,
    sender: str,
    to: tuple[str, ...],
    *,
    payload: bytes = b"%PDF-1.7 test",
    number: int | None = None,
) -> Path:
    n = number if number is not None else next(_numbers)
    folder.mkdir(parents=True, exist_ok=True)
    att = folder / f"att{n}.pdf"
    att.write_bytes(payload)
    header = MessageHeader(
        from_=Organization(sender, f"Đơn vị {sender}"),
        to=tuple(Organization(t) for t in to),
        document_id=f"{sender},2026/11/25,{n}/UBND",
        code=Code(str(n), "UBND"),
        promulgation_info=PromulgationInfo("Hạ Long", date(2026, 11, 25)),
        subject=f"Văn bản thử số {n}",
    )
    path = folder / f"doc{n}.edxml"
    write_package_file(path, header, None, [AttachmentSource(att, "van-ban.pdf")])
    return path


def make_status(
    folder: Path, sender: str, original_sender: str, document_id: str, code: StatusCode
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    header = StatusHeader(
        response_for=ResponseFor(original_sender, "1/UBND", date(2026, 11, 25), document_id),
        from_=Organization(sender),
        status_code=code,
        description="Đã đến",
    )
    path = folder / f"status-{next(_numbers)}.edxml"
    write_package_file(path, header)
    return path
