"""Desk's Vietnamese trust store (resources/trust), the office's trust folder and AIA chain building.

The store test re-does the acceptance proof of every shipped certificate: its file
matches the manifest's SHA-256, and every non-root verifies under the key of the
issuer the manifest names. The real VGCA signer certificate in tests/data/certs
(published in a public e-invoice sample) must chain to "RootCA chuyên dùng Chính
phủ G2" through the shipped store, and must not without it.
"""

from __future__ import annotations

import asyncio
import http.server
import shutil
import threading
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError

from signing.errors import SigningError
from signing.trust import (
    OfficeTrust,
    TrustSettings,
    bundled_anchors,
    bundled_store_dir,
    fingerprint,
    issued_by,
    load_certificates,
    office_trust,
    read_manifest,
)
from signing.verify import HISTORICAL_ALGORITHMS

DATA = Path(__file__).resolve().parents[1] / "data" / "certs"
VGCA_SIGNER = DATA / "vgca-g2-signer-cuc-thue.cer"


def _one(path: Path) -> ax509.Certificate:
    certs = load_certificates(path)
    assert len(certs) == 1, path
    return certs[0]


# --- the shipped store -------------------------------------------------------------------------


def test_every_store_file_is_in_the_manifest_and_matches_it() -> None:
    store = bundled_store_dir()
    manifest = read_manifest(store)
    entries = {e["file"]: e for e in manifest["certificate"]}
    files = {p.name for p in store.iterdir() if p.name not in ("manifest.toml", "README.md")}
    assert files == set(entries), "files and manifest disagree"
    assert len(entries) >= 5
    for name, e in entries.items():
        cert = _one(store / name)
        assert fingerprint(cert) == e["sha256"], name
        assert e["role"] in ("root", "issuing", "tsa"), name
        assert cert.not_valid_before.date() == e["not_before"], name
        assert cert.not_valid_after.date() == e["not_after"], name
        assert e["sources"] and e["proof"], name
        if e["role"] == "root":
            assert cert.self_signed == "maybe" or cert.self_signed == "yes", name
            assert e["issued_by"] == name
            assert issued_by(cert, cert), f"{name}: self-signature does not verify"
            # a root is accepted only on two independent sources
            assert len(e["sources"]) >= 2, name
        else:
            issuer_file = e["issued_by"]
            assert issuer_file in entries and issuer_file != name, name
            assert issued_by(cert, _one(store / issuer_file)), f"{name} is not signed by {issuer_file}"


def test_manifest_names_what_could_not_be_sourced() -> None:
    unsourced = read_manifest()["unsourced"]
    names = " ".join(u["name"] for u in unsourced)
    for ca in ("BKAV", "CA2", "SAFE-CA", "EasyCA", "MISA", "timestamp"):
        assert ca.lower() in names.lower(), ca


def test_store_covers_the_government_and_national_hierarchies() -> None:
    subjects = {a.name for a in bundled_anchors()}
    assert "RootCA chuyên dùng Chính phủ G2" in subjects
    assert "CA phục vụ các cơ quan Nhà nước G2" in subjects
    assert "Co quan chung thuc so chuyen dung Chinh phu (RootCA)" in subjects
    assert "Vietnam National Root CA" in subjects


def _validate(cert: ax509.Certificate, trust: TrustSettings) -> list[str]:
    vc = ValidationContext(trust_roots=list(trust.roots), other_certs=trust.all_intermediates(),
                           allow_fetching=False, revocation_mode="soft-fail",
                           moment=datetime(2026, 11, 1, tzinfo=UTC))
    path = asyncio.run(CertificateValidator(cert, validation_context=vc).async_validate_usage(set()))
    return [c.subject.native["common_name"] for c in path]


