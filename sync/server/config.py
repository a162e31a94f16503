"""Settings of the exchange server (``desk serve``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServerConfig:
    db_url: str
    blob_dir: Path
    max_body_bytes: int = 512 << 20  # one sendEdoc body or one resumable upload
    max_clock_skew_s: int = 300  # Desk clients: how old a request may be
    nonce_ttl_s: int = 900
    upload_ttl_s: int = 7 * 24 * 3600  # an unfinished resumable upload is kept this long
    # A request body that sends nothing for this long is dropped (its temporary file with it):
    # a stalled upload must not hold a file and a task until the operating system notices the
    # link is gone. Two minutes of silence is a dead link even on a commune's connection.
    body_idle_s: float = 120.0
    # Axis-SDK clients (no freshness, no nonce) are accepted only over TLS or from
    # loopback, for agencies flagged axis_compat.
    allow_axis_plain_http_loopback: bool = True
    # The province's trust bundle (desk serve trust add …), served to every office.
    trust_dir: Path | None = None

    @staticmethod
    def for_folder(folder: Path, db_url: str | None = None) -> ServerConfig:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        from sync.server.secrets import make_private_files

        make_private_files(folder)
        return ServerConfig(
            db_url=db_url or f"sqlite:///{folder / 'exchange.sqlite'}",
            blob_dir=folder / "blobs",
            trust_dir=folder / "trust",
        )
