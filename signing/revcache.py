# mypy: disable-error-code="no-untyped-call"
"""The office's cache of revocation information (CRLs and OCSP responses).

When a verification is online, pyhanko-certvalidator fetches CRLs and OCSP
responses for every certificate on the signer's and the timestamp authority's
paths. They are kept here, in ``<data folder>/trust/revocation``, so that a later
verification without a network still learns the certificates' status, and says
it comes from the cache and how old it is.

Layout and keys (one file per key; a newer answer replaces an older one):

* ``ocsp/<serial>-<key>.der``: one OCSP response, keyed by the certificate it
  answers for (the CertID: serial number, issuer key hash and hash algorithm);
* ``crl/<issuer>-<scope>[-delta].der``: one CRL, keyed by the issuer's name and
  the CRL's scope (its issuing distribution point), a delta CRL apart.

Freshness: an entry is used only while the CA's ``nextUpdate`` has not passed, its
``thisUpdate`` is not in the future, **and** Desk fetched it at most ``max_age`` ago
(:data:`DEFAULT_MAX_AGE`, the office's freshness limit; an answer without
``nextUpdate`` also counts from its ``thisUpdate``). When it was fetched is the file's
modification time, set on every write and refreshed when the same answer is fetched
again. An entry past any limit is not used, and is deleted when the cache is next
written to. The verdict names the date the information was fetched. The cache only supplies information:
pyhanko-certvalidator still checks each answer's signature and validity window,
so a planted or damaged file can cost a verdict its revocation status, never make
a revoked certificate look good.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import crl, ocsp, x509

#: How long after Desk fetched it revocation information still counts, offline.
DEFAULT_MAX_AGE = timedelta(days=7)
#: Clock skew tolerated on ``thisUpdate`` (a CA's clock slightly ahead of ours).
_SKEW = timedelta(minutes=5)
#: A CRL larger than this is not kept (the government CAs' full CRLs are a few MB).
MAX_CRL_BYTES = 32 * 1024 * 1024


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CachedRevinfo:
    """Revocation information taken from the cache for one check."""

    crls: tuple[crl.CertificateList, ...] = ()
    ocsps: tuple[ocsp.OCSPResponse, ...] = ()
    #: When the most recently fetched entry about each certificate was fetched (by serial, issuer name).
    dates: dict[tuple[int, bytes], datetime] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.crls or self.ocsps)

    def date_for(self, cert: x509.Certificate) -> datetime | None:
        """When the cached information about ``cert`` was fetched."""
        return self.dates.get((int(cert.serial_number), cert.issuer.dump()))


def _h(data: bytes, n: int = 32) -> str:
    return hashlib.sha256(data).hexdigest()[:n]


def _ocsp_singles(resp: ocsp.OCSPResponse) -> list[Any]:
    if resp["response_status"].native != "successful":
        return []
    basic = resp["response_bytes"]["response"].parsed
    return list(basic["tbs_response_data"]["responses"])


def _ocsp_key(single: Any) -> str:
    cid = single["cert_id"]
    key = _h(cid["hash_algorithm"].dump() + bytes(cid["issuer_key_hash"].native), 16)
    return f"{int(cid['serial_number'].native):x}-{key}"


def _crl_key(c: crl.CertificateList) -> str:
    tbs = c["tbs_cert_list"]
    idp = c.issuing_distribution_point_value
    scope = _h(idp.dump(), 8) if idp is not None else "full"
    delta = "-delta" if c.delta_crl_indicator_value is not None else ""
    return f"{_h(tbs['issuer'].dump())}-{scope}{delta}"


def _crl_prefix(issuer: x509.Name) -> str:
    return _h(issuer.dump())


def _times(this: Any, nxt: Any) -> tuple[datetime, datetime | None]:
    this_update: datetime = this.native
    next_update: datetime | None = nxt.native if nxt is not None and nxt.native is not None else None
    return this_update, next_update


def _ocsp_times(single: Any) -> tuple[datetime, datetime | None]:
    return _times(single["this_update"], single["next_update"])


def _crl_times(c: crl.CertificateList) -> tuple[datetime, datetime | None]:
    tbs = c["tbs_cert_list"]
    return _times(tbs["this_update"], tbs["next_update"])


def write_atomic(path: Path, data: bytes) -> None:
    """Write whole or not at all; a unique temporary name, so two processes never collide."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class RevocationCache:
    """CRLs and OCSP responses fetched online, kept in ``folder`` for offline checks."""

    folder: Path
    max_age: timedelta = DEFAULT_MAX_AGE
    clock: Callable[[], datetime] = field(default=_utcnow, compare=False, repr=False)

    # -- freshness -------------------------------------------------------------------------

    def fresh(self, this_update: datetime, next_update: datetime | None, fetched: datetime | None = None) -> bool:
        """Whether information issued at ``this_update``, valid until ``next_update`` and
        fetched at ``fetched`` (now, when not given) may be used now."""
        now = self.clock()
        fetched = fetched or now
        if this_update > now + _SKEW or now - fetched > self.max_age or fetched > now + _SKEW:
            return False
        if next_update is None:
            return now - this_update <= self.max_age
        return now <= next_update

    # -- writing -------------------------------------------------------------------------

    def store(self, crls: Iterable[crl.CertificateList] = (), ocsps: Iterable[ocsp.OCSPResponse] = ()) -> int:
        """Keep these answers (a newer one replaces an older one with the same key);
        returns how many were written. Best effort: a read-only or full disk only
        means the next offline check knows less."""
        written = 0
        for resp in ocsps:
            try:
                singles = _ocsp_singles(resp)
            except (ValueError, KeyError, TypeError):
                continue
            data = resp.dump()
            for single in singles:
                this_update, next_update = _ocsp_times(single)
                if not self.fresh(this_update, next_update):
                    continue
                path = self.folder / "ocsp" / f"{_ocsp_key(single)}.der"
                written += self._put(path, data, this_update, _ocsp_this_update)
        for c in crls:
            try:
                this_update, next_update = _crl_times(c)
                key = _crl_key(c)
                data = c.dump()
            except (ValueError, KeyError, TypeError):
                continue
            if len(data) > MAX_CRL_BYTES or not self.fresh(this_update, next_update):
                continue
            written += self._put(self.folder / "crl" / f"{key}.der", data, this_update, _crl_this_update)
        if written:
            self.prune()
        return written

    def _put(self, path: Path, data: bytes, this_update: datetime,
             read_this_update: Callable[[bytes, str], datetime | None]) -> int:
        try:
            if path.exists():
                old = path.read_bytes()
                if old == data:  # fetched again: it is still the current answer
                    stamp = self.clock().timestamp()
                    os.utime(path, (stamp, stamp))
                    return 0
                old_this = read_this_update(old, path.stem)
                if old_this is not None and old_this >= this_update:
                    return 0  # what we hold is as new or newer
            write_atomic(path, data)
            stamp = self.clock().timestamp()
            os.utime(path, (stamp, stamp))
        except OSError:
            return 0
        return 1

    def prune(self) -> int:
        """Delete entries no longer fresh (or unreadable); returns how many."""
        removed = 0
        for kind, loader in (("ocsp", self._load_ocsp), ("crl", self._load_crl)):
            folder = self.folder / kind
            if not folder.is_dir():
                continue
            for path in folder.glob("*.der"):
                if loader(path) is None:
                    try:
                        path.unlink()
                        removed += 1
                    except OSError:
                        continue
        return removed

    # -- reading -------------------------------------------------------------------------

    def _load_ocsp(self, path: Path) -> tuple[ocsp.OCSPResponse, datetime] | None:
        try:
            fetched = _mtime(path)
            resp = ocsp.OCSPResponse.load(path.read_bytes())
            singles = [s for s in _ocsp_singles(resp) if _ocsp_key(s) == path.stem]
            if not singles:
                return None
            this_update, next_update = _ocsp_times(singles[0])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return (resp, fetched) if self.fresh(this_update, next_update, fetched) else None

    def _load_crl(self, path: Path) -> tuple[crl.CertificateList, datetime] | None:
        try:
            fetched = _mtime(path)
            c = crl.CertificateList.load(path.read_bytes())
            this_update, next_update = _crl_times(c)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return (c, fetched) if self.fresh(this_update, next_update, fetched) else None

    def lookup(self, certs: Sequence[x509.Certificate]) -> CachedRevinfo:
        """The fresh entries about ``certs`` (OCSP answers for them, CRLs of their issuers)."""
        crls: dict[str, crl.CertificateList] = {}
        ocsps: dict[str, ocsp.OCSPResponse] = {}
        dates: dict[tuple[int, bytes], datetime] = {}
        for cert in certs:
            key = (int(cert.serial_number), cert.issuer.dump())
            for path in sorted((self.folder / "ocsp").glob(f"{int(cert.serial_number):x}-*.der")):
                got = self._load_ocsp(path)
                if got is not None:
                    ocsps[path.stem] = got[0]
                    dates[key] = max(dates.get(key, got[1]), got[1])
            for path in sorted((self.folder / "crl").glob(f"{_crl_prefix(cert.issuer)}-*.der")):
                loaded = self._load_crl(path)
                if loaded is not None:
                    crls[path.stem] = loaded[0]
                    dates[key] = max(dates.get(key, loaded[1]), loaded[1])
        return CachedRevinfo(tuple(crls.values()), tuple(ocsps.values()), dates)


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _ocsp_this_update(data: bytes, stem: str) -> datetime | None:
    try:
        resp = ocsp.OCSPResponse.load(data)
        for single in _ocsp_singles(resp):
            if _ocsp_key(single) == stem:
                return _ocsp_times(single)[0]
    except (ValueError, KeyError, TypeError):
        return None
    return None


def _crl_this_update(data: bytes, _stem: str) -> datetime | None:
    try:
        return _crl_times(crl.CertificateList.load(data))[0]
    except (ValueError, KeyError, TypeError):
        return None
