"""Helpers shared by the CLI's commands: opening the office, who acts, printing tables."""

from __future__ import annotations

import argparse
import os
import shutil
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from desk.errors import ValidationError
from desk.i18n import t
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


def actor_id(office: Office, args: argparse.Namespace, role: Role | None = None) -> int:
    """The id of the person acting: ``--as USER``, else $DESK_USER, else the first person with
    ``role`` (checked to hold it)."""
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


# --- numeric options ----------------------------------------------------------------------
# Every numeric option is range-checked when it is parsed: a value SQLite cannot hold
# (over 2**63 - 1), a negative count or an absurd limit is a clear one-line error, never
# an overflow deep in a query. Options are bounded by name (``dest``); any other number
# gets the generic bounds, so an option added later is covered too.

SQLITE_MAX_INT = 2**63 - 1

INT_BOUNDS: dict[str, tuple[int, int]] = {
    "limit": (1, 100_000),
    "offset": (0, 1_000_000_000),
    "percent": (0, 100),
    "days": (0, 3650),
    "within": (0, 3650),
    "year": (1900, 9999),
    "port": (0, 65535),
    "max_body_mb": (1, 65536),
    "max_body": (1, 1 << 40),
    "documents": (0, 1_000_000),
    "pdfs": (0, 1_000_000),
}
INT_DEFAULT_BOUNDS = (0, SQLITE_MAX_INT)  # ids and counts

FLOAT_BOUNDS: dict[str, tuple[float, float]] = {
    "interval": (0.05, 86_400.0),
    "timeout": (1.0, 86_400.0),
    "seal_mm": (5.0, 100.0),
    "body_idle_s": (1.0, 86_400.0),
}
FLOAT_DEFAULT_BOUNDS = (0.0, 1e9)

_MAX_DIGITS = 30  # longer text is refused before int() sees it


def int_range(lo: int, hi: int) -> Any:
    """An argparse ``type`` for a whole number in [lo, hi], with a clear message."""

    def parse(text: str) -> int:
        s = text.strip()
        ok_shape = 0 < len(s) <= _MAX_DIGITS and (s.lstrip("+-").isdigit() and s.isascii())
        value = int(s) if ok_shape else None
        if value is None or not lo <= value <= hi:
            raise argparse.ArgumentTypeError(t(
                f"giá trị {text[:40]!r} không hợp lệ: cần một số nguyên từ {lo} đến {hi}",
                f"invalid value {text[:40]!r}: expected a whole number from {lo} to {hi}"))
        return value

    parse.__name__ = "int"
    return parse


def float_range(lo: float, hi: float) -> Any:
    """An argparse ``type`` for a finite number in [lo, hi]."""

    def parse(text: str) -> float:
        try:
            value = float(text) if len(text) <= _MAX_DIGITS else None
        except ValueError:
            value = None
        if value is None or not (lo <= value <= hi):  # NaN fails both comparisons
            raise argparse.ArgumentTypeError(t(
                f"giá trị {text[:40]!r} không hợp lệ: cần một số từ {lo:g} đến {hi:g}",
                f"invalid value {text[:40]!r}: expected a number from {lo:g} to {hi:g}"))
        return value

    parse.__name__ = "float"
    return parse


def bound_numeric_options(parser: argparse.ArgumentParser) -> None:
    """Give every ``type=int``/``type=float`` option of ``parser`` and its subcommands its bounds."""
    for action in parser._actions:
        if action.type is int:
            action.type = int_range(*INT_BOUNDS.get(action.dest, INT_DEFAULT_BOUNDS))
        elif action.type is float:
            action.type = float_range(*FLOAT_BOUNDS.get(action.dest, FLOAT_DEFAULT_BOUNDS))
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                bound_numeric_options(sub)
