"""What the suite cannot have under Windows, said the same way everywhere and counted.

Under Windows (the Wine lane, ``make test-windows``, or an office PC) a test that needs one
of these parts is skipped with the part's reason; the closing summary (tests/conftest.py)
counts the skips by part. Nothing else may be skipped there.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Parts no Debian or PyPI package gives for Windows.
WINDOWS_MISSING = {
    "softhsm2": "needs SoftHSM2 for Windows (the session's PKCS#11 tokens); none from Debian or PyPI",
    "poppler": "needs poppler for Windows (pdftoppm/pdfsig); none from Debian or PyPI",
    "qpdf": "needs qpdf for Windows; none from Debian or PyPI",
    "libreoffice": "needs LibreOffice for Windows; none from Debian or PyPI",
    "postgresql": "needs a PostgreSQL server for Windows; none from Debian or PyPI",
    "java": "needs a Java runtime for Windows (the axis SDK); none from Debian or PyPI",
    "tesseract": "needs Tesseract OCR for Windows and poppler's pdftoppm; none from Debian or PyPI",
}
# Behaviour that exists only on Linux (there is nothing to test on Windows).
LINUX_ONLY = {
    "display": "not applicable (Linux only): a Linux session can lack a display (no DISPLAY/WAYLAND_DISPLAY); "
               "a Windows desktop session always has one",
}
PREFIX = "Windows: "


def reason(part: str) -> str:
    return PREFIX + (WINDOWS_MISSING.get(part) or LINUX_ONLY[part])


def part_of(text: str) -> str | None:
    """The part a skip reason names (None for any other skip)."""
    for part in (*WINDOWS_MISSING, *LINUX_ONLY):
        if reason(part) in text:
            return part
    return None


def needs(part: str) -> None:
    """Skip the running test under Windows, where ``part`` cannot be had (see above).

    Called where a test is about to use the part, e.g. run poppler's ``pdfsig``.
    """
    if sys.platform == "win32":
        pytest.skip(reason(part))


def assert_private(path: Path, mode: int = 0o600) -> None:
    """``path`` is the user's alone.

    POSIX: its mode is ``mode`` (0600 for files, 0700 for folders). Windows has no such
    modes (``chmod`` only toggles read-only); there a file is private by lying inside the
    user's profile, whose ACL admits only that user, SYSTEM and administrators: Desk relies
    on that (desk.paths.make_private), so that is what is checked.
    """
    import os
    import stat

    assert path.exists(), path
    if sys.platform == "win32":
        profile = Path(os.environ["USERPROFILE"]).resolve()
        assert path.resolve().is_relative_to(profile), f"{path} is outside the profile {profile}"
    else:
        assert stat.S_IMODE(path.stat().st_mode) == mode, f"{path}: {oct(path.stat().st_mode)}"
