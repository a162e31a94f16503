"""The outgoing flow from a terminal: submit, approve, release (``desk sign ID`` is in sign_cmds).

Each command is one call of ``desk.services.actions``; the CLI opens no transaction.
"""

from __future__ import annotations

import argparse

from desk.cli.common import actor_id, open_office
from desk.i18n import t
from desk.reference import Role, format_number
from desk.services import actions


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("submit", help=t("trình ký dự thảo (hoặc trình duyệt với --review)",
                                        "submit a draft for signature (or for review with --review)"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--review", action="store_true",
                   help=t("trình lãnh đạo đơn vị duyệt trước", "to the head of unit for review first"))
    p.add_argument("--note")
    p.set_defaults(func=cmd_submit)

    p = sub.add_parser("approve", help=t("duyệt dự thảo, trình lãnh đạo ký", "approve a draft for signature"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--note")
    p.set_defaults(func=cmd_approve)

    p = sub.add_parser("release", help=t("văn thư: cấp số, ký số cơ quan, phát hành và gửi",
                                         "clerk: number, seal with the organisation's key, release and send"))
    p.add_argument("doc_id", type=int)
    key = p.add_mutually_exclusive_group(required=True)
    key.add_argument("--pkcs12", metavar="FILE", help=t("tệp .p12/.pfx của cơ quan", "the organisation's .p12/.pfx"))
    key.add_argument("--token", metavar="LABEL", help=t("nhãn token USB (PKCS#11)", "USB token label (PKCS#11)"))
    key.add_argument("--csc", metavar="URL", help=t("dịch vụ ký từ xa CSC", "CSC remote signing service"))
    p.add_argument("--csc-credential", metavar="ID")
    p.add_argument("--cert", metavar="SERIAL_OR_NAME")
    p.add_argument("--module", action="append", metavar="LIB")
    p.add_argument("--level", choices=["b-b", "b-t", "b-lt", "b-lta"], default="b-lta")
    p.add_argument("--tsa", metavar="URL")
    p.add_argument("--trust", action="append", metavar="CA.pem")
    p.add_argument("--to", action="append", default=[], metavar="ID=NAME",
                   help=t("thêm nơi nhận (mã định danh=tên)", "add a recipient (organisation ID=name)"))
    p.set_defaults(func=cmd_release)


def cmd_submit(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        actions.submit(office, args.doc_id, actor_id(office, args), args.note, review_first=args.review)
        print(t(f"Đã trình văn bản #{args.doc_id}.", f"Submitted document #{args.doc_id}."))
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        actions.approve(office, args.doc_id, actor_id(office, args, Role.LEADER), args.note)
        print(t(f"Đã duyệt, trình ký văn bản #{args.doc_id}.", f"Approved document #{args.doc_id} for signature."))
    return 0


def _recipients(values: list[str]) -> list[tuple[str, str]]:
    from desk.errors import ValidationError

    out = []
    for v in values:
        code, sep, name = v.partition("=")
        if not sep or not code.strip():
            raise ValidationError(f"--to {v!r} sai dạng; đúng dạng: MÃ=TÊN.", f"Bad --to {v!r}; expected ID=NAME.")
        out.append((code.strip(), name.strip()))
    return out


def cmd_release(args: argparse.Namespace) -> int:
    from desk.cli.sign_cmds import document_signer

    with open_office(args) as office:
        clerk = actor_id(office, args, Role.CLERK)
        recipients = _recipients(args.to)
        with document_signer(args) as signer:
            reg = actions.release(office, args.doc_id, signer, clerk, recipients=recipients).value
        print(t(f"Đã phát hành văn bản #{args.doc_id}: số {format_number(reg.number)}/{reg.year}.",
                f"Released document #{args.doc_id}: number {format_number(reg.number)}/{reg.year}."))
    return 0
