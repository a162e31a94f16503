"""Issue 11, item 7: the exchange server keeps each office's audit heads (a real `desk serve`).

The office's sync rounds deposit its MACed audit head; `desk audit verify` reads them
back. Cutting the newest entries off the log and rewriting ``meta.audit_head`` AND the
local anchor file (even with the audit key in hand) is still reported as truncation.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk import audit_anchor
from sync.client import ExchangeClient
from sync.testing.server_proc import ServerProcess
from tests.engine.conftest import CODES, Site, make_site, outgoing


def _desk(home: Path, env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desk.cli.main", *args], capture_output=True, text=True,
                          env=dict(env, DESK_HOME=str(home)), input=stdin, timeout=300)


def _data_folder(folder: Path) -> dict[str, str]:
    """Where the child's keyring file lives: XDG_DATA_HOME on Linux, %LOCALAPPDATA% on
    Windows (keyring asks platformdirs, which ignores XDG there)."""
    return {"XDG_DATA_HOME": str(folder), "LOCALAPPDATA": str(folder)}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ, PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
             DESK_ALLOW_PLAINTEXT_KEYRING="1", **_data_folder(tmp_path / "xdg"))
    e.pop("DESK_USER", None)
    return e


def _truncate(home: Path, keep: int) -> None:
    """What a hostile insider does: cut the newest entries, rewrite the head and the anchors."""
    db = home / "desk.sqlite3"
    con = sqlite3.connect(str(db))
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    last, = con.execute("SELECT max(id) FROM audit_log").fetchone()
    keep_id, keep_hash = con.execute("SELECT id, hash FROM audit_log WHERE id = ?", (last - keep,)).fetchone()
    con.execute("DELETE FROM audit_log WHERE id > ?", (keep_id,))
    con.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'",
                (json.dumps({"id": keep_id, "hash": keep_hash}),))
    con.commit()
    con.close()
    # The local anchor file rewritten with a head of the cut log, MACed with the office's own
    # key: the insider had that too. Only the server's copies are out of reach.
    (home / audit_anchor.ANCHORS_FILE).write_text(json.dumps(audit_anchor.signed_head_of(db, home)) + "\n")


def test_truncation_is_found_through_the_servers_heads(tmp_path: Path, env: dict[str, str]) -> None:
    with ServerProcess(tmp_path / "srv") as srv:
        a: Site = make_site(srv, tmp_path, "a")
        make_site(srv, tmp_path, "b")
        home = a.office.paths.home
        try:
            first = a.engine().run_once()
            assert first.ok and first.head_anchored, first.errors
            outgoing(a, tmp_path, [CODES["b"]])
            second = a.engine().run_once()
            assert second.ok and second.sent == 1 and second.head_anchored, second.errors
            with a.office.db.read() as s:
                live = audit_anchor.signed_head(s, home)
        finally:
            a.office.close()
        held = ExchangeClient(srv.url, a.code, a.secret).audit_heads()
        assert [h["id"] for h in held][:1] == [live["id"]] and len(held) == 2

        r = _desk(home, env, "exchange", "connect", srv.url, "--agency", a.code, stdin=a.secret + "\n")
        assert r.returncode == 0, r.stdout + r.stderr
        r = _desk(home, env, "audit", "verify")
        assert r.returncode == 0, r.stdout + r.stderr
        assert "Đã so với 2 mốc nhật ký lưu trên trục liên thông" in r.stdout

        _truncate(home, keep=4)
        # Without the server, nothing is seen (that is the hole the server closes)...
        local_only = _desk(home, dict(env, **_data_folder(tmp_path / "no-keyring")), "audit", "verify")
        assert local_only.returncode == 0 and "KHÔNG lấy được" in local_only.stdout, local_only.stdout
        # ... and a sync round after the cut deposits the cut head, which hides nothing.
        from desk.office import Office

        office = Office.open(home)
        try:
            after = Site("a", a.code, office, a.secret, srv.url).engine().run_once()
            assert after.ok and after.head_anchored
        finally:
            office.close()
        r = _desk(home, env, "audit", "verify")
        assert r.returncode == 1 and "bị cắt đuôi" in r.stdout, r.stdout + r.stderr
        en = _desk(home, env, "--lang", "en", "audit", "verify")
        assert en.returncode == 1 and f"anchored at #{live['id']}" in en.stdout, en.stdout
        assert "kept by the exchange server" in en.stdout and "truncated" in en.stdout

    # The server is gone: verify says so plainly and uses the local anchors only.
    r = _desk(home, env, "--lang", "en", "audit", "verify")
    assert "COULD NOT get the audit heads from the exchange server" in r.stdout, r.stdout
    assert "this computer's and the backups' anchors only" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_an_office_reads_only_its_own_heads_and_bad_heads_are_refused(tmp_path: Path) -> None:
    from sync.errors import ServerRefused

    with ServerProcess(tmp_path / "srv") as srv:
        one, two = "000.00.41.H49", "000.00.42.H49"
        c1 = ExchangeClient(srv.url, one, srv.add_agency(one, "Một"))
        c2 = ExchangeClient(srv.url, two, srv.add_agency(two, "Hai"))
        head = {"id": 7, "hash": "a" * 64, "count": 7, "at": "2026-12-02T02:00:00", "mac": "b" * 64}
        assert c1.deposit_audit_head(head) is True
        assert c1.deposit_audit_head(head) is False  # the same head once
        assert c2.audit_heads() == []
        with pytest.raises(ServerRefused) as ei:
            c2.audit_heads(one)
        assert ei.value.code == "audit_heads_not_yours"
        assert [(h["id"], h["count"]) for h in c1.audit_heads()] == [(7, 7)]
        for bad in ({**head, "id": -1}, {**head, "id": "7"}, {**head, "hash": "x" * 64},
                    {**head, "mac": ""}, {**head, "at": "x" * 41}, {**head, "id": 0},
                    {k: v for k, v in head.items() if k != "mac"}, {**head, "count": 2**70}):
            with pytest.raises(ServerRefused) as ei:
                c1.deposit_audit_head(bad)
            assert ei.value.code == "bad_audit_head", bad
        assert len(c1.audit_heads()) == 1


def test_a_restore_supersedes_the_later_heads_it_does_not_read_as_truncation(
        tmp_path: Path, env: dict[str, str]) -> None:
    from desk.office import Office

    with ServerProcess(tmp_path / "srv") as srv:
        a: Site = make_site(srv, tmp_path, "a")
        make_site(srv, tmp_path, "b")
        home = a.office.paths.home
        try:
            assert a.engine().run_once().head_anchored
        finally:
            a.office.close()
        r = _desk(home, env, "backup", str(tmp_path / "bk"))
        assert r.returncode == 0, r.stderr
        office = Office.open(home)
        try:
            site = Site("a", a.code, office, a.secret, srv.url)
            outgoing(site, tmp_path, [CODES["b"]])
            assert site.engine().run_once().head_anchored  # a head newer than the backup
        finally:
            office.close()
        assert len(ExchangeClient(srv.url, a.code, a.secret).audit_heads()) == 2
        r = _desk(home, env, "exchange", "connect", srv.url, "--agency", a.code, stdin=a.secret + "\n")
        assert r.returncode == 0, r.stdout + r.stderr
        r = _desk(home, env, "restore", str(next((tmp_path / "bk").glob("*.deskbak"))))
        assert r.returncode == 0, r.stdout + r.stderr
        r = _desk(home, env, "--lang", "en", "audit", "verify")
        assert r.returncode == 0, r.stdout + r.stderr
        assert "1 anchors are older than the last restore of a backup" in r.stdout, r.stdout
        assert "Checked against 2 audit heads kept by the exchange server" in r.stdout
