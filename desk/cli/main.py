"""The ``desk`` command: a thin front end on the services, like the desktop app.

Errors reach the user as one clear line (Vietnamese by default, ``--lang en``)
and a non-zero exit code, never a traceback; unexpected ones are written with
their traceback to the log file, whose path the message gives.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence

from desk.i18n import set_language, t
from signing.usertext import UserError

# Feature areas that add their own subcommands (see register(subparsers) in each).
COMMAND_MODULES = (
    "desk.cli.office_cmds",
    "desk.cli.document_cmds",
    "desk.cli.outgoing_cmds",
    "desk.cli.maintenance_cmds",
    "desk.cli.sign_cmds",
    "desk.cli.trust_cmds",
    "desk.cli.exchange_cmds",
    "desk.cli.sync_cmds",
    "desk.cli.draft_cmds",
    "desk.cli.gui_cmds",
)

EXIT_USER_ERROR = 2
EXIT_BUG = 70

log = logging.getLogger("desk")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk",
        description=t("Desk — văn phòng điện tử làm việc không cần mạng.",
                      "Desk — an offline-first electronic office."),
    )
    parser.add_argument("--home", help=t("thư mục dữ liệu (mặc định $DESK_HOME)",
                                         "data folder (default $DESK_HOME)"))
    parser.add_argument("--lang", choices=("vi", "en"), default=None,
                        help=t("ngôn ngữ hiển thị", "display language"))
    parser.add_argument("--as", dest="user", metavar="USER",
                        help=t("thực hiện với tư cách người dùng này", "act as this user"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that feature area is not built yet
                continue
            raise
        module.register(sub)
    from desk.cli.common import bound_numeric_options

    bound_numeric_options(parser)
    return parser


def _pre_language(argv: Sequence[str]) -> None:
    # The language must be known before the parser builds its help texts.
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("vi", "en"):
            set_language(argv[i + 1])
        elif a.startswith("--lang=") and a[7:] in ("vi", "en"):
            set_language(a[7:])


def _log_path() -> str:
    from desk.paths import DataPaths

    logs = DataPaths.resolve(os.environ.get("DESK_HOME")).logs
    logs.mkdir(parents=True, exist_ok=True)
    return str(logs / "desk.log")


def _route_library_logs() -> None:
    """Libraries' warnings (pyHanko logs tracebacks) go to the log file, not the user's screen."""
    root = logging.getLogger()
    if root.handlers:
        return
    try:
        handler: logging.Handler = logging.FileHandler(_log_path(), encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    except OSError:
        handler = logging.NullHandler()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


def run(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _pre_language(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.home:
        os.environ["DESK_HOME"] = args.home
    _route_library_logs()
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return int(args.func(args) or 0)


def utf8_console() -> None:
    """Write UTF-8 to the console, pipes and files on every platform.

    Windows gives a pipe or file the ANSI code page (cp1252; cp1258 on Vietnamese
    Windows, which cannot encode precomposed letters either), and a frozen program
    ignores ``PYTHONUTF8``: without this, ``desk list > out.txt`` dies with
    UnicodeEncodeError. A real Windows console takes UTF-8 through its wide-char API.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:  # replaced by a test harness or absent (windowed app)
            continue
        with contextlib.suppress(OSError, ValueError):
            reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    utf8_console()
    try:
        return run(argv)
    except UserError as exc:  # DeskError, SigningError: one protocol
        print(t("Lỗi: ", "Error: ") + str(exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(t("Đã dừng.", "Stopped."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        path = "?"
        try:
            path = _log_path()
            with open(path, "a", encoding="utf-8", newline="\n") as f:
                f.write(traceback.format_exc())
        except OSError:
            pass
        print(t(f"Lỗi không mong đợi ({type(exc).__name__}: {exc}). Chi tiết đã ghi vào {path}.",
                f"Unexpected error ({type(exc).__name__}: {exc}). Details were written to {path}."),
              file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
