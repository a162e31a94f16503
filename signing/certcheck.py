# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""Checking the signer's certificate before signing (TT 15/2025/TT-BKHCN).

Refused: expired, not yet valid, a CA certificate, a key usage that allows
neither digitalSignature nor nonRepudiation, and — when a network is available
and trust roots are configured — a certificate its CA reports as revoked. A
revocation service that cannot be reached does not block signing (the document
can be finished later); a positive "revoked" answer always does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from asn1crypto import x509
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator.errors import RevokedError

from .certinfo import describe_certificate
from .errors import CertificateRejected
from .trust import TrustSettings


def _fmt(d: datetime) -> str:
    return d.astimezone(UTC).strftime("%d/%m/%Y")


def check_signing_certificate(cert: x509.Certificate, chain: Sequence[x509.Certificate] = (),
                              *, trust: TrustSettings | None = None, online: bool = False,
                              now: datetime | None = None) -> None:
    """Raise CertificateRejected with every reason found; return if fine."""
    now = now or datetime.now(UTC)
    info = describe_certificate(cert)
    vi: list[str] = []
    en: list[str] = []
    codes: list[str] = []
    if now > info.not_after:
        codes.append("expired")
        vi.append(f"chứng thư số đã hết hạn ngày {_fmt(info.not_after)}")
        en.append(f"the certificate expired on {_fmt(info.not_after)}")
    if now < info.not_before:
        codes.append("not_yet_valid")
        vi.append(f"chứng thư số chỉ có hiệu lực từ ngày {_fmt(info.not_before)}")
        en.append(f"the certificate is valid only from {_fmt(info.not_before)}")
    if info.is_ca:
        codes.append("ca_cert")
        vi.append("đây là chứng thư của tổ chức cấp, không dùng để ký văn bản")
        en.append("this is a CA certificate, not a signing certificate")
    if info.key_usage and not {"digital_signature", "non_repudiation"} & set(info.key_usage):
        codes.append("key_usage")
        vi.append("chứng thư số không cho phép dùng để ký (thiếu digitalSignature/nonRepudiation)")
        en.append("the certificate's key usage does not allow signing")
    if not codes and online and trust is not None and trust.roots:
        try:
            _check_revocation(cert, chain, trust)
        except RevokedError as exc:
            codes.append("revoked")
            vi.append("chứng thư số đã bị thu hồi")
            en.append(f"the certificate has been revoked ({exc})")
    if codes:
        raise CertificateRejected(
            f"Không thể ký với chứng thư số của {info.subject_cn}: " + "; ".join(vi) + ".",
            f"Cannot sign with {info.subject_cn}'s certificate: " + "; ".join(en) + ".",
            reasons=tuple(codes),
        )


def _check_revocation(cert: x509.Certificate, chain: Sequence[x509.Certificate], trust: TrustSettings) -> None:
    ctx = trust.with_chain(chain).context(online=True, revocation_mode="soft-fail")
    validator = CertificateValidator(cert, intermediate_certs=list(chain), validation_context=ctx)

    async def run() -> None:
        try:
            await validator.async_validate_usage(set())
        finally:
            await ctx.aclose()  # close the HTTP session in the loop that opened it

    try:
        asyncio.run(run())
    except RevokedError:
        raise
    except Exception:
        # Untrusted chains or unreachable services are not revocation evidence;
        # the verification report explains trust separately.
        return
