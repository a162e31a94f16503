"""Issue 11, item 6: hostile command lines give one clear line, never "Unexpected error"."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.cli.main import build_parser
from desk.docpdf import PageSpec, render_to


def desk(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DESK_HOME=str(home))
    env.pop("DESK_USER", None)
    r = subprocess.run([sys.executable, "-m", "desk.cli.main", *args], capture_output=True,
                       text=True, env=env, timeout=120)
    if check:
        assert r.returncode == 0, r.stderr + r.stdout
    return r


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("cli-hostile") / "office"
    desk(h, "demo", "--documents", "20", "--pdfs", "2")
    return h


BAD_NUMBERS = [
    ["search", "x", "--limit", "-1"],
    ["search", "x", "--offset", "-5"],
    ["show", "999999999999999999999"],
    ["list", "--limit", "99999999999999999999"],
    ["list", "--offset", "1e400"],
    ["progress", "1", "--percent", "101", "--text", "x"],
    ["deadlines", "--within", "-3"],
    ["sync", "--interval", "nan"],
    ["register", "9" * 400],
]


@pytest.mark.parametrize("args", BAD_NUMBERS, ids=lambda a: " ".join(a)[:40])
def test_out_of_range_numbers_are_a_clear_error(home: Path, args: list[str]) -> None:
    r = desk(home, *args, check=False)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "không mong đợi" not in r.stderr
    assert "không hợp lệ" in r.stderr
    r = desk(home, "--lang", "en", *args, check=False)
    assert "invalid value" in r.stderr and "Unexpected" not in r.stderr


def test_numbers_in_range_still_work(home: Path) -> None:
    rows = json.loads(desk(home, "list", "--limit", "5", "--offset", "0", "--json").stdout)
    assert len(rows) == 5
    assert desk(home, "show", "9223372036854775807", check=False).stderr.strip() == \
        "Lỗi: Không tìm thấy văn bản #9223372036854775807."


def _pdf(path: Path, subject: str) -> Path:
    from datetime import date

    return render_to(PageSpec("UBND TỈNH QUẢNG NINH", "SỞ Y TẾ", f"{len(subject)}/SYT-NVY", "Hạ Long",
                              date(2026, 11, 20), "", subject, ["Đề nghị các đơn vị triển khai."],
                              "KT. GIÁM ĐỐC", "Phó Giám đốc", "Hoàng Văn Dũng"), path)


def test_batch_import_goes_on_after_a_bad_file(home: Path, tmp_path: Path) -> None:
    a = _pdf(tmp_path / "A.pdf", "phòng chống lụt bão")
    bad = tmp_path / "BAD.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer <<>>\n%%EOF")
    c = _pdf(tmp_path / "C.pdf", "tiêm chủng mở rộng năm 2026")
    r = desk(home, "import", str(a), str(bad), str(c), check=False)
    assert r.returncode == 2
    out = r.stdout
    assert "A.pdf" in out and "C.pdf" in out and "BAD.pdf" in out
    assert "Đã nhập 2/3 tệp, 1 tệp lỗi." in out
    assert "Traceback" not in r.stderr + out


def test_restore_of_a_malformed_manifest_is_a_clear_error(tmp_path: Path) -> None:
    for manifest in (b"{not json", b"[1, 2]", b'{"format": "desk-backup/1"}', b"\xff\xfe"):
        bak = tmp_path / "bad.deskbak"
        with tarfile.open(bak, "w") as tar:
            for name, data in (("manifest.json", manifest), ("desk.sqlite3", b"SQLite format 3\0")):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        r = desk(tmp_path / "target", "restore", str(bak), check=False)
        assert r.returncode == 2, r.stderr
        assert "manifest" in r.stderr and "không mong đợi" not in r.stderr, r.stderr


# --- property test: whatever is typed for a numeric option, the parser answers cleanly ---

_PARSER = build_parser()
_NUMERIC = [("list", "--limit"), ("list", "--offset"), ("search", "--limit"), ("show", None),
            ("deadlines", "--within"), ("progress", "--percent")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_NUMERIC), st.one_of(st.integers(min_value=-(10**40), max_value=10**40).map(str),
                                            st.text(max_size=50), st.floats().map(str)))
def test_numeric_options_parse_or_exit_cleanly(opt: tuple[str, str | None], value: str) -> None:
    cmd, flag = opt
    if cmd == "show":
        argv = ["show", "--", value]
    elif cmd == "search":
        argv = ["search", "q", f"{flag}={value}"]
    elif cmd == "progress":
        argv = ["progress", "1", "--text", "x", f"{flag}={value}"]
    else:
        argv = [cmd, f"{flag}={value}"]
    try:
        ns = _PARSER.parse_args(argv)
    except SystemExit as exc:
        assert exc.code == 2
        return
    number = ns.doc_id if cmd == "show" else getattr(ns, flag.lstrip("-").replace("-", "_"))  # type: ignore[union-attr]
    assert 0 <= number < 2**63
