"""Tokens, slots, certificates and PIN handling over PKCS#11 (python-pkcs11).

The user picks a certificate, not a slot: :func:`list_tokens` returns every token
with the certificates on it. The PIN is asked through a callback after the token's
PIN flags have been read, so the dialog can warn "few tries left" / "final try",
and a locked token is refused before anything is asked. A wrong PIN is reported
once and never retried: retrying would burn the token's remaining tries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pkcs11
from asn1crypto import x509
from pkcs11 import Attribute, ObjectClass
from pkcs11 import exceptions as p11e
from pkcs11.constants import TokenFlag

from .certinfo import CertInfo, describe_certificate
from .errors import ModuleError, PinCancelled, PinLocked, SigningError, TokenNotFound, WrongPin
from .modules import inspect_module


@dataclass(frozen=True)
class PinStatus:
    """The token's user-PIN flags (PKCS#11 CKF_USER_PIN_*)."""

    count_low: bool = False
    final_try: bool = False
    locked: bool = False
    to_be_changed: bool = False

    @classmethod
    def from_flags(cls, flags: int) -> PinStatus:
        return cls(
            count_low=bool(flags & TokenFlag.USER_PIN_COUNT_LOW),
            final_try=bool(flags & TokenFlag.USER_PIN_FINAL_TRY),
            locked=bool(flags & TokenFlag.USER_PIN_LOCKED),
            to_be_changed=bool(flags & TokenFlag.USER_PIN_TO_BE_CHANGED),
        )

    def warning(self, lang: str = "vi") -> str | None:
        """A line to show above the PIN prompt, or None when all is normal."""
        vi, en = None, None
        if self.locked:
            vi = "Token đã bị khóa do nhập sai mã PIN quá số lần cho phép."
            en = "The token is locked after too many wrong PINs."
        elif self.final_try:
            vi = "Cảnh báo: đây là lần nhập PIN cuối cùng; nhập sai token sẽ bị khóa."
            en = "Warning: this is the final PIN try; a wrong PIN locks the token."
        elif self.count_low:
            vi = "Cảnh báo: đã có lần nhập sai PIN; số lần thử còn lại ít."
            en = "Warning: a wrong PIN was entered before; few tries are left."
        elif self.to_be_changed:
            vi = "Mã PIN của token cần được đổi trước khi dùng."
            en = "The token's PIN must be changed before use."
        return en if lang == "en" else vi


@dataclass(frozen=True)
class TokenCert:
    info: CertInfo
    label: str
    id_hex: str
    der: bytes = field(repr=False)

    @property
    def certificate(self) -> x509.Certificate:
        return x509.Certificate.load(self.der)


@dataclass(frozen=True)
class TokenInfo:
    module: str
    slot_id: int
    label: str
    manufacturer: str
    model: str
    serial: str
    pin: PinStatus
    login_required: bool
    certificates: tuple[TokenCert, ...]


@dataclass(frozen=True)
class PinRequest:
    """What a PIN dialog shows. The callback returns the PIN, or None to cancel."""

    token_label: str
    holder: str
    pin: PinStatus

    def prompt(self, lang: str = "vi") -> str:
        who = f" ({self.holder})" if self.holder else ""
        if lang == "en":
            return f"PIN for token {self.token_label}{who}: "
        return f"Mã PIN của token {self.token_label}{who}: "


PinCallback = Callable[[PinRequest], "str | None"]


@dataclass(frozen=True)
class TokenListing:
    tokens: tuple[TokenInfo, ...]
    problems: tuple[tuple[str, str, str], ...]  # (module path, vi, en)


def load_library(path: str) -> Any:
    """Load (once per process) a PKCS#11 library, explaining failures."""
    info = inspect_module(path, probe_symbols=False)
    if not info.usable:
        raise ModuleError(info.problem_vi or "", info.problem_en or "")
    try:
        return pkcs11.lib(path)
    except Exception as exc:  # the loader's errors carry no useful type
        raise ModuleError(
            f"Không nạp được thư viện token {path}: {exc}",
            f"Cannot load token library {path}: {exc}",
        ) from exc


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip()
    return str(value).strip()


def _token_certs(token: Any) -> tuple[TokenCert, ...]:
    certs: list[TokenCert] = []
    with token.open() as session:
        for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
            try:
                der = bytes(obj[Attribute.VALUE])
                cert = x509.Certificate.load(der)
                info = describe_certificate(cert)
            except Exception:  # a malformed object must not hide the others
                continue
            try:
                label = _text(obj[Attribute.LABEL])
            except p11e.PKCS11Error:
                label = ""
            try:
                id_hex = bytes(obj[Attribute.ID]).hex()
            except p11e.PKCS11Error:
                id_hex = ""
            certs.append(TokenCert(info, label, id_hex, der))
    return tuple(certs)


def _describe_token(module: str, slot: Any, token: Any, with_certs: bool) -> TokenInfo:
    flags = int(token.flags)
    return TokenInfo(
        module=module,
        slot_id=int(slot.slot_id),
        label=_text(token.label),
        manufacturer=_text(token.manufacturer_id),
        model=_text(token.model),
        serial=_text(token.serial),
        pin=PinStatus.from_flags(flags),
        login_required=bool(flags & TokenFlag.LOGIN_REQUIRED),
        certificates=_token_certs(token) if with_certs else (),
    )


