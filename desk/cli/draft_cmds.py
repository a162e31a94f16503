"""Drafting commands: desk draft new/edit/versions/checkout/checkin/templates, desk convert."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from desk.cli.common import actor_id, fmt_datetime, open_office, print_table
from desk.errors import ValidationError
from desk.i18n import t


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from desk.drafting.templates import TEMPLATES_BY_CODE

    draft = sub.add_parser("draft", help=t("dự thảo văn bản đi từ mẫu Word",
                                           "draft outgoing documents from Word templates"))
    dsub = draft.add_subparsers(dest="draft_command", metavar="ACTION", required=True)

    p = dsub.add_parser("new", help=t("tạo dự thảo từ mẫu", "create a draft from a template"))
    p.add_argument("--template", required=True, choices=sorted(TEMPLATES_BY_CODE))
    p.add_argument("--subject", required=True, help=t("trích yếu", "subject"))
    p.add_argument("--reply-to", type=int, metavar="ID",
                   help=t("trả lời văn bản đến số ID", "answers incoming document ID"))
    p.add_argument("--body-file", type=Path, metavar="F",
                   help=t("tệp văn bản UTF-8 chứa nội dung, mỗi đoạn một dòng",
                          "UTF-8 text file with the body, one paragraph per line"))
    p.add_argument("--to", action="append", default=[], metavar="NAME",
                   help=t("nơi nhận (lặp lại được)", "recipient (repeatable)"))
    p.add_argument("--signer", metavar="USER", help=t("người ký (tên đăng nhập)", "signer's username"))
    p.add_argument("--competence", help=t("quyền hạn ký, ví dụ «TM. ỦY BAN NHÂN DÂN», «KT. CHỦ TỊCH»",
                                          "signing competence, e.g. 'KT. CHỦ TỊCH'"))
    p.add_argument("--notation", help=t("ký hiệu, ví dụ QĐ-UBND", "notation, e.g. QĐ-UBND"))
    p.set_defaults(func=cmd_new)

    p = dsub.add_parser("edit", help=t("mở dự thảo để sửa; mỗi lần lưu là một phiên bản",
                                       "open a draft for editing; every save is a version"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--interval", type=float, default=1.0, help=t("giây giữa hai lần kiểm tra",
                                                                  "seconds between checks"))
    p.add_argument("--no-open", action="store_true",
                   help=t("không tự mở trình soạn thảo", "do not open the word processor"))
    p.set_defaults(func=cmd_edit)

    p = dsub.add_parser("versions", help=t("các phiên bản dự thảo", "draft versions"))
    p.add_argument("doc_id", type=int)
    p.set_defaults(func=cmd_versions)

    p = dsub.add_parser("checkout", help=t("lấy bản mới nhất ra thư mục làm việc",
                                           "copy the latest version to the working folder"))
    p.add_argument("doc_id", type=int)
    p.set_defaults(func=cmd_checkout)

    p = dsub.add_parser("checkin", help=t("lưu tệp đang sửa thành phiên bản mới",
                                          "store the working file as a new version"))
    p.add_argument("doc_id", type=int)
    p.set_defaults(func=cmd_checkin)

    p = dsub.add_parser("templates", help=t("danh sách mẫu", "list templates"))
    p.set_defaults(func=cmd_templates)

    p = sub.add_parser("convert", help=t("chuyển DOCX sang PDF", "convert DOCX to PDF"))
    p.add_argument("input", type=Path, metavar="IN.docx")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")
    p.add_argument("--pdfa", action="store_true", help=t("xuất PDF/A-2b", "write PDF/A-2b"))
    p.add_argument("--timeout", type=float, default=120.0, help=t("giây", "seconds"))
    p.add_argument("--backend", choices=("auto", "libreoffice", "word"), default="auto")
    p.set_defaults(func=cmd_convert)


def _office_templates(args: argparse.Namespace) -> Path:
    """An office's own edited templates: ``<data folder>/templates/<code>.docx``, tried first."""
    from desk.paths import DataPaths

    return DataPaths.resolve(getattr(args, "home", None) or os.environ.get("DESK_HOME")).home \
        / "templates"


