"""Language selection for the core's user-facing text.

The core speaks Vietnamese by default. Each user-facing string is written as a
pair ``t("tiếng Việt", "English")`` so that both languages live beside each other
in the source; the desktop app uses Qt translation files for its own widgets.
"""

from __future__ import annotations

import os

_SUPPORTED = ("vi", "en")
_language = os.environ.get("DESK_LANG", "vi") if os.environ.get("DESK_LANG") in _SUPPORTED else "vi"


def set_language(lang: str) -> None:
    global _language
    if lang not in _SUPPORTED:
        raise ValueError(f"unsupported language: {lang}")
    _language = lang


def language() -> str:
    return _language


def t(vi: str, en: str) -> str:
    """Pick the text for the current language."""
    return en if _language == "en" else vi
