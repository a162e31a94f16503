"""The one protocol for what a user is told, shared by every package.

Text meant for a user is written as a pair, Vietnamese first (the default) and
English, and shown in the language chosen for the process. An expected failure
is a :class:`UserError`: a stable ``code`` (for logs, tests and scripts) and its
pair of texts; ``message()`` (or ``str()``) gives the text in the current
language, ``message("en")`` a given one. ``desk.errors.DeskError`` and
``signing.errors.SigningError`` both derive from it, and the desktop app shows
any of them through one function (``ui.messages.error``).

It lives in ``signing`` because signing imports none of the other packages while
all of them may import signing; ``desk.i18n`` re-exports the language functions.
"""

from __future__ import annotations

import os

SUPPORTED = ("vi", "en")
_language = os.environ.get("DESK_LANG", "vi") if os.environ.get("DESK_LANG") in SUPPORTED else "vi"


def set_language(lang: str) -> None:
    global _language
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language: {lang}")
    _language = lang


def language() -> str:
    return _language


def t(vi: str, en: str) -> str:
    """Pick the text for the current language."""
    return en if _language == "en" else vi


def pick(vi: str, en: str, lang: str | None = None) -> str:
    """The text for ``lang`` (the current language when None)."""
    return en if (lang or _language) == "en" else vi


class UserError(Exception):
    """An expected failure with a stable code and a message in Vietnamese and English."""

    code: str = "error"

    def __init__(self, vi: str, en: str, *, code: str | None = None) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en
        if code is not None:
            self.code = code

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang``, or in the current language when None."""
        return pick(self.vi, self.en, lang)

    def __str__(self) -> str:
        return self.message()
