"""Start the exchange server as a real process on 127.0.0.1 (tests, benchmarks)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine

from sync.server.db import make_engine
from sync.server.directory import add_agency


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    def __init__(
        self,
        folder: Path,
        *,
        tls: tuple[Path, Path] | None = None,
        max_body: int | None = None,
        db_url: str | None = None,
        body_idle_s: float | None = None,
    ) -> None:
        self.folder = folder
        self.port = free_port()
        self.tls = tls
        self.max_body = max_body
        self.body_idle_s = body_idle_s
        self.proc: subprocess.Popen[bytes] | None = None
        self.db_url = db_url or f"sqlite:///{folder / 'exchange.sqlite'}"
        self._engine: Engine | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> ServerProcess:  # an upper bound: slow under Wine
        self.folder.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "sync.server",
            "--folder",
            str(self.folder),
            "--port",
            str(self.port),
        ]
        if self.tls:
            cmd += ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])]
        if self.max_body:
            cmd += ["--max-body", str(self.max_body)]
        if self.body_idle_s:
            cmd += ["--body-idle-s", str(self.body_idle_s)]
        if not self.db_url.startswith("sqlite"):
            cmd += ["--db", self.db_url]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=(self.folder / "server.log").open("ab")
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited: {(self.folder / 'server.log').read_text()[-2000:]}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._engine is not None:
            self._engine.dispose()

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def add_agency(self, code: str, name: str = "", **kw: object) -> str:
        if self._engine is None:
            self._engine = make_engine(self.db_url)
        return add_agency(self._engine, code, name or code, **kw)  # type: ignore[arg-type]

    def delegate(self, code: str, parent: str) -> None:
        """The administrator lets ``parent`` register ``code`` under itself."""
        from sync.server.directory import delegate

        if self._engine is None:
            self._engine = make_engine(self.db_url)
        delegate(self._engine, code, parent)

    def peak_rss_mb(self) -> float:
        """The server process's peak resident memory so far (VmHWM)."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def current_peak_rss_mb() -> float:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return float("nan")
