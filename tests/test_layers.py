"""The layers of GUIDE.md, checked on the source: import-linter's contracts (pyproject.toml)
and no import loop between modules that once needed a late import to load.

Each check runs in a child process started in the tree's root, so that ``desk`` is the
application's package and not ``tests/desk`` (which pytest puts first on the path).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("desk", "signing", "sync", "ui")

# Pairs that imported each other (issue 14); a late import inside a function counts.
ONCE_LOOPED = [
    ("desk.db", "desk.migrations"),
    ("signing.pades", "signing.proof"),
    ("signing.report", "signing.verify"),
    ("ui.mainwindow", "ui.workflow_actions"),
]

_LINT = ("import sys; from importlinter.cli import lint_imports; "
         "raise SystemExit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")

_CHAINS = """
import json, sys, grimp
g = grimp.build_graph(*sys.argv[1].split(","), cache_dir=None)
pairs = json.loads(sys.argv[2])
print(json.dumps([[g.find_shortest_chain(importer=a, imported=b),
                   g.find_shortest_chain(importer=b, imported=a)] for a, b in pairs]))
"""


def _run(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(cwd))
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_import_contracts_kept() -> None:
    r = _run(_LINT, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_no_import_loop() -> None:
    r = _run(_CHAINS, ",".join(PACKAGES), json.dumps(ONCE_LOOPED), cwd=ROOT)
    assert r.returncode == 0, r.stderr
    for (a, b), (there, back) in zip(ONCE_LOOPED, json.loads(r.stdout), strict=True):
        assert there is None or back is None, f"{a} and {b} import each other: {there} / {back}"


def test_a_forbidden_import_is_caught(tmp_path: Path) -> None:
    """The contracts can fail: a copy of the tree in which desk imports ui breaks them."""
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "desk" / "leak.py").write_text("import ui.messages\n", encoding="utf-8")
    r = _run(_LINT, cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "desk.leak -> ui.messages" in r.stdout


# The front ends call desk.services: no transaction and no SQL of their own (issue 14).
FRONT_ENDS = ("desk/cli", "ui")
# A transaction, SQLAlchemy's select() (not a widget's .select()), raw SQL, or SQLAlchemy at all.
NO_DATA_ACCESS = re.compile(r"\.db\.(read|write)\(\)|(?<![\w.])(?<!def )select\(|\.execute\(|"
                            r"\b(SELECT|INSERT|UPDATE|DELETE)\b.*\b(FROM|INTO|SET)\b|"
                            r"^\s*(from|import) sqlalchemy")


def data_access(root: Path) -> list[str]:
    """Lines of the front ends' source under ``root`` that open a transaction or run SQL."""
    found = []
    for folder in FRONT_ENDS:
        for path in sorted((root / folder).rglob("*.py")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if NO_DATA_ACCESS.search(code):
                    found.append(f"{path.relative_to(root).as_posix()}:{n}: {line.strip()}")
    return found


def test_front_ends_open_no_transaction_and_run_no_sql() -> None:
    assert data_access(ROOT) == []


def test_a_transaction_in_a_front_end_is_caught(tmp_path: Path) -> None:
    """The check can fail: a CLI command that opens a read session is found."""
    for folder in FRONT_ENDS:
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "desk/cli/leak.py").write_text(
        "def cmd(office):\n    with office.db.read() as s:\n        return s.scalars(select(X))\n",
        encoding="utf-8")
    (tmp_path / "ui/fine.py").write_text("# office.db.write() in a comment is not code\n"
                                         "nav.select('search')\n", encoding="utf-8")
    (tmp_path / "ui/sql.py").write_text('Q = "SELECT id FROM documents"\nfrom sqlalchemy import text\n',
                                        encoding="utf-8")
    assert data_access(tmp_path) == ["desk/cli/leak.py:2: with office.db.read() as s:",
                                     "desk/cli/leak.py:3: return s.scalars(select(X))",
                                     'ui/sql.py:1: Q = "SELECT id FROM documents"',
                                     "ui/sql.py:2: from sqlalchemy import text"]
