from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desk import clock
from desk.errors import PermissionDenied, StateError
from desk.models import Person, RegisterEntry
from desk.office import Office
from desk.services.registers import register_incoming

from .helpers import get, new_incoming


def _register(office: Office, doc_id: int, person_id: int) -> int:
    with office.db.write() as s:
        return register_incoming(s, get(s, doc_id), s.get(Person, person_id)).number


def test_incoming_numbers_start_at_01_and_follow_on(office: Office, staff) -> None:
    ids = [new_incoming(office, staff.clerk, number=str(i)) for i in range(3)]
    assert [_register(office, i, staff.clerk) for i in ids] == [1, 2, 3]
    with office.db.read() as s:
        assert get(s, ids[0]).state == "registered"


def test_secret_documents_have_their_own_series(office: Office, staff) -> None:
    a = new_incoming(office, staff.clerk)
    b = new_incoming(office, staff.clerk, confidentiality=1)
    c = new_incoming(office, staff.clerk)
    assert [_register(office, i, staff.clerk) for i in (a, b, c)] == [1, 1, 2]
    with office.db.read() as s:
        series = dict(s.execute(select(RegisterEntry.document_id, RegisterEntry.series)).all())
    assert series == {a: "normal", b: "secret", c: "normal"}


def test_numbers_restart_from_01_on_1_january(office: Office, staff) -> None:
    a = new_incoming(office, staff.clerk)
    assert _register(office, a, staff.clerk) == 1
    now = clock.now()
    clock.set_offset(clock.datetime(now.year + 1, 1, 1, 7, 30) - now)
    b = new_incoming(office, staff.clerk)
    c = new_incoming(office, staff.clerk)
    assert [_register(office, b, staff.clerk), _register(office, c, staff.clerk)] == [1, 2]
    with office.db.read() as s:
        years = sorted({e.year for e in s.scalars(select(RegisterEntry))})
    assert years == [now.year, now.year + 1]


def test_registering_twice_is_refused(office: Office, staff) -> None:
    a = new_incoming(office, staff.clerk)
    _register(office, a, staff.clerk)
    with pytest.raises(StateError) as e:
        _register(office, a, staff.clerk)
    assert "Vào sổ đến" in str(e.value)


def test_only_a_clerk_registers(office: Office, staff) -> None:
    a = new_incoming(office, staff.clerk)
    with pytest.raises(PermissionDenied):
        _register(office, a, staff.specialist)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=25))
def test_numbers_never_gap_or_repeat_even_when_transactions_fail(tmp_path_factory, plan) -> None:
    """Each step registers a (secret?) document; some transactions then fail and roll back."""
    from desk.services import people

    office = Office.open(tmp_path_factory.mktemp("reg"))
    try:
        with office.db.write() as s:
            people.init_office(s, "000.00.12.H49", "UBND huyện")
            clerk = people.add_person(s, "vt", "Văn Thư", ["van_thu"]).id
        for secret, fail in plan:
            doc = new_incoming(office, clerk, confidentiality=1 if secret else 0)
            try:
                with office.db.write() as s:
                    register_incoming(s, get(s, doc), s.get(Person, clerk))
                    if fail:
                        raise RuntimeError("power cut before commit")
            except RuntimeError:
                pass
        with office.db.read() as s:
            entries = s.scalars(select(RegisterEntry)).all()
        for series in ("normal", "secret"):
            numbers = sorted(e.number for e in entries if e.series == series)
            assert numbers == list(range(1, len(numbers) + 1))
        assert len(entries) == sum(1 for _, fail in plan if not fail)
    finally:
        office.close()


def test_the_register_survives_a_process_kill_mid_transaction(office: Office, staff, tmp_path) -> None:
    """A registration interrupted by a hard kill (SIGKILL; TerminateProcess on Windows)
    leaves no number used."""
    import subprocess
    import sys
    import textwrap

    a = new_incoming(office, staff.clerk)
    from tests.support.crash import KILL_SELF_SRC, KILLED_RC

    script = KILL_SELF_SRC + textwrap.dedent(f"""
        from desk.office import Office
        from desk.models import Person
        from desk.services.registers import register_incoming
        from desk.models import Document
        o = Office.open({str(office.paths.home)!r})
        with o.db.write() as s:
            register_incoming(s, s.get(Document, {a}), s.get(Person, {staff.clerk}))
            s.flush()
            kill_self()
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert r.returncode == KILLED_RC, r.stderr
    b = new_incoming(office, staff.clerk)
    assert _register(office, b, staff.clerk) == 1
    assert _register(office, a, staff.clerk) == 2

