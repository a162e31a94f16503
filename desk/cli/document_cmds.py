"""Document commands: import, register, present, assign, progress, finish, list, show, search."""

from __future__ import annotations

import argparse
import json
import logging
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desk.cli.common import (
    actor,
    fmt_date,
    fmt_datetime,
    open_office,
    parse_date,
    print_table,
)
from desk.errors import DeskError, ValidationError
from desk.i18n import t
from desk.models import Opinion, Person, Unit
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
from desk.workflow import STATES, state_label


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help=t("nhập tệp PDF làm văn bản đến", "import PDFs as incoming"))
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--register", action="store_true", help=t("vào sổ ngay", "register at once"))
    p.set_defaults(func=cmd_import)

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

    p = sub.add_parser("return", help=t("trả lại lãnh đạo", "return to the leader"))
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


def _filters(session: object, args: argparse.Namespace) -> Filters:
    from desk.services.people import person_by_username

    for st in args.state:
        if args.direction and st not in STATES[args.direction] or not any(
                st in STATES[d] for d in STATES):
            raise ValidationError(f"Trạng thái không hợp lệ: {st}.", f"Unknown state: {st}.")
    for dt in args.doc_type:
        if dt not in DOC_TYPES_BY_CODE:
            raise ValidationError(f"Loại văn bản không hợp lệ: {dt}.", f"Unknown type: {dt}.")
    assignee = person_by_username(session, args.assignee).id if args.assignee else None  # type: ignore[arg-type]
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
    from desk.services.documents import find_duplicates, import_pdf
    from desk.services.registers import register_incoming

    failures = 0
    with open_office(args) as office:
        for path in args.files:
            try:
                with office.db.write() as s:
                    who = actor(s, args, Role.CLERK)
                    doc = import_pdf(s, office.blobs, path, who)
                    from desk.services.documents import DocumentInput

                    dups = find_duplicates(s, DocumentInput(
                        doc_type=doc.doc_type, subject=doc.subject, number=doc.number,
                        notation=doc.notation, issuer_name=doc.issuer_name,
                        edxml_document_id=doc.edxml_document_id), exclude_id=doc.id)
                    reg = register_incoming(s, doc, who) if args.register else None
                    print(t(f"#{doc.id}  {path.name}: {format_code(doc.number, doc.notation) or '—'}  "
                            f"{doc.subject}", f"#{doc.id}  {path.name}: "
                            f"{format_code(doc.number, doc.notation) or '—'}  {doc.subject}"))
                    if reg:
                        print(t(f"     số đến {reg.label}/{reg.year}", f"     incoming no. {reg.label}/{reg.year}"))
                    _warn_active_content(path)
                    for d in dups:
                        print(t(f"     ⚠ có thể trùng với văn bản #{d.document_id}: {d.subject}",
                                f"     ⚠ may duplicate document #{d.document_id}: {d.subject}"))
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
    n = len(args.files)
    print(t(f"Đã nhập {n - failures}/{n} tệp" + (f", {failures} tệp lỗi." if failures else "."),
            f"Imported {n - failures} of {n} files" + (f", {failures} failed." if failures else ".")))
    return 2 if failures else 0


def _warn_active_content(path: Path) -> None:
    from desk.i18n import language
    from signing.pdfsafety import scan_pdf

    risks = scan_pdf(path)
    if risks.risky:
        print(t("     ⚠ CẢNH BÁO: tệp ", "     ⚠ WARNING: the file ") + "; ".join(risks.describe(language())))


def cmd_register(args: argparse.Namespace) -> int:
    from desk.services.documents import get_document
    from desk.services.registers import register_incoming

    with open_office(args) as office, office.db.write() as s:
        reg = register_incoming(s, get_document(s, args.doc_id), actor(s, args, Role.CLERK), args.note)
        print(t(f"Đã vào sổ văn bản #{args.doc_id}: số đến {reg.label}"
                f"{' (sổ mật)' if reg.series == 'secret' else ''}, năm {reg.year}.",
                f"Registered document #{args.doc_id}: incoming no. {reg.label}"
                f"{' (secret register)' if reg.series == 'secret' else ''}, {reg.year}."))
    return 0


