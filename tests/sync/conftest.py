"""Fixtures for the exchange tests: one real server process per session, real SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sync_helpers import CENTRE, SAMPLE_FROM, SAMPLE_TO, A, B, C, Exchange

from sync.testing.server_proc import ServerProcess


@pytest.fixture(scope="session")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exchange]:
    folder = tmp_path_factory.mktemp("exchange")
    with ServerProcess(folder) as server:
        secrets = {code: server.add_agency(code, f"Đơn vị {code}") for code in (A, B, C)}
        secrets[CENTRE] = server.add_agency(CENTRE, "Trung tâm tích hợp", send_for=[A])
        for code in (SAMPLE_FROM, *SAMPLE_TO):
            secrets[code] = server.add_agency(code, code, axis_compat=True)
        yield Exchange(server, secrets)
