"""Build hook: ship the checkout's ``resources/`` inside the wheel as ``desk/_resources``.

The project is described in pyproject.toml; this file only adds that copy, because
setuptools cannot map a top-level data folder into a package by configuration. An
editable install needs no copy: desk/resources.py finds ``resources/`` beside it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        src = HERE / "resources"
        if not src.is_dir():  # building from an sdist made without MANIFEST.in
            raise SystemExit("resources/ is missing: cannot build Desk without its fonts and templates")
        dest = Path(self.build_lib) / "desk" / "_resources"
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.ts"))


setup(cmdclass={"build_py": BuildPyWithResources})
