"""Locating the shipped resources (fonts, templates, icons, translations).

Three layouts, tried in this order:

* frozen (PyInstaller): ``<bundle>/resources``;
* installed from a wheel: ``desk/_resources`` inside the package (setup.py copies
  the checkout's ``resources/`` there when it builds);
* a checkout or an editable install: ``resources/`` beside the ``desk`` package.
"""

from __future__ import annotations

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
