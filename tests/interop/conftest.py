"""The axis SDK against `desk serve` on 127.0.0.1, with a real Desk office on the other side.

Skipped, with the reason, when ``../shared/interop/axis-sdk`` (third-party jars, not
part of Desk) or a JDK is missing; `make test` installs the JDK (default-jdk-headless).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axis_harness import ROOT, Harness, compile_harness, why_not_runnable
from interop_world import G17, G22, NAMES, OFFICE, SECRETS, DeskServe, World, desk_cli

from desk.office import Office
from desk.services import people

REPORT = ROOT / "tests" / "out" / "interop-sdk-calls.txt"
_ALL_CALLS: list[tuple[str, str, str]] = []  # (test, operation, result)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = why_not_runnable()
    if reason is None:
        return
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.skip(reason=f"axis SDK interop not run: {reason}"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _ALL_CALLS:
        return
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{t}\t{op}\t{res}" for t, op, res in _ALL_CALLS]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def classes() -> Path:
    return compile_harness()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def desk_serve(tmp_path: Path) -> Iterator[DeskServe]:
    """`desk serve` on 127.0.0.1, its agencies registered with the secrets they already use."""
    home = tmp_path / "server-home"
    home.mkdir()
    secret_file = tmp_path / "g22.secret"
    secret_file.write_text(SECRETS[G22] + "\n", encoding="utf-8")
    r = desk_cli(home, "serve", "agency", "add", G22, NAMES[G22], "--axis-compat",
              "--secret-file", str(secret_file))
    assert r.returncode == 0, r.stderr
    assert SECRETS[G22] not in r.stdout  # a secret given in a file is not echoed
    listing = tmp_path / "agencies.csv"
    listing.write_text("code,name,secret,axis_compat\n"
                       f"{G17},{NAMES[G17]},{SECRETS[G17]},true\n"
                       f"{OFFICE},{NAMES[OFFICE]},{SECRETS[OFFICE]},false\n", encoding="utf-8")
    r = desk_cli(home, "serve", "agency", "import", str(listing))
    assert r.returncode == 0, r.stderr
    assert "2" in r.stdout
    port = _free_port()
    env = {**os.environ, "DESK_HOME": str(home), "PYTHONPATH": str(ROOT)}
    log = (tmp_path / "serve.log").open("ab")
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from desk.cli.main import main; "
                             "sys.exit(main())", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / "serve.log").read_text()[-2000:]) from None
            time.sleep(0.1)
    yield DeskServe(home, port, proc)
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


@pytest.fixture
def world(request: pytest.FixtureRequest, classes: Path, desk_serve: DeskServe,
          tmp_path: Path) -> Iterator[World]:
    harness = Harness(classes, tmp_path / "java.log")
    office = Office.open(tmp_path / "office")
    with office.db.write() as s:
        people.init_office(s, OFFICE, NAMES[OFFICE], place="Quảng Ninh", notation="UBND")
        people.add_person(s, "vanthu", "Nguyễn Thị Lan", ["van_thu"])
        people.add_person(s, "lanhdao", "Trần Văn Đức", ["lanh_dao"], position="Chủ tịch")
        people.add_person(s, "chuyenvien", "Lê Minh Đạt", ["chuyen_vien"])
    w = World(harness, desk_serve, office, tmp_path)
    w.sdk_client("g22", G22)
    w.sdk_client("g17", G17)
    try:
        yield w
    finally:
        _ALL_CALLS.extend((request.node.name, op, res) for op, res in harness.calls)
        harness.close()
        office.close()
