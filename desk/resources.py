"""Locating the shipped resources (fonts, templates, icons, translations).

Three layouts, tried in this order:

* frozen (PyInstaller): ``<bundle>/resources``;
* installed from a wheel: ``desk/_resources`` inside the package (setup.py copies
  the checkout's ``resources/`` there when it builds);
* a checkout or an editable install: ``resources/`` beside the ``desk`` package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGED = "_resources"


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    here = Path(__file__).resolve().parent
    packaged = here / PACKAGED
    if packaged.is_dir():
        return packaged
    return here.parent / "resources"


def font_path(name: str = "DeskSerif-Regular.ttf") -> Path:
    return resources_dir() / "fonts" / name


def windows_fonts_dir() -> Path | None:
    """``%WINDIR%\\Fonts`` on Windows, else None."""
    if sys.platform != "win32":
        return None
    return Path(os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows") / "Fonts"


def document_font(bold: bool = False, fonts_dir: Path | None = None) -> Path | None:
    """Times New Roman from the system when present (Decree 30 requires it), else None.

    ``fonts_dir`` defaults to Windows' font folder; callers fall back to the bundled
    Times-compatible DeskSerif (Liberation Serif metrics) when this returns None.
    """
    folder = fonts_dir if fonts_dir is not None else windows_fonts_dir()
    if folder is None:
        return None
    name = "timesbd.ttf" if bold else "times.ttf"
    for cand in (folder / name, folder / name.upper()):
        if cand.is_file():
            return cand
    return None
