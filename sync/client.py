"""HTTP client of the exchange server: signed calls, resumable uploads, ranged downloads.

This is what the sync engine uses. Every call carries the axis signed headers plus
Desk's nonce and time, so the server can refuse stale and replayed requests. Large
packages go up through a resumable upload (create, PATCH from the server's offset,
HEAD after a cut) and come down with HTTP Range from where the last try stopped, so a
link that drops does not make a document start over.
"""

from __future__ import annotations

import hashlib
import json
import ssl
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from desk.blobs import sha256_file
from sync.axis import (
    BODY_SHA256,
    UPLOAD_ID,
    UPLOAD_LENGTH,
    UPLOAD_OFFSET,
    desk_params,
    hash_file_hex,
    signed_headers,
)
from sync.errors import ServerRefused, SyncError, TransportError

CRLF = b"\r\n"
CHUNK = 256 * 1024


@dataclass(frozen=True)
class ReceivedItem:
    doc_id: str
    from_code: str
    to_code: str
    message_type: str
    status: str
    created_time: str
    size: int | None
    sha256: str


@dataclass(frozen=True)
class SentItem:
    doc_id: str
    from_code: str
    to_code: str
    message_type: str
    title: str
    notation: str
    sent_time: str
    received_time: str
    receive_status: str  # pending | processing | done | fail


@dataclass(frozen=True)
class Agency:
    id: int
    code: str
    pid: str
    name: str
    mail: str


@dataclass(frozen=True)
class TransferStats:
    """What the last resumable transfer took: attempts and bytes put on the wire."""

    attempts: int
    payload_bytes: int  # bytes of the package moved by this call (a resumed part counts once)


def file_sha256(path: Path) -> bytes:
    return bytes.fromhex(sha256_file(path))


def check_transport(url: str, *, insecure: bool = False) -> None:
    """Plain HTTP only to this computer (127.0.0.0/8, ::1, localhost), or when asked for.

    The requests are signed and fresh, but the documents themselves would cross the
    network readable by anyone on the way.
    """
    import ipaddress
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme != "http" or not parts.hostname:
        raise SyncError(f"Địa chỉ trục không hợp lệ: {url!r} (cần http:// hoặc https://).",
                        f"Invalid exchange server address: {url!r} (http:// or https:// expected).",
                        code="bad_url")
    host = parts.hostname
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host.lower() == "localhost"
    if not loopback and not insecure:
        raise SyncError(
            f"Từ chối kết nối không mã hóa (http://) tới {host}: chỉ dùng http:// với máy này; "
            "hãy dùng https://, hoặc thêm --insecure nếu thật sự cần.",
            f"Refusing an unencrypted (http://) connection to {host}: plain http:// is for this "
            "computer only; use https://, or add --insecure if you really must.",
            code="insecure_transport")


