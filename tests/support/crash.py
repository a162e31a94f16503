"""A process killed the hard way, on Linux and on Windows.

Linux: SIGKILL. Windows has no SIGKILL; its hard kill is ``TerminateProcess``, which is what
``os.kill(pid, sig)`` calls there for any ``sig`` other than the two console events (the
process ends at once with exit code ``sig``: no ``finally``, no ``atexit``, no buffer flushed,
as after SIGKILL).
"""

from __future__ import annotations

import sys

# The exit code a parent sees for a child killed this way (subprocess's returncode).
KILLED_RC = 9 if sys.platform == "win32" else -9

# The same, as source for a child started with ``python -c`` (which need not import tests).
KILL_SELF_SRC = (
    "def kill_self(*_a, **_k):\n"
    "    import os, signal, sys\n"
    "    # Windows: TerminateProcess (exit code 9); elsewhere SIGKILL.\n"
    "    os.kill(os.getpid(), 9 if sys.platform == 'win32' else signal.SIGKILL)\n"
)

