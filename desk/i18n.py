"""Language selection for the core's user-facing text.

The core speaks Vietnamese by default. Each user-facing string is written as a
pair ``t("tiếng Việt", "English")`` so that both languages live beside each other
in the source; the desktop app uses Qt translation files for its own widgets.
"""

from __future__ import annotations

# One language state for every package: it lives beside the error protocol.
from signing.usertext import SUPPORTED, language, pick, set_language, t

__all__ = ["SUPPORTED", "language", "pick", "set_language", "t"]
