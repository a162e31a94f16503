"""Issue 11, item 9: active content is flagged; decompression is bounded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import hostile
import pytest

from signing.pdfsafety import scan_pdf


def test_javascript_launch_and_embedded_files_are_found(tmp_path: Path) -> None:
    p = tmp_path / "js.pdf"
    p.write_bytes(hostile.javascript_pdf())
    r = scan_pdf(p)
    assert r.javascript and r.launch and r.embedded_files == ["setup.exe"] and not r.bomb
    assert r.describe("vi")[0] == "chứa JavaScript"
    assert scan_pdf(hostile.javascript_pdf()).active  # bytes too (the signature panel)


def test_an_ordinary_pdf_is_not_flagged(tmp_path: Path) -> None:
    r = scan_pdf(hostile.simple_pdf())
    assert not r.risky and r.unreadable == ""


def test_the_cli_import_warns(tmp_path: Path) -> None:
    p = tmp_path / "js.pdf"
    p.write_bytes(hostile.javascript_pdf())
    env = dict(os.environ, DESK_HOME=str(tmp_path / "office"))
    subprocess.run([sys.executable, "-m", "desk.cli.main", "demo", "--documents", "1", "--pdfs", "0"],
                   env=env, capture_output=True, text=True, timeout=300, check=True)
    r = subprocess.run([sys.executable, "-m", "desk.cli.main", "import", str(p)], env=env,
                       capture_output=True, text=True, timeout=120)
    assert "CẢNH BÁO" in r.stdout and "JavaScript" in r.stdout, r.stdout + r.stderr


IMPORT_RSS = r"""
import sys
from pathlib import Path
from desk.errors import ValidationError
from desk.services.documents import read_for_import
from signing.pdfsafety import scan_pdf
p = Path(sys.argv[1])
assert scan_pdf(p).bomb
try:
    read_for_import(p)
except ValidationError as exc:  # refused with its reason, never inflated
    assert exc.code == "pdf_bomb", exc.code
else:
    raise AssertionError("a decompression bomb was read")
# VmHWM, not ru_maxrss: the latter keeps the parent's (pytest's) peak across fork + exec.
print(int([l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]) // 1024)
"""


@pytest.mark.slow
def test_a_300_mb_flate_bomb_is_read_in_bounded_memory(tmp_path: Path) -> None:
    p = tmp_path / "bomb.pdf"
    p.write_bytes(hostile.flate_bomb_pdf(300))
    r = subprocess.run([sys.executable, "-c", IMPORT_RSS, str(p)], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.split()[-1]) < 250, f"peak RSS {r.stdout.strip()} MB"
