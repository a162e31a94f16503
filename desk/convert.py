"""DOCX → PDF for signing: LibreOffice headless, or Microsoft Word through COM on Windows.

* LibreOffice runs as ``soffice --headless --convert-to pdf`` with a private
  profile folder (``-env:UserInstallation``), so it neither touches nor waits for
  the user's own LibreOffice. One profile serves one conversion at a time (a
  second soffice on a busy profile hands its job to the first and exits), so
  conversions sharing a profile are serialised by a lock. Fonts are embedded
  (LibreOffice always embeds the fonts it uses; ``EmbedStandardFonts`` also the
  base 14); ``pdfa=True`` asks for PDF/A-2b.
* Word (Windows, when installed and pywin32 is present) exports with
  ``ExportAsFixedFormat``; Word's only PDF/A switch is ``UseISO19005_1``, so with
  ``pdfa=True`` Word gives PDF/A-1b, not 2b.
* Times New Roman, which Decree 30 asks for, is not on a stock Linux machine;
  LibreOffice then uses the metric-compatible Liberation Serif (same widths, so
  the same line breaks and the same places for the number and date) and embeds
  it. ``pdf_fonts`` lists what a PDF embeds.

Every failure is a ``ConversionError`` with a Vietnamese message: no converter,
a damaged .docx, a converter that fails, a timeout, a cancel.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.errors import DeskError

DEFAULT_TIMEOUT = 120.0
Cancel = Callable[[], bool] | threading.Event


class ConversionError(DeskError):
    code = "convert_failed"


@dataclass(frozen=True)
class ConvertResult:
    pdf: Path
    backend: str  # "libreoffice" | "word"
    seconds: float


@dataclass(frozen=True)
class PdfFont:
    name: str
    subtype: str
    embedded: bool


def _is_windows() -> bool:
    return sys.platform == "win32"


def _cancelled(cancel: Cancel | None) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


# ---- finding a converter ----------------------------------------------------------------

def _known_soffice_paths() -> list[Path]:
    # On Linux soffice is on PATH when installed; elsewhere the installer does not add it.
    if _is_windows():
        roots = [os.environ.get(v) for v in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")]
        return [Path(r) / "LibreOffice" / "program" / "soffice.exe" for r in roots if r]
    if sys.platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return []


def find_soffice() -> Path | None:
    env = os.environ.get("DESK_SOFFICE")
    if env:
        return Path(env) if Path(env).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((p for p in _known_soffice_paths() if p.is_file()), None)


def word_available() -> bool:
    return _is_windows() and importlib.util.find_spec("win32com") is not None


def default_profile_dir() -> Path:
    """``$DESK_LO_PROFILE``, else a folder in the user's cache (kept: a warm profile starts faster)."""
    env = os.environ.get("DESK_LO_PROFILE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("Desk", appauthor=False)) / "lo-profile"


def _no_converter() -> ConversionError:
    return ConversionError(
        "Không tìm thấy chương trình chuyển DOCX sang PDF. Hãy cài LibreOffice "
        "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; Windows: libreoffice.org) "
        "hoặc Microsoft Word, hoặc đặt biến DESK_SOFFICE trỏ tới soffice.",
        "No DOCX to PDF converter found. Install LibreOffice (Debian/Ubuntu: apt-get install "
        "libreoffice-writer-nogui; Windows: libreoffice.org) or Microsoft Word, or set "
        "DESK_SOFFICE to the soffice program.", code="no_converter")


# ---- input and output checks ------------------------------------------------------------

def check_docx(src: Path) -> None:
    if not src.is_file():
        raise ConversionError(f"Không tìm thấy tệp {src}.", f"File not found: {src}.",
                              code="no_file")
    try:
        with zipfile.ZipFile(src) as z:
            z.getinfo("word/document.xml")
            bad = z.testzip()
    except (zipfile.BadZipFile, KeyError, OSError):
        bad = "?"
    if bad is not None:
        raise ConversionError(
            f"Tệp {src.name} bị hỏng hoặc không phải tài liệu Word (.docx).",
            f"{src.name} is damaged or not a Word (.docx) document.", code="bad_docx")


def _check_pdf(path: Path, src: Path, detail: str) -> None:
    ok = path.is_file() and path.stat().st_size > 0
    if ok:
        with open(path, "rb") as f:
            ok = f.read(5) == b"%PDF-"
    if not ok:
        raise ConversionError(
            f"Không chuyển được {src.name} sang PDF: tài liệu không mở được hoặc bị hỏng. {detail}".strip(),
            f"Could not convert {src.name} to PDF: the document cannot be opened or is damaged. "
            f"{detail}".strip(), code="convert_failed")


# ---- LibreOffice ------------------------------------------------------------------------

_profile_locks: dict[Path, threading.Lock] = {}
_profile_locks_guard = threading.Lock()


@contextmanager
def _profile_lock(profile: Path, deadline: float, timeout: float,
                  cancel: Cancel | None) -> Iterator[None]:
    """One conversion per profile, across threads and processes."""
    with _profile_locks_guard:
        tlock = _profile_locks.setdefault(profile, threading.Lock())
    while not tlock.acquire(timeout=0.05):
        _check_wait(deadline, timeout, cancel, None)
    try:
        profile.parent.mkdir(parents=True, exist_ok=True)
        with open(profile.with_name(profile.name + ".lock"), "a+b") as f:
            while not _try_file_lock(f):
                _check_wait(deadline, timeout, cancel, None)
                time.sleep(0.05)
            try:
                yield
            finally:
                _file_unlock(f)
    finally:
        tlock.release()


def _try_file_lock(f: Any) -> bool:
    try:
        if _is_windows():
            import msvcrt

            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _file_unlock(f: Any) -> None:
    if _is_windows():
        import msvcrt

        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    else:
        import fcntl

        fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _timeout_error(seconds: float) -> ConversionError:
    return ConversionError(
        f"Chuyển sang PDF quá {seconds:g} giây nên đã dừng. Hãy thử lại; nếu lặp lại, "
        "hãy đóng các cửa sổ LibreOffice/Word đang mở hoặc tăng thời gian chờ.",
        f"Conversion to PDF took longer than {seconds:g} s and was stopped. Try again; if it "
        "happens again, close open LibreOffice/Word windows or raise the timeout.",
        code="convert_timeout")


def _cancel_error() -> ConversionError:
    return ConversionError("Đã hủy chuyển sang PDF.", "Conversion to PDF was cancelled.",
                           code="convert_cancelled")


def _check_wait(deadline: float, timeout: float, cancel: Cancel | None,
                proc: subprocess.Popen[bytes] | None) -> None:
    if _cancelled(cancel):
        if proc is not None:
            _kill(proc)
        raise _cancel_error()
    if time.monotonic() > deadline:
        if proc is not None:
            _kill(proc)
        raise _timeout_error(timeout)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop soffice and the soffice.bin it started (its whole process group)."""
    try:
        if _is_windows():
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    if not _is_windows():
        # soffice.bin is a grandchild: wait until the group is gone, so the profile is free
        # for the next conversion (bounded: an unreaped zombie keeps the group listed).
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except (ProcessLookupError, PermissionError):
                break
            time.sleep(0.02)


def _filter(pdfa: bool) -> str:
    options: dict[str, dict[str, str]] = {
        "EmbedStandardFonts": {"type": "boolean", "value": "true"},
    }
    if pdfa:
        options["SelectPdfVersion"] = {"type": "long", "value": "2"}  # 2 = PDF/A-2b
    # JSON filter options on the command line: LibreOffice 7.4 and later.
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def _convert_libreoffice(soffice: Path, src: Path, out: Path, pdfa: bool, timeout: float,
                         cancel: Cancel | None, profile: Path) -> None:
    deadline = time.monotonic() + timeout
    out.parent.mkdir(parents=True, exist_ok=True)
    with _profile_lock(profile, deadline, timeout, cancel), \
            tempfile.TemporaryDirectory(prefix=".convert-", dir=out.parent) as tmp_name:
        tmp = Path(tmp_name)
        work = tmp / "document.docx"  # a plain name: soffice names its output after the input
        shutil.copyfile(src, work)
        outdir = tmp / "out"
        errlog = tmp / "soffice.log"
        cmd = [str(soffice), "--headless", "--norestore", "--nologo", "--nodefault",
               "--nolockcheck", f"-env:UserInstallation={profile.resolve().as_uri()}",
               "--convert-to", _filter(pdfa), "--outdir", str(outdir), str(work)]
        kwargs: dict[str, Any] = {}
        if _is_windows():
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
        else:
            kwargs["start_new_session"] = True  # its own group, so a kill reaches soffice.bin too
        with open(errlog, "wb") as log:
            try:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                        **kwargs)
            except OSError as exc:
                raise _no_converter() from exc
            while proc.poll() is None:
                _check_wait(deadline, timeout, cancel, proc)
                time.sleep(0.02)
        result = outdir / "document.pdf"
        detail = errlog.read_text("utf-8", "replace").strip().splitlines()
        tail = [line for line in detail if "javaldx" not in line][-2:]
        _check_pdf(result, src, f"({proc.returncode}: {' '.join(tail)})" if tail or
                   proc.returncode else "")
        os.replace(result, out)


# ---- Microsoft Word (Windows) -----------------------------------------------------------

WD_EXPORT_FORMAT_PDF = 17
WD_EXPORT_OPTIMIZE_FOR_PRINT = 0
WD_DO_NOT_SAVE_CHANGES = 0
WD_ALERTS_NONE = 0


def _word_export(src: Path, pdf: Path, pdfa: bool) -> None:
    import pythoncom
    import win32com.client

    pythoncom.CoInitialize()
    word = None
    try:
        word = win32com.client.DispatchEx("Word.Application")  # a private instance
        word.Visible = False
        word.DisplayAlerts = WD_ALERTS_NONE
        doc = word.Documents.Open(FileName=str(src), ConfirmConversions=False, ReadOnly=True,
                                  AddToRecentFiles=False, Visible=False)
        try:
            doc.ExportAsFixedFormat(OutputFileName=str(pdf), ExportFormat=WD_EXPORT_FORMAT_PDF,
                                    OpenAfterExport=False, OptimizeFor=WD_EXPORT_OPTIMIZE_FOR_PRINT,
                                    IncludeDocProps=True, DocStructureTags=True,
                                    BitmapMissingFonts=True, UseISO19005_1=pdfa)
        finally:
            doc.Close(SaveChanges=WD_DO_NOT_SAVE_CHANGES)
    finally:
        if word is not None:
            word.Quit(SaveChanges=WD_DO_NOT_SAVE_CHANGES)
        pythoncom.CoUninitialize()


def _convert_word(src: Path, out: Path, pdfa: bool, timeout: float, cancel: Cancel | None) -> None:
    """Word runs on its own COM thread; a timeout or cancel stops waiting for it (Word has no
    safe way to be interrupted mid-export; the private instance quits when the export ends)."""
    deadline = time.monotonic() + timeout
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".convert-", dir=out.parent) as tmp_name:
        pdf = Path(tmp_name) / "document.pdf"
        failure: list[BaseException] = []

        def work() -> None:
            try:
                _word_export(src.resolve(), pdf, pdfa)
            except BaseException as exc:  # reported on the caller's thread
                failure.append(exc)

        thread = threading.Thread(target=work, name="word-export", daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(0.05)
            if thread.is_alive():
                _check_wait(deadline, timeout, cancel, None)
        if failure:
            raise ConversionError(
                f"Microsoft Word không chuyển được {src.name} sang PDF ({failure[0]}).",
                f"Microsoft Word could not convert {src.name} to PDF ({failure[0]}).",
                code="convert_failed") from failure[0]
        _check_pdf(pdf, src, "")
        os.replace(pdf, out)


def _check_output(out: Path) -> None:
    """The output folder must be writable: the PDF is written beside it, then renamed."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out.parent, prefix=".desk-probe-"):
            pass
        if out.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(out))
    except OSError as exc:
        raise ConversionError(
            f"Không ghi được tệp PDF {out} ({exc.strerror or exc}). Hãy chọn thư mục khác.",
            f"Cannot write the PDF {out} ({exc.strerror or exc}). Choose another folder.",
            code="convert_output") from None


