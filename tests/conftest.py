"""Suite-wide settings: no test may reach the user's real data folder or a network."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DESK_LANG"] = "vi"
