"""The client killed (SIGKILL; TerminateProcess on Windows) between every pair of steps:
afterwards each office holds exactly one copy of the document and every status has arrived."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from desk.models import Document, OutboxItem
from desk.office import Office
from tests.support.crash import KILL_SELF_SRC, KILLED_RC

from .conftest import Site, doc, outgoing

# Where to die, and in which office: the child patches that function to kill itself.
POINTS = {
    "before_send": ("a", "sync.client.ExchangeClient.send_edoc", "before"),
    "sent_not_marked": ("a", "desk.services.exchange.sent", "before"),
    "downloaded_not_parsed": ("b", "sync.engine.inbox.parse_file", "before"),
    "files_stored_not_committed": ("b", "desk.services.intake.create_incoming", "before"),
    "committed_not_acknowledged": ("b", "sync.client.ExchangeClient.acknowledge", "before"),
    "status_built_not_sent": ("b", "sync.client.ExchangeClient.send_edoc", "before"),
}

CHILD = KILL_SELF_SRC + textwrap.dedent("""
    import importlib, sys
    home, url, code, secret, target = sys.argv[1:6]
    module_name, _, attr = target.rpartition(".")
    try:
        owner = importlib.import_module(module_name)
    except ModuleNotFoundError:
        mod, _, cls = module_name.rpartition(".")
        owner = getattr(importlib.import_module(mod), cls)
    setattr(owner, attr, kill_self)
    from desk.office import Office
    from sync.client import ExchangeClient
    from sync.engine import SyncEngine
    office = Office.open(home)
    SyncEngine(office, ExchangeClient(url, code, secret, retry_delay=0.05)).run_once()
    print("no crash")
""")


def run_child(site: Site, target: str) -> int:
    r = subprocess.run([sys.executable, "-c", CHILD, str(site.office.paths.home), site.url, site.code,
                        site.secret, target], capture_output=True, text=True, timeout=120)
    return r.returncode


def incoming(site: Site) -> list[Document]:
    with site.office.db.read() as s:
        return list(s.scalars(select(Document).where(Document.direction == "in")))


@pytest.mark.parametrize("point", list(POINTS))
def test_a_hard_kill_between_steps_loses_and_duplicates_nothing(sites: dict[str, Site], tmp_path: Path,
                                                             point: str) -> None:
    a, b = sites["a"], sites["b"]
    where, target, _ = POINTS[point]
    sent = outgoing(a, tmp_path, [b.code])
    if where == "b" and point != "status_built_not_sent":
        assert a.engine().run_once().sent == 1
    if point == "status_built_not_sent":
        a.engine().run_once()
        # B receives normally but dies when it sends 01 back.
        assert run_child(b, target) == KILLED_RC
    else:
        assert run_child(a if where == "a" else b, target) == KILLED_RC
    # Afterwards both offices simply carry on.
    for _ in range(2):
        # Reopen both stores as a restarted app would.
        a.office.close()
        b.office.close()
        a.office = Office.open(a.office.paths.home)
        b.office = Office.open(b.office.paths.home)
        a.engine().run_once()
        b.engine().run_once()
    a.engine().run_once()
    got = incoming(b)
    assert len(got) == 1, f"{point}: {len(got)} copies"
    assert got[0].edxml_document_id == doc(a, sent).edxml_document_id
    assert {r.status_code for r in doc(a, sent).recipients} == {"01"}
    for site in (a, b):
        with site.office.db.read() as s:
            assert [o.id for o in s.scalars(select(OutboxItem).where(OutboxItem.sent_at.is_(None)))] == []
    assert b.engine().client.received("edoc") == []
