"""Properties of the deadline arithmetic over the whole supported range."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from desk.workdays import load_calendar

CAL = load_calendar(None)
starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2080, 12, 31))
counts = st.integers(min_value=1, max_value=400)


@settings(max_examples=300, deadline=None)
@given(starts, counts)
def test_deadline_is_a_later_working_day(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n)
    assert due > start
    assert CAL.is_working_day(due)


@settings(max_examples=300, deadline=None)
@given(starts, st.integers(min_value=0, max_value=400))
def test_between_inverts_add(start: date, n: int) -> None:
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@settings(max_examples=200, deadline=None)
@given(starts, counts, st.integers(min_value=0, max_value=30))
def test_monotonic(start: date, n: int, later: int) -> None:
    assert CAL.add_working_days(start, n) < CAL.add_working_days(start, n + 1)
    other = date.fromordinal(start.toordinal() + later)
    assert CAL.add_working_days(start, n) <= CAL.add_working_days(other, n)


@settings(max_examples=100, deadline=None)
@given(starts, st.integers(min_value=0, max_value=60))
def test_between_counts_working_days_one_by_one(start: date, span: int) -> None:
    end = date.fromordinal(start.toordinal() + span)
    expected = sum(CAL.is_working_day(date.fromordinal(o))
                   for o in range(start.toordinal() + 1, end.toordinal() + 1))
    assert CAL.working_days_between(start, end) == expected
    assert CAL.working_days_between(end, start) == -expected
