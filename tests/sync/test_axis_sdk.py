"""Drive the server exactly as the axis Java SDK (SDKVXP 2.0.1) does, byte for byte.

What the SDK does (spec §4): one HashMap of parameters per client object, so headers
accumulate from call to call; the timestamp is set once when the object is made (it
can be hours old); every member is sent as ``XroadVnpt-<k>`` and signed; sendEdoc's
body is the file + CRLF with ``Expect: 100-continue``; ``hash-file`` is hex without
zero padding; ``User-Agent`` and ``XroadVnpt-version`` are unsigned.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import io
import json
import random
import socket
from datetime import datetime, timedelta
from pathlib import Path

from sync_helpers import SAMPLE_FROM, SAMPLE_TO, Exchange

from sync.axis import hash_file_hex

SAMPLE = Path("/work/shared/data/edxml/vpcp-cong-van-3-recipients.edxml")


class SdkClient:
    """The SDK's VnptService, re-enacted: accumulating headers, signed in map order."""

    def __init__(self, port: int, system_id: str, secret: str) -> None:
        self.port = port
        self.secret = secret
        made = datetime.now() - timedelta(hours=3)  # the object was made hours ago
        ts = made.strftime("%d%m%YT%H%M%S") + f"+{made.microsecond // 1000:04d}"
        self.headers: dict[str, str] = {"timestamp": ts, "systemid": system_id}

    def _wire_headers(self) -> list[tuple[str, str]]:
        items = list(self.headers.items())
        random.shuffle(items)  # a Java HashMap's order: the server must not care
        out: list[tuple[str, str]] = []
        obj: dict[str, str] = {}
        for k, v in items:
            if k == "Content-Type":
                out.append((k, v))
            obj["XroadVnpt-" + k] = v
            out.append(("XroadVnpt-" + k, v))
        sign_header = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        digest = hmac.new(self.secret.encode(), sign_header.encode(), hashlib.sha256).hexdigest()
        out += [
            ("XroadVnpt-sign-header-key", ";".join(k for k, _ in items)),
            ("XroadVnpt-sign-header", sign_header),
            ("XroadVnpt-hash-header", digest),
            ("User-Agent", "JAVASDKAgent/1.0.0 XRoad/VPCP"),
            ("XroadVnpt-version", "3.0.201608"),
        ]
        return out

    def call(
        self, method: str, op: str, params: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes, bool]:
        self.headers.update(params)
        headers = self._wire_headers()
        return raw_request(self.port, method, "/" + op, headers, body)


