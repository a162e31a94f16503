"""Issue 11, items 1 and 4 on a real server: directory authority, secrets at rest, the matrix."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import hostile
import httpx
import pytest

from sync.client import ExchangeClient
from sync.errors import ServerRefused, SyncError
from sync.testing.server_proc import ServerProcess
from tests.support.windows import assert_private

OWNER, OTHER, PARENT, ADMIN = "000.00.31.H49", "000.00.32.H49", "000.00.30.H49", "000.00.39.H49"
SENDER = "000.00.33.H49"
CHILD = "000.00.34.H49"  # delegated by the administrator to PARENT


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[ServerProcess, dict[str, str]]]:
    with ServerProcess(tmp_path / "srv") as srv:
        secrets = {c: srv.add_agency(c, f"Đơn vị {c}") for c in (OWNER, OTHER, SENDER)}
        secrets[PARENT] = srv.add_agency(PARENT, "Trung tâm", send_for=[OWNER])
        secrets[ADMIN] = srv.add_agency(ADMIN, "Quản trị", is_admin=True)
        yield srv, secrets


def _client(srv: ServerProcess, secrets: dict[str, str], who: str) -> ExchangeClient:
    if who == "none":
        return ExchangeClient(srv.url, OWNER, "not-the-secret-" + "x" * 20, retry_delay=0.01, max_stalls=1)
    code = {"owner": OWNER, "other": OTHER, "parent": PARENT, "admin": ADMIN}[who]
    return ExchangeClient(srv.url, code, secrets[code], retry_delay=0.01, max_stalls=1)


def _ok(fn: Callable[[], object]) -> bool:
    try:
        fn()
        return True
    except (ServerRefused, SyncError):
        return False


ROLES = ["owner", "other", "parent", "admin", "none"]
# endpoint -> the roles allowed (everything else must be refused)
MATRIX: dict[str, set[str]] = {
    "getReceivedEdocList(owner's mail)": {"owner", "parent"},
    "getEdoc": {"owner", "parent"},
    "downloadEdoc": {"owner", "parent"},
    "updateStatus(ack)": {"owner", "parent"},
    "sendEdoc(as owner)": {"owner", "parent"},
    "getSentEdocList(as sender)": set(),
    "getAgenciesList": {"owner", "other", "parent", "admin"},
    "synchronizeUnit": {"owner", "other", "parent", "admin"},
    "registerAgency(delegated child)": {"parent", "admin"},
    "registerAgency(take over OTHER)": set(),
    "deleteAgency(OTHER)": {"admin"},
    "depositAuditHead(its own)": {"owner", "other", "parent", "admin"},
    "listAuditHeads(owner's)": {"owner"},
}
HEAD = {"id": 3, "hash": "c" * 64, "count": 3, "at": "2026-12-02T03:00:00", "mac": "d" * 64}


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(world: tuple[ServerProcess, dict[str, str]], tmp_path: Path, role: str) -> None:
    srv, secrets = world
    srv.delegate(CHILD, PARENT)
    sender = ExchangeClient(srv.url, SENDER, secrets[SENDER])
    doc_id = sender.send_edoc(hostile.edoc(tmp_path, SENDER, OWNER, 1), to=[OWNER])
    owner_head = {**HEAD, "id": 9, "mac": "e" * 64}
    _client(srv, secrets, "owner").deposit_audit_head(owner_head)
    c = _client(srv, secrets, role)
    pkg = hostile.edoc(tmp_path / "own", OWNER, OTHER, 2)
    got = {
        "getReceivedEdocList(owner's mail)": _ok(lambda: c.received()) and any(
            i.doc_id == doc_id for i in c.received()),
        "getEdoc": _ok(lambda: c.get_edoc(doc_id)),
        "downloadEdoc": _ok(lambda: c.download(doc_id, tmp_path / f"dl-{role}.edxml")),
        "updateStatus(ack)": _ok(lambda: c.acknowledge(doc_id, "processing")),
        "sendEdoc(as owner)": _ok(lambda: c.send_edoc(pkg, from_code=OWNER, to=[OTHER])),
        "getSentEdocList(as sender)": _ok(lambda: c.sent()) and any(s.doc_id == doc_id for s in c.sent()),
        "getAgenciesList": _ok(lambda: c.agencies()),
        "synchronizeUnit": _ok(lambda: c.synchronize_units()),
        "registerAgency(delegated child)": _ok(lambda: c.register_agency(CHILD, "Xã", pcode=PARENT)),
        "registerAgency(take over OTHER)": _ok(lambda: c.register_agency(OTHER, "Chiếm mã", pcode=PARENT)),
        "deleteAgency(OTHER)": _ok(lambda: c.delete_agency(OTHER)),
        "depositAuditHead(its own)": _ok(lambda: c.deposit_audit_head(HEAD)),
        "listAuditHeads(owner's)": _ok(lambda: c.audit_heads(OWNER)) and any(
            h["mac"] == owner_head["mac"] for h in c.audit_heads(OWNER)),
    }
    want = {op: role in allowed for op, allowed in MATRIX.items()}
    assert got == want


def test_squatting_a_code_under_ones_own_parent_code_is_refused(world: tuple[ServerProcess, dict[str, str]]) -> None:
    srv, secrets = world
    parent = _client(srv, secrets, "parent")
    # OTHER's code, and a new code nobody delegated: both refused.
    for code in (OTHER, "000.00.35.H49"):
        with pytest.raises(ServerRefused) as ei:
            parent.register_agency(code, "Chiếm mã", pcode=PARENT)
        assert ei.value.error_code == "register_forbidden" or ei.value.code == "register_forbidden"
    # OTHER's mail stays OTHER's.
    assert {a.code for a in parent.agencies()} >= {OTHER}
    other = _client(srv, secrets, "other")
    assert other.received() == []


def test_deleting_an_agency_revokes_it_at_once_and_everywhere(world: tuple[ServerProcess, dict[str, str]],
                                                              tmp_path: Path) -> None:
    srv, secrets = world
    owner, parent, admin = (_client(srv, secrets, r) for r in ("owner", "parent", "admin"))
    assert owner.received() == []
    admin.delete_agency(OWNER)
    with pytest.raises(SyncError):
        owner.received()  # its own secret is dead
    # The parent that sent for it cannot any more either.
    pkg = hostile.edoc(tmp_path, OWNER, OTHER, 3)
    with pytest.raises(ServerRefused):
        parent.send_edoc(pkg, from_code=OWNER, to=[OTHER])
    # Only the administrator brings the code back, with a new secret.
    with pytest.raises(ServerRefused):
        parent.register_agency(OWNER, "Lấy lại", pcode=PARENT)
    new_secret = srv.add_agency(OWNER, "Đơn vị khôi phục")
    assert new_secret != secrets[OWNER]
    assert ExchangeClient(srv.url, OWNER, new_secret).received() == []


def test_directory_changes_are_in_the_server_audit_log(world: tuple[ServerProcess, dict[str, str]]) -> None:
    srv, secrets = world
    parent = _client(srv, secrets, "parent")
    srv.delegate(CHILD, PARENT)
    parent.register_agency(CHILD, "Xã", pcode=PARENT)
    with pytest.raises(ServerRefused):
        parent.register_agency(OTHER, "x", pcode=PARENT)
    db = sqlite3.connect(srv.db_url.removeprefix("sqlite:///"))
    rows = db.execute("SELECT actor, action, code FROM audit_log ORDER BY id").fetchall()
    db.close()
    assert ("admin", "agency.delegate", CHILD) in rows
    assert (PARENT, "agency.add", CHILD) in rows
    assert (PARENT, "agency.register_refused", OTHER) in rows


def test_secrets_are_sealed_at_rest_and_files_private(world: tuple[ServerProcess, dict[str, str]]) -> None:
    srv, secrets = world
    path = Path(srv.db_url.removeprefix("sqlite:///"))
    db = sqlite3.connect(path)
    stored = [r[0] for r in db.execute("SELECT secret FROM agencies")]
    db.close()
    assert stored and all(s.startswith("aesgcm1:") for s in stored)
    raw = path.read_bytes() + b"".join(p.read_bytes() for p in path.parent.glob(path.name + "-wal"))
    assert not any(s.encode() in raw for s in secrets.values())
    key = path.with_name(path.name + ".key")
    assert_private(key)
    assert_private(path)
    assert_private(path.parent, 0o700)
    # Still usable by their owners.
    assert _client(srv, secrets, "owner").received() == []


def test_a_400_digit_desk_time_is_refused_not_a_500(world: tuple[ServerProcess, dict[str, str]]) -> None:
    from sync import axis

    srv, secrets = world
    params = axis.desk_params({"servicetype": "eDoc", "messagetype": "edoc"})
    params[axis.DESK_TIME] = "9" * 400
    headers = axis.signed_headers(params, OWNER, secrets[OWNER])
    r = httpx.post(srv.url + "/getReceivedEdocList", headers=headers, content=b"{}")
    assert r.status_code < 500, (r.status_code, r.text)
    assert "auth_stale" in r.text
