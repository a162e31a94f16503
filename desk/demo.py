"""A realistic demo office: a district People's Committee with its units, people,
correspondents and documents in every state.

Bulk-inserted through SQLAlchemy Core (100,000 documents in well under a
minute), with register numbers that follow the real rules (per year, from 01,
secret series apart) so that the demo passes the same checks as real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, text

from desk import audit
from desk.clock import now
from desk.docpdf import PageSpec, render
from desk.models import (
    Assignment,
    Attachment,
    Blob,
    Document,
    DocumentEvent,
    DocumentText,
    Opinion,
    Recipient,
    RegisterCounter,
    RegisterEntry,
)
from desk.office import Office
from desk.reference import DOC_TYPES_BY_CODE, format_number
from desk.services import people

SELF = ("000.00.12.H49", "Ủy ban nhân dân huyện Tiên Yên", "Tiên Yên", "UBND")
PARENT = "000.00.00.H49"
CORRESPONDENTS = [
    ("000.00.00.H49", "Ủy ban nhân dân tỉnh Quảng Ninh", "UBND"),
    ("000.00.01.H49", "Văn phòng Ủy ban nhân dân tỉnh Quảng Ninh", "VP"),
    ("000.00.02.H49", "Sở Nội vụ tỉnh Quảng Ninh", "SNV"),
    ("000.00.03.H49", "Sở Tài chính tỉnh Quảng Ninh", "STC"),
    ("000.00.04.H49", "Sở Kế hoạch và Đầu tư tỉnh Quảng Ninh", "SKHĐT"),
    ("000.00.05.H49", "Sở Tài nguyên và Môi trường tỉnh Quảng Ninh", "STNMT"),
    ("000.00.06.H49", "Sở Giáo dục và Đào tạo tỉnh Quảng Ninh", "SGDĐT"),
    ("000.00.07.H49", "Sở Y tế tỉnh Quảng Ninh", "SYT"),
    ("000.00.08.H49", "Sở Nông nghiệp và Môi trường tỉnh Quảng Ninh", "SNNMT"),
    ("000.00.09.H49", "Sở Xây dựng tỉnh Quảng Ninh", "SXD"),
    ("000.00.10.H49", "Công an tỉnh Quảng Ninh", "CAT"),
    ("000.00.11.H49", "Ủy ban nhân dân thành phố Hạ Long", "UBND"),
    ("000.00.13.H49", "Ủy ban nhân dân huyện Đầm Hà", "UBND"),
    ("000.00.14.H49", "Ủy ban nhân dân huyện Bình Liêu", "UBND"),
    ("000.01.12.H49", "Ủy ban nhân dân xã Đông Ngũ", "UBND"),
    ("000.02.12.H49", "Ủy ban nhân dân xã Hải Lạng", "UBND"),
    ("000.03.12.H49", "Ủy ban nhân dân xã Đại Dực", "UBND"),
    ("000.00.04.G14", "Văn phòng Chính phủ", "VPCP"),
]
UNITS = [
    ("Văn phòng HĐND và UBND", "VP"),
    ("Phòng Nội vụ", "NV"),
    ("Phòng Tài chính - Kế hoạch", "TCKH"),
    ("Phòng Tài nguyên và Môi trường", "TNMT"),
    ("Phòng Giáo dục và Đào tạo", "GDĐT"),
    ("Phòng Kinh tế và Hạ tầng", "KTHT"),
    ("Phòng Văn hóa và Thông tin", "VHTT"),
    ("Phòng Y tế", "YT"),
]
PEOPLE = [
    # username, full name, roles, position, unit index
    ("vanthu", "Nguyễn Thị Lan", ["van_thu"], "Văn thư", 0),
    ("vanthu2", "Hoàng Thị Mai", ["van_thu"], "Văn thư", 0),
    ("chutich", "Trần Văn Đức", ["lanh_dao"], "Chủ tịch", None),
    ("phochutich", "Phạm Thị Hồng", ["lanh_dao"], "Phó Chủ tịch", None),
    ("chanhvp", "Vũ Quang Huy", ["lanh_dao", "chuyen_vien"], "Chánh Văn phòng", 0),
    ("tpnoivu", "Đặng Minh Tuấn", ["lanh_dao", "chuyen_vien"], "Trưởng phòng Nội vụ", 1),
    ("cv.dat", "Lê Minh Đạt", ["chuyen_vien"], "Chuyên viên", 1),
    ("cv.ha", "Bùi Thu Hà", ["chuyen_vien"], "Chuyên viên", 2),
    ("cv.son", "Ngô Thanh Sơn", ["chuyen_vien"], "Chuyên viên", 3),
    ("cv.linh", "Đỗ Khánh Linh", ["chuyen_vien"], "Chuyên viên", 4),
    ("cv.nam", "Phan Văn Nam", ["chuyen_vien"], "Chuyên viên", 5),
    ("cv.yen", "Trịnh Hải Yến", ["chuyen_vien"], "Chuyên viên", 6),
    ("cv.quang", "Lý Văn Quang", ["chuyen_vien"], "Chuyên viên", 7),
]
ACTIONS = [
    "triển khai thực hiện", "tăng cường công tác", "báo cáo kết quả thực hiện", "đề nghị hỗ trợ kinh phí",
    "phê duyệt kế hoạch", "tổ chức kiểm tra", "hướng dẫn thực hiện", "đôn đốc thực hiện",
    "góp ý dự thảo", "giao chỉ tiêu", "điều chỉnh dự toán", "tổng kết", "rà soát, đánh giá",
    "thành lập Tổ công tác", "kiện toàn Ban chỉ đạo", "phân bổ vốn", "cử cán bộ tham dự",
    "xin ý kiến về", "chấn chỉnh", "tuyên truyền",
]
TOPICS = [
    "công tác phòng, chống thiên tai và tìm kiếm cứu nạn", "Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
    "cải cách hành chính", "chuyển đổi số và Đề án 06", "quản lý đất đai và khoáng sản",
    "bảo đảm an toàn thực phẩm", "phòng cháy, chữa cháy rừng", "tiêm chủng mở rộng",
    "giải ngân vốn đầu tư công", "tuyển dụng công chức cấp xã", "bảo vệ môi trường",
    "phòng, chống tham nhũng, tiêu cực", "thu ngân sách nhà nước", "xây dựng trường chuẩn quốc gia",
    "giảm nghèo bền vững", "an toàn giao thông", "phòng, chống dịch bệnh gia súc, gia cầm",
    "quản lý trật tự xây dựng", "cấp giấy chứng nhận quyền sử dụng đất", "đào tạo, bồi dưỡng cán bộ",
    "tiếp công dân và giải quyết khiếu nại, tố cáo", "phát triển du lịch cộng đồng",
    "bảo hiểm xã hội, bảo hiểm y tế", "thi đua, khen thưởng", "sắp xếp đơn vị hành chính cấp xã",
]
SCOPES = [
    "trên địa bàn huyện", "năm 2026", "quý IV năm 2026", "giai đoạn 2026 - 2030", "6 tháng đầu năm",
    "tại các xã vùng cao", "trong dịp Tết Nguyên đán", "mùa mưa bão", "đợt 2", "tháng 11",
]
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về việc {t};",
    "Để kịp thời {a} {t}, đề nghị các đơn vị khẩn trương triển khai các nội dung sau:",
    "Các phòng, ban, ngành và Ủy ban nhân dân các xã chủ động xây dựng kế hoạch cụ thể.",
    "Báo cáo kết quả thực hiện gửi về Văn phòng trước ngày 25 hằng tháng để tổng hợp.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời phản ánh về cơ quan thường trực.",
    "Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp với các đơn vị liên quan tham mưu {a} {t}.",
    "Kinh phí thực hiện từ nguồn ngân sách địa phương và các nguồn huy động hợp pháp khác.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong giải quyết thủ tục hành chính.",
    "Tăng cường kiểm tra, giám sát, xử lý nghiêm các trường hợp vi phạm theo quy định của pháp luật.",
]
TYPE_WEIGHTS = [("CV", 40), ("QD", 12), ("TB", 8), ("KH", 7), ("BC", 9), ("TTR", 5), ("GM", 6),
                ("HD", 3), ("CT", 2), ("CTR", 2), ("BB", 2), ("NQ", 1), ("QC", 1)]
IN_STATES = [("done", 52), ("in_progress", 25), ("presented", 6), ("registered", 5),
             ("received", 8), ("refused", 2), ("revoked", 2)]
# Recent documents are still moving; older ones have reached their end.
IN_RECENT = [("received", 15), ("registered", 10), ("presented", 12), ("in_progress", 40),
             ("done", 20), ("refused", 2), ("revoked", 1)]
OUT_RECENT = [("draft", 25), ("in_review", 10), ("awaiting_signature", 20), ("awaiting_release", 10),
              ("released", 35)]
OUT_STATES = [("released", 85), ("draft", 5), ("awaiting_signature", 5),
              ("awaiting_release", 3), ("revoked", 2)]
FULL_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Quốc Cường", "Phạm Minh Châu", "Hoàng Văn Dũng",
              "Vũ Thị Giang", "Đặng Văn Hải", "Bùi Thị Hương", "Đỗ Quang Khải", "Ngô Thị Loan"]
POSITIONS = [("", "Chủ tịch"), ("KT. CHỦ TỊCH", "Phó Chủ tịch"), ("", "Giám đốc"),
             ("KT. GIÁM ĐỐC", "Phó Giám đốc"), ("TL. CHỦ TỊCH", "Chánh Văn phòng")]


@dataclass
class DemoResult:
    documents: int
    with_pdf: int
    seconds: float


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _subject(rng: random.Random, dtype: str) -> tuple[str, str, str]:
    a, t_, s = rng.choice(ACTIONS), rng.choice(TOPICS), rng.choice(SCOPES)
    lead = "Về việc " if dtype != "CV" else ""
    return f"{lead}{a} {t_} {s}".strip(), a, t_


def _body(rng: random.Random, a: str, t_: str) -> list[str]:
    k = rng.randint(4, 7)
    return [s.format(a=a, t=t_) for s in rng.sample(SENTENCES, k)]


def seed(office: Office, documents: int = 300, *, pdfs: int = 60, seed_value: int = 2026,
         end: date | None = None) -> DemoResult:
    """Fill an empty office with people, correspondents and ``documents`` documents."""
    import time as _time

    t0 = _time.perf_counter()
    rng = random.Random(seed_value)
    end = end or now().date()
    # A small demo covers the last months, a large one two years and more.
    start = end - timedelta(days=180) if documents < 2000 else date(end.year - 2, 1, 1)
    with office.db.write() as s:
        people.init_office(s, SELF[0], SELF[1], place=SELF[2], notation=SELF[3],
                           parent_code=PARENT, actor="demo")
        for code, name, _ in CORRESPONDENTS:
            people.upsert_organization(s, code, name)
        units = [people.add_unit(s, n, k, actor="demo") for n, k in UNITS]
        persons = [people.add_person(s, u, fn, roles, position=pos,
                                     unit=units[ui] if ui is not None else None, actor="demo")
                   for u, fn, roles, pos, ui in PEOPLE]
    clerk = persons[0].id
    leaders = [p.id for p in persons if "lanh_dao" in {r.role for r in p.roles}]
    specialists = [(p.id, p.unit_id) for p in persons if "chuyen_vien" in {r.role for r in p.roles}]
    unit_ids = [u.id for u in units]

    span = (end - start).days
    dates = sorted(start + timedelta(days=rng.randrange(span + 1)) for _ in range(documents))
    counters: dict[tuple[str, str, int], int] = {}
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "documents", "texts", "events", "entries", "assignments", "opinions", "recipients",
        "attachments", "blobs")}
    blob_seen: set[str] = set()
    pdf_budget = pdfs
    today = end
    for i, day in enumerate(dates, start=1):
        direction = "in" if rng.random() < 0.7 else "out"
        dtype = _weighted(rng, TYPE_WEIGHTS)
        tinfo = DOC_TYPES_BY_CODE[dtype]
        subject, a, t_ = _subject(rng, dtype)
        body = _body(rng, a, t_)
        secret = rng.random() < 0.02
        urgency = rng.choices([0, 1, 2, 3], weights=[85, 10, 4, 1])[0]
        at = datetime.combine(day, time(rng.randint(7, 16), rng.randint(0, 59)))
        comp, pos = rng.choice(POSITIONS)
        if direction == "in":
            org_code, org_name, org_notation = rng.choice(CORRESPONDENTS)
            age = (today - day).days
            state = _weighted(rng, IN_RECENT if age <= 30 else IN_STATES)
            if age < 3 and state == "done":
                state = "in_progress"
            elif age > 60 and state not in ("done", "refused", "revoked"):
                state = "done"  # old work is finished; what is open is recent
            number = format_number(rng.randint(1, 3000))
            notation = f"{tinfo.abbreviation}-{org_notation}" if tinfo.abbreviation else org_notation
            signer = rng.choice(FULL_NAMES)
            source = "exchange" if rng.random() < 0.75 else "paper"
            edxml_id = f"{org_code},{day:%Y/%m/%d},{number}/{notation}" if source == "exchange" else None
        else:
            org_code, org_name, org_notation = SELF[0], SELF[1], SELF[3]
            recent = (today - day).days <= 30
            state = _weighted(rng, OUT_RECENT if recent else OUT_STATES)
            if not recent and state != "revoked":
                state = "released"
            number, notation = None, (f"{tinfo.abbreviation}-UBND" if tinfo.abbreviation else "UBND-VP")
            signer = rng.choice(["Trần Văn Đức", "Phạm Thị Hồng"])
            source, edxml_id = "local", None
        doc: dict[str, Any] = dict(
            id=i, direction=direction, state=state, doc_type=dtype, number=number,
            notation=notation, issuer_code=org_code, issuer_name=org_name,
            place="Hạ Long" if direction == "in" else SELF[2], issued_date=day,
            subject=subject, signer_competence=comp or None, signer_position=pos,
            signer_name=signer, urgency=urgency, confidentiality=1 if secret else 0,
            due_date=None, page_count=rng.randint(1, 6), copies=None,
            edxml_document_id=edxml_id, source=source, response_for_id=None,
            created_by=clerk, created_at=at, updated_at=at)
        events = _history(rng, i, direction, state, at, clerk, leaders, specialists)
        doc["updated_at"] = events[-1]["at"]
        registered = (direction == "in" and state not in ("received", "refused")) or (
            direction == "out" and state in ("released", "revoked"))
        if registered:
            book, series = direction, "secret" if secret else "normal"
            reg_key = (book, series, day.year)
            counters[reg_key] = counters.get(reg_key, 0) + 1
            rows["entries"].append(dict(book=book, series=series, year=day.year, number=counters[reg_key],
                                        document_id=i, registered_at=at, registered_by=clerk))
            if direction == "out":
                doc["number"] = format_number(counters[reg_key])
                if edxml_id is None:
                    doc["edxml_document_id"] = f"{SELF[0]},{day:%Y/%m/%d},{doc['number']}/{notation}"
        if direction == "in" and state in ("in_progress", "done"):
            deadline = day + timedelta(days=rng.choice([5, 7, 10, 15, 30]))
            doc["due_date"] = deadline
            lead_p, _lead_u = rng.choice(specialists)
            assignments: list[tuple[str, int | None, int | None]] = [("chu_tri", lead_p, None)]
            if rng.random() < 0.4:
                assignments.append(("phoi_hop", None, rng.choice(unit_ids)))
            if rng.random() < 0.3:
                assignments.append(("de_biet", rng.choice(specialists)[0], None))
            for role, pid, uid in assignments:
                closed = state == "done"
                rows["assignments"].append(dict(
                    document_id=i, person_id=pid, unit_id=uid, role=role, deadline=deadline,
                    note=None, state="done" if closed else "open", assigned_by=rng.choice(leaders),
                    assigned_at=at + timedelta(hours=3), closed_at=doc["updated_at"] if closed else None,
                    progress=100 if closed else rng.choice([0, 20, 50, 80])))
            if rng.random() < 0.3:
                rows["opinions"].append(dict(
                    document_id=i, assignment_id=None, person_id=lead_p, kind="opinion",
                    progress=None, text="Đề nghị phòng chuyên môn tham mưu văn bản trả lời.",
                    created_at=at + timedelta(days=1)))
        if direction == "out":
            for j, (code, name, _) in enumerate(rng.sample(CORRESPONDENTS, rng.randint(1, 3))):
                rows["recipients"].append(dict(
                    document_id=i, org_code=code, name=name, channel="exchange", position=j,
                    status_code=rng.choice(["01", "03", "04", "06"]) if state == "released" else None,
                    status_at=doc["updated_at"] if state == "released" else None))
        text_body = "\n".join(body)
        rows["texts"].append(dict(document_id=i, text=text_body))
        if pdf_budget > 0:
            pdf_budget -= 1
            _demo_pdf(office, rows, blob_seen, doc, tinfo.name, body, at)
        rows["documents"].append(doc)
        rows["events"].extend(events)
    for (book, series, year), last in counters.items():
        rows.setdefault("counters", []).append(
            dict(book=book, series=series, year=year, last_number=last))
    with office.db.write() as s:
        for model, key in ((Document, "documents"), (DocumentText, "texts"),
                           (DocumentEvent, "events"), (RegisterEntry, "entries"),
                           (Assignment, "assignments"), (Opinion, "opinions"),
                           (Recipient, "recipients"), (Blob, "blobs"),
                           (Attachment, "attachments"), (RegisterCounter, "counters")):
            batch = rows.get(key) or []
            for k in range(0, len(batch), 5000):
                s.execute(insert(model), batch[k:k + 5000])
        audit.record(s, "demo", "demo.seed", "office", None, documents=documents,
                     with_pdf=pdfs - pdf_budget)
    with office.db.write() as s:
        s.execute(text("ANALYZE"))
    office.search.rebuild()
    return DemoResult(documents, pdfs - pdf_budget, _time.perf_counter() - t0)


_IN_PATH = ["receive", "register", "present", "assign", "progress", "finish"]
_IN_TARGET = {"received": 1, "registered": 2, "presented": 3, "in_progress": 5, "done": 6}
_IN_TO = {"receive": "received", "register": "registered", "present": "presented",
          "assign": "in_progress", "progress": "in_progress", "finish": "done"}
_OUT_PATH = ["create", "submit_review", "approve", "sign", "release"]
_OUT_TO = {"create": "draft", "submit_review": "in_review", "approve": "awaiting_signature",
           "sign": "awaiting_release", "release": "released"}
_OUT_TARGET = {"draft": 1, "in_review": 2, "awaiting_signature": 3, "awaiting_release": 4,
               "released": 5}
_CODES = {"receive": "01", "register": "03", "assign": "04", "progress": "05", "finish": "06",
          "refuse": "02", "revoke": "15"}


def _history(rng: random.Random, doc_id: int, direction: str, state: str, at: datetime,
             clerk: int, leaders: list[int], specialists: list[tuple[int, int | None]],
             ) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    prev: str | None = None
    t = at

    def add(action: str, to: str, actor: int) -> None:
        nonlocal prev, t
        events.append(dict(document_id=doc_id, at=t, actor_id=actor, action=action,
                           from_state=prev, to_state=to,
                           status_code=_CODES.get(action) if direction == "in" else
                           ("13" if action == "revoke" else None),
                           note=None, data=None))
        prev = to
        t = t + timedelta(hours=rng.randint(1, 30))

    if direction == "in":
        if state == "refused":
            add("receive", "received", clerk)
            add("refuse", "refused", clerk)
            return events
        target = _IN_TARGET.get(state, rng.randint(2, 5))
        for action in _IN_PATH[:target]:
            actor = clerk if action in ("receive", "register", "present") else (
                rng.choice(leaders) if action == "assign" else rng.choice(specialists)[0])
            add(action, _IN_TO[action], actor)
        if state == "revoked":
            add("revoke", "revoked", clerk)
    else:
        target = _OUT_TARGET.get(state, 5)
        for action in _OUT_PATH[:target]:
            actor = rng.choice(leaders) if action == "sign" else (
                clerk if action == "release" else rng.choice(specialists)[0])
            add(action, _OUT_TO[action], actor)
        if state == "revoked":
            add("revoke", "revoked", clerk)
    return events


def _demo_pdf(office: Office, rows: dict[str, list[dict[str, Any]]], blob_seen: set[str],
              doc: dict[str, Any], type_name: str, body: list[str], at: datetime) -> None:
    from desk.reference import format_code

    spec = PageSpec(
        issuer_parent="UBND TỈNH QUẢNG NINH" if doc["issuer_code"].endswith("H49") else "CHÍNH PHỦ",
        issuer=doc["issuer_name"], code=format_code(doc["number"] or "    ", doc["notation"]),
        place=doc["place"] or "", issued=doc["issued_date"],
        type_name="" if doc["doc_type"] == "CV" else type_name,
        subject=doc["subject"].removeprefix("Về việc ").strip() if doc["doc_type"] == "CV"
        else doc["subject"],
        body=body, competence=doc["signer_competence"] or "", position=doc["signer_position"] or "",
        signer=doc["signer_name"] or "", recipients=["Như trên", "Lưu: VT"])
    data = render(spec)
    b = office.blobs.put_bytes(data)
    if b.sha256 not in blob_seen:
        blob_seen.add(b.sha256)
        rows["blobs"].append(dict(sha256=b.sha256, size=b.size, created_at=at))
    name = f"{(doc['number'] or 'du-thao')}-{doc['notation']}.pdf".replace("/", "-")
    rows["attachments"].append(dict(document_id=doc["id"], blob_sha256=b.sha256, filename=name,
                                    content_type="application/pdf", size=b.size, position=0,
                                    kind="main"))