def raw_request(
    port: int, method: str, path: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, bytes, bool]:
    """HTTP/1.1 over a plain socket; with a body, wait for 100 Continue like the SDK."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers]
    if body:
        lines += [f"Content-Length: {len(body)}", "Expect: 100-continue"]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
    got_continue = False
    prefix = b""
    if body:
        sock.settimeout(1.0)  # the SDK stalls ~3 s when no 100 Continue comes
        interim = b""
        while not interim.endswith(b"\r\n\r\n"):
            interim += sock.recv(1)
        got_continue = interim.startswith(b"HTTP/1.1 100")
        sock.settimeout(10)
        if got_continue:
            sock.sendall(body)
        else:
            # A final answer instead of 100 (e.g. refused on its headers): no body is sent.
            prefix = interim
    rest = b""
    while chunk := sock.recv(65536):
        rest += chunk
    sock.close()
    resp = http.client.HTTPResponse(_Canned(prefix + rest))  # type: ignore[arg-type]
    resp.begin()
    return resp.status, resp.read(), got_continue


class _Canned:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def makefile(self, _mode: str) -> io.BytesIO:
        return io.BytesIO(self.data)


def _reply(data: bytes) -> dict[str, object]:
    data.decode("ascii")  # the SDK decodes replies as US-ASCII
    obj = json.loads(data)
    for key in ("status", "ErrorCode", "ErrorDesc"):
        assert obj[key] is not None and isinstance(obj[key], str)
    assert b"null" not in data
    return obj


def test_sdk_send_list_get_ack_sample(exchange: Exchange) -> None:
    port = exchange.server.port
    sample = SAMPLE.read_bytes()
    digest = hashlib.sha256(sample).digest()
    sender = SdkClient(port, SAMPLE_FROM, exchange.secrets[SAMPLE_FROM])
    # Headers left over from earlier calls on the same object ride along (and are signed).
    sender.headers.update(
        {"docId": "leftover-from-getEdoc", "filePath": "C:\\vpcp\\in", "status": "done"}
    )
    send_params = {
        "from": SAMPLE_FROM,
        "servicetype": "eDoc",
        "messagetype": "edoc",
        "hash-file": hash_file_hex(digest),
        "Content-Type": "application/octet-stream",
    }
    status, data, cont = sender.call("POST", "sendEdoc", send_params, sample + b"\r\n")
    reply = _reply(data)
    assert (status, reply["status"], reply["ErrorCode"], cont) == (200, "OK", "0", True)
    doc_id = str(reply["DocId"])

    # The same package again (a retry after a timeout): the same DocId, one delivery.
    _, data, _ = sender.call("POST", "sendEdoc", send_params, sample + b"\r\n")
    assert _reply(data)["DocId"] == doc_id

    for code in SAMPLE_TO:
        rcv = SdkClient(port, code, exchange.secrets[code])
        _, data, cont = rcv.call(
            "POST", "countReceiveEdoc", {"servicetype": "eDoc", "messagetype": "edoc"}, b"{}"
        )
        assert _reply(data)["count"] == 1
        assert cont  # 100 Continue answered on every call with a body
        _, data, _ = rcv.call(
            "POST", "getReceivedEdocList", {"servicetype": "eDoc", "messagetype": "edoc"}
        )
        items = _reply(data)["data"]
        assert isinstance(items, list) and [i["docId"] for i in items] == [doc_id]
        item = items[0]
        assert (item["from"], item["to"], item["messageType"]) == (SAMPLE_FROM, code, "edoc")
        assert isinstance(item["to"], str) and item["created_time"]
        _, data, _ = rcv.call("POST", "getEdoc", {"docId": doc_id}, b"{}")
        assert base64.b64decode(_reply(data)["data"]) == sample  # type: ignore[arg-type]
        status, raw, _ = rcv.call("GET", "downloadEdoc", {"docId": doc_id})
        assert (status, raw) == (200, sample)
        _, data, _ = rcv.call("POST", "updateStatus", {"docId": doc_id, "status": "done"}, b"{}")
        assert _reply(data)["status"] == "OK"
        _, data, _ = rcv.call(
            "POST", "getReceivedEdocList", {"servicetype": "eDoc", "messagetype": "edoc"}
        )
        assert _reply(data)["data"] == []

    _, data, _ = sender.call(
        "POST", "getSentEdocList", {"servicetype": "eDoc", "messagetype": "edoc", "docId": doc_id}
    )
    rows = _reply(data)["data"]
    assert isinstance(rows, list)
    assert {r["toCode"]: r["receiveStatus"] for r in rows} == dict.fromkeys(SAMPLE_TO, "done")
    assert all(r["notation"] == "7816/VPCP-TTĐT" and r["fromCode"] == SAMPLE_FROM for r in rows)
    for op in ("getAgenciesList", "getSynchronizeUnit"):
        _, data, _ = sender.call("POST", op, {})
        assert SAMPLE_FROM in {a["code"] for a in _reply(data)["data"]}  # type: ignore[union-attr]


def test_sdk_hash_file_without_zero_padding_is_what_is_checked(exchange: Exchange) -> None:
    sample = SAMPLE.read_bytes()
    digest = hashlib.sha256(sample).digest()
    sender = SdkClient(exchange.server.port, SAMPLE_FROM, exchange.secrets[SAMPLE_FROM])
    # Prove the quirk is exercised: the sample's digest has a byte below 0x10.
    assert len(hash_file_hex(digest)) < 64
    wrong = hash_file_hex(hashlib.sha256(sample + b"x").digest())
    params = {"from": SAMPLE_FROM, "servicetype": "eDoc", "messagetype": "edoc", "hash-file": wrong}
    status, data, _ = sender.call("POST", "sendEdoc", params, sample + b"\r\n")
    reply = _reply(data)
    # FAIL is HTTP 200, DocId present, Vietnamese escaped as \uXXXX.
    assert (status, reply["status"], reply["DocId"]) == (200, "FAIL", "")
    assert "\\u" in data.decode("ascii") and "khớp" in str(reply["ErrorDesc"])


def test_sdk_wrong_secret_and_forged_sender(exchange: Exchange) -> None:
    port = exchange.server.port
    sample = SAMPLE.read_bytes()
    params = {
        "from": SAMPLE_FROM,
        "servicetype": "eDoc",
        "messagetype": "edoc",
        "hash-file": hash_file_hex(hashlib.sha256(sample).digest()),
    }
    _, data, _ = SdkClient(port, SAMPLE_FROM, "wrong").call(
        "POST", "sendEdoc", params, sample + b"\r\n"
    )
    assert _reply(data)["ErrorCode"] == "401"
    # H41 may not send a package as G22.
    forger = SdkClient(port, SAMPLE_TO[0], exchange.secrets[SAMPLE_TO[0]])
    _, data, _ = forger.call("POST", "sendEdoc", params, sample + b"\r\n")
    reply = _reply(data)
    assert (reply["status"], reply["ErrorCode"]) == ("FAIL", "403")
