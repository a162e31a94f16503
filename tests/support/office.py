"""Fixtures for tests that work on one office's store: a real SQLite file in a temporary folder.

Import them in a conftest with ``from tests.support.office import home, office, reset_language_and_clock``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk import clock
from desk.i18n import set_language
from desk.office import Office


@pytest.fixture(autouse=True)
def reset_language_and_clock() -> Iterator[None]:
    set_language("vi")
    yield
    set_language("vi")
    clock.set_offset(clock.timedelta(0))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "office"
    monkeypatch.setenv("DESK_HOME", str(h))
    return h


@pytest.fixture
def office(home: Path) -> Iterator[Office]:
    o = Office.open(home)
    yield o
    o.close()
