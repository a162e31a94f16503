"""The axis operations as data: path, method, parameters (headers) — also fed to OpenAPI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sync.axis import PREFIX


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    params: tuple[str, ...]
    summary: str


OPERATIONS = (
    Operation(
        "sendEdoc",
        "POST",
        ("from", "servicetype", "messagetype", "hash-file", "to", "uploadid"),
        "Send an edXML package (edoc or status); body = edXML + CRLF",
    ),
    Operation(
        "getReceivedEdocList", "POST", ("servicetype", "messagetype"), "List the caller's mailbox"
    ),
    Operation("getEdoc", "POST", ("docId",), "One package, base64 in data"),
    Operation("downloadEdoc", "GET", ("docId",), "One package, raw bytes (HTTP Range supported)"),
    Operation(
        "updateStatus",
        "POST",
        ("docId", "status"),
        "Transport acknowledgement: done | fail | processing",
    ),
    Operation(
        "getSentEdocList",
        "POST",
        ("servicetype", "messagetype", "docId"),
        "Sent packages, per recipient",
    ),
    Operation(
        "countReceiveEdoc", "POST", ("servicetype", "messagetype"), "Count of unacknowledged edocs"
    ),
    Operation(
        "countReceiveStatus",
        "POST",
        ("servicetype", "messagetype"),
        "Count of unacknowledged statuses",
    ),
    Operation("getAgenciesList", "POST", (), "Agency directory"),
    Operation("getAgenciesListQD20", "POST", ("level",), "Agency directory by QCVN 102 level"),
    Operation("getSynchronizeUnit", "POST", (), "Directory changes, deleted units included"),
    Operation(
        "registerAgency",
        "POST",
        (),
        "Register a unit; body {id, pcode, code, name, mail, mobile, fax}",
    ),
    Operation("deleteAgency", "POST", ("AgencyCode",), "Remove a unit"),
)

_COMMON = ("systemid", "timestamp", "sign-header-key", "sign-header", "hash-header")


def header_params(params: tuple[str, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in _COMMON + params:
        out.append(
            {
                "name": PREFIX + name,
                "in": "header",
                "required": name in _COMMON,
                "schema": {"type": "string"},
            }
        )
    return out