def list_tokens(modules: Sequence[str], *, with_certs: bool = True) -> TokenListing:
    """Every initialised token in every module, with its certificates."""
    tokens: list[TokenInfo] = []
    problems: list[tuple[str, str, str]] = []
    for module in modules:
        try:
            lib = load_library(module)
            slots = lib.get_slots(token_present=True)
        except ModuleError as exc:
            problems.append((module, exc.vi, exc.en))
            continue
        except p11e.PKCS11Error as exc:
            problems.append((module, f"Lỗi thư viện token: {exc!r}", f"Token library error: {exc!r}"))
            continue
        for slot in slots:
            try:
                token = slot.get_token()
                if not int(token.flags) & TokenFlag.TOKEN_INITIALIZED:
                    continue
                tokens.append(_describe_token(module, slot, token, with_certs))
            except (p11e.TokenNotRecognised, p11e.TokenNotPresent):
                continue  # SoftHSM2 always shows one empty slot; readers may be empty
            except p11e.PKCS11Error as exc:
                problems.append((module, f"Không đọc được token ở khe {slot.slot_id}: {exc!r}",
                                 f"Cannot read the token in slot {slot.slot_id}: {exc!r}"))
    return TokenListing(tuple(tokens), tuple(problems))


def find_token(module: str, label: str) -> Any:
    lib = load_library(module)
    try:
        return lib.get_token(token_label=label)
    except (p11e.NoSuchToken, p11e.MultipleTokensReturned) as exc:
        raise TokenNotFound(
            f"Không tìm thấy token \"{label}\": hãy cắm token và thử lại.",
            f"Token \"{label}\" not found: plug it in and try again.",
        ) from exc


def token_certificates(module: str, label: str) -> tuple[TokenCert, ...]:
    """The certificates on one token (no login needed)."""
    return _token_certs(find_token(module, label))


def certificate_present(module: str, label: str, sha256: str, token_serial: str | None = None) -> bool:
    """True if the token labelled ``label`` (and, if given, with this serial number)
    still holds the certificate with this SHA-256 fingerprint. A missing or removed
    token answers False, whatever PKCS#11 error it raises."""
    try:
        token = find_token(module, label)
        if token_serial and _text(token.serial) != token_serial:
            return False  # another token with the same label was plugged in
        return any(c.info.sha256 == sha256 for c in _token_certs(token))
    except (SigningError, p11e.PKCS11Error):
        return False


def pin_status(module: str, label: str) -> PinStatus:
    """Read the PIN flags afresh (python-pkcs11 caches them per Token object)."""
    return PinStatus.from_flags(int(find_token(module, label).flags))


# PKCS#11 login state belongs to the application, not to a session: while one of
# our sessions on a token is logged in, every new session is too, and C_Login
# answers "already logged in" without checking the PIN. So Desk tracks its own
# logged-in tokens and does not ask for a PIN it could not check; the token stays
# unlocked until the last session closes (PKCS#11 then logs out by itself).
_ACTIVE: dict[tuple[str, str], int] = {}
_ACTIVE_LOCK = threading.Lock()


def is_unlocked(module: str, label: str) -> bool:
    """True while a Desk session on this token is open (no PIN will be asked)."""
    with _ACTIVE_LOCK:
        return _ACTIVE.get((module, label), 0) > 0


def release(module: str, label: str) -> None:
    """Forget one logged-in session (call when closing it)."""
    with _ACTIVE_LOCK:
        n = _ACTIVE.get((module, label), 0) - 1
        if n > 0:
            _ACTIVE[(module, label)] = n
        else:
            _ACTIVE.pop((module, label), None)


def _track(module: str, label: str) -> None:
    with _ACTIVE_LOCK:
        _ACTIVE[(module, label)] = _ACTIVE.get((module, label), 0) + 1


def login(module: str, label: str, pin_callback: PinCallback, holder: str = "") -> Any:
    """Open a logged-in session; one PIN attempt, never retried.

    Every successful call must be paired with :func:`release` when the session is
    closed (KeySession does this).
    """
    token = find_token(module, label)
    if is_unlocked(module, label):
        session = token.open()
        _track(module, label)
        return session
    session = _login_with_pin(module, label, token, pin_callback, holder)
    _track(module, label)
    return session


def _login_with_pin(module: str, label: str, token: Any, pin_callback: PinCallback, holder: str) -> Any:
    status = PinStatus.from_flags(int(token.flags))
    if status.locked:
        raise PinLocked(
            f"Token \"{label}\" đã bị khóa PIN: liên hệ nhà cung cấp chữ ký số để mở khóa.",
            f"Token \"{label}\" is PIN-locked: ask the CA to unlock it.",
        )
    pin = pin_callback(PinRequest(label, holder, status))
    if pin is None:
        raise PinCancelled("Đã hủy nhập mã PIN.", "PIN entry cancelled.")
    try:
        return token.open(user_pin=pin)
    except p11e.UserAlreadyLoggedIn:
        # Logged in by code outside Desk's tracking in this process (see _ACTIVE).
        return token.open()
    except (p11e.PinIncorrect, p11e.PinInvalid, p11e.PinLenRange) as exc:
        after = pin_status(module, label)
        raise WrongPin(
            "Mã PIN không đúng. " + (after.warning("vi") or "Hãy kiểm tra lại trước khi thử lại."),
            "Wrong PIN. " + (after.warning("en") or "Check it before trying again."),
        ) from exc
    except p11e.PinLocked as exc:
        raise PinLocked(
            f"Token \"{label}\" đã bị khóa PIN: liên hệ nhà cung cấp chữ ký số để mở khóa.",
            f"Token \"{label}\" is PIN-locked: ask the CA to unlock it.",
        ) from exc