def cmd_new(args: argparse.Namespace) -> int:
    from desk.drafting import template_spec
    from desk.services import actions
    from desk.services.documents import DocumentInput, RecipientInput

    spec = template_spec(args.template)
    body = ""
    if args.body_file:
        try:
            body = args.body_file.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"Không đọc được tệp nội dung {args.body_file} ({exc}).",
                                  f"Cannot read the body file {args.body_file} ({exc}).",
                                  code="bad_body_file") from None
    with open_office(args) as office:
        data = DocumentInput(
            doc_type=spec.doc_type, subject=args.subject, notation=args.notation,
            signer_competence=args.competence,
            recipients=[RecipientInput(name=n, channel="paper") for n in args.to])
        doc_id, subject = actions.new_draft(office, actor_id(office, args), spec.code, data, signer=args.signer,
                                            body=body, reply_to=args.reply_to,
                                            template_dir=_office_templates(args)).value
        print(t(f"Đã tạo dự thảo #{doc_id} ({spec.title}): {subject}",
                f"Created draft #{doc_id} ({spec.title}): {subject}"))
        print(t(f"Sửa bằng: desk draft edit {doc_id}", f"Edit with: desk draft edit {doc_id}"))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from desk.drafting import (
        DraftWatcher,
        EditorPresence,
        checkin,
        checkout,
        open_in_word_processor,
    )
    from desk.drafting.service import work_path
    from desk.errors import DeskError
    from desk.services import actions

    with open_office(args) as office:
        who = actions.person(office, actor_id(office, args))
        # Edits left from an earlier session become a version before anything else.
        if work_path(office, args.doc_id).exists() and checkin(office, args.doc_id, who):
            print(t("Đã lưu các thay đổi còn lại từ lần sửa trước thành một phiên bản.",
                    "Stored the changes left from the last session as a version."))
        path = checkout(office, args.doc_id)
        print(t(f"Đang sửa: {path}", f"Editing: {path}"))
        print(t("Mỗi lần lưu (Ctrl+S) Desk giữ một phiên bản. Đóng tài liệu hoặc nhấn Ctrl+C để kết thúc.",
                "Each save (Ctrl+S) is kept as a version. Close the document or press Ctrl+C to finish."))
        process = None if args.no_open else open_in_word_processor(path)

        def saved(total: int) -> None:
            print(t(f"Đã lưu phiên bản mới ({total} trong lần sửa này).",
                    f"Saved a new version ({total} in this session)."), flush=True)

        def failed(exc: DeskError) -> None:
            print(t("Lỗi: ", "Error: ") + str(exc), flush=True)

        watcher = DraftWatcher(office, args.doc_id, who, args.interval, on_version=saved,
                               on_error=failed)
        added = watcher.run(EditorPresence(path, process).closed)
        print(t(f"Kết thúc sửa dự thảo #{args.doc_id}: {added} phiên bản mới.",
                f"Finished editing draft #{args.doc_id}: {added} new version(s)."))
        return 2 if watcher.errors and not added else 0


def cmd_versions(args: argparse.Namespace) -> int:
    from desk.services.listings import draft_versions

    with open_office(args) as office:
        rows = [(v.number, v.filename, f"{v.size:,}".replace(",", "."), v.sha256[:12], fmt_datetime(v.saved_at),
                 who) for v, who in draft_versions(office, args.doc_id)]
    print_table(["#", t("Tệp", "File"), t("Cỡ (byte)", "Bytes"), "SHA-256",
                 t("Lưu lúc", "Saved"), t("Người lưu", "By")], rows)
    return 0


def cmd_checkout(args: argparse.Namespace) -> int:
    from desk.drafting import checkout

    with open_office(args) as office:
        print(checkout(office, args.doc_id))
    return 0


def cmd_checkin(args: argparse.Namespace) -> int:
    from desk.drafting import checkin
    from desk.services import actions

    with open_office(args) as office:
        added = checkin(office, args.doc_id, actions.person(office, actor_id(office, args)))
    print(t("Đã lưu phiên bản mới." if added else "Không có thay đổi so với phiên bản mới nhất.",
            "Stored a new version." if added else "No change from the latest version."))
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    from desk.drafting.templates import TEMPLATES, template_path

    folder = _office_templates(args)
    print_table([t("Mã", "Code"), t("Loại", "Type"), t("Tệp", "File")],
                [(s.code, s.title, template_path(s.code, folder)) for s in TEMPLATES])
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from desk.convert import convert_docx, pdf_fonts

    result = convert_docx(args.input, args.output, pdfa=args.pdfa, timeout=args.timeout,
                          backend=args.backend)
    fonts = pdf_fonts(result.pdf)
    missing = [f.name for f in fonts if not f.embedded]
    print(t(f"Đã chuyển {args.input} → {result.pdf} ({result.backend}, {result.seconds:.1f} giây; "
            f"phông nhúng: {', '.join(f.name for f in fonts if f.embedded) or '—'}).",
            f"Converted {args.input} → {result.pdf} ({result.backend}, {result.seconds:.1f} s; "
            f"embedded fonts: {', '.join(f.name for f in fonts if f.embedded) or '—'})."))
    if missing:
        print(t(f"Cảnh báo: phông chưa nhúng: {', '.join(missing)}.",
                f"Warning: fonts not embedded: {', '.join(missing)}."))
    return 0
