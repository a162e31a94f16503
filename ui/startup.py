"""When did this process start? Used for the start-to-first-list figure.

Measured from the operating system's process creation time, not from main(),
so interpreter start-up and imports are counted too.
"""

from __future__ import annotations

import os
import sys
import time

_FALLBACK = time.time()  # when this module was imported: a lower bound on elapsed time


def process_start_time() -> float:
    """Wall-clock (epoch seconds) creation time of this process."""
    if sys.platform.startswith("linux"):
        try:
            with open(f"/proc/{os.getpid()}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            start_ticks = int(fields[19])  # field 22 of stat, counted after "(comm)"
            with open("/proc/uptime", "rb") as fh:
                uptime = float(fh.read().split()[0])
            ticks = os.sysconf("SC_CLK_TCK")
            return time.time() - uptime + start_ticks / ticks
        except (OSError, ValueError, IndexError):
            return _FALLBACK
    if sys.platform == "win32":
        return _windows_start() or _FALLBACK
    return _FALLBACK


def _windows_start() -> float | None:
    try:
        import ctypes
        from ctypes import wintypes

        k32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        times = [wintypes.FILETIME() for _ in range(4)]
        if not k32.GetProcessTimes(k32.GetCurrentProcess(), *[ctypes.byref(t) for t in times]):
            return None
        ft = (times[0].dwHighDateTime << 32) | times[0].dwLowDateTime
        return ft / 1e7 - 11644473600.0
    except Exception:  # any failure just means the fallback is used
        return None


def seconds_since_start() -> float:
    return time.time() - process_start_time()