# ---- the entry point --------------------------------------------------------------------

def convert_docx(src: Path, out: Path, *, pdfa: bool = False, timeout: float = DEFAULT_TIMEOUT,
                 cancel: Cancel | None = None, backend: str = "auto",
                 profile_dir: Path | None = None) -> ConvertResult:
    """Convert ``src`` (.docx) to ``out`` (.pdf); ``out`` appears only when complete.

    ``backend``: "auto" (Word on Windows when installed, else LibreOffice),
    "libreoffice" or "word". ``cancel`` (an Event or a callable) is checked
    while the converter runs.
    """
    src, out = Path(src), Path(out)
    check_docx(src)
    if _cancelled(cancel):
        raise _cancel_error()
    _check_output(out)
    started = time.perf_counter()
    if backend in ("auto", "word") and word_available():
        try:
            _convert_word(src, out, pdfa, timeout, cancel)
            return ConvertResult(out, "word", time.perf_counter() - started)
        except ConversionError as exc:
            # Word is installed but unusable (not licensed, COM broken): LibreOffice may still do.
            if backend == "word" or exc.code in ("convert_timeout", "convert_cancelled") \
                    or find_soffice() is None:
                raise
    elif backend == "word":
        raise ConversionError("Không có Microsoft Word trên máy này.",
                              "Microsoft Word is not available on this machine.",
                              code="no_converter")
    soffice = find_soffice()
    if soffice is None:
        raise _no_converter()
    _convert_libreoffice(soffice, src, out, pdfa, timeout, cancel,
                         profile_dir or default_profile_dir())
    return ConvertResult(out, "libreoffice", time.perf_counter() - started)


