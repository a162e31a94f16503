"""The exchange server on PostgreSQL (the deployment database), not only SQLite.

A private PostgreSQL cluster is started in a temporary folder on 127.0.0.1 (Debian's
postgresql package, installed by `make test`); as root, its programs run as the
`postgres` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import make_edoc

from sync.testing.server_proc import ServerProcess, free_port

A, B = "000.00.41.H49", "000.00.42.H49"


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    bindir = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
    # Not under pytest's temporary folder: it is private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                 "-E", "UTF8", "--no-sync"]), check=True, capture_output=True)
    subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"),
                                 "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1", "start"]),
                   check=True, capture_output=True)
    try:
        subprocess.run(_as_postgres([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                                     "-U", "postgres", "desk_exchange"]), check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/desk_exchange"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def test_send_receive_and_idempotence_on_postgresql(postgres: str, tmp_path: Path) -> None:
    from sync.client import ExchangeClient

    with ServerProcess(tmp_path / "server", db_url=postgres) as server:
        sa, sb = server.add_agency(A, "Sở A"), server.add_agency(B, "Sở B")
        a = ExchangeClient(server.url, A, sa)
        b = ExchangeClient(server.url, B, sb)
        pkg = make_edoc(tmp_path, A, (B,), payload=os.urandom(300 << 10))
        first = a.send_edoc(pkg)
        assert a.send_edoc(pkg) == first  # the same package twice is delivered once
        [item] = b.received("edoc")
        assert item.doc_id == first
        got = b.download(first, tmp_path / "got.edxml")
        assert got.read_bytes() == pkg.read_bytes()
        b.acknowledge(first)
        assert b.received("edoc") == []
        [sent] = a.sent("edoc")
        assert sent.to_code == B and sent.receive_status == "done"
