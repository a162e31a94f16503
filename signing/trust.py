# mypy: disable-error-code="no-untyped-call"
"""Trust anchors, the office's trust folder, and chain building for verification.

One object, :class:`TrustSettings`, is what every verification in Desk uses (CLI,
app, sync engine). It is built by :func:`office_trust` from, in order:

1. **Desk's Vietnamese trust store**, ``resources/trust`` (the Government CA of Ban
   Cơ yếu Chính phủ G1/G2, Vietnam National Root CA and the public CAs' issuing CAs
   that could be sourced; ``manifest.toml`` lists each file with its fingerprint and
   where it came from). A file whose fingerprint does not match the manifest is not
   loaded.
2. **The office's own anchors**, ``<data folder>/trust/office`` (``desk trust add``,
   Settings → Chứng thư tin cậy).
3. **The province's bundle**, ``<data folder>/trust/province``, published by the
   exchange server (``desk serve trust add``) and picked up on sync.
4. **Certificates seen before**, ``<data folder>/trust/cache``: intermediates found in
   signatures, DSS and timestamp tokens, and issuers fetched through AIA when online.
   They only help build paths; they never become trust anchors.

Before a PDF is verified, :meth:`TrustSettings.for_document` adds the certificates
the document itself carries (CMS, timestamp tokens, DSS), remembers CA certificates
in the cache, and — only when online — fetches missing issuers through the
certificates' AIA "CA issuers" URLs, keeping an issuer only when its signature on
the child verifies.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import tomllib
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import cms, pem, x509
from pyhanko_certvalidator import ValidationContext

from .errors import SigningError
from .revcache import CachedRevinfo, RevocationCache
from .revcache import write_atomic as _atomic_write

#: Where the Vietnamese government roots are published (informational, never fetched by Desk).
KNOWN_ROOT_SOURCES = {
    "VGCA RootCA G2": "http://ca.gov.vn/pki/pub/crt/rootcag2.crt",
    "VGCA CA G2 (intermediate)": "http://ca.gov.vn/pki/pub/crt/cpcag2.crt",
    "Vietnam National Root CA (NEAC)": "https://rootca.gov.vn/crt/vnrca256.p7b",
}

#: The government TSA (vn-standards §3), used when no other is configured.
DEFAULT_TSA_URL = "http://ca.gov.vn/tsa"

CERT_SUFFIXES = frozenset({".pem", ".crt", ".cer", ".der", ".p7b", ".p7c"})
ORIGINS = ("bundled", "office", "province")
_ORIGIN_TEXT = {"bundled": ("của Desk", "shipped with Desk"), "office": ("của đơn vị", "the office's own"),
                "province": ("của tỉnh (từ trục liên thông)", "the province's (from the exchange server)")}
#: Fetching one AIA issuer: at most this long and this big.
AIA_TIMEOUT_S = 10.0
AIA_MAX_BYTES = 256 * 1024


# --- reading certificate files -------------------------------------------------------------------


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


def parse_certificates(data: bytes, label: str = "") -> list[x509.Certificate]:
    """Certificates in PEM (one or many, certificates or PKCS#7), DER or .p7b bytes."""
    try:
        ders = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        certs = [c for der in ders for c in _from_der(der)]
        if not certs:
            raise ValueError("no certificate")
        return certs
    except Exception as exc:
        name = label or "dữ liệu"
        raise SigningError(f"{name} không phải chứng thư số hợp lệ (.cer, .crt, .pem hoặc .p7b).",
                           f"{label or 'The data'} is not a valid certificate (.cer, .crt, .pem or .p7b).",
                           code="bad_certificate") from exc


def load_certificates(path: str | Path) -> list[x509.Certificate]:
    """Certificates in a PEM (one or many, certificates or PKCS#7), DER or .p7b file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp chứng thư {path}.", f"Cannot read certificate file {path}.",
                           code="unreadable_certificate") from exc
    return parse_certificates(data, str(path))


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER, lower-case hex."""
    return hashlib.sha256(cert.dump()).hexdigest()


def to_pem(cert: x509.Certificate) -> bytes:
    return bytes(pem.armor("CERTIFICATE", cert.dump()))


def _is_self_signed(cert: x509.Certificate) -> bool:
    return cert.self_signed in ("yes", "maybe")


def _is_ca(cert: x509.Certificate) -> bool:
    return bool(cert.ca)


def issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True if ``issuer``'s key verifies ``child``'s signature (names must match too)."""
    if child.issuer != issuer.subject:
        return False
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    key = load_der_public_key(issuer.public_key.dump())
    algo = child["signature_algorithm"]
    sig = child["signature_value"].native
    tbs = child["tbs_certificate"].dump()
    hash_name = algo.hash_algo
    digest = {"sha1": hashes.SHA1(), "sha224": hashes.SHA224(), "sha256": hashes.SHA256(),
              "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}.get(hash_name)
    if digest is None:
        return False
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if algo.signature_algo == "rsassa_pss":
                params = algo["parameters"]
                pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=int(params["salt_length"].native))
                key.verify(sig, tbs, pss, digest)
            else:
                key.verify(sig, tbs, padding.PKCS1v15(), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(sig, tbs, ec.ECDSA(digest))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


# --- the bundled store --------------------------------------------------------------------------


def bundled_store_dir() -> Path:
    """resources/trust, or DESK_TRUST_STORE when the app is installed elsewhere."""
    env = os.environ.get("DESK_TRUST_STORE")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "resources" / "trust"


def read_manifest(folder: Path | None = None) -> dict[str, Any]:
    path = (folder or bundled_store_dir()) / "manifest.toml"
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {"certificate": [], "unsourced": []}


# --- anchors and settings -----------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """One trusted certificate and where it came from."""

    cert: x509.Certificate
    origin: str  # "bundled" | "office" | "province"
    file: str
    role: str = ""  # "root" | "issuing" | "tsa" (manifest), else derived

    @property
    def sha256(self) -> str:
        return fingerprint(self.cert)

    @property
    def name(self) -> str:
        try:
            cn = self.cert.subject.native.get("common_name")
        except Exception:  # noqa: BLE001  (a malformed name must not break a listing)
            cn = None
        if isinstance(cn, list):
            cn = cn[0] if cn else None
        return str(cn or self.cert.subject.human_friendly)

    @property
    def not_after(self) -> datetime:
        value: datetime = self.cert.not_valid_after
        return value

    @property
    def not_before(self) -> datetime:
        value: datetime = self.cert.not_valid_before
        return value

    @property
    def kind(self) -> str:
        if self.role:
            return self.role
        return "root" if _is_self_signed(self.cert) else ("issuing" if _is_ca(self.cert) else "end_entity")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "subject": self.cert.subject.human_friendly, "sha256": self.sha256,
                "origin": self.origin, "file": self.file, "role": self.kind,
                "not_before": self.not_before.date().isoformat(), "not_after": self.not_after.date().isoformat()}


@dataclass(frozen=True)
class TrustSettings:
    """Trust anchors plus certificates that help build paths; the one trust object of Desk.

    ``roots`` are the anchors; ``intermediates`` only help build paths. ``anchors``
    says where each trusted certificate came from (for display). ``cache_dir``, when
    set, is where certificates seen in documents or fetched through AIA are kept.
    """

    roots: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()
    anchors: tuple[Anchor, ...] = ()
    cache_dir: Path | None = None
    fetch: Callable[[str], bytes] | None = field(default=None, compare=False, repr=False)
    #: CRLs and OCSP responses fetched online, reused offline (the office's data folder).
    revocation_cache: RevocationCache | None = None

    @classmethod
    def from_files(cls, files: Iterable[str | Path]) -> TrustSettings:
        roots: list[x509.Certificate] = []
        others: list[x509.Certificate] = []
        for f in files:
            for cert in load_certificates(f):
                (roots if _is_self_signed(cert) else others).append(cert)
        return cls(tuple(roots), tuple(others))

    @classmethod
    def from_folder(cls, folder: str | Path) -> TrustSettings:
        p = Path(folder)
        if not p.is_dir():
            return cls()
        files = sorted(f for f in p.iterdir() if f.suffix.lower() in CERT_SUFFIXES)
        return cls.from_files(files)

    @classmethod
    def bundled(cls) -> TrustSettings:
        """Desk's Vietnamese trust store alone (what verifies when no office is at hand)."""
        return _settings_from_anchors(bundled_anchors(), (), None)

    def with_chain(self, chain: Sequence[x509.Certificate]) -> TrustSettings:
        return replace(self, intermediates=tuple(self.intermediates) + tuple(chain))

    def merged(self, other: TrustSettings) -> TrustSettings:
        """These anchors plus ``other``'s (e.g. ``--trust`` files on the command line)."""
        return replace(self, roots=_dedup(self.roots + other.roots),
                       intermediates=_dedup(self.intermediates + other.intermediates),
                       anchors=self.anchors + other.anchors)

    # -- what is trusted, for people --------------------------------------------------------

    def counts(self) -> dict[str, int]:
        out = {o: 0 for o in ORIGINS}
        for a in self.anchors:
            out[a.origin] = out.get(a.origin, 0) + 1
        out["extra"] = max(0, len(self.roots) - sum(1 for a in self.anchors if _is_root_in(a, self.roots)))
        out["cached"] = len(cached_certificates(self.cache_dir)) if self.cache_dir else 0
        return out

    def describe(self, lang: str = "vi") -> str:
        """One line: how many anchors, from where (shown by ``desk verify`` and the app)."""
        c = self.counts()
        en = lang == "en"
        parts = []
        for origin in ORIGINS:
            if c[origin]:
                vi, en_text = _ORIGIN_TEXT[origin]
                parts.append(f"{c[origin]} {en_text if en else vi}")
        if c["extra"]:
            parts.append(f"{c['extra']} {'given on the command line' if en else 'chỉ định khi chạy lệnh'}")
        if not parts:
            return ("Trust: NO trusted certificate installed (no signer can be confirmed)" if en
                    else "Tin cậy: CHƯA CÀI chứng thư tin cậy nào (không xác nhận được người ký)")
        cached = (f"; {c['cached']} {'intermediate certificates remembered' if en else 'chứng thư trung gian đã lưu'}"
                  if c["cached"] else "")
        head = "Trusted certificates" if en else "Chứng thư tin cậy"
        return f"{head}: {', '.join(parts)}{cached}"

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts(), "anchors": [a.to_dict() for a in self.anchors],
                "cache": str(self.cache_dir) if self.cache_dir else None}

    # -- validation contexts ------------------------------------------------------------------

    def all_intermediates(self) -> list[x509.Certificate]:
        cached = cached_certificates(self.cache_dir) if self.cache_dir else []
        return list(_dedup(tuple(self.intermediates) + tuple(cached)))

    def context(self, *, online: bool, moment: datetime | None = None,
                revocation_mode: str = "soft-fail", extra: dict[str, Any] | None = None,
                dss: Any = None, dss_revinfo: bool = True, cached: CachedRevinfo | None = None,
                fetcher_backend: Any = None, reread_cache: bool = True) -> ValidationContext:
        """The one place Desk builds a pyhanko-certvalidator context.

        ``online`` allows fetching (AIA, CRL, OCSP), through ``fetcher_backend`` when
        given. ``dss`` (a :class:`DocumentSecurityStore`) adds the PDF's own
        certificates and, with ``dss_revinfo``, its CRLs and OCSP responses (without,
        a DSS answer about another signer's certificate cannot count as a failed
        check of this one). ``cached`` adds revocation information from the office's
        cache (:mod:`signing.revcache`). ``reread_cache`` re-reads the certificate
        cache folder (settings built by :meth:`for_document` already hold it).
        ``extra`` goes to the context as it is (e.g. an algorithm policy).
        """
        others = self.all_intermediates() if reread_cache else list(self.intermediates)
        crls: list[Any] = []
        ocsps: list[Any] = []
        if dss is not None:
            others = others + list(dss.load_certs())
            if dss_revinfo:
                dss_crls, dss_ocsps = dss_revocation_info(dss)
                crls.extend(dss_crls)
                ocsps.extend(dss_ocsps)
        if cached is not None:
            crls.extend(cached.crls)
            ocsps.extend(cached.ocsps)
        kwargs: dict[str, Any] = {
            "trust_roots": list(self.roots),
            "other_certs": others,
            "allow_fetching": online,
            "revocation_mode": revocation_mode,
        }
        if crls:
            kwargs["crls"] = crls
        if ocsps:
            kwargs["ocsps"] = ocsps
        if online and fetcher_backend is not None:
            kwargs["fetcher_backend"] = fetcher_backend
        if moment is not None:
            kwargs["moment"] = moment
        if extra:
            kwargs.update(extra)
        return ValidationContext(**kwargs)

    def remember_revinfo(self, vc: ValidationContext, given: Iterable[Any] = ()) -> int:
        """Keep the CRLs and OCSP responses ``vc`` fetched (not those it was ``given``)
        in the office's revocation cache; returns how many were written."""
        if self.revocation_cache is None:
            return 0
        known = {x.dump() for x in given}
        try:
            crls = [c for c in vc.crls if c.dump() not in known]
            ocsps = [o for o in vc.ocsps if o.dump() not in known]
        except Exception:  # noqa: BLE001  (a fetcher in a bad state: nothing to keep)
            return 0
        return self.revocation_cache.store(crls, ocsps)

    # -- chain building for one document ---------------------------------------------------

    def for_document(self, data: bytes, *, online: bool = False) -> TrustSettings:
        """These settings plus what helps build the document's chains.

        Adds the certificates the PDF carries (signatures' CMS, their timestamp tokens,
        document timestamps, DSS) and the cache; remembers the CA certificates among
        them; when ``online``, fetches missing issuers through AIA (and remembers them).
        """
        seen = document_certificates(data)
        return self.with_certificates(seen, online=online)

    def with_certificates(self, certs: Sequence[x509.Certificate], *, online: bool = False) -> TrustSettings:
        """These settings plus ``certs`` as path-building help (see :meth:`for_document`)."""
        known = list(self.roots) + self.all_intermediates() + list(certs)
        fetched: list[x509.Certificate] = []
        if online:
            fetched = fetch_missing_issuers(list(certs), known, fetch=self.fetch)
        if self.cache_dir is not None:
            remember(self.cache_dir, [c for c in list(certs) + fetched if _is_ca(c) and not _is_self_signed(c)])
        extra = tuple(c for c in list(certs) + fetched)
        return replace(self, intermediates=_dedup(tuple(self.all_intermediates()) + extra))


