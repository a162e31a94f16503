"""Schema migrations (Alembic), run when a store is opened.

Opening a store must stay fast, so the current revision is compared with
``HEAD_REVISION`` first and Alembic is imported only when an upgrade is due
(a test checks that HEAD_REVISION is Alembic's head).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, text


class Store(Protocol):
    """What migrations need of a store: its reader and writer engines (desk.db.Database)."""

    reader: Engine
    writer: Engine

HEAD_REVISION = "0006_i10"
SCRIPT_LOCATION = Path(__file__).parent


def current_revision(db: Store) -> str | None:
    with db.reader.connect() as conn:
        has_table = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not has_table:
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def alembic_config(db: Store):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.attributes["engine"] = db.writer
    return cfg


def upgrade(db: Store, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(db), revision)


def upgrade_if_needed(db: Store) -> bool:
    """Bring the store to the current schema; returns True when a migration ran."""
    if current_revision(db) == HEAD_REVISION:
        return False
    upgrade(db)
    return True
