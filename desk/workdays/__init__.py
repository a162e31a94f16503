"""Working-day calendar for deadlines (Vietnamese public holidays, Tết, nghỉ bù, làm bù).

Pure Python: no Qt, no database. See calendar.py for the definitions used by
``add_working_days`` and ``working_days_between``.
"""

from __future__ import annotations

from desk.workdays.calendar import WorkCalendar, load_calendar
from desk.workdays.model import Basis, CalendarError, Holiday, Kind, WorkingWeekendDay

__all__ = ["Basis", "CalendarError", "Holiday", "Kind", "WorkCalendar", "WorkingWeekendDay",
           "load_calendar"]
