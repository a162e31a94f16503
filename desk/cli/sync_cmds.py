"""desk sync: one round with the exchange server, or keep running (--watch)."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from desk.cli.common import fmt_datetime, open_office, print_table
from desk.i18n import t


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("sync", help=t("đồng bộ với trục liên thông", "sync with the exchange server"))
    p.add_argument("--watch", action="store_true", help=t("chạy liên tục", "keep running"))
    p.add_argument("--interval", type=float, default=30.0, help=t("giây giữa hai lần", "seconds between rounds"))
    p.set_defaults(func=cmd_sync)
    p = sub.add_parser("outbox", help=t("các gói đang chờ gửi", "packages waiting to be sent"))
    p.set_defaults(func=cmd_outbox)
    osub = p.add_subparsers(dest="outbox_cmd", metavar="LỆNH")
    e = osub.add_parser("export", help=t(
        "ghi các gói đang chờ gửi (văn bản, trạng thái) ra thư mục/USB dưới dạng tệp edXML",
        "write the waiting packages (documents, statuses) as edXML files to a folder/USB stick"))
    e.add_argument("dir", type=Path)
    e.set_defaults(func=cmd_outbox_export)
    p = sub.add_parser("quarantine", help=t("các gói nhận về bị để riêng (không xử lý được)",
                                            "received packages set aside (could not be taken)"))
    p.set_defaults(func=cmd_quarantine)


def _print_report(r) -> None:  # type: ignore[no-untyped-def]
    print(t(f"Đã gửi {r.sent}, nhận {r.received} văn bản và {r.statuses} trạng thái"
            f"{f', bỏ qua {r.duplicates} bản trùng' if r.duplicates else ''}"
            f"{f', từ chối {r.rejected}' if r.rejected else ''}.",
            f"Sent {r.sent}, received {r.received} documents and {r.statuses} statuses"
            f"{f', skipped {r.duplicates} duplicates' if r.duplicates else ''}"
            f"{f', refused {r.rejected}' if r.rejected else ''}."), flush=True)
    for server_id, sender, reason in r.quarantined:
        print(t(f"  Để riêng gói {server_id} từ {sender or '?'}: {reason}",
                f"  Set aside package {server_id} from {sender or '?'}: {reason}"), flush=True)
    for e in r.errors:
        print(t("  Lỗi: ", "  Error: ") + e, flush=True)


def cmd_sync(args: argparse.Namespace) -> int:
    from sync.engine import engine_for

    with open_office(args) as office:
        engine = engine_for(office)
        if not args.watch:
            r = engine.run_once()
            _print_report(r)
            return 0 if r.ok else 1
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        engine.run_forever(args.interval, stop, _print_report)
    return 0


def cmd_outbox_export(args: argparse.Namespace) -> int:
    from sync.engine.files import export_outbox

    with open_office(args) as office:
        result = export_outbox(office, args.dir)
    for f in result.files:
        print(f"  {f.name}")
    print(t(f"Đã ghi {len(result.files)} gói tin vào {args.dir}. Các gói vẫn nằm trong hàng đợi: "
            "khi có kết nối, chúng vẫn được gửi qua trục và nơi nhận sẽ không nhận trùng.",
            f"Wrote {len(result.files)} packages to {args.dir}. They stay in the outbox: when the "
            "link is back they still go through the exchange and are not taken twice."))
    for e in result.errors:
        print(t("  Lỗi: ", "  Error: ") + e)
    return 1 if result.errors else 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from desk.services.listings import outbox_waiting

    with open_office(args) as office:
        rows = [(o.id, o.kind, o.status_code, o.to, o.attempts, fmt_datetime(o.next_attempt_at),
                 o.last_error[:60]) for o in outbox_waiting(office)]
    print_table(["#", t("Loại", "Kind"), t("Mã", "Code"), t("Gửi tới", "To"), t("Lần thử", "Tries"),
                 t("Thử lại lúc", "Next try"), t("Lỗi", "Error")], rows, flex=6)
    print(t(f"{len(rows)} gói chờ gửi.", f"{len(rows)} packages waiting."))
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    from sync.engine import engine_for

    with open_office(args) as office:
        held = engine_for(office).quarantined()
    print_table([t("Mã gói", "Package"), t("Nơi gửi", "From"), t("Lúc", "At"), t("Lý do", "Reason"),
                 t("Tệp giữ lại", "Kept as")],
                [(q.server_id, q.sender or "?", fmt_datetime(q.received_at), q.reason, str(q.kept or ""))
                 for q in held], flex=3)
    print(t(f"{len(held)} gói bị để riêng.", f"{len(held)} packages set aside."))
    return 0
