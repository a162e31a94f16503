"""The exchange server as an ASGI app: the axis operations plus Desk's resumable uploads.

Axis calls always answer HTTP 200 with ``{status, ErrorCode, ErrorDesc, ...}``, all
three present and non-null, ASCII-only (non-ASCII escaped as \\uXXXX: the SDK decodes
``sendEdoc``'s reply as US-ASCII). Desk's own upload endpoints (``/desk/uploads``)
use ordinary HTTP status codes, as tus does.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import delete, insert, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response, StreamingResponse

from sync.axis import BODY_SHA256, UPLOAD_ID, UPLOAD_LENGTH, UPLOAD_OFFSET
from sync.server import directory, ops
from sync.server.auth import Authenticated, authenticate
from sync.server.config import ServerConfig
from sync.server.db import make_engine, uploads
from sync.server.errors import ApiError, bad_request, not_found
from sync.server.openapi_doc import OPERATIONS, header_params
from sync.server.store import BlobStore, digest_without_crlf, too_large

log = logging.getLogger("desk.exchange")
OK_DESC = "Thành công"
SMALL_BODY = 1 << 16


def reply(
    status: str = "OK", code: str = "0", desc: str = OK_DESC, http: int = 200, **extra: Any
) -> Response:
    body: dict[str, Any] = {"status": status, "ErrorCode": code, "ErrorDesc": desc}
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(
        json.dumps(body, ensure_ascii=True, separators=(",", ":")),
        status_code=http,
        media_type="application/json",
    )


def fail(exc: ApiError, http: int = 200, **extra: Any) -> Response:
    # ErrorDesc is Vietnamese (the users' language); English beside it for operators.
    return reply("FAIL", exc.wire, exc.vi, http, ErrorDescEn=exc.en, ErrorKey=exc.code, **extra)


def internal_error() -> ApiError:
    return ApiError(
        "500",
        "internal",
        "Lỗi máy chủ trục liên thông; hãy thử lại sau.",
        "Exchange server error; try again later.",
    )


class Server:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.engine = make_engine(config.db_url)
        self.nonce_engine = make_engine(config.db_url, durable=False)
        self.store = BlobStore(config.blob_dir)
        self.upload_locks: dict[str, asyncio.Lock] = {}
        self._sweep()
        self._secure_at_rest()

    def _secure_at_rest(self) -> None:
        """Secrets sealed under the key file; the database, its key and the blobs private."""
        from sync.server.secrets import key_path, make_private_files, seal_plaintext_secrets

        seal_plaintext_secrets(self.engine)
        url = self.engine.url
        files = [key_path(self.engine), self.config.blob_dir]
        if url.get_backend_name() == "sqlite" and url.database:
            db = Path(url.database)
            files += [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
        make_private_files(*files)

    def _body(self, request: Request) -> AsyncIterator[bytes]:
        return _paced(request, self.config.body_idle_s)

    def _sweep(self) -> None:
        """On start: drop bodies a crash left half-received and uploads abandoned for long."""
        for leftover in self.store.tmp.iterdir():
            leftover.unlink(missing_ok=True)
        cutoff = time.time() - self.config.upload_ttl_s
        with self.engine.begin() as conn:
            old = (
                conn.execute(select(uploads.c.id).where(uploads.c.created_at < cutoff))
                .scalars()
                .all()
            )
            conn.execute(delete(uploads).where(uploads.c.created_at < cutoff))
        for upload_id in old:
            self.store.upload_path(upload_id).unlink(missing_ok=True)

    async def auth(self, request: Request) -> Authenticated:
        return await run_in_threadpool(
            authenticate, request, self.engine, self.config, self.nonce_engine
        )

    @staticmethod
    def check_body(a: Authenticated, data: bytes) -> bytes:
        declared = a.params.get(BODY_SHA256)
        if declared is not None and hashlib.sha256(data).hexdigest() != declared.lower():
            raise bad_request(
                "body_hash_mismatch",
                "Nội dung yêu cầu không khớp mã băm đã ký.",
                "The request body does not match its signed hash.",
            )
        return data

    # -- axis operations ---------------------------------------------------------------
    async def send_edoc(self, request: Request) -> Response:
        try:
            a = await self.auth(request)
            req = ops.send_request(a.params)
            ops.check_sender(a.caller, req.from_code)
            upload_id = a.params.get(UPLOAD_ID, "")
            if upload_id:
                # The upload's lock is held until the document is stored and the upload row
                # names it: a retried sendEdoc (the reply to the first was lost on a cut link)
                # waits, then answers with the same DocId. Released between the two, the
                # retry found the file already moved into the store and no DocId yet, and
                # said "upload not complete".
                await run_in_threadpool(self._upload_row, a, upload_id)  # unknown: no lock is kept
                async with self._lock(upload_id):
                    claimed = await self._claim_upload(a, upload_id)
                    if isinstance(claimed, str):  # delivered before; the reply was lost
                        unknown = await run_in_threadpool(ops.unknown_recipients, self.engine, claimed)
                        return _sent_reply(claimed, unknown)
                    doc_id, unknown = await self._send_file(a, req, *claimed, upload_id)
                self.upload_locks.pop(upload_id, None)
            else:
                got = await self.store.receive(self._body(request), self.config.max_body_bytes)
                doc_id, unknown = await self._send_file(a, req, got.path, got.size, got.sha256, None)
            return _sent_reply(doc_id, unknown)
        except ApiError as exc:
            return fail(exc, DocId="")
        except ClientDisconnect:
            return reply("FAIL", "499", "Kết nối bị ngắt.", DocId="")
        except Exception:
            log.exception("sendEdoc failed")
            return fail(internal_error(), DocId="")

    async def _send_file(self, a: Authenticated, req: ops.SendRequest, path: Path, size: int, digest: bytes,
                         upload_id: str | None) -> tuple[str, list[str]]:
        try:
            return await run_in_threadpool(
                ops.send, self.engine, self.store, a.caller, req, path, size, digest, upload_id,
            )
        finally:
            path.unlink(missing_ok=True)

    async def _claim_upload(
        self, a: Authenticated, upload_id: str
    ) -> tuple[Path, int, bytes] | str:
        """The finished upload's file, or the DocId it was already delivered as (the caller
        holds the upload's lock)."""
        row = await run_in_threadpool(self._upload_row, a, upload_id)
        if row.doc_id:
            return str(row.doc_id)
        path = self.store.upload_path(upload_id)
        if not path.exists() or path.stat().st_size != row.length:
            raise bad_request(
                "upload_incomplete",
                "Tệp tải lên chưa đủ dữ liệu.",
                "The upload is not complete yet.",
            )
        size, digest = await run_in_threadpool(digest_without_crlf, path)
        # The row stays until the upload TTL sweep: it answers a repeated sendEdoc.
        return path, size, digest

    async def received_list(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            mt = a.params.get("messagetype", "edoc").lower() or "edoc"
            data = await run_in_threadpool(ops.list_received, self.engine, a.caller, mt)
            return reply(data=data)

        return await self.guarded(request, op)

    async def get_edoc(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            path, _size, _sha = await run_in_threadpool(
                ops.open_for_read, self.engine, self.store, a.caller, _doc_id(a)
            )
            head = json.dumps(
                {"status": "OK", "ErrorCode": "0", "ErrorDesc": OK_DESC}, ensure_ascii=True
            )
            return StreamingResponse(
                _b64_json(head[:-1] + ',"data":"', path), media_type="application/json"
            )

        return await self.guarded(request, op)

    async def download_edoc(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            path, size, sha = await run_in_threadpool(
                ops.open_for_read, self.engine, self.store, a.caller, _doc_id(a)
            )
            return FileResponse(
                path,
                media_type="application/octet-stream",
                filename=f"{_doc_id(a)}.edxml",
                headers={"X-Desk-SHA256": sha, "X-Desk-Size": str(size)},
            )

        return await self.guarded(request, op)

    async def update_status(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            await run_in_threadpool(
                ops.update_status, self.engine, a.caller, _doc_id(a), a.params.get("status", "")
            )
            return reply()

        return await self.guarded(request, op)

    async def sent_list(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            mt = a.params.get("messagetype", "edoc").lower() or "edoc"
            data = await run_in_threadpool(
                ops.list_sent, self.engine, a.caller, mt, a.params.get("docid", "")
            )
            return reply(data=data)

        return await self.guarded(request, op)

    def counter(self, default_type: str) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            async def op(a: Authenticated) -> Response:
                mt = a.params.get("messagetype", default_type).lower() or default_type
                n = await run_in_threadpool(ops.count_received, self.engine, a.caller, mt)
                return reply(count=n)

            return await self.guarded(request, op)

        return handler

    async def agencies_list(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            return reply(data=await run_in_threadpool(directory.agencies_list, self.engine))

        return await self.guarded(request, op)

    async def trust_bundle(self, request: Request) -> Response:
        """The province's trusted certificates (PEM), with a version to skip unchanged bundles."""

        async def op(a: Authenticated) -> Response:
            from sync.server import trustbundle

            folder = self.config.trust_dir or self.config.blob_dir.parent / "trust"
            b = await run_in_threadpool(trustbundle.bundle, folder)
            return reply(version=b.version, certificates=b.pems)

        return await self.guarded(request, op)

    async def deposit_audit_head(self, request: Request) -> Response:
        """An office files the MACed head of its audit log (under its own code)."""

        async def op(a: Authenticated) -> Response:
            from sync.server import audit_heads

            _require_desk(a)
            if BODY_SHA256 not in a.params:
                raise bad_request("body_hash_missing", "Thiếu mã băm nội dung đã ký.",
                                  "The body's signed hash is missing.")
            head = audit_heads.parse_head(self.check_body(a, await request.body()))
            new = await run_in_threadpool(audit_heads.deposit, self.engine, a.caller, head)
            return reply(data={"stored": new})

        return await self.guarded(request, op)

    async def list_audit_heads(self, request: Request) -> Response:
        """The heads the calling office deposited, newest first (its own only)."""

        async def op(a: Authenticated) -> Response:
            from sync.server import audit_heads

            _require_desk(a)
            data = await run_in_threadpool(
                audit_heads.own_heads, self.engine, a.caller, a.params.get("agencycode", ""))
            return reply(data=data)

        return await self.guarded(request, op)

    async def agencies_qd20(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            level = a.params.get("level", "")
            return reply(data=await run_in_threadpool(directory.agencies_qd20, self.engine, level))

        return await self.guarded(request, op)

    async def synchronize_unit(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            return reply(data=await run_in_threadpool(directory.synchronize_units, self.engine))

        return await self.guarded(request, op)

    async def register_agency(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            raw = self.check_body(a, await request.body())
            try:
                body = json.loads(raw.decode("utf-8") or "{}")
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise bad_request(
                    "bad_json", "Nội dung không phải JSON.", "The body is not JSON."
                ) from None
            if not isinstance(body, dict):
                raise bad_request(
                    "bad_json",
                    "Nội dung không phải đối tượng JSON.",
                    "The body is not a JSON object.",
                )
            await run_in_threadpool(directory.register_agency, self.engine, a.caller, body)
            return reply()

        return await self.guarded(request, op)

    async def delete_agency(self, request: Request) -> Response:
        async def op(a: Authenticated) -> Response:
            code = a.params.get("agencycode", "")
            await run_in_threadpool(directory.delete_agency, self.engine, a.caller, code)
            return reply()

        return await self.guarded(request, op)

    async def guarded(
        self, request: Request, op: Callable[[Authenticated], Awaitable[Response]]
    ) -> Response:
        try:
            # Read the (small) body first: that is what makes uvicorn answer
            # "Expect: 100-continue"; without it the SDK stalls for seconds.
            await _bounded_body(self._body(request), request, SMALL_BODY)
            return await op(await self.auth(request))
        except ApiError as exc:
            return fail(exc)
        except ClientDisconnect:
            return reply("FAIL", "499", "Kết nối bị ngắt.")
        except Exception:
            log.exception("request failed")
            return fail(internal_error())

    # -- Desk resumable uploads (tus-style) ----------------------------------------------
    def _lock(self, upload_id: str) -> asyncio.Lock:
        return self.upload_locks.setdefault(upload_id, asyncio.Lock())

    def _upload_row(self, a: Authenticated, upload_id: str) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(uploads).where(
                    uploads.c.id == upload_id, uploads.c.system_id == a.caller.system_id
                )
            ).first()
        if row is None:
            raise not_found(f"Không có phiên tải lên {upload_id}.", f"No upload {upload_id}.")
        return row

    async def create_upload(self, request: Request) -> Response:
        try:
            a = await self.auth(request)
            _require_desk(a)
            raw = a.params.get(UPLOAD_LENGTH, "").strip()
            # ASCII digits only (int() would take "١٢", "1_000" or 5,000 digits), at most 18.
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 18 and int(raw) > 0):
                raise bad_request(
                    "bad_param",
                    "upload-length phải là số byte dương.",
                    "upload-length must be a positive number of bytes.",
                )
            length = int(raw)
            if length > self.config.max_body_bytes + 2:
                raise too_large(self.config.max_body_bytes)
            upload_id = uuid.uuid4().hex
            self.store.upload_path(upload_id).touch()
            with self.engine.begin() as conn:
                conn.execute(
                    insert(uploads).values(
                        id=upload_id,
                        system_id=a.caller.system_id,
                        length=length,
                        created_at=time.time(),
                    )
                )
            resp = reply(http=201, data={"uploadId": upload_id, "offset": 0})
            resp.headers["Location"] = f"/desk/uploads/{upload_id}"
            resp.headers["Upload-Offset"] = "0"
            return resp
        except ApiError as exc:
            return fail(exc, http=_http(exc))

    async def upload_offset(self, request: Request) -> Response:
        upload_id = request.path_params["upload_id"]
        try:
            a = await self.auth(request)
            await run_in_threadpool(self._upload_row, a, upload_id)  # unknown: no lock is kept
            async with self._lock(upload_id):
                row = await run_in_threadpool(self._upload_row, a, upload_id)
                offset = self.store.upload_path(upload_id).stat().st_size
            return Response(
                status_code=200,
                headers={
                    "Upload-Offset": str(offset),
                    "Upload-Length": str(row.length),
                    "Tus-Resumable": "1.0.0",
                    "Cache-Control": "no-store",
                },
            )
        except ApiError as exc:
            return Response(status_code=_http(exc), headers={"X-Desk-Error": exc.code})

    async def upload_patch(self, request: Request) -> Response:
        upload_id = request.path_params["upload_id"]
        try:
            a = await self.auth(request)
            _require_desk(a)
            await run_in_threadpool(self._upload_row, a, upload_id)  # unknown: no lock is kept
            async with self._lock(upload_id):
                row = await run_in_threadpool(self._upload_row, a, upload_id)
                path = self.store.upload_path(upload_id)
                offset = path.stat().st_size
                if a.params.get(UPLOAD_OFFSET) != str(offset):
                    raise ApiError(
                        "409",
                        "offset_mismatch",
                        f"Vị trí tải lên không khớp (máy chủ đang ở {offset}).",
                        f"Upload offset mismatch (the server is at {offset}).",
                    )
                offset = await _append(self._body(request), path, offset, row.length)
            resp = reply(data={"uploadId": upload_id, "offset": offset})
            resp.headers["Upload-Offset"] = str(offset)
            return resp
        except ApiError as exc:
            return fail(exc, http=_http(exc))


async def _append(chunks: AsyncIterator[bytes], path: Path, offset: int, length: int) -> int:
    """Append the body to the upload; on a cut or stalled link keep what arrived (that is the
    point)."""
    import os

    with path.open("ab") as f:
        try:
            async for chunk in chunks:
                if offset + len(chunk) > length:
                    raise too_large(length)
                f.write(chunk)
                offset += len(chunk)
        except (ClientDisconnect, BodyStalled):
            pass
        finally:
            f.flush()
            os.fsync(f.fileno())
    return offset


class BodyStalled(ApiError):
    """The request body sent nothing for ``ServerConfig.body_idle_s``."""

    def __init__(self, idle_s: float) -> None:
        super().__init__(
            "408",
            "body_stalled",
            f"Dữ liệu gửi lên bị ngừng quá {idle_s:g} giây; hãy gửi lại.",
            f"The request body stalled for {idle_s:g} s; send it again.",
        )


async def _paced(request: Request, idle_s: float) -> AsyncIterator[bytes]:
    """The request body's chunks, ending with BodyStalled when none comes for ``idle_s``.

    The server learns that a client went away from the event loop's transport; when a request
    cannot be framed (a bad chunk header) uvicorn answers 400 and closes, and the handler still
    waiting for the body hears of it only when the loop reports the connection lost: at once on
    Linux, but under Wine (asyncio's proactor loop) that was once seen to take more than 10 s.
    The idle limit bounds that wait, and a client that stops sending, whatever the loop."""
    stream = request.stream()
    try:
        while True:
            try:
                chunk = await asyncio.wait_for(anext(stream), idle_s)
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise BodyStalled(idle_s) from None
            yield chunk
    finally:
        await stream.aclose()


async def _bounded_body(chunks: AsyncIterator[bytes], request: Request, limit: int) -> bytes:
    data = b""
    async for chunk in chunks:
        data += chunk
        if len(data) > limit:
            raise too_large(limit)
    request._body = data  # what request.body() returns from now on
    return data


def _sent_reply(doc_id: str, unknown: list[str]) -> Response:
    """sendEdoc's answer: OK with the DocId; recipients the server does not know are named
    in ErrorDesc (what an axis client shows) and listed in ``UnknownRecipients`` (Desk)."""
    if not unknown:
        return reply(DocId=doc_id)
    listed = ", ".join(unknown)
    return reply(
        desc=f"Đã chuyển cho các đơn vị nhận đã đăng ký; chưa đăng ký trên trục, không chuyển được: {listed}.",
        DocId=doc_id,
        UnknownRecipients=unknown,
        ErrorDescEn=f"Delivered to the registered recipients; not registered on the exchange, not delivered: {listed}.",
    )


def _http(exc: ApiError) -> int:
    return int(exc.wire) if exc.wire.isdigit() and 400 <= int(exc.wire) < 600 else 400


def _require_desk(a: Authenticated) -> None:
    if not a.caller.desk_mode:
        raise bad_request(
            "desk_only",
            "Chức năng này chỉ dành cho máy khách Desk (có nonce).",
            "This call is for Desk clients only (with a nonce).",
        )


def _doc_id(a: Authenticated) -> str:
    doc_id = a.params.get("docid", "").strip()
    if not doc_id:
        raise bad_request("missing_param", "Thiếu tham số docId.", "Missing parameter: docId.")
    return doc_id


def _b64_json(head: str, path: Path) -> Iterator[bytes]:
    yield head.encode("ascii")
    with path.open("rb") as f:
        while chunk := f.read(3 << 18):
            yield base64.b64encode(chunk)
    yield b'"}'


_UPLOAD_PATH_PARAM = {
    "name": "upload_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
}


def create_app(config: ServerConfig) -> FastAPI:
    server = Server(config)
    app = FastAPI(
        title="Desk document exchange",
        version="1.0",
        description="Axis-compatible (VDXP/VPCP XRoad SDK) document exchange with Desk's resumable uploads.",
    )
    app.state.server = server
    handlers: dict[str, Callable[[Request], Awaitable[Response]]] = {
        "sendEdoc": server.send_edoc,
        "getReceivedEdocList": server.received_list,
        "getEdoc": server.get_edoc,
        "downloadEdoc": server.download_edoc,
        "updateStatus": server.update_status,
        "getSentEdocList": server.sent_list,
        "countReceiveEdoc": server.counter("edoc"),
        "countReceiveStatus": server.counter("status"),
        "getAgenciesList": server.agencies_list,
        "getAgenciesListQD20": server.agencies_qd20,
        "getSynchronizeUnit": server.synchronize_unit,
        "registerAgency": server.register_agency,
        "deleteAgency": server.delete_agency,
    }
    for op in OPERATIONS:
        app.add_api_route(
            f"/{op.name}",
            handlers[op.name],
            methods=[op.method],
            summary=op.summary,
            openapi_extra={"parameters": header_params(op.params)},
            response_class=Response,
        )
    app.add_api_route(
        "/desk/trust",
        server.trust_bundle,
        methods=["POST"],
        summary="The province's trust bundle (PEM certificates and a version)",
        openapi_extra={"parameters": header_params(())},
        response_class=Response,
    )
    app.add_api_route(
        "/desk/audit-heads",
        server.deposit_audit_head,
        methods=["POST"],
        summary="Deposit the calling office's MACed audit head (JSON body {head: {...}})",
        openapi_extra={"parameters": header_params((BODY_SHA256,))},
        response_class=Response,
    )
    app.add_api_route(
        "/desk/audit-heads/list",
        server.list_audit_heads,
        methods=["POST"],
        summary="The audit heads the calling office deposited (its own only), newest first",
        openapi_extra={"parameters": header_params(("agencycode",))},
        response_class=Response,
    )
    app.add_api_route(
        "/desk/uploads",
        server.create_upload,
        methods=["POST"],
        summary="Create a resumable upload",
        openapi_extra={"parameters": header_params((UPLOAD_LENGTH,))},
    )
    app.add_api_route(
        "/desk/uploads/{upload_id}",
        server.upload_offset,
        methods=["HEAD"],
        summary="Offset of an upload",
        openapi_extra={"parameters": [_UPLOAD_PATH_PARAM, *header_params(())]},
    )
    app.add_api_route(
        "/desk/uploads/{upload_id}",
        server.upload_patch,
        methods=["PATCH"],
        summary="Append to an upload",
        openapi_extra={"parameters": [_UPLOAD_PATH_PARAM, *header_params((UPLOAD_OFFSET,))]},
    )
    return app
