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


def make_private(home: Path) -> None:
    """The data folder is the office's alone: folder 0700, database files 0600 (POSIX).

    Other users of the PC must not read documents, the audit log or keys. On Windows the
    per-user profile's ACL does this and ``chmod`` only toggles read-only, so it is skipped.
    """
    if os.name != "posix":
        return
    try:
        home.chmod(0o700)
        for p in home.iterdir():
            if p.is_file() and not p.is_symlink():
                p.chmod(0o600)
            elif p.is_dir() and not p.is_symlink():
                p.chmod(0o700)
    except OSError:
        pass  # a read-only or foreign folder: opening it reports the real problem
