"""The lunar calendar against published Vietnamese dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desk.workdays import lunar

# Tết (1/1 lunar) in Vietnam; 2030 differs from the Chinese calendar (3/2).
TET = {
    2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1),
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
    2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26),
    2029: date(2029, 2, 13), 2030: date(2030, 2, 2), 2031: date(2031, 1, 23),
    2032: date(2032, 2, 11), 2033: date(2033, 1, 31), 2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}

# Giỗ Tổ Hùng Vương (10/3 lunar); 2023 had a leap 2nd month before it.
HUNG_KINGS = {
    2020: date(2020, 4, 2), 2021: date(2021, 4, 21), 2022: date(2022, 4, 10),
    2023: date(2023, 4, 29), 2024: date(2024, 4, 18), 2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
}


@pytest.mark.parametrize("year", sorted(TET))
def test_tet(year: int) -> None:
    assert lunar.tet(year) == TET[year]


def test_tet_2030_is_saturday_2_february_in_vietnam() -> None:
    tet = lunar.tet(2030)
    assert tet == date(2030, 2, 2)
    assert tet.weekday() == 5
    # The new moon is late on 2/2 in UTC+7 but already 3/2 in UTC+8.
    jd = lunar.new_moon_jd_ut(373 - 1)
    moment = datetime(1970, 1, 1) + timedelta(days=jd - 2440587.5)
    assert (moment + timedelta(hours=7)).date() == date(2030, 2, 2)
    assert (moment + timedelta(hours=8)).date() == date(2030, 2, 3)


@pytest.mark.parametrize("year", sorted(HUNG_KINGS))
def test_hung_kings_day(year: int) -> None:
    assert lunar.hung_kings_day(year) == HUNG_KINGS[year]


def test_leap_months() -> None:
    found = {y: lunar.leap_month(y) for y in range(2017, 2036) if lunar.leap_month(y)}
    assert found == {2017: 6, 2020: 4, 2023: 2, 2025: 6, 2028: 5, 2031: 3, 2033: 11}


def test_known_new_moon_instant() -> None:
    # New moon of 15 Sep 2023 at 01:40 UTC (published ephemerides).
    jd = lunar.new_moon_jd_ut(293)
    moment = datetime(1970, 1, 1) + timedelta(days=jd - 2440587.5)
    assert abs(moment - datetime(2023, 9, 15, 1, 40)) < timedelta(minutes=3)


def test_month_lengths_and_bad_day() -> None:
    for year in range(2020, 2036):
        eve = lunar.tet(year) - timedelta(days=1)
        month12 = lunar.last_month_start_before(eve)
        assert (lunar.tet(year) - month12).days in (29, 30)
    # Month 12 of Ất Tỵ (before Tết 2026) has 29 days: 16/2/2026 is its last day.
    assert lunar.lunar_to_solar(2025, 12, 29) == date(2026, 2, 16)
    with pytest.raises(ValueError):
        lunar.lunar_to_solar(2025, 12, 30)
    with pytest.raises(ValueError):
        lunar.tet(1800)