def cmd_present(args: argparse.Namespace) -> int:
    from desk.services.documents import get_document
    from desk.services.people import person_by_username
    from desk.services.routing import present

    with open_office(args) as office, office.db.write() as s:
        leader = person_by_username(s, args.leader) if args.leader else None
        present(s, get_document(s, args.doc_id), actor(s, args, Role.CLERK), leader, args.note)
        print(t(f"Đã trình văn bản #{args.doc_id}.", f"Presented document #{args.doc_id}."))
    return 0


def _target(session: object, who: str, role: AssignmentRole) -> object:
    from desk.services.people import person_by_username
    from desk.services.routing import AssignTarget

    if who.startswith("unit:"):
        try:
            uid = int(who[5:])
        except ValueError:
            raise ValidationError(f"Đơn vị không hợp lệ: {who}.", f"Invalid unit: {who}.") from None
        if session.get(Unit, uid) is None:  # type: ignore[attr-defined]
            raise ValidationError(f"Không có đơn vị #{uid}.", f"No unit #{uid}.")
        return AssignTarget(role, unit_id=uid)
    return AssignTarget(role, person_id=person_by_username(session, who).id)  # type: ignore[arg-type]


def cmd_assign(args: argparse.Namespace) -> int:
    from desk.clock import today
    from desk.services.documents import get_document
    from desk.services.routing import assign, deadline_from_working_days

    with open_office(args) as office, office.db.write() as s:
        targets = [_target(s, args.lead, AssignmentRole.LEAD)]
        targets += [_target(s, w, AssignmentRole.SUPPORT) for w in args.support]
        targets += [_target(s, w, AssignmentRole.INFO) for w in args.info]
        deadline: date | None
        if args.days is not None:
            deadline = deadline_from_working_days(today(), args.days, office.paths.calendar)
        else:
            deadline = parse_date(args.deadline) if args.deadline else None
        made = assign(s, get_document(s, args.doc_id), actor(s, args, Role.LEADER), targets,  # type: ignore[arg-type]
                      deadline, args.note)
        print(t(f"Đã phân công {len(made)} người/đơn vị xử lý văn bản #{args.doc_id}"
                f"{', hạn ' + fmt_date(deadline) if deadline else ''}.",
                f"Assigned document #{args.doc_id} to {len(made)}"
                f"{', due ' + fmt_date(deadline) if deadline else ''}."))
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from desk.services.documents import get_document
    from desk.services.routing import report_progress

    with open_office(args) as office, office.db.write() as s:
        report_progress(s, get_document(s, args.doc_id), actor(s, args), args.percent, args.text)
        print(t(f"Đã cập nhật tiến độ {args.percent}%.", f"Progress {args.percent}% recorded."))
    return 0


def cmd_opinion(args: argparse.Namespace) -> int:
    from desk.services.documents import get_document
    from desk.services.routing import add_opinion

    with open_office(args) as office, office.db.write() as s:
        add_opinion(s, get_document(s, args.doc_id), actor(s, args), args.text)
        print(t("Đã ghi ý kiến.", "Opinion recorded."))
    return 0


