"""The exchange server's tables (SQLAlchemy Core): SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)

metadata = MetaData()

agencies = Table(
    "agencies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, unique=True),  # organisation ID (QCVN 102)
    Column("system_id", String(64), nullable=False, unique=True),
    Column("secret", String(200), nullable=False),
    Column("name", String(400), nullable=False, default=""),
    Column("pcode", String(64), nullable=False, default=""),
    Column("mail", String(200), nullable=False, default=""),
    Column("mobile", String(50), nullable=False, default=""),
    Column("fax", String(50), nullable=False, default=""),
    Column("old_code", String(64), nullable=False, default=""),
    # Codes (besides its own) this system may send as and read for: an integration centre.
    Column("send_for", Text, nullable=False, default=""),
    Column("axis_compat", Boolean, nullable=False, default=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("version", Integer, nullable=False, default=1),
    Column("modified_at", Float, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(40), primary_key=True),  # the DocId the axis API hands out
    Column("sender_code", String(64), nullable=False),
    Column("system_id", String(64), nullable=False),
    Column("message_type", String(10), nullable=False),  # edoc | status
    Column("service_type", String(20), nullable=False, default="eDoc"),
    Column("edxml_document_id", String(400), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("blob", String(200), nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("notation", String(100), nullable=False, default=""),
    Column("status_code", String(4), nullable=False, default=""),
    Column("created_at", Float, nullable=False),
    UniqueConstraint(
        "sender_code",
        "message_type",
        "edxml_document_id",
        "content_sha256",
        name="uq_document_once",
    ),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(40), ForeignKey("documents.id"), nullable=False, index=True),
    Column("receiver_code", String(64), nullable=False, index=True),
    Column("status", String(12), nullable=False, default="pending"),  # pending|processing|done|fail
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("received_at", Float, nullable=True),
    UniqueConstraint("doc_id", "receiver_code", name="uq_delivery"),
)

nonces = Table(
    "nonces",
    metadata,
    Column("system_id", String(64), primary_key=True),
    Column("nonce", String(64), primary_key=True),
    Column("seen_at", Float, nullable=False, index=True),
)

uploads = Table(
    "uploads",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("system_id", String(64), nullable=False),
    Column("length", BigInteger, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("used", Boolean, nullable=False, default=False),
    # Set in the same transaction that delivers the package: a sendEdoc repeated after a
    # lost reply (same upload id) answers with this DocId instead of failing.
    Column("doc_id", String(40), nullable=True),
)


# Codes the administrator lets a parent agency register (and delete) under itself.
delegations = Table(
    "delegations",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("parent_code", String(64), nullable=False, index=True),
    Column("created_at", Float, nullable=False),
)

# Every change to the directory: who did what to which code, when.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("actor", String(64), nullable=False),  # a system id, or "admin" for the CLI
    Column("action", String(40), nullable=False),
    Column("code", String(64), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
)

# The audit heads each office deposits (MACed with the office's own key, which the server
# never sees): the server cannot forge one, and an office whose log was cut back finds
# here the heads it had before. History is kept, up to audit_heads.MAX_PER_AGENCY each.
audit_heads = Table(
    "audit_heads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, index=True),  # the depositing agency
    Column("head_id", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("count", BigInteger, nullable=False),
    Column("at", String(40), nullable=False),  # the office's time, as MACed
    Column("mac", String(64), nullable=False),
    Column("received_at", Float, nullable=False),
    UniqueConstraint("code", "head_id", "hash", "mac", name="uq_audit_head"),
)


def log_event(conn: Connection, actor: str, action: str, code: str = "", detail: str = "") -> None:
    """Write one server audit entry in the caller's transaction."""
    import time

    conn.execute(audit_log.insert().values(at=time.time(), actor=actor[:64], action=action[:40],
                                           code=code[:64], detail=detail[:2000]))


def make_engine(url: str, *, durable: bool = True) -> Engine:
    """An engine on ``url``; ``durable=False`` skips the fsync per commit (SQLite only).

    The non-durable engine is for replay nonces: losing the last few on a power cut only
    reopens, for the freshness window, replays that idempotent delivery makes harmless.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN IMMEDIATE ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk when it returns; the server answers after it.
            cur.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # Take the write lock up front: concurrent senders queue instead of failing.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    else:
        engine = create_engine(url, pool_pre_ping=True)
    metadata.create_all(engine)
    if url.startswith("sqlite") and engine.url.database:
        from pathlib import Path

        from sync.server.secrets import make_private_files

        make_private_files(Path(engine.url.database))
    return engine


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    with engine.begin() as conn:
        yield conn
