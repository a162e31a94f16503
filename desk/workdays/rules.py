"""Days off of one year from Labour Code 2019 Art. 112 plus the official decisions.

What is computed here (and marked Basis.COMPUTED) is our default for a year
whose government notice is not known yet:
- Tết: the lunar New Year's eve (last day of month 12) and days 1–4, with nghỉ bù
  for those that fall on a weekend. The government usually announces a longer
  break built around these days; add it to official.py or calendar.toml.
- 2 September: the extra day is chosen as the governments of 2021–2026 did,
  the neighbour that joins the weekend (see _NATIONAL_DAY_EXTRA).
Not a day off: 24/11 (Ngày Văn hóa Việt Nam). Its status as a paid day off was
still pending a Labour Code amendment in the sources seen (vn-standards §5, [U]);
users add it in calendar.toml once it is confirmed.
"""

from __future__ import annotations

from datetime import date, timedelta

from desk.workdays import lunar
from desk.workdays.model import Basis, Holiday, Kind, WorkingWeekendDay, fmt
from desk.workdays.official import OFFICIAL, OfficialYear

LAW = "Bộ luật Lao động 2019, Điều 112"
LAW_COMP = "Bộ luật Lao động 2019, Điều 112 khoản 3 (nghỉ bù)"
DEFAULT = "Quy tắc mặc định của Desk, chờ thông báo chính thức"

_SATURDAY = 5
# Weekday of 2/9 (Mon=0) -> offset of the extra day. Observed: 2021 Thu→3/9,
# 2022 Fri→1/9, 2023 Sat→1/9, 2024 Mon→3/9, 2025 Tue→1/9, 2026 Wed→1/9.
# Sunday: 1/9 would be a Saturday, so 3/9 (plus nghỉ bù for 2/9).
_NATIONAL_DAY_EXTRA = {0: 1, 1: -1, 2: -1, 3: 1, 4: -1, 5: -1, 6: 1}


def is_weekend(day: date) -> bool:
    return day.weekday() >= _SATURDAY


def _tet_label(day: date, tet: date) -> str:
    if day >= tet:
        return f"Tết Nguyên đán (mùng {(day - tet).days + 1})"
    month_start = lunar.last_month_start_before(day)
    return f"Tết Nguyên đán ({(day - month_start).days + 1} tháng Chạp)"


def _tet_days(year: int, official: OfficialYear | None) -> list[Holiday]:
    tet = lunar.tet(year)
    if official is not None and official.tet_break is not None:
        first, last = official.tet_break
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        return [Holiday(d, _tet_label(d, tet), Kind.HOLIDAY, Basis.OFFICIAL, official.tet_source)
                for d in days]
    days = [tet + timedelta(days=i) for i in range(-1, 4)]
    return [Holiday(d, _tet_label(d, tet), Kind.HOLIDAY, Basis.COMPUTED,
                    f"{LAW}; {DEFAULT}: giao thừa và mùng 1–4") for d in days]


def _national_day(year: int, official: OfficialYear | None) -> list[Holiday]:
    main = date(year, 9, 2)
    days = [Holiday(main, "Quốc khánh (02/9)", Kind.HOLIDAY, Basis.STATUTORY, LAW)]
    if official is not None and official.national_day_extra is not None:
        extra = official.national_day_extra
        basis, source = Basis.OFFICIAL, official.national_day_source
    else:
        extra = main + timedelta(days=_NATIONAL_DAY_EXTRA[main.weekday()])
        basis, source = Basis.COMPUTED, f"{LAW}; {DEFAULT}: ngày liền kề nối với cuối tuần"
    days.append(Holiday(extra, f"Quốc khánh (nghỉ thêm {extra.day:02d}/9)", Kind.HOLIDAY,
                        basis, source))
    return days


def statutory_holidays(year: int, official: OfficialYear | None) -> list[Holiday]:
    """The holidays themselves, before nghỉ bù and swaps."""
    return sorted([
        Holiday(date(year, 1, 1), "Tết Dương lịch", Kind.HOLIDAY, Basis.STATUTORY, LAW),
        *_tet_days(year, official),
        Holiday(lunar.hung_kings_day(year), "Giỗ Tổ Hùng Vương (10/3 Âm lịch)", Kind.HOLIDAY,
                Basis.STATUTORY, LAW),
        Holiday(date(year, 4, 30), "Ngày Chiến thắng (30/4)", Kind.HOLIDAY, Basis.STATUTORY, LAW),
        Holiday(date(year, 5, 1), "Ngày Quốc tế Lao động (01/5)", Kind.HOLIDAY,
                Basis.STATUTORY, LAW),
        *_national_day(year, official),
    ])


def _compensatory(holidays: list[Holiday], official: OfficialYear | None) -> list[Holiday]:
    """Nghỉ bù: each holiday on a weekend moves to the next free weekday."""
    taken = {h.date for h in holidays}
    result: list[Holiday] = []
    for holiday in holidays:
        official_tet = (official is not None and official.tet_break is not None
                        and holiday.basis is Basis.OFFICIAL and holiday.name.startswith("Tết"))
        # An announced Tết break already is the government's whole decision.
        if not is_weekend(holiday.date) or official_tet:
            continue
        day = holiday.date + timedelta(days=1)
        while is_weekend(day) or day in taken:
            day += timedelta(days=1)
        taken.add(day)
        # Nghỉ bù is certain only when the holiday it replaces is.
        basis = Basis.COMPUTED if holiday.basis is Basis.COMPUTED else Basis.STATUTORY
        result.append(Holiday(day, f"Nghỉ bù: {holiday.name}, {fmt(holiday.date)}",
                              Kind.COMPENSATORY, basis, LAW_COMP))
    return result


def year_rules(year: int) -> tuple[list[Holiday], list[WorkingWeekendDay]]:
    """All days off (not plain weekends) and worked weekend days of ``year``."""
    official = OFFICIAL.get(year)
    holidays = statutory_holidays(year, official)
    by_date = {h.date: h for h in holidays}
    for extra in _compensatory(holidays, official):
        by_date[extra.date] = extra
    working: list[WorkingWeekendDay] = []
    for swap in official.swaps if official is not None else ():
        by_date[swap.day_off] = Holiday(
            swap.day_off, f"Nghỉ hoán đổi (làm bù {fmt(swap.worked)})", Kind.SWAP,
            Basis.OFFICIAL, swap.source)
        working.append(WorkingWeekendDay(
            swap.worked, f"Làm bù cho ngày {fmt(swap.day_off)}", Basis.OFFICIAL, swap.source))
    return sorted(by_date.values()), sorted(working)
