"""Vietnamese lunisolar calendar: the few lunar dates that decide public holidays.

The Vietnamese calendar follows the same rules as the Chinese one, but days are
counted in Vietnamese civil time (UTC+7) instead of Beijing time (UTC+8). A new
moon between 23:00 and 24:00 UTC+7 therefore starts a month one day earlier in
Vietnam (Tết 2030 is 2 Feb in Vietnam, 3 Feb in China). This is the approach of
Hồ Ngọc Đức's well-known calendar; the astronomy below is written from
J. Meeus, *Astronomical Algorithms* (2nd ed.): chapter 49 (new moons, with the
planetary corrections) and chapter 25 (apparent solar longitude, low accuracy,
about 0.01°, i.e. a quarter of an hour in the time of a solar term).

The rules used:
- a lunar month begins on the local day of a new moon;
- month 11 is the month that contains the December solstice (sun at 270°);
- if 13 new moons separate two months 11, the first month after the earlier
  month 11 that contains no major solar term (sun at a multiple of 30°) is the
  leap month and repeats the number of the month before it;
- a term "falls in" a month when it happens between the local midnights that
  start the month and the next one (a day-based test, as the civil calendar does).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache

TIME_ZONE_HOURS = 7.0
MIN_YEAR = 1901
MAX_YEAR = 2099

_J2000 = 2451545.0
_SYNODIC_MONTH = 29.530588861
_UNIX_EPOCH_JD = 2440587.5  # 1970-01-01T00:00 UT
_ORDINAL_OF_EPOCH = date(1970, 1, 1).toordinal()


def _sin(degrees: float) -> float:
    return math.sin(math.radians(degrees))


def _delta_t_days(year: float) -> float:
    """TT − UT (Espenak & Meeus polynomials), in days.

    A minute of error here moves a new moon by a minute; it matters only for a
    new moon within a minute of local midnight.
    """
    if year < 1920:
        t = year - 1900
        seconds = -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
    elif year < 1941:
        t = year - 1920
        seconds = 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    elif year < 1961:
        t = year - 1950
        seconds = 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    elif year < 1986:
        t = year - 1975
        seconds = 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    elif year < 2005:
        t = year - 2000
        seconds = (63.86 + 0.3345 * t - 0.060374 * t**2 + 0.0017275 * t**3
                   + 0.000651814 * t**4 + 0.00002373599 * t**5)
    elif year < 2050:
        t = year - 2000
        seconds = 62.92 + 0.32217 * t + 0.005589 * t**2
    else:
        u = (year - 1820) / 100
        seconds = -20 + 32 * u**2 - 0.5628 * (2150 - year)
    return seconds / 86400.0


# (coefficient, multiplier of M', of M, of F, of Ω, power of E) for the new-moon
# periodic terms of Meeus table 49.A.
_NEW_MOON_TERMS: tuple[tuple[float, int, int, int, int, int], ...] = (
    (-0.40720, 1, 0, 0, 0, 0),
    (0.17241, 0, 1, 0, 0, 1),
    (0.01608, 2, 0, 0, 0, 0),
    (0.01039, 0, 0, 2, 0, 0),
    (0.00739, 1, -1, 0, 0, 1),
    (-0.00514, 1, 1, 0, 0, 1),
    (0.00208, 0, 2, 0, 0, 2),
    (-0.00111, 1, 0, -2, 0, 0),
    (-0.00057, 1, 0, 2, 0, 0),
    (0.00056, 2, 1, 0, 0, 1),
    (-0.00042, 3, 0, 0, 0, 0),
    (0.00042, 0, 1, 2, 0, 1),
    (0.00038, 0, 1, -2, 0, 1),
    (-0.00024, 2, -1, 0, 0, 1),
    (-0.00017, 0, 0, 0, 1, 0),
    (-0.00007, 1, 2, 0, 0, 0),
    (0.00004, 2, 0, -2, 0, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 1, 1, -2, 0, 0),
    (0.00003, 2, 0, 2, 0, 0),
    (-0.00003, 1, 1, 2, 0, 0),
    (0.00003, 1, -1, 2, 0, 0),
    (-0.00002, 1, -1, -2, 0, 0),
    (-0.00002, 3, 1, 0, 0, 0),
    (0.00002, 4, 0, 0, 0, 0),
)

# (coefficient ×1e-6, constant, rate per lunation) of the planetary arguments A2..A14.
_PLANETARY_TERMS: tuple[tuple[float, float, float], ...] = (
    (165, 251.88, 0.016321),
    (164, 251.83, 26.651886),
    (126, 349.42, 36.412478),
    (110, 84.66, 18.206239),
    (62, 141.74, 53.303771),
    (60, 207.14, 2.453732),
    (56, 154.84, 7.306860),
    (47, 34.52, 27.261239),
    (42, 207.19, 0.121824),
    (40, 291.34, 1.844379),
    (37, 161.72, 24.198154),
    (35, 239.56, 25.513099),
    (23, 331.55, 3.592518),
)


def new_moon_jd_ut(k: int) -> float:
    """Julian day (UT) of true new moon number ``k`` (k = 0: 6 January 2000)."""
    t = k / 1236.85
    jde = (2451550.09766 + _SYNODIC_MONTH * k + 0.00015437 * t**2
           - 0.000000150 * t**3 + 0.00000000073 * t**4)
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    sun_anomaly = 2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3
    moon_anomaly = (201.5643 + 385.81693528 * k + 0.0107582 * t**2
                    + 0.00001238 * t**3 - 0.000000058 * t**4)
    latitude_arg = (160.7108 + 390.67050284 * k - 0.0016118 * t**2
                    - 0.00000227 * t**3 + 0.000000011 * t**4)
    node = 124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3
    correction = 0.0
    for coeff, n_mp, n_m, n_f, n_node, e_power in _NEW_MOON_TERMS:
        angle = n_mp * moon_anomaly + n_m * sun_anomaly + n_f * latitude_arg + n_node * node
        correction += coeff * e**e_power * _sin(angle)
    correction += 0.000325 * _sin(299.77 + 0.107408 * k - 0.009173 * t**2)
    for coeff, base, rate in _PLANETARY_TERMS:
        correction += coeff * 1e-6 * _sin(base + rate * k)
    jde += correction
    year = 2000 + k / 12.3685
    return jde - _delta_t_days(year)


def sun_longitude(jd_ut: float) -> float:
    """Apparent geocentric longitude of the sun, degrees in [0, 360)."""
    year = 2000 + (jd_ut - _J2000) / 365.25
    t = (jd_ut + _delta_t_days(year) - _J2000) / 36525
    mean_longitude = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    mean_anomaly = 357.52911 + 35999.05029 * t - 0.0001537 * t**2
    centre = ((1.914602 - 0.004817 * t - 0.000014 * t**2) * _sin(mean_anomaly)
              + (0.019993 - 0.000101 * t) * _sin(2 * mean_anomaly)
              + 0.000289 * _sin(3 * mean_anomaly))
    node = 125.04 - 1934.136 * t
    apparent = mean_longitude + centre - 0.00569 - 0.00478 * _sin(node)
    return apparent % 360.0


def _local_day(jd_ut: float) -> date:
    """The UTC+7 civil date of an instant."""
    days_since_epoch = jd_ut - _UNIX_EPOCH_JD + TIME_ZONE_HOURS / 24
    return date.fromordinal(_ORDINAL_OF_EPOCH + math.floor(days_since_epoch))


def _local_midnight_jd(day: date) -> float:
    return _UNIX_EPOCH_JD + (day.toordinal() - _ORDINAL_OF_EPOCH) - TIME_ZONE_HOURS / 24


def new_moon_day(k: int) -> date:
    """The local (UTC+7) day on which lunar month number ``k`` begins."""
    return _local_day(new_moon_jd_ut(k))


def _term_sector(day: date) -> int:
    """Which 30° sector the sun is in at the local midnight that starts ``day``."""
    return int(sun_longitude(_local_midnight_jd(day)) // 30)


def _lunation_before(day: date) -> int:
    """Number k of the last new moon whose local day is on or before ``day``."""
    jd = _local_midnight_jd(day)
    k = math.floor((jd - 2451550.09766) / _SYNODIC_MONTH) + 1
    while new_moon_day(k) > day:
        k -= 1
    while new_moon_day(k + 1) <= day:
        k += 1
    return k


def _month_eleven(year: int) -> int:
    """k of lunar month 11 of ``year``: the month holding the December solstice."""
    k = _lunation_before(date(year, 12, 31))
    # Sector 9 is 270°..300°: if the solstice is already past when this month
    # starts, the solstice lies in the month before.
    if _term_sector(new_moon_day(k)) >= 9:
        k -= 1
    return k


def _leap_offset(k11: int) -> int | None:
    """Offset from month 11 of the leap month that follows it, if any."""
    k11_next = _month_eleven(new_moon_day(k11).year + 1)
    if k11_next - k11 != 13:
        return None
    for offset in range(1, 13):
        start = _term_sector(new_moon_day(k11 + offset))
        end = _term_sector(new_moon_day(k11 + offset + 1))
        if start == end:
            return offset
    return None


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"lunar year {year} outside {MIN_YEAR}..{MAX_YEAR}")


@lru_cache(maxsize=512)
def lunar_to_solar(year: int, month: int, day: int) -> date:
    """Solar date of a non-leap lunar date (year, month 1..12, day 1..30).

    Raises ValueError for a day the lunar month does not have (a 29-day month
    has no day 30).
    """
    _check_year(year)
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"invalid lunar date {day}/{month}/{year}")
    # Months 11 and 12 of lunar year Y come after month 11 of solar year Y-1.
    k11 = _month_eleven(year - 1 if month < 11 else year)
    offset = month - 11 if month >= 11 else month + 1
    leap = _leap_offset(k11)
    if leap is not None and offset >= leap:
        offset += 1
    start = new_moon_day(k11 + offset)
    result = start + timedelta(days=day - 1)
    if result >= new_moon_day(k11 + offset + 1):
        raise ValueError(f"lunar month {month}/{year} has no day {day}")
    return result


def tet(year: int) -> date:
    """Tết Nguyên đán: 1/1 of the lunar year that starts in solar ``year``."""
    return lunar_to_solar(year, 1, 1)


def hung_kings_day(year: int) -> date:
    """Giỗ Tổ Hùng Vương: 10/3 lunar."""
    return lunar_to_solar(year, 3, 10)


def last_month_start_before(day: date) -> date:
    """Local start day of the lunar month that contains ``day``."""
    return new_moon_day(_lunation_before(day))


def leap_month(year: int) -> int | None:
    """Number of the leap month of lunar year ``year`` (None in a common year)."""
    _check_year(year)
    # A leap month at offset L after month 11 repeats month ((L + 9) % 12) + 1:
    # offsets 1 and 2 repeat months 11 and 12 of the same lunar year as that
    # month 11, offsets 3.. repeat months 1.. of the following lunar year.
    early = _leap_offset(_month_eleven(year - 1))
    if early is not None and early >= 3:
        return (early + 9) % 12 + 1
    late = _leap_offset(_month_eleven(year))
    if late is not None and late <= 2:
        return (late + 9) % 12 + 1
    return None
