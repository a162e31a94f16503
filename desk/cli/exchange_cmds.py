"""CLI for document exchange: ``desk edxml``, ``desk serve``, ``desk exchange``."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import tempfile
from pathlib import Path

from desk.i18n import t
from desk.paths import DataPaths


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    _register_edxml(subparsers)
    _register_serve(subparsers)
    _register_exchange(subparsers)


# --- desk edxml ------------------------------------------------------------------------------


def _register_edxml(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "edxml", help=t("đọc, kiểm tra gói tin edXML", "read and check edXML packages")
    )
    sub = p.add_subparsers(dest="edxml_cmd", metavar="LỆNH", required=True)
    show = sub.add_parser(
        "show", help=t("hiện các trường và tệp đính kèm", "show fields and attachments")
    )
    show.add_argument("file", type=Path)
    show.add_argument("--json", action="store_true", help=t("in dạng JSON", "print as JSON"))
    show.set_defaults(func=cmd_edxml_show)
    check = sub.add_parser(
        "check", help=t("kiểm tra gói tin có hợp lệ không", "check whether a package is valid")
    )
    check.add_argument("file", type=Path)
    check.set_defaults(func=cmd_edxml_check)


def cmd_edxml_show(args: argparse.Namespace) -> int:
    from sync.edxml import package_dict, package_summary, parse_file

    pkg = parse_file(args.file)
    if args.json:
        print(json.dumps(package_dict(pkg), ensure_ascii=False, indent=2))
    else:
        print("\n".join(package_summary(pkg)))
    return 0


def cmd_edxml_check(args: argparse.Namespace) -> int:
    from sync.edxml import extract_zip, parse_file
    from sync.errors import EdxmlError

    with tempfile.TemporaryDirectory(prefix="desk-edxml-") as tmp:
        try:
            pkg = parse_file(args.file, Path(tmp))
            for i, att in enumerate(pkg.attachments):
                if att.content_type == "application/zip" and att.path is not None:
                    extract_zip(att.path, Path(tmp) / f"unzipped-{i}")
        except EdxmlError as exc:
            print(t(f"KHÔNG hợp lệ: {exc.vi} [{exc.code}]", f"NOT valid: {exc.en} [{exc.code}]"))
            return 1
    print(
        t(
            f"Hợp lệ: gói tin {'trạng thái' if pkg.kind == 'status' else 'văn bản'} từ {pkg.sender}, "
            f"{len(pkg.attachments)} tệp đính kèm.",
            f"Valid: {pkg.kind} package from {pkg.sender}, {len(pkg.attachments)} attachment(s).",
        )
    )
    return 0


# --- desk serve ------------------------------------------------------------------------------


def _register_serve(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "serve", help=t("chạy máy chủ trục liên thông", "run the exchange server")
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument(
        "--db", help=t("URL cơ sở dữ liệu (SQLite mặc định, PostgreSQL)", "database URL")
    )
    p.add_argument("--blobs", type=Path, help=t("thư mục lưu gói tin", "folder for packages"))
    p.add_argument("--tls-cert", type=Path)
    p.add_argument("--tls-key", type=Path)
    p.add_argument("--max-body-mb", type=int, default=512)
    p.set_defaults(func=cmd_serve)
    sub = p.add_subparsers(dest="serve_cmd", metavar="LỆNH")
    agency = sub.add_parser("agency", help=t("quản lý đơn vị", "manage agencies"))
    asub = agency.add_subparsers(dest="agency_cmd", metavar="LỆNH", required=True)
    add = asub.add_parser(
        "add", help=t("đăng ký đơn vị, in mật khẩu một lần", "register an agency")
    )
    add.add_argument("id", help=t("mã định danh (QCVN 102)", "organisation ID"))
    add.add_argument("name")
    add.add_argument(
        "--axis-compat",
        action="store_true",
        help=t("chấp nhận máy khách SDK trục", "accept axis-SDK clients"),
    )
    add.add_argument("--send-for", action="append", default=[], metavar="ID")
    add.add_argument("--admin", action="store_true")
    add.set_defaults(func=cmd_agency_add)
    dele = asub.add_parser("delegate", help=t("giao cho đơn vị cấp trên một mã được đăng ký",
                                              "let a parent agency register a code"))
    dele.add_argument("id", help=t("mã được giao", "the code"))
    dele.add_argument("--to", required=True, metavar="PARENT")
    dele.set_defaults(func=cmd_agency_admin)
    rm = asub.add_parser("delete", help=t("xóa đơn vị (thu hồi mật khẩu ngay)",
                                          "delete an agency (its secret stops at once)"))
    rm.add_argument("id")
    rm.set_defaults(func=cmd_agency_admin)


def _server_config(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from sync.server import ServerConfig

    folder = DataPaths.resolve(None).home / "exchange-server"
    cfg = ServerConfig.for_folder(folder, args.db)
    if args.blobs:
        cfg = replace(cfg, blob_dir=args.blobs)
    return replace(cfg, max_body_bytes=args.max_body_mb << 20)


def cmd_serve(args: argparse.Namespace) -> int:
    from desk.errors import ValidationError
    from sync.server import serve

    if bool(args.tls_cert) != bool(args.tls_key):
        raise ValidationError(
            "Cần cả --tls-cert và --tls-key để bật TLS.", "TLS needs both --tls-cert and --tls-key."
        )
    cfg = _server_config(args)
    scheme = "https" if args.tls_cert else "http"
    print(
        t(
            f"Trục liên thông chạy tại {scheme}://{args.host}:{args.port}",
            f"Exchange server at {scheme}://{args.host}:{args.port}",
        )
    )
    serve(cfg, args.host, args.port, args.tls_cert, args.tls_key)
    return 0


def cmd_agency_add(args: argparse.Namespace) -> int:
    from sync.errors import SyncError
    from sync.server import add_agency
    from sync.server.db import make_engine
    from sync.server.errors import ApiError

    cfg = _server_config(args)
    engine = make_engine(cfg.db_url)
    try:
        secret = add_agency(
            engine,
            args.id,
            args.name,
            axis_compat=args.axis_compat,
            send_for=args.send_for,
            is_admin=args.admin,
        )
    except ApiError as exc:
        raise SyncError(exc.vi, exc.en, code=exc.code) from None
    finally:
        engine.dispose()
    print(
        t(
            f"Đã đăng ký đơn vị {args.id}. Mật khẩu (chỉ hiện một lần):",
            f"Agency {args.id} registered. Secret (shown once):",
        )
    )
    print(secret)
    return 0


def cmd_agency_admin(args: argparse.Namespace) -> int:
    from sync.errors import SyncError
    from sync.server.db import make_engine
    from sync.server.directory import delegate, delete_agency
    from sync.server.errors import ApiError

    engine = make_engine(_server_config(args).db_url)
    try:
        if args.agency_cmd == "delegate":
            delegate(engine, args.id, args.to)
            print(t(f"Đơn vị {args.to} được đăng ký mã {args.id}.", f"{args.to} may register {args.id}."))
        else:
            delete_agency(engine, None, args.id)
            print(t(f"Đã xóa đơn vị {args.id}; mật khẩu của đơn vị hết hiệu lực.",
                    f"Deleted agency {args.id}; its secret no longer works."))
    except ApiError as exc:
        raise SyncError(exc.vi, exc.en, code=exc.code) from None
    finally:
        engine.dispose()
    return 0


# --- desk exchange ---------------------------------------------------------------------------


def _register_exchange(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "exchange", help=t("kết nối trục liên thông", "connect to the exchange server")
    )
    sub = p.add_subparsers(dest="exchange_cmd", metavar="LỆNH", required=True)
    c = sub.add_parser(
        "connect",
        help=t("lưu địa chỉ trục và mật khẩu (vào kho khóa)", "save the server and secret"),
    )
    c.add_argument("url")
    c.add_argument("--agency", required=True, help=t("mã định danh đơn vị", "organisation ID"))
    c.add_argument(
        "--ca", help=t("chứng thư CA của máy chủ (TLS)", "the server's CA certificate (TLS)")
    )
    c.add_argument("--insecure", action="store_true",
                   help=t("cho phép http:// không mã hóa tới máy khác", "allow plain http:// to another computer"))
    c.add_argument("--pin-sha256", metavar="HEX", default="",
                   help=t("ghim chứng thư TLS của máy chủ (SHA-256)", "pin the server's TLS certificate (SHA-256)"))
    c.set_defaults(func=cmd_exchange_connect)


def _ask_secret() -> str:
    if sys.stdin.isatty():
        return getpass.getpass(t("Mật khẩu đơn vị trên trục: ", "Agency secret: "))
    return sys.stdin.readline().strip()


def cmd_exchange_connect(args: argparse.Namespace) -> int:
    from desk.errors import ValidationError
    from sync.client import ExchangeClient
    from sync.connection import Connection, save_connection
    from sync.secrets import store_secret

    secret = _ask_secret()
    if not secret:
        raise ValidationError("Chưa nhập mật khẩu.", "No secret was given.")
    verify: bool | str = args.ca or True
    # Check the secret against the server before keeping it.
    if args.insecure:
        print(t("CẢNH BÁO: kết nối http:// không mã hóa; văn bản đi qua mạng ở dạng đọc được.",
                "WARNING: plain http:// connection; documents cross the network readable."), file=sys.stderr)
    with ExchangeClient(args.url, args.agency, secret, verify=verify, max_stalls=1,
                        insecure=args.insecure, pin_sha256=args.pin_sha256 or None) as client:
        names = {a.code: a.name for a in client.agencies()}
    store_secret(args.url, args.agency, secret)
    home = DataPaths.resolve(None).home
    save_connection(home, Connection(args.url, args.agency, verify, args.insecure, args.pin_sha256))
    name = names.get(args.agency, "")
    print(
        t(
            f"Đã kết nối {args.url} với tư cách {args.agency} {name}. Mật khẩu đã lưu vào kho khóa.",
            f"Connected to {args.url} as {args.agency} {name}. The secret is in the keyring.",
        )
    )
    return 0
