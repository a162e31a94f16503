"""The user's calendar.toml: adding swaps, removing days off, clear errors."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from desk.workdays import Basis, CalendarError, Kind, load_calendar


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_means_no_changes(tmp_path: Path) -> None:
    cal = load_calendar(tmp_path / "calendar.toml")
    assert not cal.is_working_day(date(2026, 1, 2))


def test_add_swap_for_next_year(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[[day_off]]
date = "04/05/2027"
name = "Nghỉ hoán đổi (làm bù 08/05/2027)"

[[working_day]]
date = 2027-05-08
""")
    base = load_calendar(None)
    assert base.is_working_day(date(2027, 5, 4)) and not base.is_working_day(date(2027, 5, 8))
    cal = load_calendar(path)
    assert not cal.is_working_day(date(2027, 5, 4))
    assert cal.is_working_day(date(2027, 5, 8))
    added = next(h for h in cal.holidays(2027) if h.date == date(2027, 5, 4))
    assert added.kind is Kind.EXTRA and added.basis is Basis.USER
    assert added.name == "Nghỉ hoán đổi (làm bù 08/05/2027)"
    # Friday 7/5 + 1 is now the working Saturday; Friday 30/4 + 1 skips 3/5 (nghỉ bù) and 4/5.
    assert cal.add_working_days(date(2027, 5, 7), 1) == date(2027, 5, 8)
    assert cal.add_working_days(date(2027, 4, 29), 1) == date(2027, 5, 5)
    assert base.add_working_days(date(2027, 4, 29), 1) == date(2027, 5, 4)


def test_remove_day_off_and_working_day(tmp_path: Path) -> None:
    path = _write(tmp_path, """
remove_day_off = ["03/09/2027"]
remove_working_day = [2026-01-10]
""")
    cal = load_calendar(path)
    assert cal.is_working_day(date(2027, 9, 3))
    assert not cal.is_working_day(date(2026, 1, 10))
    assert all(h.date != date(2027, 9, 3) for h in cal.holidays(2027))


def test_add_day_off_outside_shipped_years_and_24_november(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[[day_off]]
date = 2026-11-24
name = "Ngày Văn hóa Việt Nam"

[[day_off]]
date = 2040-06-01
""")
    cal = load_calendar(path)
    assert not cal.is_working_day(date(2026, 11, 24))
    assert not cal.is_working_day(date(2040, 6, 1))
    assert next(h for h in cal.holidays(2040) if h.date == date(2040, 6, 1)).name == \
        "Ngày nghỉ bổ sung"


def test_edit_takes_effect_without_restart(tmp_path: Path) -> None:
    path = _write(tmp_path, "")
    assert load_calendar(path).is_working_day(date(2027, 6, 1))
    path.write_text('[[day_off]]\ndate = "01/06/2027"\n', encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert not load_calendar(path).is_working_day(date(2027, 6, 1))


@pytest.mark.parametrize(("text", "needle"), [
    ('[[day_off]]\ndate = "31/02/2027"\n', "ngày không tồn tại \"31/02/2027\""),
    ('[[day_off]]\ndate = "2027/05/03"\n', "ngày không hợp lệ"),
    ('[[day_off]]\ndate = 20270503\n', "ngày không hợp lệ"),
    ("[[day_off]]\ndate = 2027-05-03T08:00:00\n", "ngày không hợp lệ"),
    ('[[day_off]]\nname = "x"\n', "thiếu \"date\""),
    ('[[day_off]]\ndate = 2027-05-03\nnote = "x"\n', "khóa không hỗ trợ note"),
    ("[[day_off]]\ndate = 2027-05-03\nname = 5\n", "\"name\" phải là chữ"),
    ("[[working_day]]\ndate = 2027-05-05\n", "là thứ Tư, vốn đã là ngày làm việc"),
    ("[[day_off]]\ndate = 2027-05-08\n[[working_day]]\ndate = 2027-05-08\n",
     "vừa là ngày nghỉ vừa là ngày làm bù"),
    ("[[day_off]]\ndate = 2027-05-03\n[[day_off]]\ndate = \"03/05/2027\"\n", "ghi hai lần"),
    ('remove_day_off = ["04/05/2027"]\n', "04/05/2027 không phải là ngày nghỉ"),
    ('remove_working_day = ["09/01/2027"]\n', "không phải là ngày làm bù"),
    ('remove_day_off = "03/09/2027"\n', "phải là danh sách ngày"),
    ('[[day_off]]\ndate = "01/01/2150"\n', "năm 2150 nằm ngoài"),
    ('ngay_nghi = []\n', "khóa không hỗ trợ: ngay_nghi"),
    ("[[day_off]\ndate = 2027-05-03\n", "sai cú pháp TOML"),
])
def test_invalid_file_gives_clear_vietnamese_error(tmp_path: Path, text: str,
                                                   needle: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(CalendarError) as info:
        load_calendar(path)
    message = str(info.value)
    assert needle in message
    assert message.startswith(f"Tệp lịch {path}: ")
    assert "\n" not in message.strip()
