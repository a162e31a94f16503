"""Two processes register 500 documents each at the same moment: 1..1000, no gap, no repeat."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime

from sqlalchemy import insert, select

from desk.models import Document, DocumentEvent, RegisterEntry
from desk.office import Office

WORKER = textwrap.dedent("""
    import sys, time
    from desk.office import Office
    from desk.models import Document, Person
    from desk.services.registers import register_incoming
    home, clerk, first, count, start_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    from desk.paths import DataPaths
    o = Office(DataPaths.resolve(home), heal=False)
    while time.time() < start_at:
        time.sleep(0.001)
    for doc_id in range(first, first + count):
        with o.db.write() as s:
            register_incoming(s, s.get(Document, doc_id), s.get(Person, clerk))
        # A breath between transactions, as between two clerks' clicks: without it
        # SQLite's busy handler lets one process take every turn (still correct,
        # but then the test would not show the two interleaving).
        time.sleep(0.001)
    o.close()
""")


def test_two_processes_registering_at_once(office: Office, staff) -> None:
    n = 500
    now = datetime.now()
    with office.db.write() as s:
        s.execute(insert(Document), [dict(
            id=i, direction="in", state="received", doc_type="CV", subject=f"Văn bản số {i}",
            urgency=0, confidentiality=0, source="paper", created_at=now, updated_at=now)
            for i in range(1, 2 * n + 1)])
        s.execute(insert(DocumentEvent), [dict(
            document_id=i, at=now, action="receive", to_state="received") for i in range(1, 2 * n + 1)])
    import time

    start_at = time.time() + 2.0
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(office.paths.home), str(staff.clerk),
                               str(1 + k * n), str(n), str(start_at)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    with office.db.read() as s:
        entries = s.execute(select(RegisterEntry.number, RegisterEntry.document_id)).all()
    numbers = sorted(e.number for e in entries)
    assert numbers == list(range(1, 2 * n + 1))
    assert len({e.document_id for e in entries}) == 2 * n
    # Both processes really did interleave: each got numbers from the whole range.
    first_half = sorted(e.number for e in entries if e.document_id <= n)
    assert first_half[0] < n and first_half[-1] > n
