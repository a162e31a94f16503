"""Fixtures for the domain core: a real SQLite store in a temporary folder."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from desk.office import Office
from desk.services import people


@dataclass
class Staff:
    clerk: int
    leader: int
    specialist: int
    specialist2: int
    unit: int


@pytest.fixture
def staff(office: Office) -> Staff:
    with office.db.write() as s:
        people.init_office(s, "000.00.12.H49", "Ủy ban nhân dân huyện Tiên Yên", place="Tiên Yên",
                           notation="UBND")
        unit = people.add_unit(s, "Phòng Nội vụ", "NV")
        clerk = people.add_person(s, "vanthu", "Nguyễn Thị Lan", ["van_thu"], position="Văn thư")
        leader = people.add_person(s, "chutich", "Trần Văn Đức", ["lanh_dao"], position="Chủ tịch")
        sp = people.add_person(s, "cv.dat", "Lê Minh Đạt", ["chuyen_vien"], unit=unit)
        sp2 = people.add_person(s, "cv.ha", "Bùi Thu Hà", ["chuyen_vien"], unit=unit)
        return Staff(clerk.id, leader.id, sp.id, sp2.id, unit.id)
