"""Fixtures of the hostile-input suite: the engine tests' offices and real server."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests.engine.conftest import CODES, NAMES, Site, make_site, server, sites  # noqa: E402,F401
