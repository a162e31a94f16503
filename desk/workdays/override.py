"""The user's calendar file (``<DESK_HOME>/calendar.toml``): next year's swaps, extra days off.

Example (dates as TOML dates or as "dd/mm/yyyy" strings)::

    # Hoán đổi 2027: nghỉ thứ Hai 03/5, làm bù thứ Bảy 08/5
    [[day_off]]
    date = "03/05/2027"
    name = "Nghỉ hoán đổi (làm bù 08/05/2027)"   # optional

    [[working_day]]
    date = 2027-05-08

    remove_day_off = ["03/09/2027"]       # a shipped day off that is not off after all
    remove_working_day = []               # a shipped working Saturday that was cancelled

Errors name the file, the entry and what to write instead, in Vietnamese.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desk.workdays import lunar
from desk.workdays.model import (
    Basis,
    CalendarError,
    Holiday,
    Kind,
    WorkingWeekendDay,
    fmt,
)

_KEYS = ("day_off", "working_day", "remove_day_off", "remove_working_day")
_ENTRY_KEYS = ("date", "name")
_WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


@dataclass(frozen=True)
class Override:
    add_off: tuple[Holiday, ...] = ()
    add_working: tuple[WorkingWeekendDay, ...] = ()
    remove_off: tuple[date, ...] = ()
    remove_working: tuple[date, ...] = ()
    path: Path | None = None


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.source = f"Tệp lịch của người dùng ({path})"

    def error(self, vi: str, en: str) -> CalendarError:
        return CalendarError(f"Tệp lịch {self.path}: {vi}", f"Calendar file {self.path}: {en}")

    def date_of(self, value: Any, where: str) -> date:
        if isinstance(value, date) and not hasattr(value, "hour"):
            day = value
        elif isinstance(value, str) and (m := _DMY.match(value) or _ISO.match(value)):
            parts = [int(p) for p in m.groups()]
            d, mo, y = parts if m.re is _DMY else parts[::-1]
            try:
                day = date(y, mo, d)
            except ValueError:
                raise self.error(f"{where}: ngày không tồn tại \"{value}\".",
                                 f"{where}: no such date \"{value}\".") from None
        else:
            raise self.error(
                f"{where}: ngày không hợp lệ {value!r}; hãy viết dạng \"31/12/2027\" hoặc 2027-12-31.",
                f"{where}: invalid date {value!r}; write \"31/12/2027\" or 2027-12-31.")
        if not lunar.MIN_YEAR <= day.year <= lunar.MAX_YEAR:
            raise self.error(
                f"{where}: năm {day.year} nằm ngoài {lunar.MIN_YEAR}–{lunar.MAX_YEAR}.",
                f"{where}: year {day.year} outside {lunar.MIN_YEAR}–{lunar.MAX_YEAR}.")
        return day

    def entries(self, raw: dict[str, Any], key: str) -> list[tuple[date, str | None]]:
        items = raw.get(key, [])
        if not isinstance(items, list):
            raise self.error(f"\"{key}\" phải là danh sách mục [[{key}]].",
                             f"\"{key}\" must be a list of [[{key}]] tables.")
        result = []
        for i, item in enumerate(items, start=1):
            where = f"mục [[{key}]] thứ {i}"
            if not isinstance(item, dict) or "date" not in item:
                raise self.error(f"{where} thiếu \"date\".", f"{where} has no \"date\".")
            unknown = sorted(set(item) - set(_ENTRY_KEYS))
            if unknown:
                raise self.error(f"{where}: khóa không hỗ trợ {', '.join(unknown)} "
                                 f"(chỉ dùng date, name).",
                                 f"{where}: unsupported keys {', '.join(unknown)}.")
            name = item.get("name")
            if name is not None and (not isinstance(name, str) or not name.strip()):
                raise self.error(f"{where}: \"name\" phải là chữ, không rỗng.",
                                 f"{where}: \"name\" must be non-empty text.")
            result.append((self.date_of(item["date"], where), name))
        return result

    def dates(self, raw: dict[str, Any], key: str) -> list[date]:
        items = raw.get(key, [])
        if not isinstance(items, list):
            raise self.error(f"\"{key}\" phải là danh sách ngày, ví dụ [\"03/09/2027\"].",
                             f"\"{key}\" must be a list of dates.")
        return [self.date_of(v, f"\"{key}\" phần tử thứ {i}")
                for i, v in enumerate(items, start=1)]


def _no_duplicates(reader: _Reader, days: list[date], key: str) -> None:
    seen: set[date] = set()
    for day in days:
        if day in seen:
            raise reader.error(f"ngày {fmt(day)} ghi hai lần trong \"{key}\".",
                               f"{fmt(day)} appears twice in \"{key}\".")
        seen.add(day)


def _check(reader: _Reader, off: list[date], working: list[date],
           remove_off: list[date], remove_working: list[date]) -> None:
    for key, days in (("day_off", off), ("working_day", working),
                      ("remove_day_off", remove_off), ("remove_working_day", remove_working)):
        _no_duplicates(reader, days, key)
    for day in working:
        if day.weekday() < 5:
            raise reader.error(
                f"[[working_day]] {fmt(day)} là {_WEEKDAYS_VI[day.weekday()]}, vốn đã là ngày "
                f"làm việc; chỉ ghi thứ Bảy hoặc Chủ nhật được đi làm bù.",
                f"[[working_day]] {fmt(day)} is a weekday; list only weekend days worked.")
    for a, b, what in ((off, working, "vừa là ngày nghỉ vừa là ngày làm bù"),
                       (off, remove_off, "vừa được thêm vừa bị bỏ khỏi ngày nghỉ"),
                       (working, remove_working, "vừa được thêm vừa bị bỏ khỏi ngày làm bù")):
        both = sorted(set(a) & set(b))
        if both:
            raise reader.error(f"ngày {fmt(both[0])} {what}.",
                               f"{fmt(both[0])} is listed in two conflicting places.")


def parse_override(text: str, path: Path) -> Override:
    reader = _Reader(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise reader.error(f"sai cú pháp TOML ({exc}).", f"not valid TOML ({exc}).") from None
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise reader.error(f"khóa không hỗ trợ: {', '.join(unknown)} "
                           f"(chỉ dùng {', '.join(_KEYS)}).",
                           f"unsupported keys: {', '.join(unknown)}.")
    off = reader.entries(raw, "day_off")
    working = reader.entries(raw, "working_day")
    remove_off = reader.dates(raw, "remove_day_off")
    remove_working = reader.dates(raw, "remove_working_day")
    _check(reader, [d for d, _ in off], [d for d, _ in working], remove_off, remove_working)
    return Override(
        add_off=tuple(Holiday(d, name or "Ngày nghỉ bổ sung", Kind.EXTRA, Basis.USER,
                              reader.source) for d, name in off),
        add_working=tuple(WorkingWeekendDay(d, name or "Ngày làm bù", Basis.USER, reader.source)
                          for d, name in working),
        remove_off=tuple(remove_off),
        remove_working=tuple(remove_working),
        path=path,
    )


def read_override(path: Path) -> Override:
    """Read the user's file; a file that does not exist means no changes."""
    if not path.exists():
        return Override()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarError(f"Không đọc được tệp lịch {path}: {exc}",
                            f"Cannot read calendar file {path}: {exc}") from None
    return parse_override(text, path)