def dss_revocation_info(dss: Any) -> tuple[list[Any], list[Any]]:
    """The CRLs and OCSP responses in a PDF's DSS (as pyHanko's DSS reads them)."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import ocsp as asn1_ocsp
    from pyhanko.pdf_utils.decode_limits import DecodePurpose

    ocsps = [asn1_ocsp.OCSPResponse.load(ref.get_object().read_data(DecodePurpose.OCSP_RESPONSE))
             for ref in dss.ocsps]
    crls = [asn1_crl.CertificateList.load(ref.get_object().read_data(DecodePurpose.CRL)) for ref in dss.crls]
    return crls, ocsps


def _is_root_in(anchor: Anchor, roots: tuple[x509.Certificate, ...]) -> bool:
    return any(anchor.cert.dump() == r.dump() for r in roots)


def _dedup(certs: tuple[x509.Certificate, ...]) -> tuple[x509.Certificate, ...]:
    seen: set[bytes] = set()
    out = []
    for c in certs:
        d = c.dump()
        if d not in seen:
            seen.add(d)
            out.append(c)
    return tuple(out)


def bundled_anchors(folder: Path | None = None) -> list[Anchor]:
    """The shipped store's certificates, each checked against the manifest's fingerprint."""
    folder = folder or bundled_store_dir()
    out = []
    for entry in read_manifest(folder).get("certificate", []):
        path = folder / str(entry.get("file", ""))
        try:
            certs = load_certificates(path)
        except SigningError:
            continue
        if len(certs) != 1 or fingerprint(certs[0]) != str(entry.get("sha256", "")).lower():
            continue  # a file that does not match the manifest is not trusted
        out.append(Anchor(certs[0], "bundled", path.name, str(entry.get("role", ""))))
    return out


def _folder_anchors(folder: Path, origin: str) -> list[Anchor]:
    if not folder.is_dir():
        return []
    out: list[Anchor] = []
    for f in sorted(folder.iterdir()):
        if f.suffix.lower() not in CERT_SUFFIXES:
            continue
        try:
            certs = load_certificates(f)
        except SigningError:
            continue
        out.extend(Anchor(c, origin, f.name) for c in certs)
    return out


def _settings_from_anchors(anchors: list[Anchor], cached: Sequence[x509.Certificate],
                           cache_dir: Path | None) -> TrustSettings:
    """Self-signed anchors are roots; a bundled issuing CA helps build paths (its root is
    bundled); an issuing CA the office or province added is trusted as it is unless its
    issuer is itself an anchor (then it only helps build the path)."""
    anchors = list({a.sha256: a for a in anchors}.values())
    subjects = {a.cert.subject.dump() for a in anchors}
    roots, inter = [], []
    for a in anchors:
        if _is_self_signed(a.cert):
            roots.append(a.cert)
        elif a.origin == "bundled" or a.cert.issuer.dump() in subjects:
            inter.append(a.cert)
        else:
            roots.append(a.cert)
    return TrustSettings(tuple(roots), _dedup(tuple(inter) + tuple(cached)), tuple(anchors), cache_dir)


# --- the office's trust folder ------------------------------------------------------------------


class OfficeTrust:
    """``<data folder>/trust``: the office's anchors, the province's bundle, the cache."""

    def __init__(self, home: str | Path) -> None:
        self.root = Path(home) / "trust"

    @property
    def office_dir(self) -> Path:
        return self.root / "office"

    @property
    def province_dir(self) -> Path:
        return self.root / "province"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def revocation_dir(self) -> Path:
        return self.root / "revocation"

    def anchors(self) -> list[Anchor]:
        return (bundled_anchors() + _folder_anchors(self.office_dir, "office")
                + _folder_anchors(self.province_dir, "province"))

    def settings(self) -> TrustSettings:
        settings = _settings_from_anchors(self.anchors(), cached_certificates(self.cache_dir), self.cache_dir)
        return replace(settings, revocation_cache=RevocationCache(self.revocation_dir))

    def add(self, path: str | Path) -> list[Anchor]:
        """Install the certificates of a .cer/.crt/.pem/.p7b file (DER or PEM) as the office's anchors."""
        return self.add_bytes(_read(path), Path(path).name)

    def add_bytes(self, data: bytes, label: str = "") -> list[Anchor]:
        certs = parse_certificates(data, label)
        self.office_dir.mkdir(parents=True, exist_ok=True)
        added = []
        for cert in certs:
            name = f"{fingerprint(cert)[:16]}.crt"
            _atomic_write(self.office_dir / name, to_pem(cert))
            added.append(Anchor(cert, "office", name))
        return added

    def remove(self, ref: str) -> Anchor:
        """Remove one of the office's anchors by fingerprint (a prefix of 8+ hex digits) or file name."""
        ref = ref.strip().lower().replace(":", "")
        mine = _folder_anchors(self.office_dir, "office")
        hits = [a for a in mine if a.file.lower() == ref or (len(ref) >= 8 and a.sha256.startswith(ref))]
        if not hits:
            others = [a for a in self.anchors() if a.origin != "office" and len(ref) >= 8
                      and a.sha256.startswith(ref)]
            if others:
                vi, en = _ORIGIN_TEXT[others[0].origin]
                raise SigningError(f"Chứng thư {others[0].name} là chứng thư {vi}, không xóa được ở đây.",
                                   f"{others[0].name} is {en} anchor; it cannot be removed here.",
                                   code="not_removable")
            raise SigningError(f"Không có chứng thư tin cậy của đơn vị khớp với {ref!r}.",
                               f"No office anchor matches {ref!r}.", code="not_found")
        if len({a.sha256 for a in hits}) > 1:
            raise SigningError(f"{ref!r} khớp nhiều chứng thư; hãy ghi dài hơn.",
                               f"{ref!r} matches several certificates; give more digits.", code="ambiguous")
        (self.office_dir / hits[0].file).unlink()
        return hits[0]

    def install_bundle(self, certs: Sequence[x509.Certificate]) -> int:
        """Replace the province's bundle with ``certs`` (all at once: a crash leaves the old or the new)."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".province-", dir=self.root))
        for cert in _dedup(tuple(certs)):
            (tmp / f"{fingerprint(cert)[:16]}.crt").write_bytes(to_pem(cert))
        old = self.root / ".province-old"
        shutil.rmtree(old, ignore_errors=True)
        if self.province_dir.exists():
            self.province_dir.rename(old)
        tmp.rename(self.province_dir)
        shutil.rmtree(old, ignore_errors=True)
        return len(list(self.province_dir.iterdir()))

    def bundle_version(self) -> str:
        """Fingerprint of the installed province bundle ('' when none)."""
        return bundle_version([a.cert for a in _folder_anchors(self.province_dir, "province")])


def bundle_version(certs: Sequence[x509.Certificate]) -> str:
    if not certs:
        return ""
    return hashlib.sha256("".join(sorted(fingerprint(c) for c in certs)).encode()).hexdigest()


def office_trust(home: str | Path | None) -> TrustSettings:
    """The trust settings for an office's data folder (Desk's store alone when ``home`` is None)."""
    if home is None:
        return TrustSettings.bundled()
    return OfficeTrust(home).settings()


def _read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp chứng thư {path}.", f"Cannot read certificate file {path}.",
                           code="unreadable_certificate") from exc


# --- the cache of certificates seen before ----------------------------------------------------


def cached_certificates(cache_dir: Path | None) -> list[x509.Certificate]:
    if cache_dir is None or not cache_dir.is_dir():
        return []
    out: list[x509.Certificate] = []
    for f in sorted(cache_dir.glob("*.crt")):
        try:
            out.extend(load_certificates(f))
        except SigningError:
            continue
    return out


def remember(cache_dir: Path, certs: Iterable[x509.Certificate]) -> int:
    """Keep CA certificates for later offline path building; returns how many were new.

    Best effort: a read-only or full disk only means the next check finds fewer helpers."""
    new = 0
    for cert in certs:
        path = cache_dir / f"{fingerprint(cert)}.crt"
        if path.exists():
            continue
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            _atomic_write(path, to_pem(cert))
        except OSError:
            continue
        new += 1
    return new


# --- certificates a PDF carries -------------------------------------------------------------------


def _signed_data_certs(signed_data: Any) -> list[x509.Certificate]:
    out: list[x509.Certificate] = []
    certs = signed_data["certificates"]
    if certs:
        out.extend(c.chosen for c in certs if c.name == "certificate")
    for si in signed_data["signer_infos"]:
        attrs = si["unsigned_attrs"]
        if not attrs:
            continue
        for attr in attrs:
            if attr["type"].native in ("signature_time_stamp_token", "1.2.840.113549.1.9.16.2.14"):
                for token in attr["values"]:
                    try:
                        out.extend(_signed_data_certs(token["content"]))
                    except (KeyError, ValueError):
                        continue
    return out


def cms_certificates(signed_data: Any) -> list[x509.Certificate]:
    """The certificates in a signature's CMS and in its timestamp tokens."""
    return _signed_data_certs(signed_data)


