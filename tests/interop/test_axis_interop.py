"""The axis client SDK (SDKVXP 2.0.1) and the reference edXML library (EdXML102), run for
real against `desk serve` on 127.0.0.1, with a Desk office on the other side.

Every SDK and library call goes through tests/interop/java/AxisHarness.java; the calls made
and their results are written to tests/out/interop-sdk-calls.txt.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from interop_world import G17, G22, NAMES, OFFICE, SECRETS, UNKNOWN, World, desk_cli
from sqlalchemy import select

from desk import workflow
from desk.models import Document, Person
from desk.reference import AssignmentRole, Role
from desk.services import documents as docs
from desk.services import registers, release, routing
from sync.edxml import parse_file


def _incoming(w: World) -> list[Document]:
    with w.office.db.read() as s:
        rows = list(s.scalars(select(Document).where(Document.direction == "in")
                              .order_by(Document.id)))
        for d in rows:
            d.attachments  # noqa: B018
        return rows


def _recipients(w: World, doc_id: int) -> dict[str, tuple[str | None, str | None, str | None]]:
    with w.office.db.read() as s:
        d = s.get(Document, doc_id)
        assert d is not None
        return {str(r.org_code): (r.status_code, r.status_desc, r.delivery_error)
                for r in d.recipients}


def _sdk_statuses(w: World, client: str) -> list[dict[str, object]]:
    """Every status waiting for ``client``: fetched with getEdoc, read with the library, acknowledged."""
    out = []
    for item in w.sdk_received(client, "status"):
        assert item["messageType"] == "status"
        path = w.sdk_get(client, str(item["id"]))
        parsed = w.sdk.call("parseStatus", file=str(path))
        assert parsed["empty"] is False, f"the reference library read an empty status: {path}"
        out.append(parsed)
        w.sdk_ack(client, str(item["id"]))
    return out


def _outgoing(w: World, to: list[tuple[str, str]], subject: str) -> int:
    """A Desk outgoing document with a PDF, signed and released to ``to`` (queued)."""
    from datetime import date

    from desk.docpdf import PageSpec, render_to

    pdf = render_to(PageSpec("UBND TỈNH QUẢNG NINH", NAMES[OFFICE], "    /UBND-VP", "Tiên Yên",
                             date.today(), "", subject.removeprefix("Về việc "),
                             ["Đề nghị các cơ quan phối hợp."], "KT. CHỦ TỊCH", "Phó Chủ tịch",
                             "Phạm Thị Hồng"), w.tmp / f"out-{abs(hash(subject))}.pdf")
    clerk = w.person(Role.CLERK)
    with w.office.db.write() as s:
        d = docs.create_outgoing(s, w.office.blobs, docs.DocumentInput(
            doc_type="CV", subject=subject, notation="UBND-VP", signer_name="Phạm Thị Hồng",
            signer_position="Phó Chủ tịch", signer_competence="KT. CHỦ TỊCH", urgency=1),
            clerk, files=[docs.FileInput(pdf)])
        workflow.apply(s, d, "submit", clerk.id)
        workflow.apply(s, d, "sign", clerk.id)
        release.release(s, d, clerk, to)
        return d.id


def test_sdk_document_to_desk_and_statuses_01_to_06_back(world: World) -> None:
    w = world
    path, document_id = w.sdk_build_doc(G22, [OFFICE], 4101, "Về việc triển khai Nghị định 30")
    sent = w.sdk_send("g22", G22, path)
    assert (sent["status"], sent["errorCode"]) == ("OK", "0"), sent
    # The same package again (a retry after a timeout): the same DocId.
    assert w.sdk_send("g22", G22, path)["docId"] == sent["docId"]

    r = w.engine().run_once()
    assert (r.received, r.errors) == (1, [])
    [got] = _incoming(w)
    assert (got.edxml_document_id, got.issuer_code, got.number, got.notation) == (
        document_id, G22, "4101", "VPCP-TCCV")
    assert got.subject == "Về việc triển khai Nghị định 30"
    assert got.signer_name == "Nguyễn Văn An" and got.due_date is not None
    assert w.office.blobs.read_bytes(got.attachments[0].blob_sha256) == \
        (w.tmp / "sdk-4101.pdf").read_bytes()

    clerk, leader, sp = w.person(Role.CLERK), w.person(Role.LEADER), w.person(Role.SPECIALIST)
    with w.office.db.write() as s:
        d = s.get(Document, got.id)
        assert d is not None
        registers.register_incoming(s, d, clerk)  # 03
        routing.assign(s, d, leader, [routing.AssignTarget(AssignmentRole.LEAD, person_id=sp.id)])  # 04
        routing.report_progress(s, d, s.get(Person, sp.id), 50, "Đang dự thảo báo cáo")  # 05
        routing.finish(s, d, s.get(Person, sp.id), "Đã triển khai")  # 06
    assert w.engine().run_once().sent == 4

    statuses = _sdk_statuses(w, "g22")
    assert [st["statusCode"] for st in statuses] == ["01", "03", "04", "05", "06"]
    for st in statuses:
        assert st["from"]["organId"] == OFFICE  # type: ignore[index]
        assert st["responseFor"]["organId"] == G22  # type: ignore[index]
        assert st["responseFor"]["documentId"] == document_id  # type: ignore[index]
        assert st["timestamp"]
    assert statuses[3]["description"] == "Đang dự thảo báo cáo"
    assert w.sdk_received("g22", "status") == []  # all acknowledged
    count = w.sdk.call("countReceiveStatus", client="g22",
                       params={"servicetype": "eDoc", "messagetype": "status"})
    assert count["count"] == 0

    sent_list = w.sdk.call("getSentEdocList", client="g22",
                           params={"servicetype": "eDoc", "messagetype": "edoc",
                                   "docId": sent["docId"]})
    assert [(row["toCode"], row["receiveStatus"]) for row in sent_list["rows"]] == [(OFFICE, "done")]


def test_desk_document_to_sdk_read_field_for_field_and_statuses_back(world: World) -> None:
    w = world
    doc_id = _outgoing(w, [(G22, NAMES[G22]), (G17, NAMES[G17])],
                       "Về việc báo cáo tình hình phòng, chống thiên tai")
    assert w.engine().run_once().sent == 1
    with w.office.db.read() as s:
        d = s.get(Document, doc_id)
        assert d is not None
        mine = (d.edxml_document_id, d.number, d.notation, d.subject, d.issued_date)
        pdf_sha = d.attachments[0].blob_sha256

    for client, code in (("g22", G22), ("g17", G17)):
        count = w.sdk.call("countReceiveEdoc", client=client,
                           params={"servicetype": "eDoc", "messagetype": "edoc"})
        assert count["count"] == 1
        [item] = w.sdk_received(client, "edoc")
        assert (item["from"], item["to"]) == (OFFICE, code)
        path = w.sdk_get(client, str(item["id"]))
        ed = w.sdk.call("parseEdoc", file=str(path))
        # What Desk wrote, read back by the reference library field for field.
        ours = parse_file(path).header
        assert ed["documentId"] == mine[0] == ours.document_id  # type: ignore[union-attr]
        assert (ed["codeNumber"], ed["codeNotation"]) == (mine[1], mine[2])
        assert ed["subject"] == mine[3]
        assert ed["promulgationDate"] == mine[4].strftime("%Y/%m/%d")  # type: ignore[union-attr]
        assert ed["from"]["organId"] == OFFICE and ed["from"]["organName"] == NAMES[OFFICE]
        assert [o["organId"] for o in ed["to"]] == [G22, G17]
        assert ed["signer"] == {"competence": "KT. CHỦ TỊCH", "position": "Phó Chủ tịch",
                                "fullName": "Phạm Thị Hồng"}
        assert ed["typeName"] == "Công văn" and ed["priority"] == 1
        assert ed["toPlaces"] == [NAMES[G22], NAMES[G17]]
        [att] = ed["attachments"]
        assert att["sha256"] == pdf_sha and att["contentType"] == "application/pdf"
        w.sdk_ack(client, str(item["id"]))

        # The SDK agency answers with statuses built by the reference library.
        for code_, desc in (("01", "Đã đến"), ("03", "Đã vào sổ đến số 12")):
            built = w.sdk.call("buildStatus", out=w.sdk_out, statusCode=code_,
                               description=desc,
                               **{"from": {"organId": code, "organName": NAMES[code]}},
                               responseFor={"organId": OFFICE, "code": f"{mine[1]}/{mine[2]}",
                                            "documentId": mine[0],
                                            "promulgationDate": mine[4].strftime("%Y/%m/%d")},  # type: ignore[union-attr]
                               staff={"department": "Văn thư", "staff": "Trần Thị Mai"})
            r = w.sdk_send(client, code, Path(built["file"]), "status")
            assert (r["status"], r["errorCode"]) == ("OK", "0"), r

    r = w.engine().run_once()
    assert r.statuses == 4 and r.errors == []
    assert _recipients(w, doc_id) == {G22: ("03", "Đã vào sổ đến số 12", None),
                                      G17: ("03", "Đã vào sổ đến số 12", None)}


def test_revocation_13_then_15_and_16_both_ways(world: World) -> None:
    w = world
    # SDK → Desk: two documents; the office refuses the second (02).
    p1, id1 = w.sdk_build_doc(G22, [OFFICE], 4201, "Về việc kiểm tra công vụ")
    p2, id2 = w.sdk_build_doc(G22, [OFFICE], 4202, "Về việc lấy ý kiến dự thảo")
    for p in (p1, p2):
        assert w.sdk_send("g22", G22, p)["status"] == "OK"
    assert w.engine().run_once().received == 2
    first, second = _incoming(w)
    with w.office.db.write() as s:
        d2 = s.get(Document, second.id)
        assert d2 is not None
        workflow.apply(s, d2, "refuse", w.person(Role.CLERK).id, note="Không đúng thẩm quyền")
    w.engine().run_once()
    assert [st["statusCode"] for st in _sdk_statuses(w, "g22")] == ["01", "01", "02"]

    # The SDK agency revokes both (13, built by the reference library).
    for number, document_id in ((4201, id1), (4202, id2)):
        built = w.sdk.call("buildStatus", out=w.sdk_out, statusCode="13",
                           description="Thu hồi do sai sót",
                           **{"from": {"organId": G22, "organName": NAMES[G22]}},
                           responseFor={"organId": OFFICE, "code": f"{number}/VPCP-TCCV",
                                        "documentId": document_id,
                                        "promulgationDate": "2026/12/01"})
        r = w.sdk_send("g22", G22, Path(built["file"]), "status")
        assert (r["status"], r["errorCode"]) == ("OK", "0"), r
    w.engine().run_once()
    states = {d.edxml_document_id: d.state for d in _incoming(w)}
    assert states == {id1: "revoked", id2: "refused"}
    answers = {st["responseFor"]["documentId"]: st["statusCode"]  # type: ignore[index]
               for st in _sdk_statuses(w, "g22")}
    assert answers == {id1: "15", id2: "16"}

    # Desk → SDK: the office revokes its own document; G22 agrees (15), G17 refuses (16).
    doc_id = _outgoing(w, [(G22, NAMES[G22]), (G17, NAMES[G17])], "Về việc họp giao ban tháng 12")
    w.engine().run_once()
    with w.office.db.read() as s:
        d = s.get(Document, doc_id)
        assert d is not None
        target = d.edxml_document_id
    for client in ("g22", "g17"):
        [item] = w.sdk_received(client, "edoc")
        w.sdk_ack(client, str(item["id"]))
    with w.office.db.write() as s:
        release.revoke(s, s.get(Document, doc_id), w.person(Role.CLERK), "Đổi lịch họp")
    assert w.engine().run_once().sent == 2
    for client, code, answer in (("g22", G22, "15"), ("g17", G17, "16")):
        [st] = _sdk_statuses(w, client)
        assert (st["statusCode"], st["description"]) == ("13", "Đổi lịch họp")
        assert st["from"]["organId"] == OFFICE and st["responseFor"]["organId"] == code  # type: ignore[index]
        assert st["responseFor"]["documentId"] == target  # type: ignore[index]
        built = w.sdk.call("buildStatus", out=w.sdk_out, statusCode=answer,
                           description="Đồng ý" if answer == "15" else "Đã xử lý xong, không thu hồi",
                           **{"from": {"organId": code, "organName": NAMES[code]}},
                           responseFor={"organId": OFFICE, "documentId": target})
        assert w.sdk_send(client, code, Path(built["file"]), "status")["status"] == "OK"
    w.engine().run_once()
    assert {k: v[0] for k, v in _recipients(w, doc_id).items()} == {G22: "15", G17: "16"}


def test_wrong_secret_is_refused(world: World) -> None:
    w = world
    w.sdk_client("forger", G22, secret="not-the-secret-of-G22")
    path, _ = w.sdk_build_doc(G22, [OFFICE], 4301, "Về việc thử mật khẩu sai")
    r = w.sdk_send("forger", G22, path)
    assert (r["status"], r["errorCode"]) == ("FAIL", "401")
    listed = w.sdk.call("getReceivedEdocList", client="forger",
                        params={"servicetype": "eDoc", "messagetype": "edoc"})
    assert (listed["status"], listed["errorCode"]) == ("FAIL", "401")
    assert w.engine().run_once().received == 0
    # The right secret still works, and the agency list answers.
    agencies = w.sdk.call("getAgenciesList", client="g22", params={})
    assert {G22, G17, OFFICE} <= set(agencies["codes"])


def test_forged_status_is_refused(world: World) -> None:
    """G17 was never sent the document: its status is refused by the server."""
    w = world
    path, document_id = w.sdk_build_doc(G22, [OFFICE], 4401, "Về việc tổng kết năm")
    assert w.sdk_send("g22", G22, path)["status"] == "OK"
    built = w.sdk.call("buildStatus", out=w.sdk_out, statusCode="06",
                       description="Hoàn thành (giả mạo)",
                       **{"from": {"organId": G17, "organName": NAMES[G17]}},
                       responseFor={"organId": G22, "documentId": document_id})
    r = w.sdk_send("g17", G17, Path(built["file"]), "status")
    assert (r["status"], r["errorCode"]) == ("FAIL", "403")
    assert w.sdk_received("g22", "status") == []


def test_whole_flow_with_a_recipient_unknown_to_the_server(world: World) -> None:
    w = world
    # SDK → server: one stale address among three; the others get it.
    path, document_id = w.sdk_build_doc(G22, [OFFICE, UNKNOWN, G17], 4501,
                                        "Về việc rà soát danh mục văn bản")
    r = w.sdk_send("g22", G22, path)
    assert (r["status"], r["errorCode"]) == ("OK", "0"), r
    assert UNKNOWN in r["errorDesc"]
    rows = w.sdk.call("getSentEdocList", client="g22",
                      params={"servicetype": "eDoc", "messagetype": "edoc", "docId": r["docId"]})
    assert {row["toCode"]: row["receiveStatus"] for row in rows["rows"]} == {
        OFFICE: "pending", UNKNOWN: "unknown", G17: "pending"}
    assert w.engine().run_once().received == 1
    [item] = w.sdk_received("g17", "edoc")
    w.sdk_ack("g17", str(item["id"]))
    assert [st["statusCode"] for st in _sdk_statuses(w, "g22")] == ["01"]

    # Desk → server: the office's per-recipient table says which one was not delivered.
    doc_id = _outgoing(w, [(G22, NAMES[G22]), (UNKNOWN, "UBND xã không còn tồn tại")],
                       "Về việc thông báo lịch tiếp dân")
    assert w.engine().run_once().sent == 1
    table = _recipients(w, doc_id)
    assert table[G22] == (None, None, None)
    assert table[UNKNOWN][2] == "recipient_unknown"
    [item] = w.sdk_received("g22", "edoc")
    assert w.sdk.call("parseEdoc", file=str(w.sdk_get("g22", str(item["id"]))))["subject"] == \
        "Về việc thông báo lịch tiếp dân"

    # Only unknown recipients: refused as a whole.
    lone, _ = w.sdk_build_doc(G22, [UNKNOWN], 4502, "Về việc gửi nhầm địa chỉ")
    r = w.sdk_send("g22", G22, lone)
    assert (r["status"], r["errorCode"]) == ("FAIL", "404")


def test_sha256_of_what_the_sdk_sent_is_what_desk_stored(world: World) -> None:
    """downloadEdoc through Desk's client gives back the SDK's bytes exactly."""
    w = world
    path, _ = w.sdk_build_doc(G22, [OFFICE], 4601, "Về việc kiểm tra toàn vẹn")
    r = w.sdk_send("g22", G22, path)
    client = w.engine().client
    [item] = [i for i in client.received("edoc") if i.doc_id == r["docId"]]
    got = client.download(item.doc_id, w.tmp / "down.edxml")
    assert hashlib.sha256(got.read_bytes()).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
    assert SECRETS[OFFICE]  # the office's own secret came from the imported list


def test_replacement_packages_both_ways(world: World) -> None:
    """Replacement (BussinessDocType 3) as the reference library builds it, and as Desk writes it."""
    w = world
    p1, id1 = w.sdk_build_doc(G22, [OFFICE], 4701, "Về việc kế hoạch năm 2027")
    assert w.sdk_send("g22", G22, p1)["status"] == "OK"
    assert w.engine().run_once().received == 1
    p2, id2 = w.sdk_build_doc(G22, [OFFICE], 4702, "Về việc kế hoạch năm 2027 (thay thế)",
                              business={"type": 3, "reason": "Sửa số liệu", "documentId": id1,
                                        "paper": 0, "staff": {"department": "Văn thư",
                                                              "staff": "Trần Thị Mai"},
                                        "replacements": [{"documentId": id1,
                                                          "organIds": [OFFICE]}]})
    assert w.sdk_send("g22", G22, p2)["status"] == "OK"
    assert w.engine().run_once().received == 1
    assert {d.edxml_document_id: d.state for d in _incoming(w)} == {id1: "revoked", id2: "received"}
    biz = parse_file(p2).trace.business
    assert biz is not None and (int(biz.doc_type), biz.document_id) == (3, id1)
    assert [st["statusCode"] for st in _sdk_statuses(w, "g22")] == ["01", "15", "01"]
    # A revocation package (BussinessDocType 1) for the replacement: withdrawn, 15 back.
    p3, _ = w.sdk_build_doc(G22, [OFFICE], 4703, "Về việc thu hồi văn bản 4702",
                            business={"type": 1, "reason": "Hủy kế hoạch", "documentId": id2})
    assert w.sdk_send("g22", G22, p3)["status"] == "OK"
    w.engine().run_once()
    assert {d.edxml_document_id: d.state for d in _incoming(w)} == {id1: "revoked", id2: "revoked"}
    [st] = _sdk_statuses(w, "g22")
    assert (st["statusCode"], st["responseFor"]["documentId"]) == ("15", id2)  # type: ignore[index]

    first = _outgoing(w, [(G22, NAMES[G22])], "Về việc lịch công tác tuần 49")
    w.engine().run_once()
    [item] = w.sdk_received("g22", "edoc")
    w.sdk_ack("g22", str(item["id"]))
    clerk = w.person(Role.CLERK)
    with w.office.db.write() as s:
        old = s.get(Document, first)
        assert old is not None
        old_id = old.edxml_document_id
        d = docs.create_outgoing(s, w.office.blobs, docs.DocumentInput(
            doc_type="CV", subject="Về việc lịch công tác tuần 49 (thay thế)", notation="UBND-VP"),
            clerk, files=[docs.FileInput(next(w.tmp.glob("out-*.pdf")))])
        workflow.apply(s, d, "submit", clerk.id)
        workflow.apply(s, d, "sign", clerk.id)
        release.release(s, d, clerk, [(G22, NAMES[G22])], replaces=old, reason="Đổi giờ họp")
    w.engine().run_once()
    [item] = w.sdk_received("g22", "edoc")
    ed = w.sdk.call("parseEdoc", file=str(w.sdk_get("g22", str(item["id"]))))
    assert ed["business"] == {"type": "3", "reason": "Đổi giờ họp", "documentId": old_id}
    assert ed["subject"] == "Về việc lịch công tác tuần 49 (thay thế)"


def test_directory_calls_and_download(world: World) -> None:
    """The SDK's other calls: downloadEdoc, the agency directory, registerAgency/deleteAgency."""
    w = world
    _outgoing(w, [(G17, NAMES[G17])], "Về việc cung cấp danh bạ")
    w.engine().run_once()
    [item] = w.sdk_received("g17", "edoc")
    fetched = w.sdk_get("g17", str(item["id"])).read_bytes()
    folder = w.tmp / "sdk-download"
    folder.mkdir()
    r = w.sdk.call("downloadEdoc", client="g17", params={"docId": item["id"], "filePath": str(folder)})
    # The SDK writes the raw bytes to a file itself and reports SUCCESS (not the server's OK).
    assert (r["status"], r["errorCode"]) == ("SUCCESS", "0"), r
    assert Path(r["filePath"]).read_bytes() == fetched
    w.sdk_ack("g17", str(item["id"]))

    level1 = w.sdk.call("getAgenciesListQD20", client="g22", params={"level": "1"})
    assert (level1["status"], {G22, G17} <= set(level1["codes"]), OFFICE in level1["codes"]) == (
        "OK", True, False)
    units = w.sdk.call("getSynchronizeUnit", client="g22", params={})
    assert units["status"] == "OK" and units["count"] >= 3
    unit = "000.01.00.G22"
    # A code is registered only by the administrator, or by a parent the administrator gave it to
    # (issue 11): an agency that registers a code not given to it is refused.
    squat = w.sdk.call("registerAgency", client="g22", params={},
                       body={"id": "", "pcode": G22, "code": unit, "name": "Vụ Tổ chức cán bộ",
                             "mail": "vtccb@chinhphu.vn", "mobile": "", "fax": ""})
    assert (squat["status"], squat["errorCode"]) == ("FAIL", "403"), squat
    r = desk_cli(w.server.home, "serve", "agency", "delegate", unit, "--to", G22)
    assert r.returncode == 0, r.stdout + r.stderr
    reg = w.sdk.call("registerAgency", client="g22", params={},
                     body={"id": "", "pcode": G22, "code": unit, "name": "Vụ Tổ chức cán bộ",
                           "mail": "vtccb@chinhphu.vn", "mobile": "", "fax": ""})
    assert (reg["status"], reg["errorCode"]) == ("OK", "0"), reg
    assert unit in w.sdk.call("getAgenciesList", client="g22", params={})["codes"]
    gone = w.sdk.call("deleteAgency", client="g22", params={"AgencyCode": unit})
    assert (gone["status"], gone["errorCode"]) == ("OK", "0"), gone
    assert unit not in w.sdk.call("getAgenciesList", client="g22", params={})["codes"]
    # G17 may not delete an agency that is not under it.
    refused = w.sdk.call("deleteAgency", client="g17", params={"AgencyCode": G22})
    assert (refused["status"], refused["errorCode"]) == ("FAIL", "403")
