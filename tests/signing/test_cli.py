"""The desk sign / verify / tokens commands, driven through argparse as the CLI does."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from desk.cli import sign_cmds
from tests.support import pki


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="desk")
    parser.add_argument("--lang", default="vi")
    sub = parser.add_subparsers(required=True)
    sign_cmds.register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture()
def env(world: pki.TestWorld, server: pki.PkiServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    trust_dir = tmp_path / "trust"
    trust_dir.mkdir()
    shutil.copy(world.pki.cert_path("root"), trust_dir / "root.pem")
    shutil.copy(world.pki.cert_path("interm"), trust_dir / "interm.pem")
    monkeypatch.setenv("DESK_TRUST_DIR", str(trust_dir))
    monkeypatch.setenv("DESK_HOME", str(tmp_path / "home"))  # the office trust folder and cache live here
    monkeypatch.setenv("DESK_PKCS11_MODULES", world.module)
    monkeypatch.setenv("DESK_PIN", pki.USER_PIN)
    monkeypatch.setenv("DESK_TSA_URL", server.pki.tsa_url)
    return tmp_path


def test_sign_folder_then_verify_json(env: Path, world: pki.TestWorld, draft: bytes,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    inputs = []
    for i in range(3):
        p = env / f"qd{i}.pdf"
        p.write_bytes(draft)
        inputs.append(str(p))
    serial = format(world.pki.cert("leader").serial_number, "x")
    code = _run(["sign", "--token", pki.LEADER_TOKEN, "--cert", serial, "--level", "b-lt",
                 "--appearance", "leader", "--image", str(world.images["signature"]), "--title", pki.LEADER_TITLE,
                 "-o", str(env / "out"), *inputs])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.out.count("B-LT") == 3 and "[3/3]" in out.err
    code = _run(["verify", "--json", str(env / "out" / "qd0.pdf")])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["verdict"] == "valid"
    assert data["signatures"][0]["signer"] == pki.LEADER_NAME
    assert data["signatures"][0]["level"] == "B-LT"

    pki.assert_external_checks(env / "out" / "qd2.pdf", 1)


def test_verify_summary_and_exit_codes(env: Path, world: pki.TestWorld, draft: bytes,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    src = env / "a.pdf"
    src.write_bytes(draft)
    assert _run(["sign", "--pkcs12", str(world.pki.pkcs12("org")), "--level", "b-t", "-o", str(env / "s.pdf"),
                 str(src)]) == 2  # no DESK_P12_PASSWORD and no terminal: refused, nothing signed
    capsys.readouterr()
    assert not (env / "s.pdf").exists()
    import os

    os.environ["DESK_P12_PASSWORD"] = pki.P12_PASSWORD
    try:
        assert _run(["sign", "--pkcs12", str(world.pki.pkcs12("org")), "--level", "b-t",
                     "-o", str(env / "s.pdf"), str(src)]) == 0
    finally:
        del os.environ["DESK_P12_PASSWORD"]
    capsys.readouterr()
    assert _run(["verify", str(env / "s.pdf")]) == 0
    text = capsys.readouterr().out
    assert "HỢP LỆ" in text and pki.ORG_NAME in text and "Dấu thời gian" in text
    assert _run(["verify", str(src)]) == 1
    assert "KHÔNG CÓ CHỮ KÝ" in capsys.readouterr().out
    data = (env / "s.pdf").read_bytes()
    at = data.index(b"Tj", 2000)
    (env / "bad.pdf").write_bytes(data[:at] + b"TJ" + data[at + 2:])
    assert _run(["--lang", "en", "verify", str(env / "bad.pdf")]) == 1
    assert "changed after signing" in capsys.readouterr().out.lower()
    os.environ["DESK_TRUST_DIR"] = str(env / "empty")
    assert _run(["verify", str(env / "s.pdf")]) == 3  # intact, chain not installed: "untrusted", not "invalid"
    assert "CHƯA XÁC NHẬN" in capsys.readouterr().out


def test_wrong_pin_is_one_clear_line(env: Path, draft: bytes, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    src = env / "a.pdf"
    src.write_bytes(draft)
    monkeypatch.setenv("DESK_PIN", "999999")
    code = _run(["sign", "--token", pki.FINAL_TRY_TOKEN, "--level", "b-b", "-o", str(env / "o.pdf"), str(src)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Mã PIN không đúng" in err and "Traceback" not in err
    assert not (env / "o.pdf").exists()


def test_tokens_listing_and_doctor(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["tokens"]) == 0
    out = capsys.readouterr().out
    assert pki.LEADER_TOKEN in out and pki.LEADER_NAME in out and "2035" in out
    code = _run(["tokens", "--doctor", "--test-sign", "--module", str(env / "thieu.so")])
    out = capsys.readouterr().out
    assert code == 1  # the missing library, the locked token and the expired certificate are errors
    assert "Không tìm thấy thư viện token" in out
    assert "PIN đã bị khóa" in out and "Chỉ còn MỘT lần nhập PIN" in out
    assert "đã hết hạn ngày 01/01/2021" in out
    assert "Ký thử bằng khóa" in out and "thành công" in out


def test_explicit_box_and_bad_box(env: Path, world: pki.TestWorld, draft: bytes,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    src = env / "a.pdf"
    src.write_bytes(draft)
    common = ["sign", "--token", pki.ORG_TOKEN, "--level", "b-b", "--appearance", "seal",
              "--image", str(world.images["seal"])]
    assert _run([*common, "--box", "1:100,100,200,200", "-o", str(env / "o.pdf"), str(src)]) == 0
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    from signing.placement import signature_widget

    widget = signature_widget(PdfFileReader(io.BytesIO((env / "o.pdf").read_bytes())), "CoQuan")
    assert widget.page == 0 and widget.box.as_ints() == (100, 100, 200, 200)
    capsys.readouterr()
    assert _run([*common, "--box", "1:1,2,3", "-o", str(env / "p.pdf"), str(src)]) == 2
    assert "TRANG:X1,Y1,X2,Y2" in capsys.readouterr().err


def test_through_the_desk_entry_point(env: Path, draft: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    from desk.cli.main import main

    src = env / "a.pdf"
    src.write_bytes(draft)
    assert main(["--lang", "en", "sign", "--token", pki.ORG_TOKEN, "--level", "b-t", "-o", str(env / "o.pdf"),
                 str(src)]) == 0
    assert main(["--lang", "vi", "verify", str(env / "o.pdf")]) == 0
    assert "HỢP LỆ" in capsys.readouterr().out


def test_sign_with_remote_csc_service(env: Path, server: pki.PkiServer, draft: bytes,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    src = env / "a.pdf"
    src.write_bytes(draft)
    code = _run(["sign", "--csc", server.csc_url, "--csc-credential", f"{pki.ARCH}/org", "--level", "b-t",
                 "--appearance", "attachment", "--number", "16/QĐ-UBND", "-o", str(env / "csc.pdf"), str(src)])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    assert _run(["verify", "--json", str(env / "csc.pdf")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["signatures"][0]["signer"] == pki.ORG_NAME and data["signatures"][0]["level"] == "B-T"
