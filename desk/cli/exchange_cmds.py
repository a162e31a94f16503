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
    imp = sub.add_parser(
        "import",
        help=t(
            "nhận gói tin (văn bản, trạng thái) từ tệp hoặc thư mục/USB như khi nhận qua trục",
            "take packages (documents, statuses) in from files or a folder/USB stick, as if received",
        ),
    )
    imp.add_argument("paths", type=Path, nargs="+", metavar="FILE|DIR")
    imp.set_defaults(func=cmd_edxml_import)


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


def cmd_edxml_import(args: argparse.Namespace) -> int:
    from desk.cli.common import open_office
    from sync.engine.files import import_packages

    with open_office(args) as office:
        r = import_packages(office, args.paths)
    print(
        t(
            f"Đã nhận {r.received} văn bản và {r.statuses} trạng thái"
            f"{f', bỏ qua {r.duplicates} gói đã có' if r.duplicates else ''}"
            f"{f', từ chối {r.rejected}' if r.rejected else ''}.",
            f"Took in {r.received} documents and {r.statuses} statuses"
            f"{f', skipped {r.duplicates} already there' if r.duplicates else ''}"
            f"{f', refused {r.rejected}' if r.rejected else ''}.",
        )
    )
    for e in r.errors:
        print(t("  Lỗi: ", "  Error: ") + e)
    return 1 if r.errors else 0


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
    p.add_argument(
        "--body-idle-s",
        type=float,
        default=120.0,
        help=t(
            "bỏ yêu cầu có dữ liệu gửi lên ngừng quá chừng này giây (mặc định 120)",
            "drop a request whose body sends nothing for this many seconds (default 120)",
        ),
    )
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
    add.add_argument(
        "--secret-file",
        type=Path,
        help=t(
            "dùng mật khẩu có sẵn trong tệp (mật khẩu mà máy khách trục đang dùng)",
            "use the secret in this file (the one the agency's axis client already uses)",
        ),
    )
    add.add_argument(
        "--system-id",
        help=t("systemId trên trục, nếu khác mã định danh", "systemId on the axis, if not the ID"),
    )
    add.set_defaults(func=cmd_agency_add)
    imp = asub.add_parser(
        "import",
        help=t(
            "nhập danh sách đơn vị kèm mật khẩu (CSV hoặc JSON)",
            "import a list of agencies with their secrets (CSV or JSON)",
        ),
    )
    imp.add_argument(
        "file",
        type=Path,
        help=t(
            "CSV có dòng tiêu đề code,name,secret[,system_id,axis_compat] hoặc JSON là danh sách "
            "đối tượng có các trường đó",
            "CSV with a header code,name,secret[,system_id,axis_compat], or a JSON list of "
            "objects with those fields",
        ),
    )
    imp.set_defaults(func=cmd_agency_import)
    dele = asub.add_parser("delegate", help=t("giao cho đơn vị cấp trên một mã được đăng ký",
                                              "let a parent agency register a code"))
    dele.add_argument("id", help=t("mã được giao", "the code"))
    dele.add_argument("--to", required=True, metavar="PARENT")
    dele.set_defaults(func=cmd_agency_admin)
    rm = asub.add_parser("delete", help=t("xóa đơn vị (thu hồi mật khẩu ngay)",
                                          "delete an agency (its secret stops at once)"))
    rm.add_argument("id")
    rm.set_defaults(func=cmd_agency_admin)
    trust = sub.add_parser("trust", help=t("chứng thư tin cậy phát cho các đơn vị trong tỉnh",
                                           "trusted certificates published to the province's offices"))
    tsub = trust.add_subparsers(dest="trust_cmd", metavar="LỆNH", required=True)
    tadd = tsub.add_parser("add", help=t("thêm chứng thư (.cer, .crt, .pem, .p7b)", "add certificates"))
    tadd.add_argument("files", nargs="+", type=Path)
    tadd.set_defaults(func=cmd_serve_trust_add)
    tls = tsub.add_parser("list", help=t("liệt kê", "list"))
    tls.set_defaults(func=cmd_serve_trust_list)
    trm = tsub.add_parser("remove", help=t("gỡ chứng thư", "remove a certificate"))
    trm.add_argument("ref", help=t("dấu vân tay SHA-256 (8+ ký tự đầu)", "SHA-256 fingerprint (8+ digits)"))
    trm.set_defaults(func=cmd_serve_trust_remove)


