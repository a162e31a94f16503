"""Issue 11, item 7: truncating the audit log, or editing records in the database, is found."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.windows import assert_private


def desk(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DESK_HOME=str(home))
    env.pop("DESK_USER", None)
    return subprocess.run([sys.executable, "-m", "desk.cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "office"
    assert desk(h, "demo", "--documents", "30", "--pdfs", "0").returncode == 0
    from datetime import date

    from desk.docpdf import PageSpec, render_to

    pdf = render_to(PageSpec("UBND TỈNH QUẢNG NINH", "SỞ Y TẾ", "88/SYT-NVY", "Hạ Long", date(2026, 11, 20),
                             "", "tăng cường phòng chống sốt xuất huyết", ["Đề nghị các đơn vị triển khai."],
                             "KT. GIÁM ĐỐC", "Phó Giám đốc", "Hoàng Văn Dũng"), tmp_path / "cv88.pdf")
    r = desk(h, "import", str(pdf), "--register")
    assert r.returncode == 0, r.stdout + r.stderr
    r = desk(h, "backup", str(tmp_path / "bk"))
    assert r.returncode == 0, r.stderr
    assert desk(h, "audit", "verify").returncode == 0
    return h


def _sql(home: Path, *statements: str) -> None:
    con = sqlite3.connect(str(home / "desk.sqlite3"))
    # Going around Desk: the triggers that refuse UPDATE/DELETE on the log go first.
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    for st in statements:
        con.execute(st)
    con.commit()
    con.close()


def _drop_triggers_then(home: Path, *statements: str) -> None:
    _sql(home, *statements)


def test_removing_the_newest_entries_and_rewriting_the_head_is_found(home: Path) -> None:
    con = sqlite3.connect(str(home / "desk.sqlite3"))
    last, = con.execute("SELECT max(id) FROM audit_log").fetchone()
    keep_id, keep_hash = con.execute("SELECT id, hash FROM audit_log WHERE id = ?", (last - 5,)).fetchone()
    con.close()
    _drop_triggers_then(home, f"DELETE FROM audit_log WHERE id > {keep_id}",
                        f"UPDATE meta SET value = '{{\"id\": {keep_id}, \"hash\": \"{keep_hash}\"}}' "
                        "WHERE key = 'audit_head'")
    r = desk(home, "audit", "verify")
    assert r.returncode == 1 and "bị cắt đuôi" in r.stdout, r.stdout + r.stderr


def test_emptying_the_log_is_found(home: Path) -> None:
    _drop_triggers_then(home, "DELETE FROM audit_log", "DELETE FROM meta WHERE key = 'audit_head'")
    r = desk(home, "audit", "verify")
    assert r.returncode == 1 and "removed" in r.stdout + desk(home, "--lang", "en", "audit", "verify").stdout


def test_the_backup_anchor_is_checked_too(home: Path, tmp_path: Path) -> None:
    (home / "audit-anchors.jsonl").unlink()  # the local anchors gone as well
    _drop_triggers_then(home, "DELETE FROM audit_log", "DELETE FROM meta WHERE key = 'audit_head'")
    bak = next((tmp_path / "bk").glob("*.deskbak"))
    r = desk(home, "audit", "verify", "--backup", str(bak))
    assert r.returncode == 1 and "bị cắt đuôi" in r.stdout


def test_editing_a_subject_or_a_register_number_in_the_database_is_found(home: Path) -> None:
    # Documents whose creation and registration went through the services (and so the chain).
    created = ("SELECT CAST(entity_id AS INTEGER) FROM audit_log WHERE action LIKE 'document.%' "
               "AND data LIKE '%subject%' LIMIT 1")
    registered = ("SELECT CAST(entity_id AS INTEGER) FROM audit_log WHERE action LIKE 'register.%' LIMIT 1")
    for edit, expect in ((f"UPDATE documents SET subject = 'Đã sửa lén' WHERE id = ({created})",
                          "subject of document"),
                         (f"UPDATE register_entries SET number = number + 1000 WHERE document_id = ({registered})",
                          "the audit log recorded")):
        con = sqlite3.connect(str(home / "desk.sqlite3"))
        assert con.execute(edit.replace("UPDATE", "SELECT 1 FROM", 1).split(" SET ")[0]).fetchone()
        con.close()
        _sql(home, edit)
        r = desk(home, "--lang", "en", "audit", "verify")
        assert r.returncode == 1 and expect in r.stdout, r.stdout


def test_the_audit_key_is_outside_the_database_and_private(home: Path) -> None:
    key = home / "keys" / "audit.key"
    assert_private(key)
    assert key.read_bytes().strip() not in (home / "desk.sqlite3").read_bytes()
