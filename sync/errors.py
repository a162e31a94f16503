"""Errors of the exchange layer: edXML packages, the exchange server and its client.

Every error carries a stable ``code`` (logs, tests, the ``ErrorCode`` of a server
reply) and a Vietnamese message with its English twin, as the DeskError family does.
"""

from __future__ import annotations

from desk.errors import DeskError


class SyncError(DeskError):
    """Anything that goes wrong while exchanging documents."""

    code = "sync_error"


class EdxmlError(SyncError):
    """A package that is not a valid QCVN 102 edXML package (or cannot be built)."""

    code = "edxml_invalid"


class TransportError(SyncError):
    """The exchange server could not be reached, or the link dropped."""

    code = "transport"


class ServerRefused(SyncError):
    """The exchange server answered ``status: FAIL``."""

    code = "server_refused"

    def __init__(self, vi: str, en: str, *, code: str | None = None, error_code: str = "") -> None:
        super().__init__(vi, en, code=code)
        self.error_code = error_code


class SecretMissing(SyncError):
    code = "secret_missing"


def edxml_error(code: str, vi: str, en: str) -> EdxmlError:
    """Build an EdxmlError with a specific stable code (``edxml_<what>``)."""
    return EdxmlError(vi, en, code=code)
