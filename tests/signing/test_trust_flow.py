"""One trust object from end to end: ``desk trust``, ``desk verify``, ``desk import`` / ``show``,
and the province's bundle published by ``desk serve trust`` and picked up on sync.

The signed PDFs come from the test PKI (SoftHSM2 token, certomancer CA on 127.0.0.1);
its root is not in Desk's Vietnamese store, so a document signed with it is "intact,
signer not confirmed" until the office (or the province) installs that root.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.office import Office
from signing.keys import KeySession
from signing.pades import DocumentSigner, Level, SignOptions
from signing.trust import (
    OfficeTrust,
    TrustSettings,
    bundled_anchors,
    fingerprint,
    load_certificates,
)
from tests.support import pki


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "office"
    monkeypatch.setenv("DESK_HOME", str(h))
    monkeypatch.delenv("DESK_TRUST_DIR", raising=False)
    monkeypatch.delenv("DESK_USER", raising=False)
    return h


@pytest.fixture(scope="module")
def signed(leader_key: KeySession, draft: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_B, trust=TrustSettings())).sign_bytes(draft)
    out = tmp_path_factory.mktemp("trustflow") / "qd-ky-so.pdf"
    out.write_bytes(data)
    return out


def _office(capsys: pytest.CaptureFixture[str]) -> None:
    assert _desk(capsys, "init", "000.00.12.H49", "Ủy ban nhân dân huyện Tiên Yên")[0] == 0
    assert _desk(capsys, "users", "add", "vanthu", "Lê Thị Văn Thư", "--roles", "van_thu")[0] == 0


def _desk(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["--lang", "vi", *argv])
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def test_office_anchor_added_and_removed_changes_the_verdict(
        home: Path, signed: Path, world: pki.TestWorld, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _desk(capsys, "verify", str(signed))
    assert code == 3, out  # intact, chain not installed: never "invalid"
    assert f"Chứng thư tin cậy: {len(bundled_anchors())} của Desk" in out

    code, out = _desk(capsys, "trust", "add", str(world.pki.cert_path("root")))
    assert code == 0 and "Đã thêm" in out
    code, out = _desk(capsys, "trust", "list")
    assert "[đơn vị]" in out and "RootCA chuyên dùng Chính phủ G2" in out

    code, out = _desk(capsys, "verify", str(signed))
    assert code == 0, out
    assert f"{len(bundled_anchors())} của Desk, 1 của đơn vị" in out and "HỢP LỆ" in out
    # the issuing CA the signature carries was remembered for later offline checks
    assert OfficeTrust(home).settings().counts()["cached"] >= 1

    ref = fingerprint(load_certificates(world.pki.cert_path("root"))[0])[:12]
    code, out = _desk(capsys, "trust", "remove", ref)
    assert code == 0 and "Đã gỡ" in out
    code, _ = _desk(capsys, "verify", str(signed))
    assert code == 3

    code, out = _desk(capsys, "trust", "remove", "0000000000")
    assert code == 2 and "Traceback" not in out


def test_verdict_recorded_on_import_and_shown(home: Path, signed: Path, world: pki.TestWorld,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _office(capsys)
    OfficeTrust(home).add(world.pki.cert_path("root"))
    code, out = _desk(capsys, "import", str(signed))
    assert code == 0, out
    assert re.search(r"qd-ky-so\.pdf: hợp lệ \(1 chữ ký, kiểm tra lúc \d\d/\d\d/\d{4} \d\d:\d\d\)", out), out
    with Office.open(home) as office, office.db.read() as s:
        from sqlalchemy import select

        from desk.models import Document

        doc_id = s.scalars(select(Document.id)).one()
    code, out = _desk(capsys, "show", str(doc_id), "--json")
    rec = json.loads(out)["signatures"]["qd-ky-so.pdf"]
    assert rec["verdict"] == "valid" and rec["signatures"] == 1
    assert rec["signers"][0]["signer"] == pki.LEADER_NAME
    assert "1 của đơn vị" in rec["trust"]
    # B-B: the reason the clerk sees is the missing timestamp, named
    assert any(r["code"] == "proof_pending" for r in rec["reasons"])
    code, out = _desk(capsys, "show", str(doc_id))
    assert "Chữ ký số (kiểm tra khi tiếp nhận):" in out and pki.LEADER_NAME in out


def test_unsigned_and_untrusted_imports_are_recorded_too(home: Path, signed: Path, draft: bytes, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    _office(capsys)
    plain = tmp_path / "chua-ky.pdf"
    plain.write_bytes(draft)
    code, out = _desk(capsys, "import", str(plain), str(signed))
    assert code == 0, out
    assert "chua-ky.pdf: không có chữ ký số" in out
    assert "qd-ky-so.pdf: toàn vẹn, chưa xác nhận được người ký" in out
    rows = json.loads(_desk(capsys, "list", "--json")[1])
    recs = {}
    for r in rows:
        recs.update(json.loads(_desk(capsys, "show", str(r["id"]), "--json")[1])["signatures"])
    assert recs["chua-ky.pdf"]["verdict"] == "unsigned"
    assert recs["qd-ky-so.pdf"]["verdict"] == "untrusted"
    assert any(r["code"] == "untrusted" for r in recs["qd-ky-so.pdf"]["reasons"])


def test_env_trust_dir_still_adds_to_the_office_trust(home: Path, signed: Path, world: pki.TestWorld,
                                                      tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "extra"
    d.mkdir()
    (d / "root.pem").write_bytes(world.pki.cert_path("root").read_bytes())
    monkeypatch.setenv("DESK_TRUST_DIR", str(d))
    code, out = _desk(capsys, "verify", "--json", str(signed))
    assert code == 0, out
    assert json.loads(out)["verdict"] == "valid"
    assert os.environ["DESK_TRUST_DIR"] == str(d)
