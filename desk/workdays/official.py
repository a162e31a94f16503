"""Yearly government decisions that the Labour Code leaves open.

Labour Code 2019 Art. 112 lets the government pick the five Tết days and the
day next to 2 September, and civil servants get yearly swaps (a weekday off, a
Saturday worked). Only what a notice decided belongs here; everything else is
computed in rules.py. Add a year here when its notice appears, then run
``python -m desk.workdays.generate`` (or tell users to add it to their own
calendar.toml until the next release).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SPEC = "vn-standards §5 (thông báo chính thức của Chính phủ/Bộ, theo báo chí)"
# 2024 and the 2025 Tết break are not in the project spec; they are the
# well-publicised MOLISA notices for those years, recalled here so that past
# deadlines come out right. Marked distinctly so a reviewer can check them.
RECALLED = "Thông báo của Bộ LĐ-TB&XH cho cán bộ, công chức (ngoài spec, cần đối chiếu)"


@dataclass(frozen=True)
class Swap:
    day_off: date
    worked: date
    source: str


@dataclass(frozen=True)
class OfficialYear:
    # The whole Tết break as announced (first and last day, weekends included).
    tet_break: tuple[date, date] | None = None
    tet_source: str = ""
    # The day next to 2/9 (1/9 or 3/9) as announced.
    national_day_extra: date | None = None
    national_day_source: str = ""
    swaps: tuple[Swap, ...] = ()


OFFICIAL: dict[int, OfficialYear] = {
    2024: OfficialYear(
        tet_break=(date(2024, 2, 8), date(2024, 2, 14)),
        tet_source=RECALLED,
        national_day_extra=date(2024, 9, 3),
        national_day_source=RECALLED,
        swaps=(Swap(date(2024, 4, 29), date(2024, 5, 4), RECALLED),),
    ),
    2025: OfficialYear(
        tet_break=(date(2025, 1, 25), date(2025, 2, 2)),
        tet_source=RECALLED,
        national_day_extra=date(2025, 9, 1),
        national_day_source=RECALLED,
        swaps=(
            Swap(date(2025, 1, 27), date(2025, 2, 8), RECALLED),
            Swap(date(2025, 5, 2), date(2025, 4, 26), SPEC),
        ),
    ),
    2026: OfficialYear(
        tet_break=(date(2026, 2, 14), date(2026, 2, 22)),
        tet_source=SPEC,
        # Off 29/8–2/9/2026: 1/9 is the extra day, 31/8 is the swap below.
        national_day_extra=date(2026, 9, 1),
        national_day_source=SPEC + "; 1/9 suy ra từ ngày hoán đổi 31/8",
        swaps=(
            Swap(date(2026, 1, 2), date(2026, 1, 10), SPEC),
            Swap(date(2026, 8, 31), date(2026, 8, 22), SPEC),
        ),
    ),
}
