"""Opening a draft in the user's word processor and keeping every save as a version.

``DraftWatcher.poll()`` is one cheap check (a stat, and a check-in when the file
changed and then stayed the same for one interval, since a word processor may
still be writing). Call it from a UI timer, or let ``start()`` run it on a
background thread (callbacks then arrive on that thread), or ``run(until)`` in a
command-line loop.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from desk.drafting.service import checkin, work_path
from desk.errors import DeskError
from desk.models import Person
from desk.office import Office

VersionCallback = Callable[[int], None]  # total versions added by this watcher
ErrorCallback = Callable[[DeskError], None]


def open_in_word_processor(path: Path) -> subprocess.Popen[bytes] | None:
    """Open ``path`` in the user's word processor; returns the process when it is ours to wait on.

    ``$DESK_EDITOR`` (a command, e.g. ``soffice --writer``) is run with the path and
    its process returned. Otherwise the desktop's default application opens it
    (``os.startfile`` on Windows, ``open`` on macOS, ``xdg-open`` elsewhere); that
    launcher returns at once, so None is returned and the caller should watch the
    editor's lock file instead (``EditorPresence``).
    """
    editor = os.environ.get("DESK_EDITOR")
    if editor:
        # Windows: a command line is split by the program started (CreateProcess rules), and
        # POSIX shlex would eat the backslashes of C:\Program Files\...; quote the path.
        cmd: str | list[str] = (f'{editor} "{path}"' if sys.platform == "win32"
                                else [*shlex.split(editor), str(path)])
        try:
            return subprocess.Popen(cmd)
        except OSError as exc:
            raise DeskError(
                f"Không chạy được chương trình soạn thảo trong DESK_EDITOR ({editor}): {exc}",
                f"Cannot run the editor in DESK_EDITOR ({editor}): {exc}",
                code="no_opener") from exc
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]  # Windows only
        return None
    opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if opener is None:
        raise DeskError(
            "Không tìm thấy chương trình mở tệp (xdg-open). Hãy cài xdg-utils hoặc đặt biến "
            f"DESK_EDITOR (ví dụ: DESK_EDITOR=libreoffice). Tệp cần sửa: {path}",
            "No program to open files (xdg-open). Install xdg-utils or set DESK_EDITOR "
            f"(e.g. DESK_EDITOR=libreoffice). File to edit: {path}", code="no_opener")
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return None


def lock_files(path: Path) -> list[Path]:
    """The owner files word processors put beside an open document."""
    name = path.name
    return [
        path.with_name(f".~lock.{name}#"),  # LibreOffice / OpenOffice
        path.with_name("~$" + name),  # Word, short names
        path.with_name("~$" + name[2:]),  # Word, longer names lose their first two characters
    ]


def editor_has_open(path: Path) -> bool:
    return any(p.exists() for p in lock_files(path))


class EditorPresence:
    """Tells when the user is done: the editor's lock file came and went, or our editor exited."""

    def __init__(self, path: Path, process: subprocess.Popen[bytes] | None = None) -> None:
        self.path = path
        self.process = process
        self.seen_open = False

    def closed(self) -> bool:
        if editor_has_open(self.path):
            self.seen_open = True
            return False
        if self.seen_open:
            return True
        return self.process is not None and self.process.poll() is not None


class DraftWatcher:
    def __init__(self, office: Office, doc_id: int, actor: Person | None, interval: float = 1.0,
                 *, on_version: VersionCallback | None = None,
                 on_error: ErrorCallback | None = None) -> None:
        self.office = office
        self.doc_id = doc_id
        self.actor = actor
        self.interval = interval
        self.path = work_path(office, doc_id)
        self.on_version = on_version
        self.on_error = on_error
        self.versions_added = 0
        self.errors: list[DeskError] = []
        self._seen = self._stat()
        self._pending: tuple[int, int] | None = None
        self._half_saved: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    def poll(self) -> bool:
        """One check; returns whether a version was added."""
        with self._lock:
            st = self._stat()
            if st is None or st == self._seen:
                self._pending = None
                return False
            if st != self._pending:  # changed: wait until it stays the same for one interval
                self._pending = st
                return False
            self._pending = None
            self._seen = st
            return self._checkin(final=False)

    def flush(self) -> bool:
        """Check in whatever the working file holds now (at the end of an editing session)."""
        with self._lock:
            st = self._stat()
            if st is None:
                return False
            self._seen, self._pending = st, None
            return self._checkin()

    def _checkin(self, *, final: bool = True) -> bool:
        try:
            added = checkin(self.office, self.doc_id, self.actor)
        except DeskError as exc:
            if not final and exc.code == "bad_docx" and self._half_saved != self._seen:
                # A file that looked settled but is not a whole .docx yet: the editor
                # paused while saving (a slow disk, a busy PC). Look again on the next
                # polls; the same bytes failing twice, or the end of the session, report it.
                self._half_saved, self._seen = self._seen, None
                return False
            self.errors.append(exc)
            if self.on_error:
                self.on_error(exc)
            return False
        if added:
            self.versions_added += 1
            if self.on_version:
                self.on_version(self.versions_added)
        return added

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=f"draft-watch-{self.doc_id}",
                                        daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()

    def stop(self) -> bool:
        """Stop the background thread and check in the last save; returns whether it added one."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        return self.flush()

    def run(self, until: Callable[[], bool]) -> int:
        """Poll until ``until()`` is true or Ctrl+C, then check in the last save; versions added."""
        try:
            while not until():
                self.poll()
                self._stop.wait(self.interval)
        except KeyboardInterrupt:
            pass
        finally:
            self.flush()
        return self.versions_added
