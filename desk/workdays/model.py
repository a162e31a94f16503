"""Value types of the working-day calendar and its one error type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desk.errors import ValidationError


class Kind(StrEnum):
    """Why a weekday is off."""

    HOLIDAY = "holiday"  # a public holiday of Labour Code 2019 Art. 112 (incl. the Tết break)
    COMPENSATORY = "compensatory"  # nghỉ bù: a holiday fell on a weekend
    SWAP = "swap"  # hoán đổi: a weekday off, worked back on a weekend day
    EXTRA = "extra"  # added by the user's calendar file


class Basis(StrEnum):
    """How sure the date is."""

    STATUTORY = "statutory"  # fixed by the Labour Code itself (a solar date or a lunar date)
    OFFICIAL = "official"  # taken from a government notice for that year
    COMPUTED = "computed"  # a default choice of ours, pending the government's yearly decision
    USER = "user"  # from the user's calendar file


@dataclass(frozen=True, order=True)
class Holiday:
    """A day off that is not an ordinary weekend (it may itself fall on a weekend)."""

    date: date
    name: str
    kind: Kind
    basis: Basis
    source: str


@dataclass(frozen=True, order=True)
class WorkingWeekendDay:
    """A Saturday (or Sunday) worked in exchange for a weekday off."""

    date: date
    name: str
    basis: Basis
    source: str


class CalendarError(ValidationError):
    """The calendar data (shipped or the user's file) is unusable, or a date is out of range."""

    code = "calendar_invalid"


def fmt(day: date) -> str:
    """dd/MM/yyyy, the house format for dates shown to users."""
    return day.strftime("%d/%m/%Y")
