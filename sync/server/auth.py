"""Authenticate a request: the axis signed headers, plus Desk's freshness and nonce.

The signature is checked over ``XroadVnpt-sign-header`` exactly as it arrived (its
raw bytes), every member of it must equal the real header of that name, and the
operation reads its parameters only from that signed set: an unsigned header is
never a parameter.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request

from sync.axis import DESK_TIME, HASH_HEADER, NONCE, PREFIX, SIGN_HEADER, SIGN_KEY, hmac_hex
from sync.server.config import ServerConfig
from sync.server.db import agencies, nonces
from sync.server.errors import ApiError, auth_error
from sync.server.secrets import open_secret


@dataclass(frozen=True)
class Caller:
    system_id: str
    code: str  # the agency's own organisation ID
    codes: frozenset[str]  # own code + codes it may send as / read for
    is_admin: bool
    desk_mode: bool  # fresh timestamp + nonce checked


@dataclass(frozen=True)
class Authenticated:
    caller: Caller
    params: dict[str, str]  # lower-case parameter name (no prefix) -> value


def _bad_signature() -> ApiError:
    return auth_error(
        "auth_bad_signature",
        "Xác thực thất bại: sai chữ ký yêu cầu hoặc hệ thống không được cấp quyền.",
        "Authentication failed: wrong request signature or unknown system.",
    )


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _raw_headers(request: Request) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for k, v in request.headers.raw:
        out.setdefault(k.decode("latin-1").lower(), v)
    return out


def _signed_params(raw: dict[str, bytes], secret: str) -> dict[str, str]:
    sign_header = raw.get(SIGN_HEADER.lower())
    given = raw.get(HASH_HEADER.lower(), b"").decode("latin-1").strip().lower()
    keys = _decode(raw.get(SIGN_KEY.lower(), b""))
    if sign_header is None or not given:
        raise _bad_signature()
    if not hmac.compare_digest(hmac_hex(secret, sign_header), given):
        raise _bad_signature()
    try:
        obj = json.loads(sign_header.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _bad_signature() from None
    if not isinstance(obj, dict) or not all(isinstance(v, str) for v in obj.values()):
        raise _bad_signature()
    listed = {(PREFIX + k).lower() for k in keys.split(";") if k}
    members = {str(k).lower(): v for k, v in obj.items()}
    if listed != set(members):
        raise _bad_signature()
    params: dict[str, str] = {}
    for name, value in members.items():
        actual = raw.get(name)
        if actual is None or _decode(actual) != value:
            raise _bad_signature()
        params[name[len(PREFIX) :]] = value
    return params


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def authenticate(
    request: Request, engine: Engine, config: ServerConfig, nonce_engine: Engine | None = None
) -> Authenticated:
    raw = _raw_headers(request)
    system_id = _decode(raw.get((PREFIX + "systemid").lower(), b"")).strip()
    if not system_id:
        raise _bad_signature()
    with engine.connect() as conn:
        row = conn.execute(
            select(agencies).where(agencies.c.system_id == system_id, agencies.c.deleted.is_(False))
        ).first()
    if row is None:
        raise _bad_signature()
    secret = open_secret(engine, row.secret)
    if not secret:
        raise _bad_signature()
    params = _signed_params(raw, secret)
    if params.get("systemid") != system_id:
        raise _bad_signature()
    desk_mode = NONCE in params
    if desk_mode:
        _check_fresh(params, config)
        _remember_nonce(nonce_engine or engine, system_id, params[NONCE], config)
    else:
        _check_axis_allowed(request, bool(row.axis_compat), config, params)
    codes = {row.code} | {c for c in row.send_for.split(",") if c}
    caller = Caller(system_id, row.code, frozenset(codes), bool(row.is_admin), desk_mode)
    return Authenticated(caller, params)


def _check_fresh(params: dict[str, str], config: ServerConfig) -> None:
    raw = params.get(DESK_TIME, "")
    # Unix milliseconds: 13 digits today; anything longer is not a time (and a 400-digit
    # integer would overflow the float below).
    sent_ms = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 15 else 0
    if abs(time.time() - sent_ms / 1000) > config.max_clock_skew_s:
        raise auth_error(
            "auth_stale",
            "Yêu cầu đã quá hạn (thời điểm gửi lệch quá nhiều so với máy chủ); hãy kiểm tra đồng hồ máy.",
            "The request is stale (its time is too far from the server's); check the computer's clock.",
        )


def _remember_nonce(engine: Engine, system_id: str, nonce: str, config: ServerConfig) -> None:
    if not 16 <= len(nonce) <= 64:
        raise _bad_signature()
    now = time.time()
    try:
        with engine.begin() as conn:
            conn.execute(insert(nonces).values(system_id=system_id, nonce=nonce, seen_at=now))
            # Nonces older than the freshness window can never be replayed: drop them.
            conn.execute(delete(nonces).where(nonces.c.seen_at < now - config.nonce_ttl_s))
    except IntegrityError:
        raise auth_error(
            "auth_replay",
            "Yêu cầu bị gửi lại (trùng nonce); đã từ chối.",
            "The request was replayed (nonce already used); refused.",
        ) from None


def _check_axis_allowed(
    request: Request, axis_compat: bool, config: ServerConfig, params: dict[str, str]
) -> None:
    if not axis_compat:
        raise auth_error(
            "auth_nonce_required",
            "Yêu cầu thiếu nonce và thời điểm gửi; đơn vị này không bật chế độ tương thích trục.",
            "The request has no nonce and time; this agency is not in axis-compatible mode.",
        )
    secure = request.url.scheme == "https"
    if not secure and not (config.allow_axis_plain_http_loopback and _is_loopback(request)):
        raise auth_error(
            "auth_tls_required",
            "Máy khách kiểu trục (không có nonce) chỉ được chấp nhận qua TLS.",
            "Axis-style clients (no nonce) are accepted only over TLS.",
        )
    if "timestamp" not in params:
        raise _bad_signature()
