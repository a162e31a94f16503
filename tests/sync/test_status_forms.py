"""Statuses in the axis form (written) and both forms (read); the server's routing of
statuses and of packages with recipients it does not know (spec §1, §4)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sync_helpers import A, B, C, Exchange, make_edoc, make_status

from desk.i18n import set_language
from sync.edxml import (
    Organization,
    ResponseFor,
    StaffInfo,
    StatusCode,
    StatusHeader,
    package_bytes,
    package_summary,
    parse_bytes,
    parse_file,
)
from sync.errors import ServerRefused

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"

# A status as the axis reference library (EdXML102) writes it: MessageHeader + StatusCode.
AXIS_FORM = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}">
  <edXML:edXMLEnvelope xmlns:edXML="{NS}">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.00.H41</edXML:OrganId>
          <edXML:OrganName>UBND tỉnh Nghệ An</edXML:OrganName>
        </edXML:From>
        <edXML:ResponseFor>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:Code>7816/VPCP-TTĐT</edXML:Code>
          <edXML:DocumentId>000.00.00.G22,2012/08/06,7816/VPCP-TTĐT</edXML:DocumentId>
          <edXML:PromulgationDate>2012/08/06</edXML:PromulgationDate>
        </edXML:ResponseFor>
        <edXML:StaffInfo>
          <edXML:Department>Văn thư</edXML:Department>
          <edXML:DepartmentId>VT</edXML:DepartmentId>
          <edXML:Staff>Nguyễn Văn A</edXML:Staff>
        </edXML:StaffInfo>
        <edXML:StatusCode>05</edXML:StatusCode>
        <edXML:Description>Đang xử lý</edXML:Description>
        <edXML:Timestamp>2012/08/07 09:15:00</edXML:Timestamp>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader>
          <edXML:OrganId>000.00.00.H41</edXML:OrganId>
          <edXML:Timestamp>2012/08/07 09:15:00</edXML:Timestamp>
        </edXML:TraceHeader>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
  </edXML:edXMLEnvelope>
</edXML>
"""


def _status(code: StatusCode = StatusCode.ACCEPTED) -> StatusHeader:
    return StatusHeader(
        response_for=ResponseFor("000.00.00.G22", "7816/VPCP-TTĐT", date(2012, 8, 6),
                                 "000.00.00.G22,2012/08/06,7816/VPCP-TTĐT"),
        from_=Organization("000.00.00.H41", "UBND tỉnh Nghệ An"),
        status_code=code, description="Đã tiếp nhận", timestamp=datetime(2012, 8, 7, 9, 15),
        staff_info=StaffInfo(department="Văn thư", staff="Nguyễn Văn A"))


def test_axis_form_is_read_as_a_status() -> None:
    pkg = parse_bytes(AXIS_FORM.encode())
    h = pkg.header
    assert pkg.kind == "status" and isinstance(h, StatusHeader)
    assert (h.status_code, h.description, h.from_.organ_id) == (
        StatusCode.PROCESSING, "Đang xử lý", "000.00.00.H41")
    assert h.response_for.document_id == "000.00.00.G22,2012/08/06,7816/VPCP-TTĐT"
    assert h.timestamp == datetime(2012, 8, 7, 9, 15)
    assert h.staff_info == StaffInfo(department="Văn thư", staff="Nguyễn Văn A")
    assert pkg.recipients == ("000.00.00.G22",)  # no To: it goes to ResponseFor/OrganId


def test_desk_writes_the_axis_form_and_still_reads_the_converter_form() -> None:
    data = package_bytes(_status())
    text = data.decode()
    assert "<edXML:Status>" not in text and "<edXML:MessageHeader>" in text
    assert "<edXML:To>" not in text
    # The children in the reference library's order.
    order = [text.index(f"<edXML:{tag}>") for tag in
             ("From", "ResponseFor", "StaffInfo", "StatusCode", "Description", "Timestamp")]
    assert order == sorted(order)
    assert parse_bytes(data).header == _status()
    converter = text.replace("<edXML:MessageHeader>", "<edXML:Status>").replace(
        "</edXML:MessageHeader>", "</edXML:Status>")
    assert parse_bytes(converter.encode()).header == _status()


@pytest.mark.parametrize("code", list(StatusCode))
def test_every_status_code_round_trips(code: StatusCode) -> None:
    assert parse_bytes(package_bytes(_status(code))).header == _status(code)


def test_edxml_show_labels_follow_the_language() -> None:
    pkg = parse_bytes(AXIS_FORM.encode())
    try:
        set_language("en")
        english = "\n".join(package_summary(pkg))
        set_language("vi")
        vietnamese = "\n".join(package_summary(pkg))
    finally:
        set_language("vi")
    assert "Status code: 05 (in progress)" in english and "Mã trạng thái" not in english
    assert "Package kind: status" in english
    assert "Mã trạng thái: 05 (đang xử lý)" in vietnamese


def test_status_goes_to_response_for_without_to(exchange: Exchange, tmp_path: Path) -> None:
    a, b = exchange.client(A), exchange.client(B)
    pkg = make_edoc(tmp_path, A, (B,))
    a.send_edoc(pkg)
    document_id = parse_file(pkg).header.document_id  # type: ignore[union-attr]
    st = make_status(tmp_path, B, A, document_id, StatusCode.ACCEPTED)
    assert "<edXML:To>" not in st.read_text(encoding="utf-8")
    status_id = b.send_edoc(st, message_type="status")
    assert status_id in {r.doc_id for r in a.received("status")}


def test_forged_status_refused_by_the_server(exchange: Exchange, tmp_path: Path) -> None:
    a, c = exchange.client(A), exchange.client(C)
    pkg = make_edoc(tmp_path, A, (B,))
    a.send_edoc(pkg)
    document_id = parse_file(pkg).header.document_id  # type: ignore[union-attr]
    # C was never sent the document.
    with pytest.raises(ServerRefused) as e:
        c.send_edoc(make_status(tmp_path, C, A, document_id, StatusCode.DONE),
                    message_type="status")
    assert (e.value.code, e.value.error_code) == ("status_not_party", "403")
    # Nor may a recipient send 13 (only the sender revokes), nor answer a document
    # this server never carried.
    b = exchange.client(B)
    with pytest.raises(ServerRefused):
        b.send_edoc(make_status(tmp_path, B, A, document_id, StatusCode.REVOKE),
                    message_type="status")
    with pytest.raises(ServerRefused):
        b.send_edoc(make_status(tmp_path, B, A, "000.00.01.H49,2026/11/25,999/UBND",
                                StatusCode.ARRIVED), message_type="status")


def test_unknown_recipient_reported_and_the_others_served(exchange: Exchange, tmp_path: Path) -> None:
    a, b = exchange.client(A), exchange.client(B)
    stale = "000.00.77.H49"
    pkg = make_edoc(tmp_path, A, (B, stale))
    doc_id = a.send_edoc(pkg)
    assert a.last_unknown == (stale,)
    assert doc_id in {r.doc_id for r in b.received()}
    # The same package again: the same DocId, the same report.
    assert a.send_edoc(pkg) == doc_id and a.last_unknown == (stale,)
    rows = {r.to_code: r.receive_status for r in a.sent(doc_id=doc_id)}
    assert rows == {B: "pending", stale: "unknown"}
    # The raw reply names it for any axis client.
    reply = a.call("getSentEdocList", {"servicetype": "eDoc", "messagetype": "edoc",
                                       "docId": doc_id})
    assert [r["sendStatus"] for r in reply["data"]] == ["done", "fail"]
    json.dumps(reply)
