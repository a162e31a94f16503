"""An office's data folder opened for work: the database, the blob store, the settings."""

from __future__ import annotations

from pathlib import Path

from desk.blobs import BlobStore
from desk.db import Database, open_database
from desk.paths import DataPaths


class Office:
    def __init__(self, paths: DataPaths, *, heal: bool = True) -> None:
        self.paths = paths
        paths.home.mkdir(parents=True, exist_ok=True)
        self.db: Database = open_database(paths.database)
        self.blobs = BlobStore(paths.blobs)
        if heal:
            from desk.search import ensure_index

            ensure_index(self.db)

    @classmethod
    def open(cls, home: Path | str | None = None) -> Office:
        return cls(DataPaths.resolve(home))

    def close(self) -> None:
        self.db.dispose()

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
