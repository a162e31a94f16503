"""Office set-up commands: init, demo, users, units, organisations, and the interactive overview."""

from __future__ import annotations

import argparse
import shlex
import sys

from desk.cli.common import open_office, print_table
from desk.errors import DeskError, ValidationError
from desk.i18n import t
from desk.office import Office
from desk.services import listings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("init", help=t("khởi tạo cơ quan", "set up the organisation"))
    p.add_argument("org_id", help=t("mã định danh QCVN 102, ví dụ 000.00.12.H49",
                                    "QCVN 102 ID, e.g. 000.00.12.H49"))
    p.add_argument("name", help=t("tên cơ quan", "organisation name"))
    p.add_argument("--place", help=t("địa danh ghi trên văn bản", "place name on documents"))
    p.add_argument("--notation", help=t("chữ viết tắt trong ký hiệu, ví dụ UBND", "notation, e.g. UBND"))
    p.add_argument("--parent", help=t("mã cơ quan chủ quản", "parent organisation ID"))
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help=t("tạo văn phòng mẫu", "create a demo office"))
    p.add_argument("--documents", type=int, default=300)
    p.add_argument("--pdfs", type=int, default=60,
                   help=t("số văn bản có tệp PDF", "how many documents get a PDF"))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("users", help=t("người dùng", "users"))
    us = p.add_subparsers(dest="users_cmd", required=True)
    a = us.add_parser("add")
    a.add_argument("username")
    a.add_argument("full_name")
    a.add_argument("--roles", required=True,
                   help="van_thu,lanh_dao,chuyen_vien")
    a.add_argument("--position")
    a.add_argument("--unit", type=int, help=t("mã số đơn vị", "unit id"))
    a.set_defaults(func=cmd_user_add)
    ls = us.add_parser("list")
    ls.set_defaults(func=cmd_user_list)

    p = sub.add_parser("units", help=t("đơn vị (phòng ban)", "units"))
    us = p.add_subparsers(dest="units_cmd", required=True)
    a = us.add_parser("add")
    a.add_argument("name")
    a.add_argument("--notation")
    a.set_defaults(func=cmd_unit_add)
    us.add_parser("list").set_defaults(func=cmd_unit_list)

    p = sub.add_parser("orgs", help=t("danh bạ cơ quan", "organisation directory"))
    us = p.add_subparsers(dest="orgs_cmd", required=True)
    a = us.add_parser("add")
    a.add_argument("org_id")
    a.add_argument("name")
    a.set_defaults(func=cmd_org_add)
    us.add_parser("list").set_defaults(func=cmd_org_list)

    p = sub.add_parser("overview", help=t("tổng quan văn phòng", "office overview"))
    p.set_defaults(func=cmd_overview)
    p = sub.add_parser("run", help=t("mở Desk (tạo văn phòng mẫu lần đầu)",
                                     "start Desk (seeds a demo office on first start)"))
    p.add_argument("--no-gui", action="store_true",
                   help=t("dùng giao diện dòng lệnh", "use the command-line overview"))
    p.set_defaults(func=cmd_run)


def cmd_init(args: argparse.Namespace) -> int:
    from desk.services.actions import set_up_office

    with open_office(args) as office:
        code, name = set_up_office(office, args.org_id, args.name, place=args.place, notation=args.notation,
                                   parent_code=args.parent, by=args.user)
        print(t(f"Đã khởi tạo cơ quan {name} ({code}) tại {office.paths.home}.",
                f"Set up {name} ({code}) in {office.paths.home}."))
    return 0


def _is_empty(office: Office) -> bool:
    return not listings.is_set_up(office)


def cmd_demo(args: argparse.Namespace) -> int:
    from desk.demo import seed

    if args.documents < 0 or args.pdfs < 0:
        raise ValidationError("Số lượng phải không âm.", "Counts must not be negative.")
    with open_office(args) as office:
        if not _is_empty(office):
            raise ValidationError(
                f"Thư mục {office.paths.home} đã có dữ liệu; văn phòng mẫu chỉ tạo trong thư mục trống.",
                f"{office.paths.home} already holds an office; the demo needs an empty folder.",
                code="not_empty")
        r = seed(office, args.documents, pdfs=min(args.pdfs, args.documents))
    print(t(f"Đã tạo văn phòng mẫu: {r.documents} văn bản ({r.with_pdf} có tệp PDF) trong {r.seconds:.1f} giây.",
            f"Demo office created: {r.documents} documents ({r.with_pdf} with a PDF) in {r.seconds:.1f} s."))
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from desk.services.actions import add_person

    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    with open_office(args) as office:
        pid = add_person(office, args.username, args.full_name, roles, position=args.position,
                         unit_id=args.unit, by=args.user)
        print(t(f"Đã thêm {args.full_name} (#{pid}).", f"Added {args.full_name} (#{pid})."))
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from desk.reference import Role

    with open_office(args) as office:
        rows = [(p.id, p.username, p.full_name, p.position, ", ".join(Role(r).label for r in sorted(p.roles)),
                 p.unit) for p in listings.users(office)]
    print_table(["#", t("Tên đăng nhập", "Username"), t("Họ tên", "Name"), t("Chức vụ", "Position"),
                 t("Vai trò", "Roles"), t("Đơn vị", "Unit")], rows)
    return 0


