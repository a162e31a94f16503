"""The province's trust bundle on the exchange server (``desk serve trust add|list|remove``).

An administrator installs a new CA once for the whole province: the certificates kept
in the server's ``trust`` folder are served to every authenticated office
(``POST /desk/trust``) and the offices' sync engines install them as the province's
anchors. The folder holds one PEM file per certificate, named by its fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from signing.trust import (
    Anchor,
    bundle_version,
    fingerprint,
    load_certificates,
    parse_certificates,
    to_pem,
)
from sync.server.errors import ApiError


@dataclass(frozen=True)
class Bundle:
    version: str
    pems: list[str]


def anchors(folder: Path) -> list[Anchor]:
    if not folder.is_dir():
        return []
    out: list[Anchor] = []
    for f in sorted(folder.glob("*.crt")):
        out.extend(Anchor(c, "province", f.name) for c in load_certificates(f))
    return out


def bundle(folder: Path) -> Bundle:
    certs = [a.cert for a in anchors(folder)]
    return Bundle(bundle_version(certs), [to_pem(c).decode("ascii") for c in certs])


def add(folder: Path, data: bytes, label: str = "") -> list[Anchor]:
    certs = parse_certificates(data, label)
    folder.mkdir(parents=True, exist_ok=True)
    added = []
    for cert in certs:
        path = folder / f"{fingerprint(cert)[:16]}.crt"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(to_pem(cert))
        tmp.replace(path)
        added.append(Anchor(cert, "province", path.name))
    return added


def remove(folder: Path, ref: str) -> Anchor:
    ref = ref.strip().lower().replace(":", "")
    hits = [a for a in anchors(folder) if a.file.lower() == ref or (len(ref) >= 8 and a.sha256.startswith(ref))]
    if len({a.sha256 for a in hits}) != 1:
        raise ApiError("404", "not_found", f"Không có (hoặc có nhiều) chứng thư khớp với {ref!r}.",
                       f"No single certificate matches {ref!r}.")
    (folder / hits[0].file).unlink()
    return hits[0]
