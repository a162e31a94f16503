"""WorkCalendar: is a day a working day, and deadlines counted in working days.

A day is a working day when it is not a listed day off and it is either a
weekday (Mon–Fri) or a listed working weekend day (làm bù).

Years covered by the shipped file come from it; other years (1901–2099) are
computed from the same rules at first use, so a deadline never silently
ignores Tết. The user's file is applied on top of both.

Speed: per year, the working days are kept as a sorted list of ordinals, so
add_working_days and working_days_between are a couple of bisects.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from functools import lru_cache
from pathlib import Path

from desk.workdays import lunar
from desk.workdays.datafile import SHIPPED_FILE, CalendarData, read
from desk.workdays.model import CalendarError, Holiday, WorkingWeekendDay, fmt
from desk.workdays.override import Override, read_override
from desk.workdays.rules import year_rules


def _out_of_range(day: date) -> CalendarError:
    return CalendarError(
        f"Ngày {fmt(day)} nằm ngoài lịch hỗ trợ ({lunar.MIN_YEAR}–{lunar.MAX_YEAR}).",
        f"{fmt(day)} is outside the supported calendar ({lunar.MIN_YEAR}–{lunar.MAX_YEAR}).")


class WorkCalendar:
    """Working days for Vietnamese state offices (Mon–Fri, minus holidays, plus làm bù)."""

    def __init__(self, shipped: CalendarData, override: Override | None = None) -> None:
        self._shipped_years = range(shipped.first_year, shipped.last_year + 1)
        self._shipped_off: dict[int, list[Holiday]] = {}
        self._shipped_working: dict[int, list[WorkingWeekendDay]] = {}
        for h in shipped.holidays:
            self._shipped_off.setdefault(h.date.year, []).append(h)
        for w in shipped.working_days:
            self._shipped_working.setdefault(w.date.year, []).append(w)
        self._override = override or Override()
        self._off: dict[int, dict[date, Holiday]] = {}
        self._working_weekend: dict[int, dict[date, WorkingWeekendDay]] = {}
        self._working_ordinals: dict[int, list[int]] = {}
        self._check_removals()

    # -- building one year -------------------------------------------------

    def _base_year(self, year: int) -> tuple[list[Holiday], list[WorkingWeekendDay]]:
        if year in self._shipped_years:
            return self._shipped_off.get(year, []), self._shipped_working.get(year, [])
        return year_rules(year)

    def _load_year(self, year: int) -> None:
        # The ordinals are stored last, so a thread that sees them sees the
        # whole year (a cached calendar is shared by UI workers); at worst two
        # threads build the same year twice.
        if year in self._working_ordinals:
            return
        if not lunar.MIN_YEAR <= year <= lunar.MAX_YEAR:
            raise _out_of_range(date(max(1, min(year, 9999)), 1, 1))
        base_off, base_working = self._base_year(year)
        off = {h.date: h for h in base_off}
        working = {w.date: w for w in base_working}
        o = self._override
        for d in o.remove_off:
            off.pop(d, None)
        for d in o.remove_working:
            working.pop(d, None)
        off.update((h.date, h) for h in o.add_off if h.date.year == year)
        working.update((w.date, w) for w in o.add_working if w.date.year == year)
        # A user's day off wins over a shipped làm bù on the same date.
        for d in off:
            working.pop(d, None)
        self._off[year] = off
        self._working_weekend[year] = working
        self._working_ordinals[year] = self._ordinals(year, off, working)

    @staticmethod
    def _ordinals(year: int, off: dict[date, Holiday],
                  working: dict[date, WorkingWeekendDay]) -> list[int]:
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        off_ords = {d.toordinal() for d in off}
        extra = {d.toordinal() for d in working}
        # date.weekday() == (ordinal + 6) % 7
        return [o for o in range(first, last + 1)
                if o not in off_ords and ((o + 6) % 7 < 5 or o in extra)]

    def _check_removals(self) -> None:
        """A removal that matches nothing is almost surely a typo: say so."""
        for day in self._override.remove_off:
            if day not in {h.date for h in self._base_year(day.year)[0]}:
                raise self._nothing_to_remove(day, "ngày nghỉ", "day off")
        for day in self._override.remove_working:
            if day not in {w.date for w in self._base_year(day.year)[1]}:
                raise self._nothing_to_remove(day, "ngày làm bù", "working weekend day")

    def _nothing_to_remove(self, day: date, what_vi: str, what_en: str) -> CalendarError:
        where = f"Tệp lịch {self._override.path}" if self._override.path else "Tệp lịch"
        return CalendarError(
            f"{where}: {fmt(day)} không phải là {what_vi} trong lịch cài sẵn nên không thể bỏ; "
            f"hãy kiểm tra lại ngày.",
            f"{where}: {fmt(day)} is not a shipped {what_en}; nothing to remove.")

    def _year_ordinals(self, year: int) -> list[int]:
        self._load_year(year)
        return self._working_ordinals[year]

    # -- public API ---------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        self._load_year(day.year)
        if day in self._off[day.year]:
            return False
        return day.weekday() < 5 or day in self._working_weekend[day.year]

    def add_working_days(self, start: date, n: int) -> date:
        """The deadline n working days after ``start``.

        ``start`` itself is never counted, whether or not it is a working day:
        for n >= 1 the result is the n-th working day strictly after ``start``
        (a document assigned on Friday with n = 1 is due on Monday, or on the
        first working day after a holiday). n = 0 returns ``start`` unchanged
        (due the same day). Negative n is rejected.
        """
        if n < 0:
            raise CalendarError("Số ngày làm việc phải không âm.",
                                "The number of working days must not be negative.")
        if n == 0:
            return start
        year = start.year
        ordinals = self._year_ordinals(year)
        index = bisect_right(ordinals, start.toordinal()) + n - 1
        while index >= len(ordinals):
            index -= len(ordinals)
            year += 1
            if year > lunar.MAX_YEAR:
                raise _out_of_range(date(lunar.MAX_YEAR, 12, 31))
            ordinals = self._year_ordinals(year)
        return date.fromordinal(ordinals[index])

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b; negative (−count of b < d <= a) when b < a.

        So ``working_days_between(s, add_working_days(s, n)) == n`` and the
        answer for an overdue deadline (b before a) is negative.
        """
        if b < a:
            return -self.working_days_between(b, a)
        total = 0
        for year in range(a.year, b.year + 1):
            ordinals = self._year_ordinals(year)
            lo = bisect_right(ordinals, a.toordinal()) if year == a.year else 0
            hi = bisect_right(ordinals, b.toordinal()) if year == b.year else len(ordinals)
            total += hi - lo
        return total

    def holidays(self, year: int) -> list[Holiday]:
        """Days off of ``year`` other than plain weekends, by date (with Vietnamese names)."""
        self._load_year(year)
        return sorted(self._off[year].values())

    def working_weekend_days(self, year: int) -> list[WorkingWeekendDay]:
        """Saturdays/Sundays of ``year`` that are working days (làm bù)."""
        self._load_year(year)
        return sorted(self._working_weekend[year].values())

    def working_days_in_month(self, year: int, month: int) -> int:
        ordinals = self._year_ordinals(year)
        first = date(year, month, 1).toordinal()
        end = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)).toordinal()
        return bisect_left(ordinals, end) - bisect_left(ordinals, first)


@lru_cache(maxsize=8)
def _cached(user_file: Path | None, stamp: tuple[int, int] | None) -> WorkCalendar:
    override = read_override(user_file) if user_file is not None else None
    return WorkCalendar(read(SHIPPED_FILE), override)


def load_calendar(user_file: Path | None = None) -> WorkCalendar:
    """The shipped calendar merged with the user's file (if given and present).

    Cached per file path and its modification time and size, so editing the
    file takes effect on the next call without a restart. A path that does not
    exist means "no user changes". Raises CalendarError (Vietnamese message) for
    a bad user file.
    """
    stamp: tuple[int, int] | None = None
    if user_file is not None:
        user_file = user_file.expanduser().resolve()
        try:
            st = user_file.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
    return _cached(user_file, stamp)