def cmd_unit_add(args: argparse.Namespace) -> int:
    from desk.services.actions import add_unit

    with open_office(args) as office:
        uid = add_unit(office, args.name, args.notation, by=args.user)
        print(t(f"Đã thêm đơn vị {args.name} (#{uid}).", f"Added unit {args.name} (#{uid})."))
    return 0


def cmd_unit_list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        rows = listings.unit_rows(office)
    print_table(["#", t("Đơn vị", "Unit"), t("Viết tắt", "Notation")], rows)
    return 0


def cmd_org_add(args: argparse.Namespace) -> int:
    from desk.services.actions import save_organization

    with open_office(args) as office:
        code, name = save_organization(office, args.org_id, args.name)
        print(t(f"Đã lưu {name} ({code}).", f"Saved {name} ({code})."))
    return 0


def cmd_org_list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        rows = [(code, name, "✓" if is_self else "") for code, name, is_self in listings.organisations(office)]
    print_table([t("Mã định danh", "ID"), t("Tên cơ quan", "Name"), t("Cơ quan mình", "Self")], rows)
    return 0


def print_overview(office: Office) -> None:
    from desk.workflow import INCOMING_STATES, OUTGOING_STATES

    v = listings.overview(office)
    counts = v.by_state
    print(f"{v.org_name} ({v.org_code})")
    print()
    print(t("Văn bản đến", "Incoming"))
    for st in INCOMING_STATES:
        print(f"  {t(st.vi, st.en):<24}{counts.get(('in', st.code), 0):>8}")
    print(t("Văn bản đi", "Outgoing"))
    for st in OUTGOING_STATES:
        print(f"  {t(st.vi, st.en):<24}{counts.get(('out', st.code), 0):>8}")
    print()
    print(t(f"Quá hạn: {v.overdue}   Sắp đến hạn: {v.due_soon}",
            f"Overdue: {v.overdue}   Due soon: {v.due_soon}"))


def cmd_overview(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        print_overview(office)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """What `make run` starts: seeds a demo office on first start, then opens Desk."""
    from desk.demo import seed

    with open_office(args) as office:
        if _is_empty(office):
            print(t("Lần chạy đầu: đang tạo văn phòng mẫu…", "First start: creating a demo office…"))
            seed(office, 300, pdfs=60)
        home = office.paths.home
    if not args.no_gui:
        from desk.cli.common import desktop_app

        try:
            run_app = desktop_app()  # the desktop window, when it is installed
        except ImportError:
            pass
        else:
            return int(run_app(home=home))
    return interactive(args)


def interactive(args: argparse.Namespace) -> int:
    """The command-line overview: the counts, then commands typed at a prompt."""
    from desk.cli.main import build_parser

    with open_office(args) as office:
        print_overview(office)
    if not sys.stdin.isatty():
        return 0
    print()
    print(t("Gõ lệnh (ví dụ: list --direction in, show 12, search \"quyết định\"), 'help' hoặc 'quit'.",
            "Type a command (e.g. list --direction in, show 12, search \"decision\"), 'help' or 'quit'."))
    parser = build_parser()
    while True:
        try:
            line = input("desk> ").strip()
        except EOFError:
            print()
            return 0
        if line in ("quit", "exit", "q"):
            return 0
        if not line:
            continue
        if line == "help":
            parser.print_help()
            continue
        try:
            sub_args = parser.parse_args(shlex.split(line))
            sub_args.home = sub_args.home or args.home
            sub_args.user = sub_args.user or args.user
            if getattr(sub_args, "func", None) and sub_args.func is not cmd_run:
                sub_args.func(sub_args)
        except SystemExit:
            continue
        except DeskError as exc:
            print(t("Lỗi: ", "Error: ") + str(exc))
        except ValueError as exc:
            print(t("Lỗi: ", "Error: ") + str(exc))
