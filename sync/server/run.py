"""Run the exchange server with uvicorn (optionally over TLS)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sync.server.config import ServerConfig


def serve(
    config: ServerConfig,
    host: str = "127.0.0.1",
    port: int = 8080,
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
    log_level: str = "warning",
) -> None:
    import os

    import uvicorn

    from sync.server.app import create_app

    if os.name == "posix":
        os.umask(0o077)  # every file the server makes (database, blobs, keys) is its own

    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None,
        log_level=log_level,
        access_log=False,
        timeout_keep_alive=30,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m sync.server``: what the tests and benchmarks start as a real process."""
    p = argparse.ArgumentParser(prog="python -m sync.server")
    p.add_argument("--folder", type=Path, required=True)
    p.add_argument("--db")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--tls-cert", type=Path)
    p.add_argument("--tls-key", type=Path)
    p.add_argument("--max-body", type=int, default=None)
    p.add_argument("--body-idle-s", type=float, default=None)
    a = p.parse_args(argv)
    from dataclasses import replace

    cfg = ServerConfig.for_folder(a.folder, a.db)
    if a.max_body:
        cfg = replace(cfg, max_body_bytes=a.max_body)
    if a.body_idle_s:
        cfg = replace(cfg, body_idle_s=a.body_idle_s)
    serve(cfg, a.host, a.port, a.tls_cert, a.tls_key)
    return 0
