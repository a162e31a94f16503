# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""Signing one PDF: PAdES B-B / B-T / B-LT / B-LTA with a Decree 30 appearance.

Each signature is an incremental update, so earlier signatures stay valid. When
the timestamp or revocation services cannot be reached, the document is signed at
B-B and reported as waiting for its proof (``pending_proof``); :func:`complete_proof`
later adds the revocation data (DSS) and a document timestamp, reaching B-LTA.
"""

from __future__ import annotations

import enum
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pkcs11 import exceptions as p11e
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.stamp.base import BaseStampStyle
from pyhanko_certvalidator.errors import (
    InsufficientRevinfoError,
    PathBuildingError,
    PathValidationError,
)

from .certinfo import CertInfo
from .decree30 import (
    LEADER_FIELD,
    SEAL_FIELD,
    Appearance,
    AttachmentAppearance,
    CopyAppearance,
    CopyKind,
    LeaderAppearance,
    SealAppearance,
    default_field,
    plan_appearance,
)
from .errors import (
    AppearanceError,
    CertificateRejected,
    NetworkUnavailable,
    SigningError,
    TokenRemoved,
)
from .failures import chain as _chain
from .failures import is_network_error as _is_network_error
from .failures import revoked_in
from .keys import KeySession
from .pdfinput import open_incremental as _writer
from .placement import Box, Placement
from .proof import add_ltv_for_signatures
from .trust import DEFAULT_TSA_URL, TrustSettings


class Level(enum.StrEnum):
    """PAdES baseline levels (ETSI EN 319 142-1)."""

    B_B = "b-b"
    B_T = "b-t"
    B_LT = "b-lt"
    B_LTA = "b-lta"

    @property
    def needs_network(self) -> bool:
        return self is not Level.B_B



#: TT 15/2025/TT-BKHCN: SHA-256/384/512, SHA-512/t, SHA3.
ALLOWED_DIGESTS = frozenset({"sha256", "sha384", "sha512", "sha512_224", "sha512_256",
                             "sha3_256", "sha3_384", "sha3_512"})



@dataclass(frozen=True)
class SignOptions:
    level: Level = Level.B_LTA
    appearance: Appearance = None
    field_name: str | None = None
    reason: str | None = None
    location: str | None = None
    tsa_url: str = DEFAULT_TSA_URL
    trust: TrustSettings = field(default_factory=TrustSettings)
    offline_fallback: bool = True  # sign B-B and mark pending instead of failing
    md_algorithm: str = "sha256"
    timeout: float = 10.0


@dataclass(frozen=True)
class SignResult:
    output: Path | None
    field_name: str
    requested_level: Level
    level: Level
    pending_proof: bool
    signing_time: datetime
    signer: CertInfo
    note_vi: str = ""
    note_en: str = ""


# --- helpers ------------------------------------------------------------------------------


def _existing_fields(reader: PdfFileReader) -> dict[str, bool]:
    return {name: value is not None for name, value, _ in fields.enumerate_sig_fields(reader)}


def _free_name(base: str, taken: dict[str, bool]) -> str:
    if base not in taken:
        return base
    i = 2
    while f"{base}_{i}" in taken:
        i += 1
    return f"{base}_{i}"


def _field_spec(name: str, place: Placement | None) -> fields.SigFieldSpec:
    if place is None:
        return fields.SigFieldSpec(sig_field_name=name)
    b: Box = place.box
    return fields.SigFieldSpec(sig_field_name=name, on_page=place.page, box=b.as_ints())


PathError = (PathBuildingError, PathValidationError)


def _validation_failure(exc: BaseException) -> SigningError | None:
    """Certificate problems found by pyHanko while preparing B-LT/B-LTA."""
    if revoked_in(exc):
        return CertificateRejected("Không thể ký: chứng thư số của người ký đã bị thu hồi.",
                                   "Cannot sign: the signer's certificate has been revoked.", reasons=("revoked",))
    if any(isinstance(e, PathError) and not isinstance(e, InsufficientRevinfoError) for e in _chain(exc)):
        return SigningError(
            "Không xác thực được chứng thư người ký với các chứng thư gốc đã cài, nên không nhúng được "
            "dữ liệu kiểm tra dài hạn (B-LT/B-LTA): hãy cài chứng thư gốc của tổ chức cấp.",
            "The signer's certificate does not validate against the installed roots, so long-term "
            "validation data cannot be embedded (B-LT/B-LTA): install the CA's root.")
    return None


# --- signing --------------------------------------------------------------------------------


class DocumentSigner:
    """Signs documents with one open key session; reuse it across a batch."""

    def __init__(self, key: KeySession, options: SignOptions, *, check_certificate: bool = True) -> None:
        """``check_certificate`` runs the offline pre-checks (validity, key usage) once;
        :func:`signing.batch.sign_batch` also checks revocation when online."""
        if check_certificate:
            from .certcheck import check_signing_certificate

            check_signing_certificate(key.certificate, key.chain)
        self.key = key
        self.options = options
        self.offline = False  # set after a network failure so a batch stops waiting on it
        self._timestamper: timestamps.TimeStamper | None = None
        self._size_cache: dict[Any, int] = key.size_cache

    def _get_timestamper(self) -> timestamps.TimeStamper:
        if self._timestamper is None:
            self._timestamper = timestamps.HTTPTimeStamper(self.options.tsa_url, timeout=int(self.options.timeout))
        return self._timestamper

    def _metadata(self, name: str, level: Level) -> signers.PdfSignatureMetadata:
        o = self.options
        kwargs: dict[str, Any] = {
            "field_name": name,
            "md_algorithm": o.md_algorithm,
            "subfilter": SigSeedSubFilter.PADES,
            "reason": o.reason,
            "location": o.location,
            # B-B sizes are deterministic (one key, no timestamp): no 50% padding in
            # /Contents, which also makes verification (hex parsing) faster.
            "tight_size_estimates": level is Level.B_B,
        }
        if level in (Level.B_LT, Level.B_LTA):
            trust = o.trust.with_chain(self.key.chain)
            roots = trust.roots or tuple(c for c in self.key.chain if c.self_signed in ("yes", "maybe"))
            trust = TrustSettings(roots, trust.intermediates)
            kwargs.update(
                embed_validation_info=True,
                validation_context=trust.context(online=True, revocation_mode="hard-fail"),
                use_pades_lta=level is Level.B_LTA,
            )
        return signers.PdfSignatureMetadata(**kwargs)

    def sign_bytes(self, data: bytes, *, appearance: Appearance | bool = True,
                   level: Level | None = None) -> tuple[bytes, SignResult]:
        """Sign ``data`` in memory; ``appearance=True`` means the options' appearance."""
        if self.options.md_algorithm not in ALLOWED_DIGESTS:
            raise SigningError(
                f"Thuật toán băm {self.options.md_algorithm} không được phép (TT 15/2025: SHA-256 trở lên).",
                f"Digest {self.options.md_algorithm} is not allowed (TT 15/2025: SHA-256 or stronger).",
            )
        app = self.options.appearance if appearance is True else (None if appearance is False else appearance)
        requested = level or self.options.level
        effective = Level.B_B if (self.offline and requested.needs_network) else requested
        writer = _writer(data)
        reader = writer.prev
        if effective in (Level.B_LT, Level.B_LTA) and reader.embedded_signatures:
            # Earlier signatures (the leader's) get their long-term data too.
            try:
                data = add_ltv_for_signatures(data, self.options.trust.with_chain(self.key.chain))
            except NetworkUnavailable:
                if not self.options.offline_fallback:
                    raise
                self.offline, effective = True, Level.B_B
            writer = _writer(data)
            reader = writer.prev
        taken = _existing_fields(reader)
        base = self.options.field_name or default_field(app)
        name = _free_name(base, taken) if taken.get(base) else base
        style, place = plan_appearance(data, reader, app, self.key.info.subject_cn)
        if name in taken and not taken[name]:
            place = None  # an empty field prepared in the document: sign it where it is
        try:
            out, when = self._sign_once(writer, name, style, place, effective)
        except NetworkUnavailable:
            if not self.options.offline_fallback:
                raise
            self.offline, effective = True, Level.B_B
            out, when = self._sign_once(_writer(data), name, style, place, effective)
        pending = effective is not requested
        note_vi = note_en = ""
        if pending:
            note_vi = ("Đã ký ở mức B-B khi không có kết nối; văn bản đang chờ dấu thời gian "
                       "và dữ liệu thu hồi, sẽ được bổ sung trước khi ban hành.")
            note_en = ("Signed at B-B while offline; the document waits for its timestamp and "
                       "revocation data, to be added before release.")
        return out, SignResult(None, name, requested, effective, pending, when, self.key.info, note_vi, note_en)

    def _sign_once(self, writer: IncrementalPdfFileWriter, name: str, style: BaseStampStyle | None,
                   place: Placement | None, level: Level) -> tuple[bytes, datetime]:
        timestamper = self._get_timestamper() if level.needs_network else None
        pdf_signer = _BatchPdfSigner(
            self._size_cache, level,
            self._metadata(name, level), self.key.signer, timestamper=timestamper,
            stamp_style=style, new_field_spec=_field_spec(name, place),
        )
        out = io.BytesIO()
        try:
            pdf_signer.sign_pdf(writer, output=out)
        except AppearanceError:
            raise
        except SigningError:
            raise
        except p11e.PKCS11Error as exc:
            raise _token_error(exc) from exc
        except Exception as exc:
            refused = _validation_failure(exc)
            if refused is not None:
                raise refused from exc
            if level.needs_network and _is_network_error(exc):
                raise NetworkUnavailable(
                    "Không kết nối được máy chủ dấu thời gian hoặc kiểm tra thu hồi.",
                    "Cannot reach the timestamp or revocation service.",
                ) from exc
            if isinstance(exc, PyhankoSigningError):
                raise _translate(exc) from exc
            raise
        assert pdf_signer.system_time is not None
        return out.getvalue(), pdf_signer.system_time


