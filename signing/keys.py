# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""Key sources: one ``open()`` surface over PKCS#11 tokens, PKCS#12 files and CSC.

A :class:`KeySource` describes where a key lives; ``open(pin_callback)`` logs in
once and returns a :class:`KeySession` holding a ready pyHanko ``Signer``. A batch
uses one session for all its documents and closes it at the end, so the PIN lives
only in the token session for the length of the batch and is never stored.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import algos, keys, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pkcs11 import exceptions as p11e
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from .certinfo import CertInfo, describe_certificate
from .errors import CertificateNotFound, PinCancelled, SigningError, WrongPin
from .tokens import PinCallback, PinRequest, PinStatus, TokenCert, find_token, login, release

PasswordCallback = Callable[[str], "str | None"]


@dataclass
class KeySession:
    """A logged-in key, ready to sign many documents; close it when done."""

    signer: Signer
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    info: CertInfo
    _close: Callable[[], None] = field(default=lambda: None, repr=False)
    #: Signature container sizes measured with this key, per (level, digest); shared
    #: by every DocumentSigner using the session (see pades._BatchPdfSigner).
    size_cache: dict[Any, int] = field(default_factory=dict, repr=False)

    def close(self) -> None:
        self._close()
        self._close = lambda: None

    def __enter__(self) -> KeySession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class KeySource(abc.ABC):
    """Where a signing key lives."""

    @abc.abstractmethod
    def describe(self) -> str: ...

    @abc.abstractmethod
    def open(self, pin_callback: PinCallback) -> KeySession: ...


def _chain_for(cert: x509.Certificate, pool: Sequence[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    """Issuers of ``cert`` found in ``pool``, leaf's issuer first (roots included)."""
    by_subject = {c.subject.dump(): c for c in pool}
    chain: list[x509.Certificate] = []
    current = cert
    for _ in range(10):
        if current.self_signed == "maybe" or current.issuer == current.subject:
            break
        issuer = by_subject.get(current.issuer.dump())
        if issuer is None or issuer.dump() == current.dump():
            break
        chain.append(issuer)
        current = issuer
    return tuple(chain)


@dataclass(frozen=True)
class Pkcs11KeySource(KeySource):
    """A certificate on a PKCS#11 token, chosen by serial or holder name."""

    module: str
    token_label: str
    cert_selector: str | None = None
    extra_chain: tuple[x509.Certificate, ...] = ()
    prefer_pss: bool = False  # RSASSA-PSS (named by TT 15/2025) instead of PKCS#1 v1.5

    def describe(self) -> str:
        return f"PKCS#11 {self.token_label} ({self.module})"

    def select_certificate(self, certs: Sequence[TokenCert]) -> TokenCert:
        usable = [c for c in certs if not c.info.is_ca]
        if self.cert_selector:
            usable = [c for c in usable if c.info.matches(self.cert_selector) or c.label == self.cert_selector]
        if len(usable) == 1:
            return usable[0]
        if not usable:
            raise CertificateNotFound(
                f"Không tìm thấy chứng thư số \"{self.cert_selector or ''}\" trên token {self.token_label}.",
                f"No certificate \"{self.cert_selector or ''}\" on token {self.token_label}.",
            )
        names = ", ".join(f"{c.info.subject_cn} (số hiệu {c.info.serial_hex})" for c in usable)
        raise CertificateNotFound(
            f"Token {self.token_label} có nhiều chứng thư số, hãy chọn một: {names}.",
            f"Token {self.token_label} holds several certificates, pick one: {names}.",
        )

    def open(self, pin_callback: PinCallback) -> KeySession:
        from .tokens import _token_certs  # reading certificates needs no login

        token = find_token(self.module, self.token_label)
        certs = _token_certs(token)
        chosen = self.select_certificate(certs)
        cert = chosen.certificate
        pool = [c.certificate for c in certs] + list(self.extra_chain)
        chain = _chain_for(cert, pool)
        session = login(self.module, self.token_label, pin_callback, holder=chosen.info.subject_cn)

        def close() -> None:
            try:
                session.close()
            except p11e.PKCS11Error:
                pass  # already gone with the token; nothing left to release on it
            finally:
                release(self.module, self.token_label)

        try:
            signer = PKCS11Signer(
                session,
                signing_cert=cert,
                ca_chain=list(chain),
                key_id=bytes.fromhex(chosen.id_hex) if chosen.id_hex else None,
                key_label=None if chosen.id_hex else chosen.label,
                # Many tokens (SoftHSM2 included) only offer raw CKM_ECDSA, hashing
                # done by the caller; RSA keeps the combined hash-and-sign mechanism.
                use_raw_mechanism=cert.public_key.algorithm == "ec",
                prefer_pss=self.prefer_pss,
            )
        except Exception:
            close()
            raise
        return KeySession(signer, cert, chain, chosen.info, close)


class _LocalKeySigner(Signer):
    """A software key kept parsed in memory for the whole batch.

    pyHanko's SimpleSigner re-parses the key for every signature (~40 ms for
    RSA-2048, toolchain probe §3); a batch should pay that once.
    """

    def __init__(self, key: Any, cert: x509.Certificate, chain: Sequence[x509.Certificate],
                 prefer_pss: bool = False) -> None:
        super().__init__(
            prefer_pss=prefer_pss,
            signing_cert=cert,
            cert_registry=SimpleCertificateStore.from_certs([cert, *chain]),
        )
        self._key = key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        mech: algos.SignedDigestAlgorithm = self.get_signature_mechanism_for_digest(digest_algorithm)
        name = mech.signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if name == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), hash_algo)
        if name == "rsassa_pss" and isinstance(self._key, rsa.RSAPrivateKey):
            pss = padding.PSS(mgf=padding.MGF1(hash_algo), salt_length=hash_algo.digest_size)
            return self._key.sign(data, pss, hash_algo)
        if name == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hash_algo))
        raise SigningError(f"Thuật toán ký {name} không được hỗ trợ.", f"Unsupported signature algorithm {name}.")