def test_real_vgca_signer_chains_to_root_g2_through_the_store() -> None:
    leaf = _one(VGCA_SIGNER)
    assert _validate(leaf, TrustSettings.bundled()) == [
        "RootCA chuyên dùng Chính phủ G2", "CA phục vụ các cơ quan Nhà nước G2", "CỤC THUẾ"]
    with pytest.raises(PathBuildingError):
        _validate(leaf, TrustSettings())


def test_a_store_file_that_does_not_match_the_manifest_is_not_trusted(tmp_path: Path) -> None:
    store = tmp_path / "trust"
    shutil.copytree(bundled_store_dir(), store)
    # swap the G2 root file for another root: same name, other fingerprint
    shutil.copy(store / "neac-vnrca256.crt", store / "vgca-root-g2.crt")
    names = {a.name for a in bundled_anchors(store)}
    assert "RootCA chuyên dùng Chính phủ G2" not in names
    assert "Vietnam National Root CA" in names


# --- the office's folder ------------------------------------------------------------------------


def _ca(name: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name | None = None,
        issuer_key: ec.EllipticCurvePrivateKey | None = None, *, ca: bool = True,
        aia: str | None = None) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                         x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer or subject)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                      crl_sign=ca, encipher_only=False, decipher_only=False), critical=True))
    if aia:
        b = b.add_extension(x509.AuthorityInformationAccess(
            [x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(aia))]),
            critical=False)
    return b.sign(issuer_key or key, hashes.SHA256())


def _asn1(c: x509.Certificate) -> ax509.Certificate:
    return ax509.Certificate.load(c.public_bytes(serialization.Encoding.DER))


@pytest.fixture()
def mini_pki() -> dict[str, x509.Certificate]:
    rk, ik, lk = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = _ca("Desk Test Root", rk)
    inter = _ca("Desk Test Issuing CA", ik, root.subject, rk)
    return {"root": root, "inter": inter, "inter_key": ik, "leaf_key": lk}  # type: ignore[dict-item]


def test_office_add_list_remove_in_every_format(tmp_path: Path, mini_pki: dict[str, x509.Certificate]) -> None:
    root, inter = mini_pki["root"], mini_pki["inter"]
    der = tmp_path / "root.cer"
    der.write_bytes(root.public_bytes(serialization.Encoding.DER))
    pem_file = tmp_path / "inter.pem"
    pem_file.write_bytes(inter.public_bytes(serialization.Encoding.PEM))
    from cryptography.hazmat.primitives.serialization import pkcs7

    p7b = tmp_path / "bundle.p7b"
    p7b.write_bytes(pkcs7.serialize_certificates([root, inter], serialization.Encoding.DER))

    office = OfficeTrust(tmp_path / "home")
    before = office_trust(tmp_path / "home")
    assert [a.name for a in office.add(der)] == ["Desk Test Root"]
    assert [a.name for a in office.add(pem_file)] == ["Desk Test Issuing CA"]
    assert len(office.add(p7b)) == 2  # the same two again: no duplicates on disk
    assert len(list(office.office_dir.iterdir())) == 2
    settings = office.settings()
    assert len(settings.roots) == len(before.roots) + 1
    assert settings.counts()["office"] == 2
    assert "2 của đơn vị" in settings.describe()
    # the issuing CA is only a path helper: its root is an anchor too
    assert any(c.dump() == _asn1(inter).dump() for c in settings.intermediates)

    removed = office.remove(fingerprint(_asn1(root))[:12])
    assert removed.name == "Desk Test Root"
    settings = office.settings()
    # alone, the issuing CA the office added is trusted as an anchor itself
    assert any(c.dump() == _asn1(inter).dump() for c in settings.roots)
    with pytest.raises(SigningError) as exc:
        office.remove(fingerprint(bundled_anchors()[0].cert)[:16])
    assert exc.value.code == "not_removable"
    with pytest.raises(SigningError):
        office.remove("deadbeefdeadbeef")
    junk = tmp_path / "junk.crt"
    junk.write_bytes(b"not a certificate")
    with pytest.raises(SigningError) as bad:
        office.add(junk)
    assert "không phải chứng thư" in bad.value.vi


