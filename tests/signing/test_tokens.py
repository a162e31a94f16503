"""Tokens, PIN handling and module discovery against real SoftHSM2 tokens."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from signing.certcheck import check_signing_certificate
from signing.errors import (
    CertificateNotFound,
    CertificateRejected,
    ModuleError,
    PinCancelled,
    PinLocked,
    WrongPin,
)
from signing.keys import Pkcs11KeySource
from signing.modules import discover_modules, inspect_module
from signing.tokens import PinRequest, is_unlocked, list_tokens, load_library, pin_status
from signing.trust import TrustSettings
from tests.support import pki


def test_listing_shows_tokens_certificates_and_flags(world: pki.TestWorld) -> None:
    listing = list_tokens([world.module])
    by_label = {t.label: t for t in listing.tokens}
    assert {pki.LEADER_TOKEN, pki.ORG_TOKEN, pki.LOCKED_TOKEN, pki.FINAL_TRY_TOKEN} <= set(by_label)
    leader = by_label[pki.LEADER_TOKEN]
    holders = {c.info.subject_cn for c in leader.certificates if not c.info.is_ca}
    assert pki.LEADER_NAME in holders and "Trần Thị Hết Hạn" in holders
    cert = next(c for c in leader.certificates if c.label == "leader")
    assert cert.info.issuer_cn == "CA thử nghiệm Desk G2"
    assert set(cert.info.key_usage) == {"digital_signature", "non_repudiation"}
    assert cert.info.not_after.year == 2035
    assert by_label[pki.LOCKED_TOKEN].pin.locked
    assert by_label[pki.FINAL_TRY_TOKEN].pin.final_try
    assert not leader.pin.locked


def test_locked_token_refused_before_asking(world: pki.TestWorld) -> None:
    asked: list[PinRequest] = []
    with pytest.raises(PinLocked) as err:
        Pkcs11KeySource(world.module, pki.LOCKED_TOKEN).open(lambda r: asked.append(r) or pki.USER_PIN)
    assert asked == []
    assert "khóa" in err.value.vi


def test_final_try_flag_is_shown_to_the_pin_dialog(world: pki.TestWorld) -> None:
    seen: list[PinRequest] = []

    def cancel(req: PinRequest) -> None:
        seen.append(req)
        return None

    with pytest.raises(PinCancelled):
        Pkcs11KeySource(world.module, pki.FINAL_TRY_TOKEN).open(cancel)
    assert len(seen) == 1 and seen[0].pin.final_try
    assert "lần nhập PIN cuối cùng" in (seen[0].pin.warning("vi") or "")


def test_wrong_pin_reported_once_never_retried(world: pki.TestWorld, tmp_path: Path) -> None:
    # A dedicated token, so the count-low flag this test causes does not leak elsewhere.
    calls: list[PinRequest] = []

    def wrong(req: PinRequest) -> str:
        calls.append(req)
        return "000000"

    source = Pkcs11KeySource(world.module, pki.PIN_TEST_TOKEN)
    with pytest.raises(WrongPin) as err:
        source.open(wrong)
    assert len(calls) == 1
    assert "Mã PIN không đúng" in err.value.vi
    # SoftHSM2 raises CKF_USER_PIN_COUNT_LOW after a failure; the next prompt warns about it.
    assert pin_status(world.module, pki.PIN_TEST_TOKEN).count_low
    seen: list[PinRequest] = []
    with source.open(lambda r: seen.append(r) or pki.USER_PIN) as key:
        assert key.info.subject_cn == pki.ORG_NAME
        assert seen[0].pin.count_low and "sai PIN" in (seen[0].pin.warning() or "")
        # While this session is open the token is unlocked for Desk: a second key
        # session opens without a PIN prompt (C_Login could not check one anyway).
        with source.open(lambda r: calls.append(r) or "000000") as again:
            assert again.info.subject_cn == pki.ORG_NAME
        assert len(calls) == 1
    assert not is_unlocked(world.module, pki.PIN_TEST_TOKEN)


def test_ambiguous_certificate_must_be_chosen(world: pki.TestWorld) -> None:
    with pytest.raises(CertificateNotFound) as err:
        Pkcs11KeySource(world.module, pki.LEADER_TOKEN, pki.LEADER_NAME).open(lambda r: pki.USER_PIN)
    assert "nhiều chứng thư" in err.value.vi


@pytest.mark.parametrize(("label", "reason"), [("expired", "expired"), ("nosign", "key_usage"),
                                               ("revoked", "revoked")])
def test_certificate_prechecks_refuse(label: str, reason: str, world: pki.TestWorld, server: pki.PkiServer,
                                      trust: TrustSettings) -> None:
    cert = world.pki.cert(label)
    with pytest.raises(CertificateRejected) as err:
        check_signing_certificate(cert, (world.pki.cert("interm"),), trust=trust, online=True)
    assert reason in err.value.reasons
    assert err.value.vi.startswith("Không thể ký")


def test_good_certificate_passes_precheck(world: pki.TestWorld, server: pki.PkiServer,
                                          trust: TrustSettings) -> None:
    check_signing_certificate(world.pki.cert("leader"), (world.pki.cert("interm"),), trust=trust, online=True)


def test_module_discovery_and_explanations(world: pki.TestWorld, tmp_path: Path) -> None:
    found = discover_modules([world.module, str(tmp_path / "missing.so")])
    assert found[0].usable and found[0].source == "configured"
    assert not found[1].exists and "Không tìm thấy" in (found[1].problem_vi or "")
    # A 32-bit ELF header: the loader would fail with an opaque error; we explain it.
    elf32 = tmp_path / "vendor32.so"
    elf32.write_bytes(b"\x7fELF\x01\x01\x01" + b"\0" * 9 + struct.pack("<HH", 3, 3) + b"\0" * 44)
    info = inspect_module(str(elf32))
    assert info.bits == 32 and "32-bit" in (info.problem_vi or "")
    with pytest.raises(ModuleError):
        load_library(str(elf32))
    notlib = tmp_path / "notes.dll"
    notlib.write_text("hello")
    assert "không phải thư viện" in (inspect_module(str(notlib)).problem_vi or "")


def test_certificate_present_follows_token_and_fingerprint(world: pki.TestWorld) -> None:
    from signing.tokens import certificate_present, token_certificates

    certs = token_certificates(world.module, pki.ORG_TOKEN)
    org = next(c for c in certs if c.label == "org")
    assert certificate_present(world.module, pki.ORG_TOKEN, org.info.sha256)
    assert not certificate_present(world.module, pki.ORG_TOKEN, "00" * 32)
    assert not certificate_present(world.module, "KHONGCO", org.info.sha256)
    assert not certificate_present(world.module, pki.ORG_TOKEN, org.info.sha256, token_serial="khac")
