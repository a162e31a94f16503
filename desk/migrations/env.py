"""Alembic environment: migrations run on the store's own writer engine."""

from __future__ import annotations

from alembic import context

from desk.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as connection:
        # Batch mode rebuilds tables (copy, drop, rename), which foreign keys would
        # refuse; SQLite only changes this setting outside a transaction, so it is
        # set on the raw connection before Alembic begins, and checked afterwards.
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
            )
            with context.begin_transaction():
                context.run_migrations()
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
            connection.commit()
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
