"""Trust roots and validation contexts.

The roots are configurable: the Vietnamese roots (VGCA "RootCA chuyên dùng Chính
phủ G2", NEAC "Vietnam National Root CA") are supported once the user installs
their certificate files into the trust folder; Desk ships none of them (they are
downloaded from ca.gov.vn / rootca.gov.vn by the user, vn-standards §3).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import cms, pem, x509
from pyhanko_certvalidator import ValidationContext

from .errors import SigningError

#: Where the Vietnamese government roots are published (informational, never fetched).
KNOWN_ROOT_SOURCES = {
    "VGCA RootCA G2": "http://ca.gov.vn/pki/pub/crt/rootcag2.crt",
    "VGCA CA G2 (intermediate)": "http://ca.gov.vn/pki/pub/crt/cpcag2.crt",
    "Vietnam National Root CA (NEAC)": "https://rootca.gov.vn/crt/vnrca256.p7b",
}

#: The government TSA (vn-standards §3), used when no other is configured.
DEFAULT_TSA_URL = "http://ca.gov.vn/tsa"


def _from_der(der: bytes) -> list[x509.Certificate]:
    """One DER object: a certificate, or a PKCS#7 bundle (.p7b, as NEAC publishes its root)."""
    if der[:1] == b"\x30":
        try:
            info = cms.ContentInfo.load(der)
            if info["content_type"].native == "signed_data":
                certs = info["content"]["certificates"]
                return [c.chosen for c in certs if c.name == "certificate"] if certs else []
        except ValueError:
            pass
    cert = x509.Certificate.load(der)
    cert.native  # noqa: B018  (forces a full parse so garbage is rejected here)
    return [cert]


def load_certificates(path: str | Path) -> list[x509.Certificate]:
    """Certificates in a PEM (one or many, certificates or PKCS#7), DER or .p7b file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp chứng thư {path}.", f"Cannot read certificate file {path}.") from exc
    try:
        ders = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        certs = [c for der in ders for c in _from_der(der)]
        if not certs:
            raise ValueError("no certificate")
        return certs
    except Exception as exc:
        raise SigningError(f"Tệp {path} không phải chứng thư số hợp lệ.", f"{path} is not a valid certificate.") from exc


@dataclass(frozen=True)
class TrustSettings:
    """Trust anchors plus extra intermediates to help build paths."""

    roots: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()

    @classmethod
    def from_files(cls, files: Iterable[str | Path]) -> TrustSettings:
        roots: list[x509.Certificate] = []
        others: list[x509.Certificate] = []
        for f in files:
            for cert in load_certificates(f):
                (roots if cert.self_signed in ("yes", "maybe") else others).append(cert)
        return cls(tuple(roots), tuple(others))

    @classmethod
    def from_folder(cls, folder: str | Path) -> TrustSettings:
        p = Path(folder)
        if not p.is_dir():
            return cls()
        files = sorted(f for f in p.iterdir()
                       if f.suffix.lower() in {".pem", ".crt", ".cer", ".der", ".p7b", ".p7c"})
        return cls.from_files(files)

    def with_chain(self, chain: Sequence[x509.Certificate]) -> TrustSettings:
        return TrustSettings(self.roots, tuple(self.intermediates) + tuple(chain))

    def context(self, *, online: bool, moment: datetime | None = None,
                revocation_mode: str = "soft-fail", extra: dict[str, Any] | None = None) -> ValidationContext:
        kwargs: dict[str, Any] = {
            "trust_roots": list(self.roots),
            "other_certs": list(self.intermediates),
            "allow_fetching": online,
            "revocation_mode": revocation_mode,
        }
        if moment is not None:
            kwargs["moment"] = moment
        if extra:
            kwargs.update(extra)
        return ValidationContext(**kwargs)
