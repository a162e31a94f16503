"""An office's data folder opened for work: the database, the blob store, the settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desk.blobs import BlobStore
from desk.db import Database, open_database
from desk.paths import DataPaths, make_private

if TYPE_CHECKING:
    from desk.search.engine import SearchIndex


class Office:
    def __init__(self, paths: DataPaths, *, heal: bool = True) -> None:
        self.paths = paths
        paths.home.mkdir(parents=True, exist_ok=True)
        self.db: Database = open_database(paths.database)
        make_private(paths.home)
        self.blobs = BlobStore(paths.blobs)
        self._search: SearchIndex | None = None
        if heal:
            self.search.ensure()

    @property
    def search(self) -> SearchIndex:
        if self._search is None:
            from desk.search.engine import SearchIndex

            self._search = SearchIndex(self.db, self.paths.index)
        return self._search

    @classmethod
    def open(cls, home: Path | str | None = None) -> Office:
        return cls(DataPaths.resolve(home))

    def close(self) -> None:
        if self._search is not None:
            self._search.close()  # Windows: the index files stay locked while mapped
        self.db.dispose()

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