def document_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate in a PDF's signatures, their timestamp tokens, document timestamps and DSS."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001  (an unreadable PDF carries nothing; the verifier reports it)
        return []
    out: list[x509.Certificate] = []
    for sig in sigs:
        try:
            out.extend(_signed_data_certs(sig.signed_data))
        except Exception:  # noqa: BLE001,S112  (one damaged CMS must not hide the others)
            continue
    try:
        if "/DSS" in reader.root:
            from pyhanko.sign.validation.dss import DocumentSecurityStore

            out.extend(DocumentSecurityStore.read_dss(reader).load_certs())
    except Exception:  # noqa: BLE001,S110  (a damaged DSS only means fewer helpers)
        pass
    return list(_dedup(tuple(out)))


# --- AIA ---------------------------------------------------------------------------------------


def ca_issuer_urls(cert: x509.Certificate) -> list[str]:
    aia = cert.authority_information_access_value
    if not aia:
        return []
    urls = []
    for desc in aia:
        if desc["access_method"].native == "ca_issuers":
            loc = desc["access_location"]
            if loc.name == "uniform_resource_identifier":
                url = str(loc.native)
                if url.lower().startswith(("http://", "https://")):
                    urls.append(url)
    return urls


def http_fetch(url: str) -> bytes:
    """GET ``url`` (AIA; only called when the user asked for an online check)."""
    req = urllib.request.Request(url, headers={"User-Agent": "Desk"})
    with urllib.request.urlopen(req, timeout=AIA_TIMEOUT_S) as resp:  # noqa: S310  (http(s) only, checked above)
        data: bytes = resp.read(AIA_MAX_BYTES + 1)
    if len(data) > AIA_MAX_BYTES:
        raise ValueError("AIA response too large")
    return data


