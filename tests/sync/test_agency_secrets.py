"""`desk serve agency add --secret-file` and `desk serve agency import`: agencies moved from an
axis keep the secrets their clients already use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk.cli.main import main
from sync.client import ExchangeClient
from sync.errors import ServerRefused
from sync.testing.server_proc import ServerProcess


def test_add_with_secret_file_and_import_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "server-home"
    monkeypatch.setenv("DESK_HOME", str(home))
    secret_file = tmp_path / "h41.secret"
    secret_file.write_text("\ufeffsecret-of-H41-on-the-axis\n", encoding="utf-8")
    assert main(["serve", "agency", "add", "000.00.00.H41", "UBND tỉnh Nghệ An", "--axis-compat",
                 "--secret-file", str(secret_file)]) == 0
    assert "secret-of-H41" not in capsys.readouterr().out
    csv_list = tmp_path / "agencies.csv"
    csv_list.write_text("code,name,secret,system_id,axis_compat\n"
                        "000.00.00.H14,UBND tỉnh Hưng Yên,secret-of-H14-xyz,,true\n"
                        "000.00.00.H41,UBND tỉnh Nghệ An,another-secret-1,,true\n", encoding="utf-8")
    assert main(["serve", "agency", "import", str(csv_list)]) == 0
    out = capsys.readouterr().out
    assert "1" in out and "000.00.00.H41" in out  # added one, named the one already there
    json_list = tmp_path / "agencies.json"
    json_list.write_text(json.dumps([{"code": "000.00.00.G17", "name": "Bộ Tư pháp",
                                      "secret": "secret-of-G17-abc", "system_id": "btp-system"}]),
                         encoding="utf-8")
    assert main(["serve", "agency", "import", str(json_list)]) == 0
    # A bad row anywhere: nothing from that file is added.
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,secret\n000.00.00.H22,A,good-secret-1\nnot a code,B,good-secret-2\n",
                   encoding="utf-8")
    assert main(["serve", "agency", "import", str(bad)]) == 2
    assert "not a code" in capsys.readouterr().err
    short = tmp_path / "short.secret"
    short.write_text("abc", encoding="utf-8")
    assert main(["serve", "agency", "add", "000.00.00.H23", "X", "--secret-file", str(short)]) == 2

    with ServerProcess(home / "exchange-server") as srv:
        url = srv.url
        for system_id, secret in (("000.00.00.H41", "secret-of-H41-on-the-axis"),
                                  ("000.00.00.H14", "secret-of-H14-xyz"),
                                  ("btp-system", "secret-of-G17-abc")):
            with ExchangeClient(url, system_id, secret, max_stalls=1) as c:
                codes = {a.code for a in c.agencies()}
        assert {"000.00.00.H41", "000.00.00.H14", "000.00.00.G17"} <= codes
        assert "000.00.00.H22" not in codes
        with (ExchangeClient(url, "000.00.00.H41", "another-secret-1", max_stalls=1) as c,
              pytest.raises(ServerRefused)):
            c.agencies()  # the import did not overwrite the secret already there
