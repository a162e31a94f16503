"""Write the shipped calendar from the rules: ``python -m desk.workdays.generate``.

``--check`` compares instead of writing and exits 1 if the shipped file has
drifted from the rules (the test suite does the same).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk.workdays.datafile import SHIPPED_FILE, CalendarData, render
from desk.workdays.rules import year_rules

FIRST_YEAR = 2024
LAST_YEAR = 2035


def build(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> CalendarData:
    holidays = []
    working = []
    for year in range(first_year, last_year + 1):
        h, w = year_rules(year)
        holidays += h
        working += w
    return CalendarData(first_year, last_year, tuple(holidays), tuple(working))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sinh tệp lịch ngày nghỉ cài sẵn.")
    parser.add_argument("--output", type=Path, default=SHIPPED_FILE)
    parser.add_argument("--check", action="store_true",
                        help="chỉ so sánh, không ghi (mã thoát 1 nếu khác)")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} khác với quy tắc; chạy python -m desk.workdays.generate",
                  file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"Đã ghi {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
