"""The exchange server over real HTTP: delivery, idempotence, statuses, authorization."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sync_helpers import CENTRE, A, B, C, Exchange, make_edoc, make_status

from sync.axis import DESK_TIME, signed_headers
from sync.edxml import StatusCode, parse_file
from sync.errors import ServerRefused


def _refused(fn: object, *args: object, **kw: object) -> ServerRefused:
    with pytest.raises(ServerRefused) as ei:
        fn(*args, **kw)  # type: ignore[operator]
    assert ei.value.vi and ei.value.en
    return ei.value


def test_send_receive_acknowledge(exchange: Exchange, tmp_path: Path) -> None:
    a, b = exchange.client(A), exchange.client(B)
    pkg = make_edoc(tmp_path, A, (B,))
    doc_id = a.send_edoc(pkg)
    mine = [r for r in b.received() if r.doc_id == doc_id]
    assert len(mine) == 1 and mine[0].from_code == A and mine[0].status == "pending"
    got = b.download(doc_id, tmp_path / "got.edxml")
    assert got.read_bytes() == pkg.read_bytes()
    assert parse_file(got).header.document_id.startswith(A)
    assert b.get_edoc(doc_id) == pkg.read_bytes()
    before = b.count_received()
    b.acknowledge(doc_id, "done")
    assert doc_id not in {r.doc_id for r in b.received()}
    assert b.count_received() == before - 1
    (row,) = a.sent(doc_id=doc_id)
    assert (row.to_code, row.receive_status) == (B, "done") and row.received_time
    assert row.notation.endswith("/UBND") and row.title.startswith("Văn bản thử")


def test_send_to_several_and_per_recipient_state(exchange: Exchange, tmp_path: Path) -> None:
    a, b, c = exchange.client(A), exchange.client(B), exchange.client(C)
    doc_id = a.send_edoc(make_edoc(tmp_path, A, (B, C)))
    b.acknowledge(doc_id, "processing")
    states = {r.to_code: r.receive_status for r in a.sent(doc_id=doc_id)}
    assert states == {B: "processing", C: "pending"}
    assert doc_id in {r.doc_id for r in c.received()}


def test_same_package_twice_is_delivered_once(exchange: Exchange, tmp_path: Path) -> None:
    a, b = exchange.client(A), exchange.client(B)
    pkg = make_edoc(tmp_path, A, (B,))
    first = a.send_edoc(pkg)
    assert a.send_edoc(pkg) == first
    assert a.send_edoc(pkg, resumable=True) == first
    assert [r.doc_id for r in b.received()].count(first) == 1
    # Same DocumentId but different content: a different package (e.g. a corrected file).
    other = make_edoc(tmp_path / "v2", A, (B,), payload=b"%PDF changed", number=int(pkg.stem[3:]))
    assert a.send_edoc(other) != first


def test_status_goes_back_to_the_sender(exchange: Exchange, tmp_path: Path) -> None:
    a, b = exchange.client(A), exchange.client(B)
    pkg = make_edoc(tmp_path, A, (B,))
    a.send_edoc(pkg)
    document_id = parse_file(pkg).header.document_id  # type: ignore[union-attr]
    status_id = b.send_edoc(
        make_status(tmp_path, B, A, document_id, StatusCode.ARRIVED), message_type="status"
    )
    statuses = [r for r in a.received("status") if r.doc_id == status_id]
    assert len(statuses) == 1 and statuses[0].from_code == B
    assert a.count_received("status") >= 1
    st = parse_file(a.download(status_id, tmp_path / "st.edxml"))
    assert st.kind == "status" and st.header.status_code is StatusCode.ARRIVED  # type: ignore[union-attr]
    assert status_id not in {r.doc_id for r in b.received("status")}
    e = _refused(
        b.send_edoc, make_status(tmp_path, B, A, document_id, StatusCode.DONE), message_type="edoc"
    )
    assert e.code == "kind_mismatch"


def test_hash_mismatch_and_hostile_package_store_nothing(
    exchange: Exchange, tmp_path: Path
) -> None:
    a = exchange.client(A)
    docs = exchange.server.folder / "blobs" / "docs"
    count = sum(1 for _ in docs.rglob("*.edxml"))
    pkg = make_edoc(tmp_path, A, (B,))
    headers = a.headers({"from": A, "messagetype": "edoc", "hash-file": "00" * 32})
    r = httpx.post(
        exchange.server.url + "/sendEdoc", headers=headers, content=pkg.read_bytes() + b"\r\n"
    )
    body = r.json()
    assert (r.status_code, body["status"], body["ErrorKey"], body["DocId"]) == (
        200,
        "FAIL",
        "hash_mismatch",
        "",
    )
    evil = b'<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&x;</edXML>'
    e = _refused(a.send_edoc_bytes, evil)
    assert e.code == "edxml_dtd_refused" and e.error_code == "422"
    assert sum(1 for _ in docs.rglob("*.edxml")) == count
    assert not any((exchange.server.folder / "blobs" / "tmp").iterdir())


def test_unknown_recipient_refused(exchange: Exchange, tmp_path: Path) -> None:
    e = _refused(exchange.client(A).send_edoc, make_edoc(tmp_path, A, ("999.99.99.Z99",)))
    assert e.code == "recipient_unknown"


def test_size_limit_on_uploads(exchange: Exchange) -> None:
    a = exchange.client(A)
    e = _refused(a.call, "desk/uploads", {"upload-length": str(10 << 30)})
    assert e.code == "too_large"


# --- authorization ------------------------------------------------------------------------


def test_wrong_secret(exchange: Exchange) -> None:
    e = _refused(exchange.client(A, secret="not-the-secret").agencies)
    assert (e.code, e.error_code) == ("auth_bad_signature", "401")
    e = _refused(exchange.client("999.00.00.X00", secret="x").agencies)
    assert e.code == "auth_bad_signature"


def test_stale_request_refused(exchange: Exchange) -> None:
    old = str(int((time.time() - 3600) * 1000))
    params = {"timestamp": "25112026T080000+0000", "nonce": "ab" * 16, DESK_TIME: old}
    r = httpx.post(
        exchange.server.url + "/getAgenciesList",
        headers=signed_headers(params, A, exchange.secrets[A]),
    )
    assert r.json()["ErrorKey"] == "auth_stale"


def test_replayed_request_refused(exchange: Exchange) -> None:
    headers = exchange.client(A).headers({})
    url = exchange.server.url + "/getAgenciesList"
    assert httpx.post(url, headers=headers).json()["status"] == "OK"
    again = httpx.post(url, headers=headers).json()
    assert (again["status"], again["ErrorKey"]) == ("FAIL", "auth_replay")


def test_tampered_or_unsigned_parameters_refused(exchange: Exchange, tmp_path: Path) -> None:
    a, b = exchange.client(A), exchange.client(B)
    doc_id = a.send_edoc(make_edoc(tmp_path, A, (B,)))
    headers = b.headers({"docId": doc_id, "status": "done"})
    headers["XroadVnpt-status"] = "fail"  # changed after signing
    r = httpx.post(exchange.server.url + "/updateStatus", headers=headers, content=b"{}")
    assert r.json()["ErrorKey"] == "auth_bad_signature"
    # An extra, unsigned parameter header is not a parameter.
    headers = b.headers({"status": "done"})
    headers["XroadVnpt-docId"] = doc_id
    r = httpx.post(exchange.server.url + "/updateStatus", headers=headers, content=b"{}")
    assert r.json()["ErrorKey"] == "missing_param"
    assert doc_id in {x.doc_id for x in b.received()}


def test_nonce_required_without_axis_compat(exchange: Exchange) -> None:
    params = {"timestamp": "25112026T080000+0000"}
    r = httpx.post(
        exchange.server.url + "/getAgenciesList",
        headers=signed_headers(params, C, exchange.secrets[C]),
    )
    assert r.json()["ErrorKey"] == "auth_nonce_required"


def test_agency_reads_only_its_own_mailbox(exchange: Exchange, tmp_path: Path) -> None:
    a, b, c = exchange.client(A), exchange.client(B), exchange.client(C)
    doc_id = a.send_edoc(make_edoc(tmp_path, A, (B,)))
    assert doc_id not in {r.doc_id for r in c.received()}
    assert _refused(c.get_edoc, doc_id).code == "not_found"
    assert _refused(c.download, doc_id, tmp_path / "x.edxml").code == "not_found"
    assert _refused(c.acknowledge, doc_id).code == "not_found"
    assert not (tmp_path / "x.edxml").exists()
    assert doc_id in {r.doc_id for r in b.received()}
    assert all(r.doc_id != doc_id for r in c.sent())


def test_agency_sends_only_as_itself(exchange: Exchange, tmp_path: Path) -> None:
    b, c, centre = exchange.client(B), exchange.client(C), exchange.client(CENTRE)
    pkg = make_edoc(tmp_path, A, (B,))
    assert _refused(c.send_edoc, pkg, from_code=A).code == "send_as_other"
    # from=itself but the package says it comes from A.
    assert _refused(c.send_edoc, pkg, from_code=C).code == "sender_mismatch"
    # The integration centre may send (and read) for A.
    doc_id = centre.send_edoc(pkg, from_code=A)
    assert doc_id in {r.doc_id for r in b.received()}
    assert any(r.doc_id == doc_id for r in centre.sent())


def test_directory(exchange: Exchange) -> None:
    centre, b = exchange.client(CENTRE), exchange.client(B)
    codes = {x.code for x in b.agencies()}
    assert {A, B, C, CENTRE} <= codes
    assert (
        _refused(b.register_agency, "000.00.77.H49", "Xã thử", pcode=CENTRE).code
        == "register_forbidden"
    )
    # Only a code the administrator delegated to the centre (issue 11).
    assert _refused(centre.register_agency, "000.00.77.H49", "Xã thử", pcode=CENTRE).code == \
        "register_forbidden"
    exchange.server.delegate("000.00.77.H49", CENTRE)
    centre.register_agency("000.00.77.H49", "Xã thử", pcode=CENTRE)
    assert "000.00.77.H49" in {x.code for x in b.agencies()}
    level1 = {x["code"] for x in b.agencies_qd20(1)}
    assert "000.00.00.H41" in level1 and A not in level1
    assert _refused(b.delete_agency, "000.00.77.H49").code == "delete_forbidden"
    centre.delete_agency("000.00.77.H49")
    assert "000.00.77.H49" not in {x.code for x in b.agencies()}
    units = {u["code"]: u for u in b.synchronize_units()}
    assert units["000.00.77.H49"]["deleted"] is True and units["000.00.77.H49"]["version"] == 2


def test_openapi_and_range_download(exchange: Exchange, tmp_path: Path) -> None:
    spec = httpx.get(exchange.server.url + "/openapi.json").json()
    assert {"/sendEdoc", "/getReceivedEdocList", "/downloadEdoc", "/desk/uploads"} <= set(
        spec["paths"]
    )
    a, b = exchange.client(A), exchange.client(B)
    pkg = make_edoc(tmp_path, A, (B,), payload=bytes(range(256)) * 64)
    doc_id = a.send_edoc(pkg)
    headers = b.headers({"docId": doc_id})
    headers["Range"] = "bytes=100-"
    r = httpx.get(exchange.server.url + "/downloadEdoc", headers=headers)
    assert r.status_code == 206 and r.content == pkg.read_bytes()[100:]
    # A partial file on disk is resumed, not fetched again.
    part = tmp_path / "resumed.edxml.part"
    part.write_bytes(pkg.read_bytes()[:1000])
    b.download(doc_id, tmp_path / "resumed.edxml")
    assert (tmp_path / "resumed.edxml").read_bytes() == pkg.read_bytes()
    assert b.last_transfer.payload_bytes == pkg.stat().st_size - 1000
