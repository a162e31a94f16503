"""A 29-page, 6-signature, 7-revision decree built from a real one (issue 12's shape).

No real 30-page decree with 6 signatures and 7 revisions could be found in public
sources, so this builds one from the real Nghị định 335/2025/NĐ-CP of
tests/data/real/signed (29 scanned pages, 1 VGCA certification signature (P=2) with
a timestamp, 2 revisions): Desk's own signer (signing.pades.DocumentSigner, PAdES
B-T, timestamps from the test PKI's TSA on loopback) appends 5 signatures as
incremental revisions, each with a visible appearance on the last page, as the next
signers would (two leaders' signature images, the organisation's seal over the
second, two more leaders' images). The keys are the test PKI's (tests/support/pki:
certomancer, root "Desk Test Root CA"), so those 5 are "untrusted" unless the test root
is given as an extra anchor (``desk verify --trust root.pem``).

The clerk's number and date are not filled: Desk's number/date fields
(signing.formfields) must be prepared before the first signature, and this
decree was signed without them.

Used by tests/signing/test_decree_six_signatures.py (the verdict) and
bench/bench_verify_real.py (time and memory).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from signing.appearance import ImageAsset
from signing.decree30 import LeaderAppearance, SealAppearance
from signing.keys import Pkcs12KeySource
from signing.pades import DocumentSigner, Level, SignOptions
from signing.placement import Box, Placement
from tests.support import pki

REAL_DECREE = Path(__file__).resolve().parents[1] / "data" / "real" / "signed" / "chinhphu-335-2025-nd-cp.pdf"
LAST_PAGE = 28  # page 29 of 29 (599 × 847 pt): blank below the two "Ký tên" columns

#: (test PKI key, field name, appearance kind, box on the last page in points)
PLAN: tuple[tuple[str, str, str, tuple[float, float, float, float]], ...] = (
    ("leader", "ChuKy_CongChuc", "leader", (70, 330, 230, 394)),
    ("leader-ec", "ChuKy_CapThamQuyen", "leader", (350, 330, 510, 394)),
    ("org", "DauToChuc", "seal", (310, 300, 412, 402)),
    ("leader", "ChuKy_XacNhan_1", "leader", (70, 200, 230, 264)),
    ("leader-ec", "ChuKy_XacNhan_2", "leader", (350, 200, 510, 264)),
)


@dataclass(frozen=True)
class BuiltDecree:
    pdf: Path
    root_pem: Path  # the test PKI's root: the extra anchor for the 5 added signatures
    signatures: int = 6
    revisions: int = 7


def _pin(_req: object) -> str:
    return pki.P12_PASSWORD


def add_five_signatures(data: bytes, test_pki: pki.TestPki, images: dict[str, Path]) -> bytes:
    """The real decree plus 5 PAdES B-T signatures, one incremental revision each."""
    signature = ImageAsset.from_file(images["signature"])
    seal = ImageAsset.from_file(images["seal"])
    for label, field, kind, (x1, y1, x2, y2) in PLAN:
        place = Placement(LAST_PAGE, Box(x1, y1, x2, y2))
        app: LeaderAppearance | SealAppearance
        if kind == "seal":
            app = SealAppearance(seal, box=place)
        else:
            app = LeaderAppearance(signature, pki.LEADER_TITLE, box=place)
        options = SignOptions(level=Level.B_T, appearance=app, field_name=field,
                              tsa_url=test_pki.tsa_url, offline_fallback=False)
        with Pkcs12KeySource(test_pki.pkcs12(label)).open(_pin) as key:
            data, _ = DocumentSigner(key, options).sign_bytes(data)
    return data


def build(folder: Path, test_pki: pki.TestPki | None = None,
          images: dict[str, Path] | None = None) -> BuiltDecree:
    """Write ``folder/decree-335-6sig.pdf``; starts (and stops) the test TSA when no PKI is given."""
    folder.mkdir(parents=True, exist_ok=True)
    if images is None:
        images = {"signature": pki.make_signature_png(folder / "chu-ky.png"),
                  "seal": pki.make_seal_png(folder / "con-dau.png", "ỦY BAN NHÂN DÂN", "XÃ TÂN HÒA")}
    server = None
    if test_pki is None:
        test_pki = pki.build_pki(folder / "pki")
        server = pki.PkiServer(test_pki).start()
    try:
        data = add_five_signatures(REAL_DECREE.read_bytes(), test_pki, images)
    finally:
        if server is not None:
            server.stop()
    out = folder / "decree-335-6sig.pdf"
    out.write_bytes(data)
    return BuiltDecree(out, test_pki.cert_path("root"))