def _trust_folder(args: argparse.Namespace) -> Path:
    cfg = _server_config(args)
    folder: Path = cfg.trust_dir or cfg.blob_dir.parent / "trust"
    return folder


def cmd_serve_trust_add(args: argparse.Namespace) -> int:
    from signing.errors import SigningError
    from sync.server import trustbundle

    folder = _trust_folder(args)
    failures = 0
    for path in args.files:
        try:
            added = trustbundle.add(folder, Path(path).read_bytes(), str(path))
        except OSError as exc:
            failures += 1
            print(t(f"Lỗi: không đọc được {path} ({exc.strerror}).", f"Error: cannot read {path} ({exc.strerror})."))
            continue
        except SigningError as exc:
            failures += 1
            print(t("Lỗi: ", "Error: ") + t(exc.vi, exc.en))
            continue
        for a in added:
            print(t(f"Đã phát hành cho cả tỉnh: {a.name} ({a.sha256[:16]}…)",
                    f"Published to the province: {a.name} ({a.sha256[:16]}…)"))
    return 2 if failures else 0


def cmd_serve_trust_list(args: argparse.Namespace) -> int:
    from sync.server import trustbundle

    folder = _trust_folder(args)
    items = trustbundle.anchors(folder)
    print(t(f"{len(items)} chứng thư tin cậy phát cho các đơn vị ({folder}):",
            f"{len(items)} trusted certificates published to offices ({folder}):"))
    for a in items:
        print(f"  {a.sha256[:16]}  {a.name}  ({a.not_before:%d/%m/%Y}–{a.not_after:%d/%m/%Y})")
    return 0


def cmd_serve_trust_remove(args: argparse.Namespace) -> int:
    from sync.errors import SyncError
    from sync.server import trustbundle
    from sync.server.errors import ApiError

    try:
        a = trustbundle.remove(_trust_folder(args), args.ref)
    except ApiError as exc:
        raise SyncError(exc.vi, exc.en, code=exc.code) from None
    print(t(f"Đã gỡ: {a.name}", f"Removed: {a.name}"))
    return 0


def _server_config(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from sync.server import ServerConfig

    folder = DataPaths.resolve(None).home / "exchange-server"
    cfg = ServerConfig.for_folder(folder, args.db)
    if args.blobs:
        cfg = replace(cfg, blob_dir=args.blobs)
    return replace(cfg, max_body_bytes=args.max_body_mb << 20, body_idle_s=args.body_idle_s)


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

    given = _read_secret_file(args.secret_file) if args.secret_file else None
    cfg = _server_config(args)
    engine = make_engine(cfg.db_url)
    try:
        secret = add_agency(
            engine,
            args.id,
            args.name,
            system_id=args.system_id,
            secret=given,
            axis_compat=args.axis_compat,
            send_for=args.send_for,
            is_admin=args.admin,
        )
    except ApiError as exc:
        raise SyncError(exc.vi, exc.en, code=exc.code) from None
    finally:
        engine.dispose()
    if given is not None:
        print(
            t(
                f"Đã đăng ký đơn vị {args.id} với mật khẩu trong {args.secret_file}.",
                f"Agency {args.id} registered with the secret in {args.secret_file}.",
            )
        )
        return 0
    print(
        t(
            f"Đã đăng ký đơn vị {args.id}. Mật khẩu (chỉ hiện một lần):",
            f"Agency {args.id} registered. Secret (shown once):",
        )
    )
    print(secret)
    return 0


MIN_SECRET_LEN = 8


def _check_secret(secret: str, where: str) -> str:
    from desk.errors import ValidationError

    secret = secret.strip()
    if len(secret) < MIN_SECRET_LEN or any(c.isspace() or ord(c) < 32 for c in secret):
        raise ValidationError(
            f"Mật khẩu ở {where} không dùng được: cần ít nhất {MIN_SECRET_LEN} ký tự, "
            "không có khoảng trắng.",
            f"The secret in {where} cannot be used: it needs at least {MIN_SECRET_LEN} "
            "characters and no spaces.",
            code="bad_secret",
        )
    return secret


def _read_secret_file(path: Path) -> str:
    from desk.errors import ValidationError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"Không đọc được tệp mật khẩu {path}: {exc}.",
            f"Cannot read the secret file {path}: {exc}.",
        ) from None
    lines = [line for line in text.splitlines() if line.strip()]
    return _check_secret(lines[0] if lines else "", str(path))


