from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desk import audit
from desk.office import Office

from .helpers import new_incoming


def _tamper(office: Office, sql: str) -> None:
    """What someone with the file could do: drop the guards and change rows."""
    with office.db.write() as s:
        s.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        s.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        s.execute(text(sql))


@pytest.fixture
def logged(office: Office, staff) -> Office:
    for _ in range(3):
        new_incoming(office, staff.clerk)
    return office


def test_an_untouched_log_verifies(logged: Office) -> None:
    with logged.db.read() as s:
        n, problems = audit.verify(s)
    assert n >= 8 and problems == []


def test_the_database_refuses_to_change_or_delete_entries(logged: Office) -> None:
    for sql in ("UPDATE audit_log SET actor='x' WHERE id=2", "DELETE FROM audit_log WHERE id=2"):
        with pytest.raises(DBAPIError, match="append-only"), logged.db.write() as s:
            s.execute(text(sql))


def test_an_edited_entry_is_found(logged: Office) -> None:
    with logged.db.read() as s:
        target = s.execute(text("SELECT min(id) FROM audit_log WHERE action = 'document.receive'")).scalar()
    _tamper(logged, f"UPDATE audit_log SET data = replace(data, 'phòng cháy', 'phòng lụt') WHERE id = {target}")
    with logged.db.read() as s:
        _, problems = audit.verify(s)
    assert [(p.entry_id, p.kind) for p in problems] == [(target, "edited")]


def test_a_deleted_entry_is_found(logged: Office) -> None:
    _tamper(logged, "DELETE FROM audit_log WHERE id = 4")
    with logged.db.read() as s:
        _, problems = audit.verify(s)
    assert [(p.entry_id, p.kind) for p in problems] == [(5, "missing")]


def test_removing_the_newest_entries_is_found(logged: Office) -> None:
    _tamper(logged, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    with logged.db.read() as s:
        _, problems = audit.verify(s)
    assert [p.kind for p in problems] == ["head"]


def test_rewriting_an_entry_and_its_hash_still_breaks_the_chain(logged: Office) -> None:
    with logged.db.read() as s:
        row = s.execute(text("SELECT * FROM audit_log WHERE id = 3")).mappings().one()
    from datetime import datetime

    at = datetime.fromisoformat(str(row["at"]))
    forged = audit.entry_hash(row["prev_hash"], at, "ke_gian", row["action"], row["entity"],
                              row["entity_id"], row["data"])
    _tamper(logged, f"UPDATE audit_log SET actor='ke_gian', hash='{forged}' WHERE id = 3")
    with logged.db.read() as s:
        _, problems = audit.verify(s)
    assert [(p.entry_id, p.kind) for p in problems] == [(4, "missing")]
