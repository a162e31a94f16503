"""The exchange CLI: desk edxml show/check, desk serve (+ agency add), desk exchange connect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from desk.cli.main import main
from sync.testing.server_proc import free_port

SAMPLE = Path("/work/shared/data/edxml/vpcp-cong-van-3-recipients.edxml")


def test_edxml_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["edxml", "show", str(SAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "edoc"
    assert data["header"]["document_id"] == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert [t["organ_id"] for t in data["header"]["to"]] == [
        "000.00.00.H41",
        "000.00.00.H14",
        "000.00.00.G17",
    ]
    assert data["attachments"][0]["name"] == "1896_QD-TTg_m_294779.doc"
    assert main(["edxml", "show", str(SAMPLE)]) == 0
    assert "Trích yếu: V/v kết nối" in capsys.readouterr().out


def test_edxml_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["edxml", "check", str(SAMPLE)]) == 0
    assert capsys.readouterr().out.startswith("Hợp lệ")
    bad = tmp_path / "bad.edxml"
    bad.write_bytes(
        SAMPLE.read_bytes().replace(b"<edXML:Subject>", b"<edXML:Subject>" + b"x" * 600)
    )
    assert main(["--lang", "en", "edxml", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "Subject" in out and "edxml_field_too_long" in out
    assert main(["--lang", "vi", "edxml", "show", str(tmp_path / "missing.edxml")]) == 2
    assert "Không đọc được" in capsys.readouterr().err


def test_serve_agency_add_and_connect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = dict(os.environ)
    env.update(
        DESK_HOME=str(tmp_path / "server-home"),
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        LOCALAPPDATA=str(tmp_path / "xdg"),  # Windows: where keyrings.alt keeps its file
    )
    desk = [sys.executable, "-m", "desk.cli.main"]
    added = subprocess.run(
        [*desk, "serve", "agency", "add", "000.00.01.H49", "UBND xã A"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    secret = added.stdout.strip().splitlines()[-1]
    assert len(secret) >= 32
    again = subprocess.run(
        [*desk, "serve", "agency", "add", "000.00.01.H49", "UBND xã A"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2 and "đã được đăng ký" in again.stderr
    port = free_port()
    server = subprocess.Popen(
        [*desk, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(url + "/openapi.json")
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        client_env = dict(env, DESK_HOME=str(tmp_path / "office"))
        connect = [*desk, "exchange", "connect", url, "--agency", "000.00.01.H49"]
        wrong = subprocess.run(
            connect, env=client_env, input="wrong\n", capture_output=True, text=True
        )
        assert wrong.returncode == 2 and "Xác thực thất bại" in wrong.stderr
        assert not (tmp_path / "office" / "exchange.toml").exists()
        ok = subprocess.run(
            connect, env=client_env, input=secret + "\n", capture_output=True, text=True
        )
        assert ok.returncode == 0, ok.stderr
        settings = (tmp_path / "office" / "exchange.toml").read_text()
        assert url in settings and secret not in settings
        assert list((tmp_path / "xdg").rglob("*.cfg"))  # the file keyring got it
    finally:
        server.terminate()
        server.wait(10)
