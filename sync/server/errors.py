"""Errors the exchange server answers with: HTTP 200, ``status: FAIL`` and a stable code."""

from __future__ import annotations

from sync.errors import SyncError


class ApiError(SyncError):
    """A refused request. ``wire`` is the axis ``ErrorCode`` (a string, never "0")."""

    code = "api_error"

    def __init__(self, wire: str, code: str, vi: str, en: str) -> None:
        super().__init__(vi, en, code=code)
        self.wire = wire


def auth_error(code: str, vi: str, en: str) -> ApiError:
    return ApiError("401", code, vi, en)


def forbidden(code: str, vi: str, en: str) -> ApiError:
    return ApiError("403", code, vi, en)


def not_found(vi: str, en: str) -> ApiError:
    return ApiError("404", "not_found", vi, en)


def bad_request(code: str, vi: str, en: str) -> ApiError:
    return ApiError("400", code, vi, en)
