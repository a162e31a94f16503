"""The office's revocation cache, against a real OCSP responder and CRL server
(certomancer on 127.0.0.1): the first verification online fetches and keeps the
answers; the next one, with the services stopped, still learns the status from the
cache and says so, with the information's date; an out-of-date entry is not used.

The test signer's certificate has an OCSP URL (answers valid 10 minutes) and a CRL
distribution point (the intermediate's CRL, renewed every 30 days); the intermediate
and the timestamp authority point at the root's CRL (every 90 days).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from signing.appearance import VN_TZ
from signing.keys import KeySession, Pkcs11KeySource
from signing.pades import DocumentSigner, Level, SignOptions
from signing.revcache import RevocationCache
from signing.trust import OfficeTrust, TrustSettings
from signing.verify import verify_pdf
from tests.support import pki


@pytest.fixture(scope="module")
def signed_bt(leader_key: KeySession, server: pki.PkiServer, trust: TrustSettings, draft: bytes) -> bytes:
    """B-T: a timestamp, but no revocation data in the file (no DSS)."""
    data, result = DocumentSigner(leader_key, SignOptions(level=Level.B_T, tsa_url=server.pki.tsa_url,
                                                          trust=trust)).sign_bytes(draft)
    assert result.level is Level.B_T
    return data


def _with_cache(trust: TrustSettings, folder: Path, **kw: object) -> TrustSettings:
    return replace(trust, revocation_cache=RevocationCache(folder, **kw))


def test_online_answers_are_kept_and_used_offline(signed_bt: bytes, server: pki.PkiServer, trust: TrustSettings,
                                                  world: pki.TestWorld, tmp_path: Path) -> None:
    cached = _with_cache(trust, tmp_path / "rev")
    before = datetime.now(UTC)
    online = verify_pdf(signed_bt, trust=cached, online=True)
    sig = online.signatures[0]
    assert online.verdict == "valid", online.summary()
    assert (sig.revocation, sig.revocation_source) == ("good", "online")
    assert len(list((tmp_path / "rev" / "ocsp").glob("*.der"))) >= 1
    assert len(list((tmp_path / "rev" / "crl").glob("*.der"))) >= 1

    with server.stopped():
        offline = verify_pdf(signed_bt, trust=cached, online=False)
        without_cache = verify_pdf(signed_bt, trust=trust, online=False)
    sig = offline.signatures[0]
    assert offline.verdict == "valid", offline.summary()
    assert (sig.revocation, sig.revocation_source) == ("good", "cache")
    assert sig.revocation_date is not None
    assert before - timedelta(minutes=1) <= sig.revocation_date <= datetime.now(UTC) + timedelta(minutes=1)
    day = sig.revocation_date.astimezone(VN_TZ).strftime("%d/%m/%Y")
    assert f"theo dữ liệu thu hồi đã lưu trên máy, lấy ngày {day}" in offline.summary("vi")
    assert f"from the revocation information kept on this computer, fetched on {day}" in offline.summary("en")
    assert offline.to_dict()["signatures"][0]["revocation_source"] == "cache"
    # The same check without the cache cannot learn the status: the cache is what answered.
    assert (without_cache.signatures[0].revocation, without_cache.signatures[0].revocation_source) == (
        "not_checked", "none")


def test_out_of_date_entries_are_not_used(signed_bt: bytes, server: pki.PkiServer, trust: TrustSettings,
                                          world: pki.TestWorld, tmp_path: Path) -> None:
    folder = tmp_path / "rev"
    assert verify_pdf(signed_bt, trust=_with_cache(trust, folder), online=True).signatures[0].revocation == "good"
    leader = world.pki.cert("leader")
    now = datetime.now(UTC)
    assert RevocationCache(folder).lookup([leader]).ocsps

    with server.stopped():
        # 20 minutes on: the OCSP answer about the signer (valid 10 minutes) is past its
        # nextUpdate and is not used; the root's CRL (about the intermediate, renewed every
        # 90 days) still is. The signer's status is then unknown, not good.
        later = RevocationCache(folder, clock=lambda: now + timedelta(minutes=20))
        assert not later.lookup([leader]).ocsps and later.lookup([world.pki.cert("interm")]).crls
        sig = verify_pdf(signed_bt, trust=replace(trust, revocation_cache=later), online=False).signatures[0]
        assert sig.revocation == "unknown" and sig.revocation_date is None
        # 31 days on, everything is past its nextUpdate: nothing is used, the status is not known.
        month = _with_cache(trust, folder, clock=lambda: now + timedelta(days=31))
        sig = verify_pdf(signed_bt, trust=month, online=False).signatures[0]
        assert (sig.revocation, sig.revocation_source, sig.revocation_date) == ("not_checked", "none", None)
        # The office's freshness limit: entries fetched longer ago are not used, even before
        # nextUpdate (the CRLs are valid for weeks; the OCSP answer is kept out by its own
        # nextUpdate when the limit is 20 minutes).
        strict = _with_cache(trust, folder, max_age=timedelta(minutes=15),
                             clock=lambda: now + timedelta(minutes=20))
        sig = verify_pdf(signed_bt, trust=strict, online=False).signatures[0]
        assert (sig.revocation, sig.revocation_source) == ("not_checked", "none")
        # Back to the present, the same folder answers again.
        sig = verify_pdf(signed_bt, trust=_with_cache(trust, folder), online=False).signatures[0]
        assert (sig.revocation, sig.revocation_source) == ("good", "cache")

    # Writing to the cache deletes what is out of date.
    assert RevocationCache(folder, clock=lambda: now + timedelta(days=31)).prune() >= 2
    assert not list(folder.rglob("*.der"))


def test_revoked_certificate_stays_revoked_from_the_cache(world: pki.TestWorld, server: pki.PkiServer,
                                                          trust: TrustSettings, draft: bytes,
                                                          tmp_path: Path) -> None:
    serial = format(world.pki.cert("revoked").serial_number, "x")
    with Pkcs11KeySource(world.module, pki.LEADER_TOKEN, serial).open(lambda _r: pki.USER_PIN) as key:
        data, _ = DocumentSigner(key, SignOptions(level=Level.B_B, trust=TrustSettings())).sign_bytes(draft)
    cached = _with_cache(trust, tmp_path / "rev")
    online = verify_pdf(data, trust=cached, online=True)
    assert online.verdict == "invalid" and online.signatures[0].revocation == "revoked", online.summary()
    with server.stopped():
        offline = verify_pdf(data, trust=cached, online=False)
    sig = offline.signatures[0]
    assert offline.verdict == "invalid", offline.summary()
    assert (sig.revocation, sig.revocation_source) == ("revoked", "cache")


def test_damaged_or_planted_files_are_ignored(signed_bt: bytes, server: pki.PkiServer, trust: TrustSettings,
                                              world: pki.TestWorld, tmp_path: Path) -> None:
    folder = tmp_path / "rev"
    verify_pdf(signed_bt, trust=_with_cache(trust, folder), online=True)
    leader = world.pki.cert("leader")
    # An unreadable file under the signer's key, and a real answer about another certificate
    # renamed to the signer's key: neither is used for the signer.
    ocsp_dir = folder / "ocsp"
    real = next(p for p in ocsp_dir.glob("*.der") if p.name.startswith(f"{leader.serial_number:x}-"))
    (ocsp_dir / f"{leader.serial_number:x}-0000000000000000.der").write_bytes(b"not DER")
    (ocsp_dir / f"{leader.serial_number:x}-1111111111111111.der").write_bytes(real.read_bytes())
    found = RevocationCache(folder).lookup([leader])
    assert len(found.ocsps) == 1
    with server.stopped():
        sig = verify_pdf(signed_bt, trust=_with_cache(trust, folder), online=False).signatures[0]
    assert (sig.revocation, sig.revocation_source) == ("good", "cache")


def test_an_office_keeps_its_cache_in_its_data_folder(tmp_path: Path) -> None:
    settings = OfficeTrust(tmp_path / "office").settings()
    assert settings.revocation_cache is not None
    assert settings.revocation_cache.folder == tmp_path / "office" / "trust" / "revocation"
    # Building for a document keeps it.
    assert settings.for_document(b"%PDF-1.7\n").revocation_cache == settings.revocation_cache


def test_desk_verify_uses_the_office_cache(signed_bt: bytes, server: pki.PkiServer, world: pki.TestWorld,
                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI: ``desk verify --online`` fills the office's cache; ``desk verify`` offline uses it."""
    from desk.cli.main import main

    home = tmp_path / "office"
    monkeypatch.setenv("DESK_HOME", str(home))
    monkeypatch.delenv("DESK_TRUST_DIR", raising=False)
    pdf = tmp_path / "qd-b-t.pdf"
    pdf.write_bytes(signed_bt)

    def desk(*argv: str) -> tuple[int, str]:
        code = main(["--lang", "vi", *argv])
        cap = capsys.readouterr()
        return code, cap.out + cap.err

    assert desk("trust", "add", str(world.pki.cert_path("root")))[0] == 0
    code, out = desk("verify", "--online", str(pdf))
    assert code == 0 and "kiểm tra trực tuyến" in out, out
    assert list((home / "trust" / "revocation").rglob("*.der"))
    with server.stopped():
        code, out = desk("verify", str(pdf))
    today = datetime.now(UTC).astimezone(VN_TZ).strftime("%d/%m/%Y")
    assert code == 0, out
    assert f"Thu hồi: chưa bị thu hồi (theo dữ liệu thu hồi đã lưu trên máy, lấy ngày {today})" in out, out