def cmd_finish(args: argparse.Namespace) -> int:
    from desk.services.documents import get_document
    from desk.services.routing import finish

    with open_office(args) as office, office.db.write() as s:
        doc = get_document(s, args.doc_id)
        finish(s, doc, actor(s, args), args.text)
        print(t(f"Văn bản #{doc.id}: {state_label(doc.direction, doc.state)}.",
                f"Document #{doc.id}: {state_label(doc.direction, doc.state)}."))
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    from desk.services.documents import get_document
    from desk.services.routing import return_to_leader

    with open_office(args) as office, office.db.write() as s:
        return_to_leader(s, get_document(s, args.doc_id), actor(s, args), args.reason)
        print(t("Đã trả lại lãnh đạo.", "Returned to the leader."))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from desk.search import count_documents, list_documents

    with open_office(args) as office, office.db.read() as s:
        f = _filters(s, args)
        hits = list_documents(s, f, limit=args.limit, offset=args.offset)
        total = count_documents(s, f)
    _print_hits(hits, args.json)
    if not args.json:
        print(t(f"{len(hits)} / {total} văn bản", f"{len(hits)} of {total} documents"))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        with office.db.read() as s:
            f = _filters(s, args)
        hits = office.search.search(args.query, f, limit=args.limit, offset=args.offset)
        total = office.search.count(args.query, f)
    _print_hits(hits, args.json)
    if not args.json:
        print(t(f"{len(hits)} / {total} kết quả", f"{len(hits)} of {total} results"))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from desk.services.documents import get_document
    from desk.services.registers import registration_of

    with open_office(args) as office, office.db.read() as s:
        d = get_document(s, args.doc_id)
        reg = registration_of(s, d.id, d.direction)
        people = {p.id: p for p in s.scalars(select(Person))}
        units = {u.id: u for u in s.scalars(select(Unit))}
        opinions = s.scalars(select(Opinion).where(Opinion.document_id == d.id)
                             .order_by(Opinion.id)).all()
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
        if args.json:
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
                "history": [{"at": e.at.isoformat(), "action": e.action, "to": e.to_state,
                             "status_code": e.status_code} for e in d.events],
            }, ensure_ascii=False, indent=1))
            return 0
        width = max(len(k) for k in info)
        for k, v in info.items():
            print(f"{k:<{width}}  {v}")
        if d.attachments:
            print(t("\nTệp đính kèm:", "\nFiles:"))
            for a in d.attachments:
                print(f"  {a.filename}  ({a.size:,} B)  {a.blob_sha256[:12]}")
        if d.assignments:
            print(t("\nPhân công:", "\nAssignments:"))
            for asg in d.assignments:
                who = people[asg.person_id].full_name if asg.person_id else units[asg.unit_id].name if asg.unit_id else ""
                print(f"  {AssignmentRole(asg.role).label:<9} {who:<30} {t('hạn', 'due')} "
                      f"{fmt_date(asg.deadline) or '—':<10}  {asg.progress}%  {asg.state}")
        if opinions:
            print(t("\nÝ kiến, tiến độ:", "\nOpinions and progress:"))
            for o in opinions:
                print(f"  {fmt_datetime(o.created_at)}  {people[o.person_id].full_name if o.person_id else ''}: {o.text}")
        print(t("\nLịch sử:", "\nHistory:"))
        for e in d.events:
            who = people[e.actor_id].full_name if e.actor_id in people else ""
            code = f" [{e.status_code}]" if e.status_code else ""
            print(f"  {fmt_datetime(e.at)}  {e.action:<10}{code:<6} → "
                  f"{state_label(d.direction, e.to_state):<16} {who}")
    return 0


def cmd_deadlines(args: argparse.Namespace) -> int:
    from desk.services.people import person_by_username
    from desk.services.routing import due_soon, overdue

    with open_office(args) as office, office.db.read() as s:
        pid = person_by_username(s, args.person).id if args.person else None
        late = overdue(s, person_id=pid, unit_id=args.unit)
        soon = due_soon(s, within_working_days=args.within, person_id=pid, unit_id=args.unit)
        names = {p.id: p.full_name for p in s.scalars(select(Person))}
        units = {u.id: u.name for u in s.scalars(select(Unit))}
    for title, items in ((t("QUÁ HẠN", "OVERDUE"), late), (t("SẮP ĐẾN HẠN", "DUE SOON"), soon)):
        print(f"{title} ({len(items)})")
        print_table(["#", t("Hạn", "Due"), t("Người/đơn vị", "Assignee"), t("Trích yếu", "Subject")],
                    [(i.document_id, fmt_date(i.deadline),
                      names.get(i.person_id or -1) or units.get(i.unit_id or -1, ""), i.subject)
                     for i in items], flex=3)
        print()
    return 0
