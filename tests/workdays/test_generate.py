"""The shipped file is exactly what the rules produce, and reads back the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desk.workdays import generate
from desk.workdays.datafile import SHIPPED_FILE, parse, read, render


def test_shipped_file_matches_the_rules() -> None:
    assert SHIPPED_FILE.read_text(encoding="utf-8") == render(generate.build())


def test_round_trip() -> None:
    built = generate.build()
    assert read() == built
    assert parse(render(built)) == built
    assert (built.first_year, built.last_year) == (2024, 2035)


def test_generator_cli_writes_and_checks(tmp_path: Path) -> None:
    out = tmp_path / "cal.toml"
    run = [sys.executable, "-m", "desk.workdays.generate", "--output", str(out)]
    assert subprocess.run(run, capture_output=True, check=False).returncode == 0
    assert out.read_bytes() == SHIPPED_FILE.read_bytes()
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 0
    out.write_text(out.read_text(encoding="utf-8").replace("2026-01-10", "2026-01-17"),
                   encoding="utf-8")
    drift = subprocess.run([*run, "--check"], capture_output=True, text=True)
    assert drift.returncode == 1 and "khác với quy tắc" in drift.stderr
