"""Sign offline now, finish the proof later; batch signing with one login."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from signing.batch import SignJob, sign_batch
from signing.errors import CertificateRejected, NetworkUnavailable
from signing.keys import KeySession, Pkcs11KeySource
from signing.pades import DocumentSigner, LeaderAppearance, Level, SignOptions
from signing.proof import complete_proof, needs_proof
from signing.tokens import PinRequest
from signing.trust import TrustSettings
from signing.verify import verify_pdf
from tests.support import pki


def test_offline_signature_then_proof_reaches_b_lta(leader_key: KeySession, server: pki.PkiServer,
                                                   trust: TrustSettings, draft: bytes, tmp_path: Path) -> None:
    opts = SignOptions(level=Level.B_LTA, tsa_url=server.pki.tsa_url, trust=trust)
    with server.stopped():
        signed, result = DocumentSigner(leader_key, opts).sign_bytes(draft)
        assert result.level is Level.B_B and result.pending_proof
        assert "chờ dấu thời gian" in result.note_vi
        assert needs_proof(signed)
        with pytest.raises(NetworkUnavailable):
            complete_proof(signed, trust=trust, tsa_url=server.pki.tsa_url, timeout=2)
        with pytest.raises(NetworkUnavailable):
            DocumentSigner(leader_key, SignOptions(level=Level.B_T, tsa_url=server.pki.tsa_url, trust=trust,
                                                   offline_fallback=False)).sign_bytes(draft)
    before = verify_pdf(signed, trust=trust)
    assert before.signatures[0].level == "B-B" and before.signatures[0].proof_pending
    finished = complete_proof(signed, trust=trust, tsa_url=server.pki.tsa_url)
    assert finished.startswith(signed)  # incremental: the signed bytes are kept as they were
    assert not needs_proof(finished)
    out = tmp_path / "finished.pdf"
    out.write_bytes(finished)
    pki.assert_external_checks(out, 2)
    with server.stopped():
        report = verify_pdf(finished, trust=trust)
    sig = report.signatures[0]
    assert report.verdict == "valid", report.summary()
    assert sig.level == "B-LTA" and not sig.proof_pending
    assert sig.proof_added_at is not None and sig.timestamp_time is None
    assert "Bằng chứng bổ sung sau" in report.summary()


def _jobs(tmp_path: Path, draft: bytes, n: int) -> list[SignJob]:
    jobs = []
    for i in range(n):
        src = tmp_path / "in" / f"doc{i}.pdf"
        src.parent.mkdir(exist_ok=True)
        src.write_bytes(draft if i != 2 else b"%PDF-1.7\nthis is not really a pdf\n")
        jobs.append(SignJob(src, tmp_path / "out" / f"doc{i}.pdf"))
    return jobs


def test_batch_one_login_progress_and_bad_file(world: pki.TestWorld, trust: TrustSettings, draft: bytes,
                                               signature_image: object, tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, draft, 5)
    hashes = {j.source: hashlib.sha256(j.source.read_bytes()).hexdigest() for j in jobs}
    asked: list[PinRequest] = []
    progress: list[tuple[int, bool]] = []
    # PIN_TEST_TOKEN: no other test keeps it unlocked, so the batch must ask once.
    opts = SignOptions(level=Level.B_B, trust=trust, appearance=LeaderAppearance(
        signature_image, pki.LEADER_TITLE, name=pki.LEADER_NAME))  # type: ignore[arg-type]
    result = sign_batch(jobs, Pkcs11KeySource(world.module, pki.PIN_TEST_TOKEN),
                        lambda r: asked.append(r) or pki.USER_PIN, opts,
                        progress=lambda p: progress.append((p.done, p.ok)), online_check=False)
    assert len(asked) == 1
    assert progress == [(1, True), (2, True), (3, False), (4, True), (5, True)]
    assert result.succeeded == 4 and result.failed == 1
    bad = result.results[2]
    assert bad.error_code == "signing.invalid_pdf" and not bad.job.output.exists()
    for job in jobs:
        assert hashlib.sha256(job.source.read_bytes()).hexdigest() == hashes[job.source]
    assert not list((tmp_path / "out").glob(".*.tmp"))
    assert verify_pdf(jobs[4].output, trust=trust).verdict == "valid"
    for job in (jobs[0], jobs[4]):
        pki.assert_external_checks(job.output, 1)


def test_batch_cancel_between_documents(world: pki.TestWorld, trust: TrustSettings, draft: bytes,
                                        tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, draft, 5)
    done: list[int] = []
    result = sign_batch(jobs, Pkcs11KeySource(world.module, pki.ORG_TOKEN), lambda r: pki.USER_PIN,
                        SignOptions(level=Level.B_B, trust=trust),
                        progress=lambda p: done.append(p.done), cancelled=lambda: len(done) >= 2,
                        online_check=False)
    assert result.cancelled and len(result.results) == 2
    assert not jobs[2].output.exists()


def test_batch_refuses_to_overwrite_source(world: pki.TestWorld, trust: TrustSettings, draft: bytes,
                                           tmp_path: Path) -> None:
    src = tmp_path / "a.pdf"
    src.write_bytes(draft)
    result = sign_batch([SignJob(src, src)], Pkcs11KeySource(world.module, pki.ORG_TOKEN),
                        lambda r: pki.USER_PIN, SignOptions(level=Level.B_B, trust=trust), online_check=False)
    assert result.results[0].error_code == "signing.in_place"
    assert src.read_bytes() == draft


def test_batch_with_expired_certificate_signs_nothing(world: pki.TestWorld, trust: TrustSettings,
                                                      draft: bytes, tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, draft, 2)
    serial = format(world.pki.cert("expired").serial_number, "x")
    with pytest.raises(CertificateRejected) as err:
        sign_batch(jobs, Pkcs11KeySource(world.module, pki.LEADER_TOKEN, serial), lambda r: pki.USER_PIN,
                   SignOptions(level=Level.B_B, trust=trust), online_check=False)
    assert "hết hạn" in err.value.vi
    assert not (tmp_path / "out").exists()


def test_leader_offline_then_organisation_online_completes_everything(
        leader_key: KeySession, org_key: KeySession, server: pki.PkiServer, trust: TrustSettings,
        draft: bytes) -> None:
    with server.stopped():
        leader_signed, first = DocumentSigner(leader_key, SignOptions(
            level=Level.B_LTA, tsa_url=server.pki.tsa_url, trust=trust)).sign_bytes(draft)
    assert first.pending_proof
    released, second = DocumentSigner(org_key, SignOptions(
        level=Level.B_LTA, tsa_url=server.pki.tsa_url, trust=trust)).sign_bytes(leader_signed)
    assert not second.pending_proof and not needs_proof(released)
    with server.stopped():
        report = verify_pdf(released, trust=trust)
    leader, org = (s for s in report.signatures if s.kind == "signature")
    assert report.verdict == "valid", report.summary()
    assert leader.level == "B-LTA" and leader.proof_added_at is not None and leader.revocation == "good"
    assert org.level == "B-LTA"


def test_token_lost_mid_batch_stops_with_a_clear_result(world: pki.TestWorld, trust: TrustSettings,
                                                        draft: bytes, tmp_path: Path) -> None:
    from signing.batch import run_jobs
    from signing.pades import DocumentSigner

    jobs = _jobs(tmp_path, draft, 5)
    jobs[2] = SignJob(jobs[1].source, jobs[2].output)  # all five are good documents
    with Pkcs11KeySource(world.module, pki.ORG_TOKEN).open(lambda r: pki.USER_PIN) as key:
        signer = DocumentSigner(key, SignOptions(level=Level.B_B, trust=trust))

        def pull_token_after_two(p: object) -> None:
            if p.done == 2:  # type: ignore[attr-defined]
                key.signer.pkcs11_session.close()  # type: ignore[attr-defined]  # the PKCS#11 session dies

        result = run_jobs(signer, jobs, progress=pull_token_after_two)
    assert result.succeeded == 2 and len(result.results) == 3
    assert result.stopped is not None and result.stopped.error_code == "signing.token_removed"
    assert "cắm lại token" in (result.stopped.error_vi or "")
    assert not jobs[2].output.exists() and not jobs[3].output.exists()


def test_archive_timestamp_renewal(leader_key: KeySession, server: pki.PkiServer, trust: TrustSettings,
                                   draft: bytes, tmp_path: Path) -> None:
    from signing.proof import renew_archive_timestamp

    signed, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_LTA, tsa_url=server.pki.tsa_url,
                                                       trust=trust)).sign_bytes(draft)
    renewed = renew_archive_timestamp(signed, trust=trust, tsa_url=server.pki.tsa_url)
    assert renewed.startswith(signed)
    out = tmp_path / "renewed.pdf"
    out.write_bytes(renewed)
    pki.assert_external_checks(out, 3)
    with server.stopped():
        report = verify_pdf(renewed, trust=trust)
    assert report.verdict == "valid", report.summary()
    assert [s.kind for s in report.signatures] == ["signature", "document_timestamp", "document_timestamp"]


def test_offline_signature_by_revoked_signer_cannot_be_released(world: pki.TestWorld, server: pki.PkiServer,
                                                                trust: TrustSettings, draft: bytes) -> None:
    serial = format(world.pki.cert("revoked").serial_number, "x")
    with server.stopped(), Pkcs11KeySource(world.module, pki.LEADER_TOKEN, serial).open(
            lambda _r: pki.USER_PIN) as key:
        signed, result = DocumentSigner(key, SignOptions(level=Level.B_LTA, tsa_url=server.pki.tsa_url,
                                                         trust=trust)).sign_bytes(draft)
    assert result.pending_proof  # offline, the revocation could not be known
    with pytest.raises(CertificateRejected) as err:
        complete_proof(signed, trust=trust, tsa_url=server.pki.tsa_url)
    assert "không được ban hành" in err.value.vi


def test_organisation_does_not_countersign_a_revoked_leader(world: pki.TestWorld, org_key: KeySession,
                                                           server: pki.PkiServer, trust: TrustSettings,
                                                           draft: bytes) -> None:
    serial = format(world.pki.cert("revoked").serial_number, "x")
    with server.stopped(), Pkcs11KeySource(world.module, pki.LEADER_TOKEN, serial).open(
            lambda _r: pki.USER_PIN) as key:
        leader_signed, _ = DocumentSigner(key, SignOptions(level=Level.B_LTA, tsa_url=server.pki.tsa_url,
                                                           trust=trust)).sign_bytes(draft)
    with pytest.raises(CertificateRejected) as err:
        DocumentSigner(org_key, SignOptions(level=Level.B_LTA, tsa_url=server.pki.tsa_url,
                                            trust=trust)).sign_bytes(leader_signed)
    assert "Lê Văn Thu Hồi" in err.value.vi
