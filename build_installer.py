"""Build Desk for installation: a one-folder PyInstaller bundle (dist/Desk/).

    .venv/bin/pip install -e '.[build]'
    .venv/bin/python build_installer.py [--onefile] [--clean]

Run it on the platform you build for (PyInstaller does not cross-compile): on an
office's Windows PC build machine it produces ``dist/Desk/Desk.exe``; here, a Linux
binary. The bundle carries the resources (fonts, templates, icons, translations)
and every module that Desk loads lazily (signing, sync, the Qt app), and a
``desk`` console entry for the command line. SoftHSM2/token drivers, LibreOffice
and Tesseract stay outside the bundle: they are found on the machine at run time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENTRY = HERE / "build" / "desk_entry.py"


def _entry() -> Path:
    ENTRY.parent.mkdir(parents=True, exist_ok=True)
    ENTRY.write_text(
        "import sys\n"
        "from desk.cli.main import main\n"
        "if __name__ == '__main__':\n"
        "    # Without arguments the installed program opens the desktop window.\n"
        "    sys.exit(main(sys.argv[1:] or ['run']))\n",
        encoding="utf-8",
    )
    return ENTRY


def build(onefile: bool, clean: bool) -> Path:
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        sys.exit("PyInstaller is not installed: .venv/bin/pip install -e '.[build]'")
    sep = ";" if sys.platform == "win32" else ":"
    args = [
        str(_entry()),
        "--name", "Desk",
        "--noconfirm",
        "--distpath", str(HERE / "dist"),
        "--workpath", str(HERE / "build" / "pyinstaller"),
        "--specpath", str(HERE / "build"),
        "--add-data", f"{HERE / 'resources'}{sep}resources",
        "--add-data", f"{HERE / 'desk' / 'migrations'}{sep}desk/migrations",
        "--add-data", f"{HERE / 'desk' / 'workdays' / 'vn_calendar.toml'}{sep}desk/workdays",
        # Modules imported lazily (importlib / inside functions) must be named.
        "--collect-submodules", "desk",
        "--collect-submodules", "signing",
        "--collect-submodules", "sync",
        "--collect-submodules", "ui",
        "--collect-submodules", "alembic",
        "--collect-data", "pyhanko",
        "--collect-data", "pyhanko_certvalidator",
        "--collect-binaries", "pypdfium2_raw",
        "--collect-binaries", "tantivy",
        "--hidden-import", "keyrings.alt.file",
        "--onefile" if onefile else "--onedir",
    ]
    if sys.platform == "win32":
        args += ["--icon", str(HERE / "resources" / "icons" / "desk.ico")] if (
            HERE / "resources" / "icons" / "desk.ico").exists() else []
    if clean:
        args.append("--clean")
    pyinstaller.run(args)
    out = HERE / "dist" / ("Desk.exe" if onefile and sys.platform == "win32" else "Desk")
    return out


def smoke(out: Path) -> None:
    """Run the built program once: it must start and answer on its own."""
    exe = out / "Desk" if out.is_dir() else out
    if sys.platform == "win32" and out.is_dir():
        exe = out / "Desk.exe"
    r = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=120)
    if r.returncode != 0 or "desk" not in r.stdout:
        sys.exit(f"the built program did not start:\n{r.stdout}\n{r.stderr}")
    print(f"built and started: {exe}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--onefile", action="store_true")
    ap.add_argument("--clean", action="store_true")
    ap.add_argument("--no-smoke", action="store_true")
    a = ap.parse_args()
    out = build(a.onefile, a.clean)
    if not a.no_smoke:
        smoke(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
