"""Two offices and a real exchange server on 127.0.0.1, for the outgoing tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.testing.server_proc import ServerProcess
from tests.engine.conftest import Site, make_site
from tests.support import pki


def pin(_req: object) -> str:
    return pki.USER_PIN


@pytest.fixture
def exchange(tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    with ServerProcess(tmp_path / "server") as srv:
        a, b = make_site(srv, tmp_path, "a"), make_site(srv, tmp_path, "b")
        yield a, b
        a.office.close()
        b.office.close()
