"""The Windows bugs the Wine lane found, pinned down by tests that also run on Linux.

Each runs for real under Wine (``make test-windows``); on Linux the ones that
depend on a Windows rule state that rule explicitly (say which call Windows
refuses) so the test still fails on the old code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import desk.blobs
from desk.backup import backup
from desk.office import Office
from signing.doctor import _no_token_line, run_doctor

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, env: dict[str, str], cwd: Path | None = None,
         python: str = sys.executable) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([python, "-m", "desk.cli.main", *args], capture_output=True,
                          env=env, cwd=cwd, timeout=300)


@pytest.mark.parametrize("encoding", ["cp1252", "cp1258", "ascii"])
def test_cli_writes_utf8_to_a_pipe_whatever_the_locale(tmp_path: Path, encoding: str) -> None:
    # Windows gives a pipe the ANSI code page; the frozen exe ignores PYTHONUTF8.
    env = dict(os.environ, DESK_HOME=str(tmp_path / "home"), PYTHONIOENCODING=encoding,
               PYTHONUTF8="0", LANG="C", LC_ALL="C", PYTHONPATH=str(ROOT))
    r = _cli("--help", env=env)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    assert "văn phòng điện tử" in r.stdout.decode("utf-8")
    r = _cli("show", "999999", env=env)  # an error message on stderr, in Vietnamese
    assert r.returncode == 2
    assert r.stderr.decode("utf-8").strip() == "Lỗi: Không tìm thấy văn bản #999999."


def test_backup_flushes_with_a_handle_windows_accepts(office: Office, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows' FlushFileBuffers refuses a handle opened read-only (PermissionError);
    # POSIX fsync does not care, so here the rule is checked on every fsync'd fd.
    real_fsync = os.fsync

    def windows_fsync(fd: int) -> None:
        import fcntl  # POSIX only: this branch never runs on Windows

        mode = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
        if mode == os.O_RDONLY and not os.path.isdir(f"/proc/self/fd/{fd}"):
            raise PermissionError(13, "FlushFileBuffers: handle opened read-only")
        real_fsync(fd)

    if sys.platform != "win32":
        monkeypatch.setattr(os, "fsync", windows_fsync)
    result = backup(office, tmp_path / "bk")
    assert result.path.is_file() and result.size > 0


def test_no_directory_fsync_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows cannot os.open() a directory; both the blob store and the exchange
    # server's store must leave the rename's durability to NTFS there.
    from sync.server import store

    assert store.fsync_dir is desk.blobs.fsync_dir  # one helper, not a copy
    if sys.platform != "win32":
        real_open = os.open

        def windows_open(path: str | os.PathLike[str], flags: int, *a: int) -> int:
            if os.path.isdir(path):
                raise PermissionError(13, "Access is denied", str(path))
            return real_open(path, flags, *a)

        monkeypatch.setattr(os, "name", "nt")
        monkeypatch.setattr(os, "open", windows_open)
    desk.blobs.fsync_dir(tmp_path)
    monkeypatch.undo()
    f = tmp_path / "x.bin"
    f.write_bytes(b"abc")
    f.chmod(0o644)
    desk.blobs.fsync_file(f)
    assert f.read_bytes() == b"abc"


def test_token_doctor_speaks_windows_on_windows() -> None:
    win = run_doctor(["/nonexistent/none.dll"], windows=True)
    text = win.render("en") + "\n" + run_doctor([], windows=True).render("en")
    assert "pcscd" not in text
    empty_win = run_doctor([], windows=True)
    if not empty_win.modules:  # no vendor DLL on this machine: the advice names where it goes
        vi, en = empty_win.render("vi"), empty_win.render("en")
        assert "System32" in en and "-bit" in en and "Windows certificate store" in en
        assert "System32" in vi and "kho chứng thư Windows" in vi
    lvl, vi, en = _no_token_line(True)
    assert lvl == "warn" and "pcscd" not in vi + en and "Smart Card" in en
    assert "pcscd" in _no_token_line(False)[2]


def test_generated_text_files_are_lf(tmp_path: Path) -> None:
    from sync.connection import Connection, save_connection

    path = save_connection(tmp_path, Connection(url="http://127.0.0.1:1/", agency="000.00.12.H49",
                                                verify=True))
    assert b"\r\n" not in path.read_bytes()
    attrs = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "* text=auto eol=lf" in attrs


@pytest.mark.slow
def test_installed_wheel_finds_its_resources(tmp_path: Path) -> None:
    """A non-editable install (wheel) carries resources/: `desk demo` renders PDFs with its font."""
    src = tmp_path / "src"
    # Build from a copy, so the checkout gets no build/ or egg-info from this test.
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".cache", "build", "dist", "tests", "bench", "*.egg-info", "__pycache__"))
    wheels = tmp_path / "wheels"
    # With a setuptools that builds wheels itself (>= 70.1) no isolated build env is needed.
    try:
        import setuptools

        isolation = [] if tuple(map(int, setuptools.__version__.split(".")[:2])) < (70, 1) else [
            "--no-build-isolation"]
    except ImportError:
        isolation = []
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation,
                        "-w", str(wheels), str(src)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    (wheel,) = wheels.glob("desk-*.whl")
    # A fresh venv that sees this interpreter's dependencies but not the checkout.
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                        str(target), str(wheel)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert (target / "desk" / "_resources" / "fonts" / "DeskSerif-Regular.ttf").is_file()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DESK_FONT_DIR")}
    env.update(PYTHONPATH=str(target), DESK_HOME=str(tmp_path / "office"))
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    where = subprocess.run([sys.executable, "-c", "import desk, signing.fonts as f; "
                            "print(desk.__file__); print(f.font_dir())"],
                           capture_output=True, text=True, env=env, cwd=elsewhere, timeout=120)
    assert where.stdout.splitlines()[0].startswith(str(target)), where.stdout + where.stderr
    assert where.stdout.splitlines()[1].startswith(str(target)), where.stdout
    r = _cli("demo", "--documents", "20", "--pdfs", "2", env=env, cwd=elsewhere)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    assert "20 văn bản" in r.stdout.decode("utf-8")


def test_times_new_roman_is_used_when_the_system_has_it(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    from desk.resources import document_font, font_path
    from signing.fonts import FontProgram

    fonts = tmp_path / "Fonts"
    fonts.mkdir()
    assert document_font(fonts_dir=fonts) is None  # → the bundled DeskSerif
    # A stand-in with Times New Roman's 2048 units/em (the real one is not on this machine).
    tnr = TTFont(str(font_path()))
    scale_upem(tnr, 2048)
    tnr.save(str(fonts / "times.ttf"))
    assert document_font(fonts_dir=fonts) == fonts / "times.ttf"
    assert document_font(bold=True, fonts_dir=fonts) is None
    # The stamp font takes it: rescaled to the 1000 units/em that PDF widths assume.
    bundled, system = FontProgram(font_path()), FontProgram(fonts / "times.ttf")
    text = "Ký bởi: Nguyễn Văn Ký, Thời gian: 01/12/2026"
    assert abs(system.text_width(text, 10) - bundled.text_width(text, 10)) < 0.5
    assert not system.missing(text)


def test_desk_editor_with_a_path_in_a_folder_with_spaces(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows: POSIX shlex ate the backslashes of DESK_EDITOR (C:\Python311\python.exe became
    # C:Python311python.exe) and the missing program was an unexpected error (exit 70).
    from desk.drafting.watch import open_in_word_processor
    from desk.errors import DeskError

    folder = tmp_path / "thư mục có dấu cách"
    folder.mkdir()
    script = folder / "editor.py"
    script.write_text("import sys; open(sys.argv[1] + '.seen', 'w').write('ok')\n", "utf-8")
    doc = folder / "dự thảo.docx"
    doc.write_bytes(b"x")
    monkeypatch.setenv("DESK_EDITOR", f'"{sys.executable}" "{script}"')
    proc = open_in_word_processor(doc)
    assert proc is not None and proc.wait(timeout=120) == 0
    assert (folder / "dự thảo.docx.seen").read_text() == "ok"
    monkeypatch.setenv("DESK_EDITOR", str(folder / "không có chương trình này.exe"))
    with pytest.raises(DeskError) as err:
        open_in_word_processor(doc)
    assert err.value.code == "no_opener"
