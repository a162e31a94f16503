"""The SQLite store: WAL, foreign keys, serialised writers, migrations on open.

Writers take SQLite's write lock at the start of their transaction
(``BEGIN IMMEDIATE``), so two processes registering at the same moment queue
instead of failing with "database is locked" half-way; readers use deferred
transactions and never block writers (WAL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from desk.errors import StorageError
from desk.migrations import upgrade_if_needed

BUSY_TIMEOUT_MS = 60_000

#: Every connection to an office's store runs these (benchmarks reuse them for their
#: baselines, so a baseline is tuned like the store it is compared with).
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    # FULL: a commit is on disk when it returns, power cut included.
    "PRAGMA synchronous=FULL",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-32000",
)


def _make_engine(path: Path, begin: str) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (pysqlite's implicit BEGIN is deferred and late).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in PRAGMAS:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


class Database:
    """One office's SQLite file with a writer and a reader engine."""

    def __init__(self, path: Path, *, migrate: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = _make_engine(self.path, "BEGIN IMMEDIATE")
        self.reader = _make_engine(self.path, "BEGIN")
        self._write_sessions = sessionmaker(self.writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.reader, expire_on_commit=False)
        if migrate:
            upgrade_if_needed(self)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits on success, rolls back on any exception."""
        session = self._write_sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._read_sessions()
        try:
            yield session
        finally:
            # close() ends the transaction without expiring what was loaded, so
            # objects read here stay usable after the block.
            session.close()

    def integrity_check(self) -> list[str]:
        with self.reader.connect() as conn:
            rows = conn.execute(text("PRAGMA integrity_check")).fetchall()
        problems = [r[0] for r in rows]
        return [] if problems == ["ok"] else problems

    def dispose(self) -> None:
        self.writer.dispose()
        self.reader.dispose()


def raw(session: Session) -> Any:
    """The sqlite3 connection under the session's current transaction.

    For the few statements on the hot path of every user action (register
    numbers, history, audit, search queue): SQLAlchemy's statement machinery costs
    more than SQLite itself there. They run inside the same transaction.
    """
    return session.connection().connection.driver_connection


def db_time(value: Any) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (so both read it back the same)."""
    return str(value.strftime("%Y-%m-%d %H:%M:%S.%f"))


def open_database(path: Path, *, migrate: bool = True) -> Database:
    try:
        return Database(path, migrate=migrate)
    except StorageError:
        raise
    except Exception as exc:  # sqlite3.DatabaseError and friends: a damaged or foreign file
        if "file is not a database" in str(exc) or "malformed" in str(exc):
            raise StorageError(
                f"Tệp dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu Desk. "
                "Hãy khôi phục từ bản sao lưu (desk restore).",
                f"The data file {path} is damaged or not a Desk database. "
                "Restore it from a backup (desk restore).",
                code="db_damaged",
            ) from exc
        raise
