"""Document commands: import, register, present, assign, progress, finish, list, show, search."""

from __future__ import annotations

import argparse
import json
import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desk.cli.common import (
    actor_id,
    fmt_date,
    fmt_datetime,
    open_office,
    parse_date,
    print_table,
)
from desk.errors import DeskError, ValidationError
from desk.i18n import t
from desk.office import Office
from desk.reference import (
    CONFIDENTIALITY_LABELS,
    DOC_TYPES_BY_CODE,
    URGENCY_LABELS,
    AssignmentRole,
    Confidentiality,
    Role,
    Urgency,
    format_code,
    format_number,
)
from desk.search import Filters, Hit
from desk.services import actions, queries
from desk.services.routing import AssignTarget
from desk.workflow import STATES, state_label

if TYPE_CHECKING:
    from desk.office import Office
    from desk.services.listings import DocumentRecord


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help=t("nhập tệp PDF, DOCX, ODT làm văn bản đến",
                                          "import PDF, DOCX, ODT files as incoming"))
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--register", action="store_true", help=t("vào sổ ngay", "register at once"))
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("edit", help=t("sửa thông tin văn bản (ghi vào lịch sử)", "correct a document's fields"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--code", help=t("số, ký hiệu: 15/QĐ-UBND", "number and notation: 15/QĐ-UBND"))
    p.add_argument("--number")
    p.add_argument("--notation")
    p.add_argument("--date", help=t("ngày ban hành dd/mm/yyyy", "date issued dd/mm/yyyy"))
    p.add_argument("--subject")
    p.add_argument("--type", dest="doc_type")
    p.add_argument("--issuer", dest="issuer_name")
    p.add_argument("--signer", dest="signer_name")
    p.add_argument("--position", dest="signer_position")
    p.add_argument("--place")
    p.add_argument("--confirm", action="append", metavar="FIELD",
                   choices=("doc_type", "number", "notation", "issued_date", "issuer_name", "subject",
                            "signer_name"),
                   help=t("xác nhận trường đã đọc đúng", "confirm a pre-filled field is right"))
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("register", help=t("vào sổ văn bản đến", "register an incoming document"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--note")
    p.set_defaults(func=cmd_register)

    p = sub.add_parser("present", help=t("trình lãnh đạo", "present to a leader"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--leader", help=t("tên đăng nhập lãnh đạo", "leader's username"))
    p.add_argument("--note")
    p.set_defaults(func=cmd_present)

    p = sub.add_parser("assign", help=t("phân công xử lý", "assign"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--lead", required=True, metavar="WHO",
                   help=t("chủ trì: tên đăng nhập hoặc unit:SỐ", "lead: username or unit:ID"))
    p.add_argument("--support", action="append", default=[], metavar="WHO", help=t("phối hợp", "support"))
    p.add_argument("--info", action="append", default=[], metavar="WHO", help=t("để biết", "for information"))
    g = p.add_mutually_exclusive_group()
    g.add_argument("--days", type=int, help=t("hạn xử lý: số ngày làm việc", "deadline in working days"))
    g.add_argument("--deadline", help=t("hạn xử lý dd/mm/yyyy", "deadline dd/mm/yyyy"))
    p.add_argument("--note")
    p.set_defaults(func=cmd_assign)

    p = sub.add_parser("progress", help=t("cập nhật tiến độ", "report progress"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--percent", type=int, required=True)
    p.add_argument("--text", required=True)
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("opinion", help=t("cho ý kiến", "add an opinion"))
    p.add_argument("doc_id", type=int)
    p.add_argument("text")
    p.set_defaults(func=cmd_opinion)

    p = sub.add_parser("finish", help=t("hoàn thành xử lý", "finish"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--text")
    p.set_defaults(func=cmd_finish)

    p = sub.add_parser("return", help=t("trả lại: văn bản đến cho lãnh đạo, dự thảo cho người soạn",
                                        "return: an incoming document to the leader, a draft to its author"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_return)

    p = sub.add_parser("list", help=t("danh sách văn bản", "list documents"))
    _filter_args(p)
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("search", help=t("tìm kiếm", "search"))
    p.add_argument("query")
    _filter_args(p)
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help=t("xem văn bản", "show a document"))
    p.add_argument("doc_id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("deadlines", help=t("văn bản quá hạn và sắp đến hạn", "overdue and due soon"))
    p.add_argument("--person", help=t("tên đăng nhập", "username"))
    p.add_argument("--unit", type=int)
    p.add_argument("--within", type=int, default=2, help=t("số ngày làm việc", "working days"))
    p.set_defaults(func=cmd_deadlines)


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--direction", choices=("in", "out"))
    p.add_argument("--state", action="append", default=[])
    p.add_argument("--type", dest="doc_type", action="append", default=[])
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--assignee", help=t("tên đăng nhập người xử lý", "assignee username"))
    p.add_argument("--urgent", action="store_true", help=t("chỉ văn bản khẩn trở lên", "urgent only"))


def _filters(office: Office, args: argparse.Namespace) -> Filters:
    for st in args.state:
        if args.direction and st not in STATES[args.direction] or not any(
                st in STATES[d] for d in STATES):
            raise ValidationError(f"Trạng thái không hợp lệ: {st}.", f"Unknown state: {st}.")
    for dt in args.doc_type:
        if dt not in DOC_TYPES_BY_CODE:
            raise ValidationError(f"Loại văn bản không hợp lệ: {dt}.", f"Unknown type: {dt}.")
    assignee = actions.resolve_actor(office, args.assignee) if args.assignee else None
    return Filters(direction=args.direction, states=args.state, doc_types=args.doc_type,
                   date_from=parse_date(args.date_from) if args.date_from else None,
                   date_to=parse_date(args.date_to) if args.date_to else None,
                   assignee_id=assignee, urgency_min=1 if args.urgent else None)


def _print_hits(hits: list[Hit], as_json: bool) -> None:
    if as_json:
        print(json.dumps([{
            "id": h.id, "direction": h.direction, "state": h.state, "type": h.doc_type,
            "code": format_code(h.number, h.notation), "issuer": h.issuer_name,
            "issued": h.issued_date.isoformat() if h.issued_date else None,
            "subject": h.subject, "urgency": h.urgency,
            "due": h.due_date.isoformat() if h.due_date else None} for h in hits],
            ensure_ascii=False, indent=1))
        return
    rows = [(h.id, t("Đến", "In") if h.direction == "in" else t("Đi", "Out"),
             state_label(h.direction, h.state), format_code(h.number, h.notation),
             fmt_date(h.issued_date), h.subject) for h in hits]
    print_table(["#", t("Chiều", "Dir"), t("Trạng thái", "State"), t("Số, ký hiệu", "Code"),
                 t("Ngày", "Date"), t("Trích yếu", "Subject")], rows, flex=5)


def cmd_import(args: argparse.Namespace) -> int:
    import sys

    from desk.docmeta import FIELD_LABELS
    from desk.signatures import check_files, describe_record, office_trust

    failures = 0
    with open_office(args) as office:
        trust = office_trust(office)
        for path in args.files:
            prepared = None
            try:
                try:
                    # Reading (OCR, conversion) and the signatures' check happen before the
                    # write transaction, not inside it.
                    prepared = actions.read_file(path)
                except ValidationError as exc:
                    if exc.code == "edxml_file" and _import_edxml(office, path):
                        continue
                    raise
                verdicts = check_files([(path.name, path)], trust) if path.is_file() else {}
                done: actions.Imported = actions.import_checked(
                    office, prepared, actor_id(office, args, Role.CLERK), verdicts, register=args.register).value
                doc_id, reg = done.doc_id, done.registration
                print(f"#{doc_id}  {path.name}: {done.code or '—'}  {done.subject}")
                if reg:
                    print(t(f"     số đến {reg.label}/{reg.year}", f"     incoming no. {reg.label}/{reg.year}"))
                elif args.register:
                    names = ", ".join(t(*FIELD_LABELS.get(n, (n, n))) for n in done.unsure)
                    print(t(f"     chờ vào sổ: cần kiểm tra {names or 'văn bản có thể trùng'}",
                            f"     awaiting registration: check {names or 'the possible duplicate'}"))
                for name in done.handwritten:
                    print("     " + by_hand_note(name))
                for name, rec in verdicts.items():
                    print("     " + describe_record(name, rec, t("vi", "en"))[0])
                _warn_active_content(path)
                for d in done.duplicates:
                    print(t(f"     ⚠ có thể trùng với văn bản #{d.document_id}: {d.subject}",
                            f"     ⚠ may duplicate document #{d.document_id}: {d.subject}"))
                if prepared.ocr_error:
                    print(t(f"     ⚠ {prepared.ocr_error}", f"     ⚠ {prepared.ocr_error}"))
                if prepared.ocr_pending:
                    # The other pages of a scan, for the search index: OCR outside any transaction.
                    from desk.docread import ocr_remaining

                    def progress(k: int, n: int, name: str = path.name) -> None:
                        print(t(f"     nhận dạng chữ {name}: trang {k}/{n}", f"     OCR {name}: page {k}/{n}"),
                              file=sys.stderr)

                    try:
                        text = ocr_remaining(prepared, progress=progress)
                    except DeskError as exc:  # OCR failing leaves the document as imported
                        print(t(f"     ⚠ {exc.vi}", f"     ⚠ {exc.en}"))
                    else:
                        actions.store_ocr_text(office, doc_id, text)
            except DeskError as exc:
                failures += 1
                print(t(f"Lỗi  {path.name}: ", f"Error  {path.name}: ") + str(exc))
            except Exception as exc:  # one bad file never stops the batch  # noqa: BLE001
                failures += 1
                logging.getLogger(__name__).exception("import of %s failed", path)
                print(t(f"Lỗi  {path.name}: không nhập được tệp này ({type(exc).__name__}); "
                        "chi tiết trong nhật ký.",
                        f"Error  {path.name}: could not import this file ({type(exc).__name__}); "
                        "details are in the log."))
            finally:
                if prepared is not None:
                    prepared.cleanup()
    n = len(args.files)
    print(t(f"Đã nhập {n - failures}/{n} tệp" + (f", {failures} tệp lỗi." if failures else "."),
            f"Imported {n - failures} of {n} files" + (f", {failures} failed." if failures else ".")))
    return 2 if failures else 0


def by_hand_note(field_name: str) -> str:
    """What `desk import` and `desk show` say of a field the reader found written by hand."""
    if field_name == "number":
        return t("⚠ số viết tay — văn thư kiểm tra lại trên văn bản",
                 "⚠ number written by hand — the clerk checks it on the document")
    return t("⚠ ngày có thể viết tay — văn thư kiểm tra lại trên văn bản",
             "⚠ day probably written by hand — the clerk checks it on the document")


def _warn_active_content(path: Path) -> None:
    from desk.i18n import language
    from signing.pdfsafety import scan_pdf

    if path.suffix.lower() != ".pdf":
        return
    risks = scan_pdf(path)
    if risks.risky:
        print(t("     ⚠ CẢNH BÁO: tệp ", "     ⚠ WARNING: the file ") + "; ".join(risks.describe(language())))


def _import_edxml(office: Office, path: Path) -> bool:
    """An edXML package given to `desk import`: taken in as `desk edxml import` does."""
    from sync.engine.files import import_packages

    r = import_packages(office, [path])
    print(t(f"{path.name}: gói edXML, đã nhận {r.received} văn bản, {r.statuses} trạng thái.",
            f"{path.name}: edXML package, took in {r.received} documents, {r.statuses} statuses."))
    for e in r.errors:
        print(t("  Lỗi: ", "  Error: ") + e)
    return not r.errors


def cmd_edit(args: argparse.Namespace) -> int:
    changes: dict[str, object] = {}
    if args.code:
        from desk.docmeta import parse_code

        number, notation, _ = parse_code(args.code)
        if not number or not notation:
            raise ValidationError(f"Số, ký hiệu không đúng dạng 15/QĐ-UBND: {args.code}.",
                                  f"Not a number and notation like 15/QĐ-UBND: {args.code}.")
        changes.update(number=number, notation=notation)
    for name in ("number", "notation", "subject", "issuer_name", "signer_name", "signer_position", "place"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value.strip() or None
    if args.date:
        changes["issued_date"] = parse_date(args.date)
    if args.doc_type:
        if args.doc_type not in DOC_TYPES_BY_CODE:
            raise ValidationError(f"Loại văn bản không hợp lệ: {args.doc_type}.", f"Unknown type: {args.doc_type}.")
        changes["doc_type"] = args.doc_type
    confirm = list(args.confirm or [])
    if not changes and not confirm:
        raise ValidationError("Không có gì để sửa: dùng --number, --date, --subject … hoặc --confirm.",
                              "Nothing to edit: use --number, --date, --subject … or --confirm.")
    with open_office(args) as office:
        code, subject = actions.edit(office, args.doc_id, actor_id(office, args, Role.CLERK), changes,
                                     confirm=confirm).value
        print(t(f"Đã sửa văn bản #{args.doc_id}: {code or '—'}  {subject}",
                f"Edited document #{args.doc_id}: {code or '—'}  {subject}"))
    return 0


def cmd_register(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        reg = actions.register(office, args.doc_id, actor_id(office, args, Role.CLERK), None, args.note).value
        print(t(f"Đã vào sổ văn bản #{args.doc_id}: số đến {reg.label}"
                f"{' (sổ mật)' if reg.series == 'secret' else ''}, năm {reg.year}.",
                f"Registered document #{args.doc_id}: incoming no. {reg.label}"
                f"{' (secret register)' if reg.series == 'secret' else ''}, {reg.year}."))
    return 0


def cmd_present(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        leader = actions.resolve_actor(office, args.leader, Role.LEADER) if args.leader else None
        actions.present(office, [args.doc_id], actor_id(office, args, Role.CLERK), leader, args.note)
        print(t(f"Đã trình văn bản #{args.doc_id}.", f"Presented document #{args.doc_id}."))
    return 0


def _target(office: Office, who: str, role: AssignmentRole) -> AssignTarget:
    if who.startswith("unit:"):
        try:
            uid = int(who[5:])
        except ValueError:
            raise ValidationError(f"Đơn vị không hợp lệ: {who}.", f"Invalid unit: {who}.") from None
        if uid not in {u for u, _name in queries.units(office)}:
            raise ValidationError(f"Không có đơn vị #{uid}.", f"No unit #{uid}.")
        return AssignTarget(role, unit_id=uid)
    return AssignTarget(role, person_id=actions.resolve_actor(office, who))


def cmd_assign(args: argparse.Namespace) -> int:
    from desk.clock import today
    from desk.services.routing import deadline_from_working_days

    with open_office(args) as office:
        targets = [_target(office, args.lead, AssignmentRole.LEAD)]
        targets += [_target(office, w, AssignmentRole.SUPPORT) for w in args.support]
        targets += [_target(office, w, AssignmentRole.INFO) for w in args.info]
        deadline: date | None
        if args.days is not None:
            deadline = deadline_from_working_days(today(), args.days, office.paths.calendar)
        else:
            deadline = parse_date(args.deadline) if args.deadline else None
        made = actions.assign(office, args.doc_id, actor_id(office, args, Role.LEADER), targets, deadline,
                              args.note).count
        print(t(f"Đã phân công {made} người/đơn vị xử lý văn bản #{args.doc_id}"
                f"{', hạn ' + fmt_date(deadline) if deadline else ''}.",
                f"Assigned document #{args.doc_id} to {made}"
                f"{', due ' + fmt_date(deadline) if deadline else ''}."))
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        actions.report_progress(office, args.doc_id, actor_id(office, args), args.percent, args.text)
        print(t(f"Đã cập nhật tiến độ {args.percent}%.", f"Progress {args.percent}% recorded."))
    return 0


def cmd_opinion(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        actions.add_opinion(office, args.doc_id, actor_id(office, args), args.text)
        print(t("Đã ghi ý kiến.", "Opinion recorded."))
    return 0


def cmd_finish(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        actions.finish(office, args.doc_id, actor_id(office, args), args.text)
        print(t(f"Văn bản #{args.doc_id}: {state_label('in', 'done')}.",
                f"Document #{args.doc_id}: {state_label('in', 'done')}."))
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    """An incoming document back to the leader, or an outgoing draft back to its author."""
    with open_office(args) as office:
        actions.return_document(office, args.doc_id, actor_id(office, args), args.reason)
        print(t(f"Đã trả lại văn bản #{args.doc_id}.", f"Returned document #{args.doc_id}."))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        f = _filters(office, args)
        hits = queries.page(office, f, limit=args.limit, offset=args.offset)
        total = queries.count(office, f)
    _print_hits(hits, args.json)
    if not args.json:
        print(t(f"{len(hits)} / {total} văn bản", f"{len(hits)} of {total} documents"))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        f = _filters(office, args)
        hits = office.search.search(args.query, f, limit=args.limit, offset=args.offset)
        total = office.search.count(args.query, f)
    _print_hits(hits, args.json)
    if not args.json:
        print(t(f"{len(hits)} / {total} kết quả", f"{len(hits)} of {total} results"))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from desk.services.listings import document_record

    with open_office(args) as office:
        record = document_record(office, args.doc_id)
    _print_document(record, args.json)
    return 0


def _print_document(record: DocumentRecord, as_json: bool) -> None:
    from desk.signatures import describe_record

    d, reg, recipients, unsure = record.doc, record.registration, record.recipients, record.unsure
    people, units = record.people, record.units
    dtype = DOC_TYPES_BY_CODE.get(d.doc_type)
    info = {
        t("Văn bản", "Document"): f"#{d.id} ({t('đến', 'incoming') if d.direction == 'in' else t('đi', 'outgoing')})",
        t("Trạng thái", "State"): state_label(d.direction, d.state),
        t("Loại", "Type"): dtype.name if dtype else d.doc_type,
        t("Số, ký hiệu", "Number"): format_code(d.number, d.notation),
        t("Cơ quan ban hành", "Issuer"): f"{d.issuer_name or ''} ({d.issuer_code or '—'})",
        t("Ngày ban hành", "Issued"): fmt_date(d.issued_date),
        t("Trích yếu", "Subject"): d.subject,
        t("Người ký", "Signer"): " ".join(filter(None, [d.signer_competence, d.signer_position, d.signer_name])),
        t("Độ khẩn", "Urgency"): URGENCY_LABELS[Urgency(d.urgency)],
        t("Độ mật", "Confidentiality"): CONFIDENTIALITY_LABELS[Confidentiality(d.confidentiality)],
        t("Hạn xử lý", "Due"): fmt_date(d.due_date),
        t("Số trang", "Pages"): d.page_count or "",
        t("Sổ", "Register"): (f"{format_number(reg.number)}/{reg.year}"
                              f"{' (mật)' if reg.series == 'secret' else ''}" if reg else "—"),
        "DocumentId": d.edxml_document_id or "",
    }
    if as_json:
        print(json.dumps({
            "id": d.id, "direction": d.direction, "state": d.state, "type": d.doc_type,
            "number": d.number, "notation": d.notation, "issuer_code": d.issuer_code,
            "issuer_name": d.issuer_name,
            "issued": d.issued_date.isoformat() if d.issued_date else None,
            "subject": d.subject, "urgency": d.urgency, "confidentiality": d.confidentiality,
            "register": {"number": reg.number, "year": reg.year, "series": reg.series} if reg else None,
            "attachments": [{"name": a.filename, "sha256": a.blob_sha256, "size": a.size}
                            for a in d.attachments],
            "assignments": [{"role": a.role, "person": a.person_id, "unit": a.unit_id,
                             "state": a.state, "deadline": a.deadline.isoformat() if a.deadline else None}
                            for a in d.assignments],
            "recipients": [
                {**r, "status_at": r["status_at"].isoformat() if r["status_at"] else None}  # type: ignore[attr-defined]
                for r in recipients],
            "history": [{"at": e.at.isoformat(), "action": e.action, "to": e.to_state,
                         "status_code": e.status_code} for e in d.events],
            "signatures": record.signatures,
            "unsure_fields": {n: {"confidence": c.confidence, "source": c.source, "handwritten": c.handwritten}
                              for n, c in unsure.items()},
        }, ensure_ascii=False, indent=1))
        return
    marks = {t("Loại", "Type"): ("doc_type",), t("Số, ký hiệu", "Number"): ("number", "notation"),
             t("Cơ quan ban hành", "Issuer"): ("issuer_name",), t("Ngày ban hành", "Issued"): ("issued_date",),
             t("Trích yếu", "Subject"): ("subject",), t("Người ký", "Signer"): ("signer_name",)}
    width = max(len(k) for k in info)
    for k, v in info.items():
        flagged = [unsure[n] for n in marks.get(k, ()) if n in unsure]
        note = ""
        if flagged:
            c = min(flagged, key=lambda x: x.confidence)
            note = t(f"   ⚠ cần kiểm tra (độ tin cậy {c.confidence:.0%})",
                     f"   ⚠ check this (confidence {c.confidence:.0%})")
            by_hand = next((x for x in flagged if x.handwritten), None)
            if by_hand is not None:
                note = "   " + by_hand_note(by_hand.name)
        print(f"{k:<{width}}  {v}{note}")
    if recipients:
        print(t("\nNơi nhận:", "\nRecipients:"))
        for r in recipients:
            if d.direction == "in":  # the nơi nhận of someone else's document
                print(f"  {r['org_code'] or '—':<15} {r['name']}")
                continue
            code = f"{r['status_code']} {r['status']}" if r["status_code"] else (
                t("chưa có trạng thái", "no status yet"))
            when = fmt_datetime(r["status_at"]) if r["status_at"] else ""  # type: ignore[arg-type]
            line = f"  {r['org_code'] or '—':<15} {r['name']}  [{code}]"
            line += f"  {when}" if when else ""
            line += f"  {r['description']}" if r["description"] else ""
            print(line)
            if r["delivery_error"]:
                print(f"  {'':<15} ! {r['delivery']}")
    if d.attachments:
        print(t("\nTệp đính kèm:", "\nFiles:"))
        for a in d.attachments:
            print(f"  {a.filename}  ({a.size:,} B)  {a.blob_sha256[:12]}")
    verdicts = record.signatures
    if verdicts:
        print(t("\nChữ ký số (kiểm tra khi tiếp nhận):", "\nDigital signatures (checked on arrival):"))
        for name, rec in verdicts.items():
            for line in describe_record(name, rec, t("vi", "en")):
                print(f"  {line}")
    if d.assignments:
        print(t("\nPhân công:", "\nAssignments:"))
        for asg in d.assignments:
            who = people[asg.person_id] if asg.person_id else units[asg.unit_id] if asg.unit_id else ""
            print(f"  {AssignmentRole(asg.role).label:<9} {who:<30} {t('hạn', 'due')} "
                  f"{fmt_date(asg.deadline) or '—':<10}  {asg.progress}%  {asg.state}")
    if record.opinions:
        print(t("\nÝ kiến, tiến độ:", "\nOpinions and progress:"))
        for at, person_id, text in record.opinions:
            print(f"  {fmt_datetime(at)}  {people[person_id] if person_id else ''}: {text}")
    print(t("\nLịch sử:", "\nHistory:"))
    for e in d.events:
        who = people.get(e.actor_id or 0, "")
        code = f" [{e.status_code}]" if e.status_code else ""
        print(f"  {fmt_datetime(e.at)}  {e.action:<10}{code:<6} → "
              f"{state_label(d.direction, e.to_state):<16} {who}")


def cmd_deadlines(args: argparse.Namespace) -> int:
    from desk.services.listings import deadlines

    with open_office(args) as office:
        due = deadlines(office, person=args.person, unit_id=args.unit, within=args.within)
    names, units = due.people, due.units
    for title, items in ((t("QUÁ HẠN", "OVERDUE"), due.overdue), (t("SẮP ĐẾN HẠN", "DUE SOON"), due.due_soon)):
        print(f"{title} ({len(items)})")
        print_table(["#", t("Hạn", "Due"), t("Người/đơn vị", "Assignee"), t("Trích yếu", "Subject")],
                    [(i.document_id, fmt_date(i.deadline),
                      names.get(i.person_id or -1) or units.get(i.unit_id or -1, ""), i.subject)
                     for i in items], flex=3)
        print()
    return 0
