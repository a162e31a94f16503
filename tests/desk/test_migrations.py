from __future__ import annotations

import shutil
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from desk.migrations import HEAD_REVISION, alembic_config, current_revision
from desk.models import Base, Person
from desk.office import Office
from desk.services import registers
from desk.services.people import person_by_username

from .helpers import get, new_incoming

FIXTURE = Path(__file__).parent.parent / "data" / "desk-0001.sqlite3"


def test_head_revision_constant_matches_alembic(office: Office) -> None:
    script = ScriptDirectory.from_config(alembic_config(office.db))
    assert script.get_current_head() == HEAD_REVISION
    assert current_revision(office.db) == HEAD_REVISION


def test_models_and_migrations_describe_the_same_schema(office: Office) -> None:
    with office.db.writer.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_a_store_made_at_the_first_migration_opens_and_upgrades(tmp_path: Path) -> None:
    home = tmp_path / "old-office"
    home.mkdir()
    shutil.copy(FIXTURE, home / "desk.sqlite3")
    office = Office.open(home)
    try:
        assert current_revision(office.db) == HEAD_REVISION
        with office.db.read() as s:
            doc = get(s, 1)
            assert doc.subject.startswith("Quyết định về việc phê duyệt kế hoạch")
        # The old document is searchable (the index was built on open) …
        assert [h.id for h in office.search.search("phong chong thien tai")] == [1]
        # … and the register continues where it stopped.
        with office.db.write() as s:
            clerk = person_by_username(s, "vanthu")
        new_id = new_incoming(office, clerk.id)
        with office.db.write() as s:
            reg = registers.register_incoming(s, get(s, new_id), s.get(Person, clerk.id))
        assert (reg.year, reg.number) in {(2026, 2), (office_year(), 1)}
    finally:
        office.close()


def office_year() -> int:
    from desk.clock import today

    return today().year
