"""The axis (VDXP/VPCP "XRoad") wire protocol, shared by Desk's server and client.

Parameters travel as ``XroadVnpt-<name>`` headers. A request is authenticated by an
HMAC-SHA256 (key = the agency secret) over ``XroadVnpt-sign-header``, a compact JSON
object of the signed headers; the server recomputes it over that string exactly as
received. See the spec, §4.

Desk's own clients add three signed headers the SDK does not send: ``nonce``,
``desk-time`` (Unix milliseconds) and, on requests with a body, ``body-sha256``;
with them the server refuses stale and replayed requests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from datetime import datetime

PREFIX = "XroadVnpt-"
USER_AGENT_SDK = "JAVASDKAgent/1.0.0 XRoad/VPCP"
VERSION = "3.0.201608"
SIGN_KEY = PREFIX + "sign-header-key"
SIGN_HEADER = PREFIX + "sign-header"
HASH_HEADER = PREFIX + "hash-header"

# Desk additions (signed like any other parameter).
NONCE = "nonce"
DESK_TIME = "desk-time"
BODY_SHA256 = "body-sha256"
UPLOAD_ID = "uploadid"
UPLOAD_LENGTH = "upload-length"
UPLOAD_OFFSET = "upload-offset"

MAX_CLOCK_SKEW_S = 300


def axis_timestamp(when: datetime | None = None) -> str:
    """``ddMMyyyy'T'HHmmss+SSSS`` in local time; +SSSS are milliseconds, not a zone."""
    d = when or datetime.now()
    return d.strftime("%d%m%YT%H%M%S") + f"+{d.microsecond // 1000:04d}"


def hash_file_hex(digest: bytes) -> str:
    """The SDK's hex form of a digest: each byte in hex *without* zero padding."""
    return "".join(format(b, "x") for b in digest)


def hash_file_matches(declared: str, digest: bytes) -> bool:
    """Accept the SDK's unpadded form and ordinary (padded) hex."""
    d = declared.strip().lower()
    return hmac.compare_digest(d, hash_file_hex(digest)) or hmac.compare_digest(d, digest.hex())


def hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def signed_headers(params: Mapping[str, str], system_id: str, secret: str) -> dict[str, str]:
    """Headers for one call: each parameter prefixed, plus the signature headers.

    ``params`` keys are parameter names without the prefix (``from``, ``docId`` ...).
    ``systemid`` is always added; a ``Content-Type`` parameter is also sent plain, as
    the SDK does.
    """
    signed: dict[str, str] = {"systemid": system_id}
    signed.update(params)
    out: dict[str, str] = {}
    obj: dict[str, str] = {}
    for k, v in signed.items():
        obj[PREFIX + k] = v
        out[PREFIX + k] = v
        if k == "Content-Type":
            out["Content-Type"] = v
    sign_header = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    out[SIGN_KEY] = ";".join(signed)
    out[SIGN_HEADER] = sign_header
    out[HASH_HEADER] = hmac_hex(secret, sign_header.encode("utf-8"))
    out[PREFIX + "version"] = VERSION
    return out


def desk_params(params: Mapping[str, str], body_sha256: str | None = None) -> dict[str, str]:
    """Add Desk's freshness and replay-protection parameters to a call's parameters."""
    out = dict(params)
    out.setdefault("timestamp", axis_timestamp())
    out[NONCE] = new_nonce()
    out[DESK_TIME] = str(int(time.time() * 1000))
    if body_sha256 is not None:
        out[BODY_SHA256] = body_sha256
    return out