def _agency_rows(path: Path) -> list[dict[str, str]]:
    """The rows of an agency list: CSV with a header line, or a JSON list of objects."""
    import csv
    import io

    from desk.errors import ValidationError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"Không đọc được tệp {path}: {exc}.", f"Cannot read {path}: {exc}."
        ) from None
    rows: list[dict[str, str]] = []
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Tệp {path} không phải JSON hợp lệ: {exc}.", f"{path} is not valid JSON: {exc}."
            ) from None
        for i, obj in enumerate(data, start=1):
            if not isinstance(obj, dict):
                raise ValidationError(
                    f"Phần tử {i} của {path} không phải đối tượng.",
                    f"Item {i} of {path} is not an object.",
                )
            rows.append({str(k).strip().lower(): str(v) for k, v in obj.items() if v is not None})
    else:
        for row in csv.DictReader(io.StringIO(text)):
            rows.append({(k or "").strip().lower(): (v or "").strip() for k, v in row.items()})
    return rows


def cmd_agency_import(args: argparse.Namespace) -> int:
    from desk.errors import ValidationError
    from sync.server import add_agency
    from sync.server.db import make_engine
    from sync.server.directory import check_code
    from sync.server.errors import ApiError

    rows = _agency_rows(args.file)
    checked = []
    for n, row in enumerate(rows, start=1):
        where = t(f"dòng {n} của {args.file}", f"row {n} of {args.file}")
        if not row.get("code") or not row.get("secret"):
            raise ValidationError(
                f"Thiếu code hoặc secret ở {where}.", f"Missing code or secret in {where}."
            )
        try:
            check_code(row["code"])  # every row is checked before any is added
        except ApiError as exc:
            raise ValidationError(f"{exc.vi} ({where})", f"{exc.en} ({where})") from None
        checked.append((row, _check_secret(row["secret"], where)))
    cfg = _server_config(args)
    engine = make_engine(cfg.db_url)
    added, skipped = 0, []
    try:
        for row, secret in checked:
            try:
                add_agency(
                    engine,
                    row["code"],
                    row.get("name", "") or row["code"],
                    system_id=row.get("system_id") or row.get("systemid") or None,
                    secret=secret,
                    axis_compat=row.get("axis_compat", "").strip().lower()
                    in ("1", "true", "yes", "có", "x"),
                )
                added += 1
            except ApiError as exc:
                if exc.code != "agency_exists":
                    raise ValidationError(exc.vi, exc.en, code=exc.code) from None
                skipped.append(row["code"])
    finally:
        engine.dispose()
    print(
        t(
            f"Đã nhập {added} đơn vị kèm mật khẩu của họ"
            f"{f'; bỏ qua {len(skipped)} đơn vị đã có: ' + ', '.join(skipped) if skipped else ''}.",
            f"Imported {added} agencies with their secrets"
            f"{f'; skipped {len(skipped)} already registered: ' + ', '.join(skipped) if skipped else ''}.",
        )
    )
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
