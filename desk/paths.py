"""Where an office's data lives: ``$DESK_HOME`` or the per-user data folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_home() -> Path:
    env = os.environ.get("DESK_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("Desk", appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    home: Path

    @property
    def database(self) -> Path:
        return self.home / "desk.sqlite3"

    @property
    def blobs(self) -> Path:
        return self.home / "blobs"

    @property
    def index(self) -> Path:
        return self.home / "index"

    @property
    def settings(self) -> Path:
        return self.home / "settings.toml"

    @property
    def calendar(self) -> Path:
        return self.home / "calendar.toml"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @classmethod
    def resolve(cls, home: Path | str | None = None) -> DataPaths:
        return cls(Path(home) if home is not None else default_home())
