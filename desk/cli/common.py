"""Helpers shared by the CLI's commands: opening the office, who acts, printing tables."""

from __future__ import annotations

import argparse
import os
import shutil
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from desk.errors import ValidationError
from desk.i18n import t
from desk.models import Person
from desk.office import Office
from desk.reference import Role


def desktop_app() -> Any:
    """The desktop app's entry point (``ui.app.run_app``).

    The CLI is a front end, like the app: it may start it. The import is by name and
    late so that the core never loads Qt, and ``desk`` works where the app is absent.
    """
    import importlib

    return importlib.import_module("ui.app").run_app


def open_office(args: argparse.Namespace) -> Office:
    return Office.open(getattr(args, "home", None) or os.environ.get("DESK_HOME"))


def actor(session: Session, args: argparse.Namespace, role: Role | None = None) -> Person:
    """The person acting: ``--as USER``, else $DESK_USER, else the first person with the role."""
    from desk.services.people import default_person, person_by_username, require_role

    username = getattr(args, "user", None) or os.environ.get("DESK_USER")
    person = person_by_username(session, username) if username else default_person(session, role)
    if role is not None:
        require_role(person, role)
    return person


def actor_id(office: Office, args: argparse.Namespace, role: Role | None = None) -> int:
    """The id of the person acting (``--as USER``, $DESK_USER, or the first with ``role``)."""
    from desk.services.actions import resolve_actor

    return resolve_actor(office, getattr(args, "user", None) or os.environ.get("DESK_USER"), role)


def parse_date(value: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ValidationError(f"Ngày {value!r} không hợp lệ (dạng dd/mm/yyyy).",
                          f"Invalid date {value!r} (use dd/mm/yyyy).", code="bad_date")


def fmt_date(d: date | datetime | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def fmt_datetime(d: datetime | None) -> str:
    return d.strftime("%d/%m/%Y %H:%M") if d else ""


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cut(s: str, w: int) -> str:
    if _width(s) <= w:
        return s + " " * (w - _width(s))
    out = ""
    for c in s:
        if _width(out + c) > w - 1:
            break
        out += c
    return out + "…" + " " * (w - _width(out) - 1)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
                flex: int | None = None) -> None:
    """Print rows in aligned columns; column ``flex`` takes what is left of the terminal width."""
    cells = [[str(c) if c is not None else "" for c in r] for r in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    if flex is not None:
        total = shutil.get_terminal_size((120, 20)).columns
        others = sum(w + 2 for i, w in enumerate(widths) if i != flex)
        widths[flex] = max(20, min(widths[flex], total - others))
    print("  ".join(_cut(h, widths[i]) for i, h in enumerate(headers)).rstrip())
    print("  ".join("─" * w for w in widths))
    for r in cells:
        print("  ".join(_cut(c, widths[i]) for i, c in enumerate(r)).rstrip())


def ok(vi: str, en: str) -> None:
    print(t(vi, en))
