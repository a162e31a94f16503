"""Errors raised by the signing library.

Every error carries a stable ``code`` and a one-line message in Vietnamese (shown to
users by default) and in English: the protocol of :class:`signing.usertext.UserError`,
shared with ``desk.errors.DeskError``. Front ends show ``message()`` as it is; any
other exception escaping this package is a bug.
"""

from __future__ import annotations

from .usertext import UserError


class SigningError(UserError):
    """Base of all expected signing failures."""

    code: str = "signing.error"


class ModuleError(SigningError):
    """A PKCS#11 library is missing, of the wrong architecture or not PKCS#11."""

    code = "signing.module"


class TokenNotFound(SigningError):
    code = "signing.token_not_found"


class CertificateNotFound(SigningError):
    code = "signing.cert_not_found"


class TokenRemoved(SigningError):
    """The token went away (unplugged, reader reset) in the middle of a batch."""

    code = "signing.token_removed"


class PinError(SigningError):
    """Base for PIN problems; never retried automatically."""

    code = "signing.pin"


class WrongPin(PinError):
    code = "signing.pin_wrong"


class PinLocked(PinError):
    code = "signing.pin_locked"


class PinCancelled(PinError):
    code = "signing.pin_cancelled"


class CertificateRejected(SigningError):
    """The pre-signing certificate check (TT 15/2025) failed."""

    code = "signing.cert_rejected"

    def __init__(self, vi: str, en: str, *, reasons: tuple[str, ...] = ()) -> None:
        super().__init__(vi, en)
        self.reasons = reasons


class InvalidDocument(SigningError):
    code = "signing.invalid_pdf"


class AppearanceError(SigningError):
    code = "signing.appearance"


class NetworkUnavailable(SigningError):
    """A timestamp, OCSP or CRL service could not be reached."""

    code = "signing.network"


class RemoteSigningError(SigningError):
    code = "signing.remote"


class Cancelled(SigningError):
    code = "signing.cancelled"
