"""Keeping resources/translations/desk_vi.ts in step with the code, and compiling it.

``python -m ui.translations`` collects every ``tr("...")`` literal in ui/ (the
same single "Desk" context the app uses), keeps the translations already in the
.ts, marks new strings unfinished, drops strings no longer used, and compiles
the .qm with pyside6-lrelease. Column headers passed to tr() through a variable
are listed in EXTRA.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "desk_vi.ts"
EXTRA = ("Number", "Date", "Type", "Subject", "Issued by", "Status", "Deadline", "Urgency")


def collect(folder: Path = ROOT / "ui") -> dict[str, str]:
    """source string → "file:line" of its first use."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    for s in EXTRA:
        found.setdefault(s, "ui/listmodel.py:0")
    return found


def existing(ts: Path = TS) -> dict[str, str]:
    if not ts.exists():
        return {}
    out = {}
    for msg in ET.parse(ts).getroot().iter("message"):
        src, tr_ = msg.findtext("source"), msg.find("translation")
        if src is not None and tr_ is not None and tr_.text and tr_.get("type") != "unfinished":
            out[src] = tr_.text
    return out


def write_ts(strings: dict[str, str], known: dict[str, str], ts: Path = TS) -> list[str]:
    """Write the .ts; returns the strings still waiting for a translation."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             '<TS version="2.1" language="vi_VN" sourcelanguage="en_GB">', "<context>", "    <name>Desk</name>"]
    missing = []
    for source, where in strings.items():
        file, line = where.rsplit(":", 1)
        text = known.get(source)
        if text is None:
            missing.append(source)
        attr = "" if text is not None else ' type="unfinished"'
        lines.append(f'    <message>\n        <location filename="../../{file}" line="{line}"/>\n'
                     f"        <source>{escape(source)}</source>\n"
                     f"        <translation{attr}>{escape(text or '')}</translation>\n    </message>")
    lines += ["</context>", "</TS>", ""]
    ts.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    return missing


def compile_qm(ts: Path = TS) -> None:
    tool = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    subprocess.run([tool, str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def main() -> int:
    missing = write_ts(collect(), existing())
    compile_qm()
    for s in missing:
        print(f"untranslated: {s!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