class ExchangeClient:
    def __init__(
        self,
        base_url: str,
        system_id: str,
        secret: str,
        *,
        verify: bool | str = True,
        insecure: bool = False,
        pin_sha256: str | None = None,
        timeout: float = 60.0,
        resumable_threshold: int = 4 << 20,
        max_stalls: int = 8,
        retry_delay: float = 0.5,
    ) -> None:
        check_transport(base_url, insecure=insecure)
        self.base_url = base_url.rstrip("/")
        self.system_id = system_id
        self._secret = secret
        self.resumable_threshold = resumable_threshold
        self.max_stalls = max_stalls
        self.retry_delay = retry_delay
        self.last_transfer = TransferStats(0, 0)
        # Recipients the server did not know in the last send_edoc (delivered to the rest).
        self.last_unknown: tuple[str, ...] = ()
        tls: bool | ssl.SSLContext = (
            ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify
        )
        # TLS pinning (the province's server): the SHA-256 of its certificate, checked on a
        # first connection before anything is sent, and again on every response.
        self.pin = pin_sha256.replace(":", "").strip().lower() if pin_sha256 else None
        self._pinned_ok = False
        self._tls_context = tls
        self._http = httpx.Client(
            verify=tls,
            timeout=httpx.Timeout(timeout, connect=10.0),
            headers={"User-Agent": "Desk/1.0"},
            event_hooks={"response": [self._check_pin_of]} if self.pin else None,
        )

    def _pin_error(self, got: str) -> SyncError:
        return SyncError(
            f"Chứng thư TLS của máy chủ không khớp chứng thư đã ghim (SHA-256 {got[:16]}…); "
            "có thể đang kết nối nhầm máy chủ. Đã dừng, không gửi gì.",
            f"The server's TLS certificate does not match the pinned one (SHA-256 {got[:16]}…); "
            "this may be the wrong server. Stopped; nothing was sent.",
            code="tls_pin_mismatch")

    def _check_pin_of(self, response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
        der = ssl_object.getpeercert(True) if ssl_object is not None else None
        got = hashlib.sha256(der).hexdigest() if der else ""
        if got != self.pin:
            raise self._pin_error(got)

    def _preflight_pin(self) -> None:
        """Before the first request: connect, compare the certificate, then go on."""
        if not self.pin or self._pinned_ok:
            return
        import socket
        from urllib.parse import urlsplit

        parts = urlsplit(self.base_url)
        if parts.scheme != "https":
            raise self._pin_error("")
        ctx = self._tls_context if isinstance(self._tls_context, ssl.SSLContext) else (
            ssl.create_default_context() if self._tls_context else ssl._create_unverified_context())
        try:
            with socket.create_connection((parts.hostname, parts.port or 443), timeout=10) as raw, \
                    ctx.wrap_socket(raw, server_hostname=parts.hostname) as tls_sock:
                der = tls_sock.getpeercert(binary_form=True) or b""
        except OSError as exc:
            raise TransportError(f"Không kết nối được {self.base_url}: {exc}.",
                                 f"Cannot connect to {self.base_url}: {exc}.") from None
        got = hashlib.sha256(der).hexdigest()
        if got != self.pin:
            raise self._pin_error(got)
        self._pinned_ok = True

    # -- plumbing ---------------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ExchangeClient:
        return self

    def __exit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def headers(self, params: Mapping[str, str], body_sha256: str | None = None) -> dict[str, str]:
        return signed_headers(desk_params(params, body_sha256), self.system_id, self._secret)

    def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, str],
        content: bytes | Callable[[], Iterator[bytes]] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        body_sha256: str | None = None,
        *,
        retry: bool = True,
    ) -> httpx.Response:
        """One request; on a dropped link it is retried (fresh nonce each time).

        Every operation is safe to repeat: sendEdoc is idempotent on the server.
        """
        self._preflight_pin()
        attempt = 0
        while True:
            headers = self.headers(params, body_sha256)
            if extra_headers:
                headers.update(extra_headers)
            body = content() if callable(content) else content
            try:
                return self._http.request(
                    method, self.base_url + path, headers=headers, content=body
                )
            except httpx.HTTPError as exc:
                attempt += 1
                # A refused connection means the server (or the link) is down: say so after
                # one quick second try instead of backing off for a minute.
                refused = isinstance(exc, httpx.ConnectError) and attempt >= 2
                if not retry or refused or attempt > self.max_stalls:
                    raise TransportError(
                        f"Không kết nối được trục liên thông {self.base_url}: {exc}.",
                        f"Cannot reach the exchange server {self.base_url}: {exc}.",
                    ) from exc
                time.sleep(min(self.retry_delay * 2 ** (attempt - 1), 10.0))

    @staticmethod
    def _json(resp: httpx.Response) -> dict[str, Any]:
        try:
            body = resp.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise TransportError(
                f"Máy chủ trả lời không đúng định dạng (HTTP {resp.status_code}).",
                f"The server's reply is not JSON (HTTP {resp.status_code}).",
            ) from None
        if not isinstance(body, dict):
            raise TransportError(
                "Máy chủ trả lời không đúng định dạng.", "Unexpected reply from the server."
            )
        if body.get("status") != "OK":
            raise ServerRefused(
                str(body.get("ErrorDesc", "")),
                str(body.get("ErrorDescEn") or body.get("ErrorDesc", "")),
                code=str(body.get("ErrorKey") or "server_refused"),
                error_code=str(body.get("ErrorCode", "")),
            )
        return body

    def call(
        self, op: str, params: Mapping[str, str] | None = None, body: bytes = b""
    ) -> dict[str, Any]:
        """One axis operation (POST); returns the reply, raises ServerRefused on FAIL."""
        sha = hashlib.sha256(body).hexdigest() if body else None
        ct = {"Content-Type": "application/json"} if body else {}
        return self._json(
            self._request("POST", f"/{op}", dict(params or {}), body or None, ct, sha)
        )

    # -- sending ---------------------------------------------------------------------------
    def send_edoc(
        self,
        path: Path,
        *,
        from_code: str | None = None,
        message_type: str = "edoc",
        to: Sequence[str] | None = None,
        resumable: bool | None = None,
    ) -> str:
        """Send a package file; returns the server's DocId (the same one if sent twice).

        Recipients the server does not know are not delivered to; their codes are left in
        ``last_unknown`` (the server refuses only when it knows none of them).
        """
        self.last_unknown = ()
        digest = file_sha256(path)
        params = {
            "from": from_code or self.system_id,
            "servicetype": "eDoc",
            "messagetype": message_type,
            "hash-file": hash_file_hex(digest),
        }
        if to:
            params["to"] = json.dumps(list(to))
        size = path.stat().st_size
        if resumable if resumable is not None else size >= self.resumable_threshold:
            params[UPLOAD_ID] = self.upload(path)
            body: Callable[[], Iterator[bytes]] | None = None
        else:
            body = lambda: _with_crlf(path, 0)  # noqa: E731 - re-made for each retry
        ct = {"Content-Type": "application/octet-stream"}
        reply = self._json(self._request("POST", "/sendEdoc", params, body, ct))
        unknown = reply.get("UnknownRecipients") or []
        self.last_unknown = tuple(str(c) for c in unknown) if isinstance(unknown, list) else ()
        return str(reply["DocId"])

    def send_edoc_bytes(self, data: bytes, **kw: Any) -> str:
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "package.edxml"
            p.write_bytes(data)
            return self.send_edoc(p, **kw)

    def upload(self, path: Path) -> str:
        """Upload ``path`` + CRLF resumably; returns the upload id once the server has it all."""
        length = path.stat().st_size + len(CRLF)
        created = self._json(self._request("POST", "/desk/uploads", {UPLOAD_LENGTH: str(length)}))
        upload_id = str(created["data"]["uploadId"])
        offset, stalls, attempts = 0, 0, 0
        while offset < length:
            attempts += 1
            before = offset
            try:
                resp = self._request(
                    "PATCH",
                    f"/desk/uploads/{upload_id}",
                    {UPLOAD_OFFSET: str(offset)},
                    lambda start=offset: _with_crlf(path, start),  # type: ignore[misc]
                    {
                        "Content-Type": "application/offset+octet-stream",
                        "Upload-Offset": str(offset),
                    },
                    retry=False,
                )
                offset = int(self._json(resp)["data"]["offset"])
            except TransportError:
                offset = self._upload_offset(upload_id)
            except ServerRefused as exc:
                if exc.code != "offset_mismatch":
                    raise
                # Our last PATCH got through but its answer was lost: ask where we are.
                offset = self._upload_offset(upload_id)
            if offset > before:
                stalls = 0
            else:
                stalls += 1
                if stalls > self.max_stalls:
                    raise TransportError(
                        "Tải lên không tiến triển sau nhiều lần thử; sẽ thử lại sau.",
                        "The upload made no progress after several tries; will retry later.",
                    )
                time.sleep(min(self.retry_delay * 2 ** (stalls - 1), 10.0))
        self.last_transfer = TransferStats(attempts, length)
        return upload_id

    def _upload_offset(self, upload_id: str) -> int:
        for i in range(self.max_stalls + 1):
            try:
                resp = self._request("HEAD", f"/desk/uploads/{upload_id}", {}, retry=False)
                if resp.status_code == 200:
                    return int(resp.headers["Upload-Offset"])
                raise ServerRefused(
                    f"Máy chủ từ chối phiên tải lên ({resp.status_code}).",
                    f"The server refused the upload session ({resp.status_code}).",
                    code=resp.headers.get("X-Desk-Error", "upload_refused"),
                    error_code=str(resp.status_code),
                )
            except TransportError:
                time.sleep(min(self.retry_delay * 2**i, 10.0))
        raise TransportError("Mất kết nối khi tải lên.", "Connection lost during the upload.")

    # -- receiving -------------------------------------------------------------------------
    def received(self, message_type: str = "edoc") -> list[ReceivedItem]:
        data = self.call(
            "getReceivedEdocList", {"servicetype": "eDoc", "messagetype": message_type}
        )["data"]
        return [
            ReceivedItem(
                doc_id=d["docId"],
                from_code=d["from"],
                to_code=d["to"],
                message_type=d["messageType"],
                status=d["status"],
                created_time=d["created_time"],
                size=d.get("size"),
                sha256=d.get("sha256", ""),
            )
            for d in data
        ]

    def get_edoc(self, doc_id: str) -> bytes:
        import base64

        return base64.b64decode(self.call("getEdoc", {"docId": doc_id}, b"{}")["data"])

    def download(self, doc_id: str, dest: Path) -> Path:
        """Download a package to ``dest``, resuming with HTTP Range after a cut; checks SHA-256."""
        part = dest.with_name(dest.name + ".part")
        stalls, attempts, sent = 0, 0, 0
        while True:
            attempts += 1
            have = part.stat().st_size if part.exists() else 0
            try:
                done, expected, got = self._download_once(doc_id, part, have)
                sent += got
            except TransportError:
                now = part.stat().st_size if part.exists() else 0
                sent += now - have
                stalls = 0 if now > have else stalls + 1
                if stalls > self.max_stalls:
                    raise
                time.sleep(min(self.retry_delay * 2 ** max(stalls - 1, 0), 10.0) if stalls else 0)
                continue
            if done:
                break
        if expected and file_sha256(part).hex() != expected:
            part.unlink(missing_ok=True)
            raise SyncError(
                "Văn bản tải về không khớp mã băm của máy chủ; sẽ tải lại.",
                "The downloaded package does not match the server's hash; it will be fetched again.",
                code="download_hash_mismatch",
            )
        part.replace(dest)
        self.last_transfer = TransferStats(attempts, sent)
        return dest

    def _download_once(self, doc_id: str, part: Path, have: int) -> tuple[bool, str, int]:
        headers = self.headers({"docId": doc_id})
        if have:
            headers["Range"] = f"bytes={have}-"
        got = 0
        try:
            self._preflight_pin()
            with self._http.stream("GET", self.base_url + "/downloadEdoc", headers=headers) as resp:
                if resp.headers.get("content-type", "").startswith("application/json"):
                    resp.read()
                    self._json(resp)  # raises ServerRefused
                if resp.status_code == 416:
                    return True, resp.headers.get("X-Desk-SHA256", ""), 0
                mode = "ab" if resp.status_code == 206 else "wb"
                with part.open(mode) as f:
                    for chunk in resp.iter_bytes():  # as it arrives: a cut loses nothing buffered
                        f.write(chunk)
                        got += len(chunk)
                return True, resp.headers.get("X-Desk-SHA256", ""), got
        except httpx.HTTPError as exc:
            raise TransportError(
                f"Mất kết nối khi tải văn bản về: {exc}.",
                f"Connection lost while downloading: {exc}.",
            ) from exc

    def acknowledge(self, doc_id: str, status: str = "done") -> None:
        self.call("updateStatus", {"docId": doc_id, "status": status}, b"{}")

    def sent(self, message_type: str = "edoc", doc_id: str | None = None) -> list[SentItem]:
        params = {"servicetype": "eDoc", "messagetype": message_type}
        if doc_id:
            params["docId"] = doc_id
        return [
            SentItem(
                doc_id=d["senderDocId"],
                from_code=d["fromCode"],
                to_code=d["toCode"],
                message_type=d["messageType"],
                title=d["title"],
                notation=d["notation"],
                sent_time=d["sentTime"],
                received_time=d["receivedTime"],
                receive_status=d["receiveStatus"],
            )
            for d in self.call("getSentEdocList", params)["data"]
        ]

    def count_received(self, message_type: str = "edoc") -> int:
        op = "countReceiveStatus" if message_type == "status" else "countReceiveEdoc"
        return int(
            self.call(op, {"servicetype": "eDoc", "messagetype": message_type}, b"{}")["count"]
        )

    # -- directory -------------------------------------------------------------------------
    def agencies(self) -> list[Agency]:
        return [
            Agency(d["id"], d["code"], d.get("pid", ""), d["name"], d.get("mail", ""))
            for d in self.call("getAgenciesList")["data"]
        ]

    def agencies_qd20(self, level: int) -> list[dict[str, Any]]:
        return list(self.call("getAgenciesListQD20", {"level": str(level)})["data"])

    def synchronize_units(self) -> list[dict[str, Any]]:
        return list(self.call("getSynchronizeUnit")["data"])

    def register_agency(self, code: str, name: str, *, pcode: str = "", mail: str = "") -> None:
        body = {
            "id": "",
            "pcode": pcode,
            "code": code,
            "name": name,
            "mail": mail,
            "mobile": "",
            "fax": "",
        }
        self.call("registerAgency", {}, json.dumps(body, ensure_ascii=False).encode("utf-8"))

    def delete_agency(self, code: str) -> None:
        self.call("deleteAgency", {"AgencyCode": code}, b"{}")

    # -- the province's trust bundle ---------------------------------------------------------
    def trust_bundle(self) -> tuple[str, list[bytes]]:
        """(version, PEM certificates) the province publishes on this server."""
        body = self.call("desk/trust")
        return str(body.get("version", "")), [str(p).encode("ascii") for p in body.get("certificates", [])]


    # -- audit anchoring ---------------------------------------------------------------------
    def deposit_audit_head(self, head: Mapping[str, Any]) -> bool:
        """File the office's MACed audit head on the server; False when it already had it."""
        body = json.dumps({"head": dict(head)}, separators=(",", ":")).encode("utf-8")
        reply = self.call("desk/audit-heads", {}, body)
        data = reply.get("data")
        return bool(data.get("stored")) if isinstance(data, dict) else False

    def audit_heads(self, agency: str | None = None) -> list[dict[str, Any]]:
        """The audit heads this office deposited, newest first (the server gives no one else's)."""
        params = {"agencycode": agency} if agency else {}
        data = self.call("desk/audit-heads/list", params).get("data")
        if not isinstance(data, list):
            raise TransportError("Máy chủ trả lời không đúng định dạng.", "Unexpected reply from the server.")
        return [d for d in data if isinstance(d, dict)]


def _with_crlf(path: Path, offset: int) -> Iterator[bytes]:
    """The file from ``offset`` followed by CRLF (the axis body), read in chunks."""
    size = path.stat().st_size
    with path.open("rb") as f:
        if offset < size:
            f.seek(offset)
            while chunk := f.read(CHUNK):
                yield chunk
    tail = CRLF[max(0, offset - size) :]
    if tail:
        yield tail


__all__ = [
    "BODY_SHA256",
    "Agency",
    "ExchangeClient",
    "ReceivedItem",
    "SentItem",
    "TransferStats",
]