def pdf_fonts(path: Path) -> list[PdfFont]:
    """The fonts a PDF's pages use, and whether each is embedded (like poppler's pdffonts)."""
    from pypdf import PdfReader

    found: dict[str, PdfFont] = {}
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            subtype = str(font.get("/Subtype", "?")).lstrip("/")
            target = font
            if subtype == "Type0":
                target = font["/DescendantFonts"][0].get_object()
            desc = target.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.setdefault(name, PdfFont(name, subtype, embedded))
    return list(found.values())


def convert_to_pdf(src: Path, out: Path, *, timeout: float = DEFAULT_TIMEOUT,
                   cancel: Cancel | None = None) -> ConvertResult:
    """Any word-processor file LibreOffice reads (.docx, .odt, .doc, .rtf) to PDF, for reading on import."""
    src, out = Path(src), Path(out)
    if src.suffix.lower() == ".docx":
        return convert_docx(src, out, timeout=timeout, cancel=cancel)
    if not src.is_file():
        raise ConversionError(f"Không tìm thấy tệp {src}.", f"File not found: {src}.", code="no_file")
    _check_output(out)
    soffice = find_soffice()
    if soffice is None:
        raise _no_converter()
    started = time.perf_counter()
    _convert_libreoffice(soffice, src, out, False, timeout, cancel, default_profile_dir())
    return ConvertResult(out, "libreoffice", time.perf_counter() - started)
