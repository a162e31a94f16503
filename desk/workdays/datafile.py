"""The shipped calendar file: written by generate.py, read at run time.

TOML, one ``[[day_off]]`` / ``[[working_day]]`` table per date, sorted, with a
comment line per year so a reviewer can read it like a calendar.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desk.workdays.model import Basis, CalendarError, Holiday, Kind, WorkingWeekendDay

SHIPPED_FILE = Path(__file__).with_name("vn_calendar.toml")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class CalendarData:
    first_year: int
    last_year: int
    holidays: tuple[Holiday, ...]
    working_days: tuple[WorkingWeekendDay, ...]


def _s(text: str) -> str:
    # A JSON string without ASCII escaping is a valid TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def render(data: CalendarData) -> str:
    lines = [
        "# Lịch ngày nghỉ (Việt Nam) dùng để tính hạn xử lý theo ngày làm việc.",
        "# TỆP SINH TỰ ĐỘNG: đừng sửa tay. Sinh lại bằng `python -m desk.workdays.generate`",
        "# từ desk/workdays/rules.py và official.py. Người dùng bổ sung trong <DESK_HOME>/calendar.toml.",
        "# basis: statutory = theo Bộ luật Lao động; official = theo thông báo của năm đó;",
        "#        computed = mặc định của Desk, chờ thông báo chính thức.",
        "",
        f"format = {FORMAT_VERSION}",
        f"first_year = {data.first_year}",
        f"last_year = {data.last_year}",
    ]
    for year in range(data.first_year, data.last_year + 1):
        lines += ["", f"# ===== {year} ====="]
        for h in (h for h in data.holidays if h.date.year == year):
            lines += ["", "[[day_off]]", f"date = {h.date.isoformat()}", f"name = {_s(h.name)}",
                      f'kind = "{h.kind.value}"', f'basis = "{h.basis.value}"',
                      f"source = {_s(h.source)}"]
        for w in (w for w in data.working_days if w.date.year == year):
            lines += ["", "[[working_day]]", f"date = {w.date.isoformat()}",
                      f"name = {_s(w.name)}", f'basis = "{w.basis.value}"',
                      f"source = {_s(w.source)}"]
    return "\n".join(lines) + "\n"


def _bad(path: Path, detail: str) -> CalendarError:
    return CalendarError(f"Tệp lịch cài sẵn {path} bị hỏng: {detail}. Hãy cài lại Desk.",
                         f"The shipped calendar {path} is damaged: {detail}. Reinstall Desk.")


def _entries(raw: dict[str, Any], key: str) -> Iterable[dict[str, Any]]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise TypeError(key)
    return value


def parse(text: str, path: Path = SHIPPED_FILE) -> CalendarData:
    try:
        raw = tomllib.loads(text)
        if raw.get("format") != FORMAT_VERSION:
            raise _bad(path, f"format {raw.get('format')!r}")
        holidays = tuple(
            Holiday(e["date"], e["name"], Kind(e["kind"]), Basis(e["basis"]), e["source"])
            for e in _entries(raw, "day_off"))
        working = tuple(
            WorkingWeekendDay(e["date"], e["name"], Basis(e["basis"]), e["source"])
            for e in _entries(raw, "working_day"))
        first, last = int(raw["first_year"]), int(raw["last_year"])
    except (tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as exc:
        raise _bad(path, f"{type(exc).__name__}: {exc}") from exc
    dates = [h.date for h in holidays] + [w.date for w in working]
    if not all(isinstance(d, date) and not isinstance(d, datetime) for d in dates):
        raise _bad(path, "ngày không hợp lệ")
    return CalendarData(first, last, holidays, working)


def read(path: Path = SHIPPED_FILE) -> CalendarData:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _bad(path, str(exc)) from exc
    return parse(text, path)
