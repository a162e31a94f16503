"""``desk gui``: the desktop window; ``--screenshot FILE`` for headless checks and the bench."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from desk.i18n import t


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("gui", help=t("mở cửa sổ Desk", "open the Desk window"))
    p.add_argument("--screenshot", metavar="FILE",
                   help=t("chờ danh sách đầu tiên, lưu ảnh PNG của cửa sổ rồi thoát; in thời gian "
                          "từ khi tiến trình bắt đầu",
                          "wait for the first list, save a PNG of the window and exit; prints the "
                          "time from process start"))
    p.add_argument("--view", metavar="NAME",
                   help=t("màn hình mở đầu, ví dụ in:received, in:in_progress, out:awaiting_signature, "
                          "mine, registers, search, stats",
                          "first screen, e.g. in:received, in:in_progress, out:awaiting_signature, "
                          "mine, registers, search, stats"))
    p.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    from desk.cli.common import desktop_app

    run_app = desktop_app()
    home = getattr(args, "home", None) or os.environ.get("DESK_HOME")
    return int(run_app(Path(home) if home else None,
                       screenshot=Path(args.screenshot) if args.screenshot else None,
                       view=args.view, lang=getattr(args, "lang", None),
                       user=getattr(args, "user", None)))