@dataclass(frozen=True)
class Pkcs12KeySource(KeySource):
    """A .p12/.pfx file; its password is asked through the same callback as a PIN."""

    path: Path
    extra_chain: tuple[x509.Certificate, ...] = ()
    prefer_pss: bool = False

    def describe(self) -> str:
        return f"PKCS#12 {self.path}"

    def open(self, pin_callback: PinCallback) -> KeySession:
        try:
            data = Path(self.path).read_bytes()
        except OSError as exc:
            raise CertificateNotFound(
                f"Không đọc được tệp chứng thư {self.path}: {exc.strerror}.",
                f"Cannot read certificate file {self.path}: {exc.strerror}.",
            ) from exc
        password = pin_callback(PinRequest(Path(self.path).name, "", PinStatus()))
        if password is None:
            raise PinCancelled("Đã hủy nhập mật khẩu.", "Password entry cancelled.")
        try:
            key, cert_c, others = pkcs12.load_key_and_certificates(data, password.encode("utf-8"))
        except ValueError as exc:
            raise WrongPin(
                f"Mật khẩu tệp {Path(self.path).name} không đúng hoặc tệp bị hỏng.",
                f"Wrong password for {Path(self.path).name}, or the file is damaged.",
            ) from exc
        if key is None or cert_c is None:
            raise CertificateNotFound(
                f"Tệp {Path(self.path).name} không chứa khóa bí mật và chứng thư số.",
                f"{Path(self.path).name} holds no private key and certificate.",
            )
        der = cert_c.public_bytes(serialization.Encoding.DER)
        cert = x509.Certificate.load(der)
        pool = [x509.Certificate.load(o.public_bytes(serialization.Encoding.DER)) for o in others]
        chain = _chain_for(cert, pool + list(self.extra_chain))
        signer = _LocalKeySigner(key, cert, chain, prefer_pss=self.prefer_pss)
        return KeySession(signer, cert, chain, describe_certificate(cert))


def private_key_info(key: Any) -> keys.PrivateKeyInfo:
    """PKCS#8 view of a cryptography key (used by tests and the CSC helper)."""
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return keys.PrivateKeyInfo.load(der)


__all__ = [
    "KeySession", "KeySource", "Pkcs11KeySource", "Pkcs12KeySource", "PasswordCallback",
    "hashes", "private_key_info",
]
