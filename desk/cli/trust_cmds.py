"""``desk trust add|list|remove``: the office's trusted certificates (the data folder's ``trust/``).

What verifies a signature is Desk's Vietnamese store (``resources/trust``), plus the
office's own anchors added here, plus the province's bundle published by the exchange
server (picked up on ``desk sync``). ``list`` shows all three; only the office's own
can be removed here.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from desk.errors import ValidationError
from desk.i18n import t


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("trust", help=t("chứng thư số tin cậy của đơn vị", "the office's trusted certificates"))
    tsub = p.add_subparsers(dest="trust_cmd", metavar="LỆNH", required=True)
    add = tsub.add_parser("add", help=t("thêm chứng thư tin cậy (.cer, .crt, .pem, .p7b)",
                                        "add trusted certificates (.cer, .crt, .pem, .p7b)"))
    add.add_argument("files", nargs="+", type=Path)
    add.set_defaults(func=cmd_add)
    ls = tsub.add_parser("list", help=t("liệt kê chứng thư tin cậy", "list trusted certificates"))
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--all", action="store_true", help=t("cả chứng thư trung gian đã lưu",
                                                         "also the remembered intermediates"))
    ls.set_defaults(func=cmd_list)
    rm = tsub.add_parser("remove", help=t("gỡ chứng thư tin cậy của đơn vị", "remove an office certificate"))
    rm.add_argument("ref", help=t("dấu vân tay SHA-256 (ít nhất 8 ký tự đầu) hoặc tên tệp",
                                  "SHA-256 fingerprint (8+ leading digits) or file name"))
    rm.set_defaults(func=cmd_remove)


def _office_trust(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from desk.paths import DataPaths
    from signing.trust import OfficeTrust

    return OfficeTrust(DataPaths.resolve(getattr(args, "home", None) or os.environ.get("DESK_HOME")).home)


def _signing_error(exc: Exception) -> ValidationError:
    return ValidationError(getattr(exc, "vi", str(exc)), getattr(exc, "en", str(exc)),
                           code=getattr(exc, "code", "trust"))


def cmd_add(args: argparse.Namespace) -> int:
    from signing.errors import SigningError

    office = _office_trust(args)
    failures = 0
    for path in args.files:
        try:
            added = office.add(path)
        except SigningError as exc:
            failures += 1
            print(t("Lỗi: ", "Error: ") + t(exc.vi, exc.en))
            continue
        for a in added:
            print(t(f"Đã thêm: {a.name}  (SHA-256 {a.sha256[:16]}…, hiệu lực đến {a.not_after:%d/%m/%Y})",
                    f"Added: {a.name}  (SHA-256 {a.sha256[:16]}…, valid until {a.not_after:%d/%m/%Y})"))
    return 2 if failures else 0


_ORIGIN = {"bundled": ("Desk", "Desk"), "office": ("đơn vị", "office"), "province": ("tỉnh", "province")}
_ROLE = {"root": ("gốc", "root"), "issuing": ("trung gian", "issuing"), "tsa": ("dấu thời gian", "TSA"),
         "end_entity": ("người dùng cuối", "end entity")}


def cmd_list(args: argparse.Namespace) -> int:
    from signing.trust import Anchor, cached_certificates

    office = _office_trust(args)
    anchors = office.anchors()
    cached = [Anchor(c, "cache", "") for c in cached_certificates(office.cache_dir)] if args.all else []
    if args.json:
        print(json.dumps({"folder": str(office.root), "anchors": [a.to_dict() for a in anchors],
                          "cached": [a.to_dict() for a in cached],
                          "summary": office.settings().describe(t("vi", "en"))}, ensure_ascii=False, indent=1))
        return 0
    en = t("vi", "en") == "en"
    print(office.settings().describe("en" if en else "vi"))
    print(t(f"Thư mục của đơn vị: {office.office_dir}", f"Office folder: {office.office_dir}"))
    for a in anchors + cached:
        origin = _ORIGIN.get(a.origin, (t("đã lưu", "cached"), "cached"))[1 if en else 0]
        role = _ROLE.get(a.kind, (a.kind, a.kind))[1 if en else 0]
        print(f"  [{origin:<6}] {a.sha256[:16]}  {a.name}  ({role}, "
              f"{a.not_before:%d/%m/%Y}–{a.not_after:%d/%m/%Y})")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from signing.errors import SigningError

    try:
        removed = _office_trust(args).remove(args.ref)
    except SigningError as exc:
        raise _signing_error(exc) from None
    print(t(f"Đã gỡ: {removed.name} ({removed.sha256[:16]}…)", f"Removed: {removed.name} ({removed.sha256[:16]}…)"))
    return 0