def test_province_bundle_is_replaced_whole(tmp_path: Path, mini_pki: dict[str, x509.Certificate]) -> None:
    office = OfficeTrust(tmp_path)
    assert office.install_bundle([_asn1(mini_pki["root"]), _asn1(mini_pki["inter"])]) == 2
    first = office.bundle_version()
    assert office.settings().counts()["province"] == 2
    assert office.install_bundle([_asn1(mini_pki["root"])]) == 1
    assert office.bundle_version() != first and office.settings().counts()["province"] == 1


# --- AIA against a loopback server ---------------------------------------------------------------


@pytest.fixture()
def aia_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    files: dict[str, bytes] = {}
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            if body is not None:
                self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    files["__hits__"] = b""
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", files
    finally:
        srv.shutdown()
        srv.server_close()


def test_missing_issuer_fetched_through_aia_then_verifies_offline(
        tmp_path: Path, mini_pki: dict[str, x509.Certificate], aia_server: tuple[str, dict[str, bytes]]) -> None:
    base, files = aia_server
    root, inter = mini_pki["root"], mini_pki["inter"]
    leaf = _ca("Nguyễn Văn Ký", mini_pki["leaf_key"], inter.subject, mini_pki["inter_key"],  # type: ignore[arg-type]
               ca=False, aia=f"{base}/ca/issuing.cer")
    files["/ca/issuing.cer"] = inter.public_bytes(serialization.Encoding.DER)
    home = tmp_path / "office"
    OfficeTrust(home).add_bytes(root.public_bytes(serialization.Encoding.PEM), "root.pem")
    ax_leaf = _asn1(leaf)

    offline = office_trust(home).with_certificates([ax_leaf], online=False)
    with pytest.raises(PathBuildingError):
        _validate_now(ax_leaf, offline)

    online = office_trust(home).with_certificates([ax_leaf], online=True)
    assert _validate_now(ax_leaf, online)[-1] == "Nguyễn Văn Ký"
    # cached: the next check works without the network
    files.clear()
    again = office_trust(home).with_certificates([ax_leaf], online=False)
    assert _validate_now(ax_leaf, again) == ["Desk Test Root", "Desk Test Issuing CA", "Nguyễn Văn Ký"]
    assert office_trust(home).counts()["cached"] == 1


def test_aia_answer_that_is_not_the_issuer_is_not_kept(
        tmp_path: Path, mini_pki: dict[str, x509.Certificate], aia_server: tuple[str, dict[str, bytes]]) -> None:
    base, files = aia_server
    inter = mini_pki["inter"]
    impostor_key = ec.generate_private_key(ec.SECP256R1())
    impostor = _ca("Desk Test Issuing CA", impostor_key)  # same name, other key
    leaf = _ca("Trần Thị Đào", mini_pki["leaf_key"], inter.subject, mini_pki["inter_key"],  # type: ignore[arg-type]
               ca=False, aia=f"{base}/wrong.cer")
    files["/wrong.cer"] = impostor.public_bytes(serialization.Encoding.DER)
    home = tmp_path / "office"
    office_trust(home)  # nothing installed
    OfficeTrust(home).settings().with_certificates([_asn1(leaf)], online=True)
    assert office_trust(home).counts()["cached"] == 0


def _validate_now(cert: ax509.Certificate, trust: TrustSettings) -> list[str]:
    vc = ValidationContext(trust_roots=list(trust.roots), other_certs=trust.all_intermediates(),
                           allow_fetching=False, revocation_mode="soft-fail")
    path = asyncio.run(CertificateValidator(cert, validation_context=vc).async_validate_usage(set()))
    return [c.subject.native["common_name"] for c in path]


def test_manifest_is_valid_toml_with_dates() -> None:
    with (bundled_store_dir() / "manifest.toml").open("rb") as f:
        data = tomllib.load(f)
    assert data["version"] == 1


REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "signed"


@pytest.mark.skipif(not any(REAL.glob("*.pdf")) if REAL.is_dir() else True,
                    reason="the real signed documents (tests/data/real/signed) arrive with issue 12's verification branch")
def test_real_documents_signers_and_timestamp_authorities_chain_to_the_store() -> None:
    """Every signer and TSA certificate in the real documents either chains to a shipped root
    (checked at a moment inside its validity) or is issued by a CA the manifest lists as unsourced."""
    from signing.trust import document_certificates

    unsourced = " ".join(u["name"] for u in read_manifest()["unsourced"])
    trust = TrustSettings.bundled()
    confirmed: set[str] = set()
    unsourced_seen: set[str] = set()
    for pdf in sorted(REAL.glob("*.pdf")):
        certs = document_certificates(pdf.read_bytes())
        assert certs, pdf.name
        for cert in certs:
            if cert.ca:
                continue
            moment = cert.not_valid_before + timedelta(days=1)
            # SHA-1 is accepted as verification accepts it (the G1 issuing CA is signed with it).
            vc = ValidationContext(trust_roots=list(trust.roots), other_certs=trust.all_intermediates(),
                                   allow_fetching=False, revocation_mode="soft-fail", moment=moment,
                                   algorithm_usage_policy=HISTORICAL_ALGORITHMS)
            issuer = cert.issuer.native["common_name"]
            try:
                path = asyncio.run(CertificateValidator(cert, validation_context=vc).async_validate_usage(set()))
            except PathBuildingError:
                ascii_issuer = issuer.replace("Đ", "D")
                assert issuer in unsourced or ascii_issuer in unsourced, f"{pdf.name}: {issuer} neither shipped nor listed"
                unsourced_seen.add(issuer)
                continue
            confirmed.add(path.first.subject.native["common_name"])
    assert {"RootCA chuyên dùng Chính phủ G2", "Co quan chung thuc so chuyen dung Chinh phu (RootCA)"} <= confirmed
    assert not unsourced_seen, unsourced_seen


#: Which signatures of the real documents the shipped store confirms (signature order): all of
#: them since "Co quan chung thuc so Chinh phu" (G1, vinhlong-301) and "CA phục vụ các cơ quan
#: Đảng G2" (vinhlong-811, signature 1) are shipped.
REAL_TRUSTED = {
    "chinhphu-335-2025-nd-cp.pdf": [True],
    "vinhlong-293-bc-snv-sha1.pdf": [True] * 5,
    "vinhlong-301-bc-stp.pdf": [True] * 5,
    "vinhlong-811-bc-ubnd-6sig.pdf": [True] * 6,
    "vinhlong-91-cttdt-bbt.pdf": [True] * 3,
    # G1 (the organisation's certificate, SHA-1, HL01 timestamps) and G2 signers in one file
    "quangngai-11-tb-ubnd-g1-g2.pdf": [True] * 5,
}


@pytest.mark.skipif(not all((REAL / n).is_file() for n in REAL_TRUSTED),
                    reason="the real signed documents (tests/data/real/signed) arrive with issue 12's verification branch")
def test_real_documents_signers_confirmed_by_the_shipped_store(tmp_path: Path) -> None:
    from desk.signatures import check_file

    manifest = tomllib.loads((REAL / "manifest.toml").read_text(encoding="utf-8"))
    expected_verdicts = {d["file"]: d["verdict_with_vgca_anchors"] for d in manifest["document"]}
    for name, expected in REAL_TRUSTED.items():
        rec = check_file(REAL / name, office_trust(tmp_path / "office"))
        signers = [s for s in rec["signers"] if s["kind"] == "signature"]
        assert [s["trusted"] for s in signers] == expected, name
        assert all(s["intact"] for s in signers), name
        assert not any(r["code"] == "untrusted" for r in rec["reasons"]), name
        assert rec["verdict"] == expected_verdicts[name], name