_PYHANKO_MESSAGES = (
    ("forbids all changes", "Văn bản đã được chứng thực và không cho phép ký thêm (DocMDP).",
     "The document is certified and allows no further signatures (DocMDP)."),
    ("certif", "Văn bản đã được chứng thực; quyền chứng thực không cho phép thay đổi này.",
     "The document is certified; its permissions forbid this change."),
    ("seed value", "Trường chữ ký đặt ra yêu cầu (seed value) mà chữ ký này không đáp ứng.",
     "The signature field's seed-value constraints are not met."),
    ("not allowed in the specified validation context", "Thuật toán băm không được chính sách chấp nhận.",
     "The digest algorithm is not allowed by the policy."),
)


_TOKEN_GONE = (p11e.DeviceRemoved, p11e.TokenNotPresent, p11e.SessionHandleInvalid, p11e.SessionClosed,
               p11e.DeviceError, p11e.TokenNotRecognised)


def _token_error(exc: Exception) -> SigningError:
    if isinstance(exc, _TOKEN_GONE):
        return TokenRemoved("Mất kết nối với token (token bị rút ra?): hãy cắm lại token và ký lại các văn bản chưa ký.",
                            "Lost the token (unplugged?): plug it in again and sign the remaining documents.")
    if isinstance(exc, p11e.UserNotLoggedIn):
        return TokenRemoved("Phiên đăng nhập token đã kết thúc: hãy đăng nhập lại.",
                            "The token session was logged out: log in again.")
    return SigningError(f"Token báo lỗi khi ký: {type(exc).__name__}.",
                        f"The token reported an error while signing: {type(exc).__name__}.")


