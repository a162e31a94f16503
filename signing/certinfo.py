"""Plain descriptions of X.509 certificates for lists, pickers and reports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import x509


@dataclass(frozen=True)
class CertInfo:
    """What a user needs to pick a certificate: holder, issuer, validity, usage."""

    subject_cn: str
    subject_org: str
    subject: str
    issuer_cn: str
    issuer: str
    serial_hex: str
    not_before: datetime
    not_after: datetime
    key_usage: tuple[str, ...]
    extended_key_usage: tuple[str, ...]
    key_type: str
    sha256: str
    is_ca: bool

    def days_left(self, now: datetime | None = None) -> int:
        now = now or datetime.now(UTC)
        return (self.not_after - now).days

    def matches(self, selector: str) -> bool:
        """True if ``selector`` is this certificate's serial (hex or decimal),
        SHA-256 fingerprint prefix, or a case-insensitive part of its holder name."""
        sel = selector.strip()
        if not sel:
            return False
        norm = sel.lower().replace(":", "").replace(" ", "")
        if norm == self.serial_hex.lower() or norm.lstrip("0") == self.serial_hex.lower().lstrip("0"):
            return True
        if sel.isdigit() and int(sel) == int(self.serial_hex, 16):
            return True
        if len(norm) >= 8 and self.sha256.startswith(norm):
            return True
        return sel.casefold() in self.subject_cn.casefold() or sel.casefold() in self.subject.casefold()


def _name_part(name: x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def key_description(cert: x509.Certificate) -> str:
    pub = cert.public_key
    algo = pub.algorithm
    if algo == "rsa":
        return f"RSA {pub.bit_size}"
    if algo == "ec":
        return f"ECDSA {pub.curve[1] if isinstance(pub.curve, tuple) else pub.curve}"
    return str(algo).upper()


def describe_certificate(cert: x509.Certificate) -> CertInfo:
    ku = cert.key_usage_value
    eku = cert.extended_key_usage_value
    validity = cert["tbs_certificate"]["validity"]
    return CertInfo(
        subject_cn=_name_part(cert.subject, "common_name"),
        subject_org=_name_part(cert.subject, "organization_name"),
        subject=cert.subject.human_friendly,
        issuer_cn=_name_part(cert.issuer, "common_name"),
        issuer=cert.issuer.human_friendly,
        serial_hex=format(cert.serial_number, "x"),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        key_usage=tuple(sorted(ku.native)) if ku is not None else (),
        extended_key_usage=tuple(eku.native) if eku is not None else (),
        key_type=key_description(cert),
        sha256=hashlib.sha256(cert.dump()).hexdigest(),
        is_ca=cert.ca,
    )