def fetch_missing_issuers(certs: Sequence[x509.Certificate], known: Sequence[x509.Certificate], *,
                          fetch: Callable[[str], bytes] | None = None, max_depth: int = 4) -> list[x509.Certificate]:
    """Issuers of ``certs`` not among ``known``, fetched through AIA; only those whose
    signature on the child verifies are returned (recursively, up to ``max_depth``)."""
    get = fetch or http_fetch
    pool = {c.subject.dump(): c for c in known}
    found: list[x509.Certificate] = []
    todo = [c for c in certs if not _is_self_signed(c)]
    tried: set[str] = set()
    depth = 0
    while todo and depth < max_depth:
        nxt = []
        for child in todo:
            have = pool.get(child.issuer.dump())
            if have is not None and issued_by(child, have):
                continue
            for url in ca_issuer_urls(child):
                if url in tried:
                    continue
                tried.add(url)
                try:
                    candidates = parse_certificates(get(url), url)
                except Exception:  # noqa: BLE001,S112  (offline, refused, garbage: try the next URL)
                    continue
                for cand in candidates:
                    if issued_by(child, cand):
                        pool[cand.subject.dump()] = cand
                        found.append(cand)
                        if not _is_self_signed(cand):
                            nxt.append(cand)
                        break
        todo = nxt
        depth += 1
    return found