def _translate(exc: Exception) -> SigningError:
    text = str(exc)
    for marker, vi, en in _PYHANKO_MESSAGES:
        if marker in text.lower():
            return SigningError(vi, en)
    return SigningError(f"Ký không thành công: {text}", f"Signing failed: {text}")


class _BatchPdfSigner(signers.PdfSigner):
    """PdfSigner that remembers the signing time it wrote and reuses, within one
    batch, the size estimate of the signature container.

    pyHanko estimates the container size with a full dry-run signature for every
    document (a quarter of the time of a visible B-B signature here); for one key,
    one level and one algorithm the estimate does not change within a batch.
    """

    def __init__(self, size_cache: dict[Any, int], level: Level, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._size_cache = size_cache
        self._level = level
        self.system_time: datetime | None = None

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        self.system_time = session.system_time
        estimate = session.estimate_signature_container_size
        cache, level = self._size_cache, (self._level, session.md_algorithm)

        async def cached_estimate(validation_info: Any, tight: bool = False) -> int:
            if level not in cache:
                cache[level] = await estimate(validation_info=validation_info, tight=tight)
            return cache[level]

        # Instance-level override of one session method (the session is ours alone).
        session.estimate_signature_container_size = cached_estimate  # type: ignore[method-assign]
        return session


__all__ = [
    "LEADER_FIELD", "SEAL_FIELD", "Appearance", "AttachmentAppearance", "CopyAppearance", "CopyKind", "DocumentSigner",
    "LeaderAppearance", "Level", "SealAppearance", "SignOptions", "SignResult", "plan_appearance",
]
