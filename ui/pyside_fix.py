"""Work-around for a reference-counting bug of PySide6 6.12 on Python 3.11.

Every call of a C++ method returning ``void`` from Python (``setEnabled``,
``setText``, ``processEvents`` …) gives back ``None`` without taking a
reference to it. Python 3.12+ makes None immortal, so the binding (built with
that assumption) is harmless there; on 3.11 None's reference count drops by one
per call until the interpreter aborts with "none_dealloc: deallocating None"
— in a GUI, after some minutes of use (measured here: -1 per event-loop pass).

The fix is what Python 3.12 itself does: make None's count so large it can never
reach zero. It is applied only when a probe shows the leak, and logged; the
proper cure is a PySide6 release without the bug (or Python ≥ 3.12).
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger("desk.ui")
_applied = False


def leaks_none(calls: int = 200) -> bool:
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")  # a void method
    return before - sys.getrefcount(None) >= calls * 0.9


def apply() -> bool:
    """Make None effectively immortal if this PySide6 leaks it; returns True if applied."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _applied
    if not leaks_none():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    _applied = True
    import PySide6

    log.warning("PySide6 %s loses a reference to None on every void call under Python %s; "
                "None made immortal as Python 3.12 does", PySide6.__version__, sys.version.split()[0])
    return True


class _GuiThreadCollector:
    """Python's cyclic garbage collector runs on whichever thread happens to allocate;
    if that is a worker, it may destroy a Qt object that belongs to the GUI thread
    (a closed window, a timer), which crashes Qt. Automatic collection is switched off
    and done here instead, on the GUI thread, with the same generation thresholds."""

    def __init__(self, interval_ms: int = 500) -> None:
        import gc

        from PySide6.QtCore import QTimer

        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer()
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        import gc

        l0, l1, l2 = gc.get_count()
        if l0 > self.threshold[0]:
            gc.collect(0)
            if l1 > self.threshold[1]:
                gc.collect(1)
                if l2 > self.threshold[2]:
                    gc.collect(2)


_collector: _GuiThreadCollector | None = None


def collect_on_gui_thread() -> None:
    """Call once, on the GUI thread, after the QApplication exists."""
    global _collector
    if _collector is None:
        _collector = _GuiThreadCollector()


def stop_collecting() -> None:
    """Give collection back to Python (tests: other suites run in the same process)."""
    import gc

    global _collector
    if _collector is not None:
        _collector.timer.stop()
        _collector = None
        gc.enable()
