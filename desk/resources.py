"""Locating the shipped resources (fonts, templates, icons), in a checkout or a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def font_path(name: str = "DeskSerif-Regular.ttf") -> Path:
    return resources_dir() / "fonts" / name
