"""edXML: the shared axis sample, round trips, hostile input, zip attachments, streaming."""

from __future__ import annotations

import base64
import io
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.edxml import (
    AttachmentSource,
    Business,
    BusinessDocType,
    BusinessDocumentInfo,
    Code,
    DocumentType,
    MessageHeader,
    Organization,
    OtherInfo,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusHeader,
    TraceHeader,
    TraceHeaderList,
    extract_zip,
    package_bytes,
    package_dict,
    parse_bytes,
    parse_file,
    write_package_file,
)
from sync.errors import EdxmlError

SAMPLE = Path("/work/shared/data/edxml/vpcp-cong-van-3-recipients.edxml")


def _header(**kw: object) -> MessageHeader:
    base: dict[str, object] = dict(
        from_=Organization("000.00.00.H49", "UBND tỉnh Quảng Ninh"),
        to=(Organization("000.01.00.H49", "Sở Nội vụ"),),
        document_id="000.00.00.H49,2026/11/25,15/QĐ-UBND",
        code=Code("15", "QĐ-UBND"),
        subject="Về việc thử nghiệm",
    )
    base.update(kw)
    return MessageHeader(**base)  # type: ignore[arg-type]


# --- the shared sample ------------------------------------------------------------------


def test_shared_sample_fields(tmp_path: Path) -> None:
    pkg = parse_file(SAMPLE, tmp_path)
    h = pkg.header
    assert isinstance(h, MessageHeader)
    assert pkg.kind == "edoc"
    assert h.from_.organ_id == "000.00.00.G22"
    assert h.from_.organ_name == "Văn phòng Chính phủ"
    assert h.from_.telephone == "8043100"
    assert [o.organ_id for o in h.to] == ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"]
    assert h.to[1].organ_name == "UBND Tỉnh Cao Bằng"
    assert h.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert h.code == Code("7816", "VPCP-TTĐT")
    assert h.promulgation_info == PromulgationInfo("Hà Nội", date(2019, 4, 11))
    assert h.document_type == DocumentType(1, 0, "Công văn")
    assert h.subject == "V/v kết nối, liên thông phần mềm quản lý văn bản"
    assert h.signer_info.competence == "TL. BO TRUONG"
    assert h.signer_info.full_name == "Nguyen Thanh Phuc"
    assert h.due_date == date(2019, 4, 11)
    assert h.other_info.priority == 0
    assert h.other_info.promulgation_amount == 2 and h.other_info.page_amount == 22
    assert h.other_info.direction is False
    assert h.other_info.appendixes == (
        "Công văn về việc kết nối, liên thông phần mềm quản lý văn bản",
    )
    assert h.steering_type == 1
    assert h.to_places == ("Cac bo va co quan ngang bo", "Uy ban nhan dan cac tinh, TP")
    b = pkg.trace.business
    assert b is not None and b.doc_type is BusinessDocType.NEW
    assert b.staff_info == StaffInfo(
        "Văn thư văn phòng", "Nguyễn Thị Ngọc Trâm", "84912000001", "vanthuvanphong@gov.vn"
    )
    assert pkg.trace.trace_headers == (TraceHeader("000.00.00.G22", datetime(2019, 4, 11)),)
    assert pkg.signed
    (att,) = pkg.attachments
    assert (att.content_id, att.name, att.content_type) == (
        "cid:209",
        "1896_QD-TTg_m_294779.doc",
        "application/zip",
    )
    assert att.path is not None and att.path.stat().st_size == att.size == 4151
    files = extract_zip(att.path, tmp_path / "unzipped")
    assert [f.name for f in files] == ["7a71a0ee-2f35-400d-aca9-811d478eb158.edxml"]
    assert "<edXML" in files[0].read_text(encoding="utf-8")
    assert package_dict(pkg)["header"]["from"]["organ_id"] == "000.00.00.G22"


# --- round trips ---------------------------------------------------------------------------

_xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n\r<>&\"'"),
    max_size=40,
).map(str.strip)
_organ_id = st.from_regex(r"\A[0-9A-Z]{1,3}(\.[0-9A-Z]{1,3}){0,3}\Z")
_dates = st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))
_ts = st.none() | st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)
_ints = st.none() | st.integers(-1000, 10**6)
_orgs = st.builds(
    Organization,
    _organ_id,
    _xml_text,
    _xml_text,
    _xml_text,
    _xml_text,
    _xml_text,
    _xml_text,
    _xml_text,
)
_staff = st.builds(StaffInfo, _xml_text, _xml_text, _xml_text, _xml_text)
_rf = st.builds(ResponseFor, _organ_id, _xml_text, _dates, _xml_text.filter(bool))
_business = st.builds(
    Business,
    st.sampled_from(BusinessDocType),
    _xml_text,
    _xml_text,
    st.none()
    | st.builds(
        BusinessDocumentInfo,
        _xml_text,
        _xml_text,
        st.lists(st.builds(Receiver, st.integers(0, 1), _organ_id), max_size=3).map(tuple),
    ),
    st.none() | _staff,
    _ints,
    st.lists(
        st.builds(ReplacementInfo, _xml_text, st.lists(_organ_id, max_size=3).map(tuple)),
        max_size=2,
    ).map(tuple),
)
_trace = st.builds(
    TraceHeaderList,
    st.lists(st.builds(TraceHeader, _organ_id, _ts), max_size=3).map(tuple),
    st.none() | _business,
)
_message = st.builds(
    MessageHeader,
    from_=_orgs,
    to=st.lists(_orgs, min_size=1, max_size=3).map(tuple),
    document_id=_xml_text.filter(bool),
    code=st.builds(
        Code, _xml_text.map(lambda s: s[:11].strip()), _xml_text.map(lambda s: s[:30].strip())
    ),
    promulgation_info=st.builds(PromulgationInfo, _xml_text, _dates),
    document_type=st.builds(DocumentType, _ints, _ints, _xml_text),
    subject=_xml_text,
    content=_xml_text,
    signer_info=st.builds(SignerInfo, _xml_text, _xml_text, _xml_text),
    due_date=_dates,
    to_places=st.lists(_xml_text, max_size=3).map(tuple),
    other_info=st.builds(
        OtherInfo,
        st.none() | st.integers(0, 4),
        _xml_text,
        _xml_text,
        _ints,
        _ints,
        st.none() | st.booleans(),
        st.lists(_xml_text, max_size=2).map(tuple),
    ),
    response_for=st.lists(_rf, max_size=2).map(tuple),
    steering_type=st.none() | st.integers(0, 3),
)
_status = st.builds(
    # A StaffInfo with every member empty is not written (as the reference library does): that is None.
    StatusHeader, _rf, _orgs, st.sampled_from(StatusCode), _xml_text, _ts,
    st.none() | _staff.filter(lambda x: any((x.department, x.staff, x.mobile, x.email)))
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=_message, trace=_trace, blobs=st.lists(st.binary(max_size=300), max_size=3))
def test_edoc_round_trip(
    header: MessageHeader,
    trace: TraceHeaderList,
    blobs: list[bytes],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    d = tmp_path_factory.mktemp("rt")
    sources = []
    for i, data in enumerate(blobs):
        p = d / f"src{i}"
        p.write_bytes(data)
        sources.append(AttachmentSource(p, f"tệp {i}.pdf", "application/pdf", f"mô tả {i}"))
    (d / "out").mkdir()
    pkg = parse_bytes(package_bytes(header, trace, sources), d / "out")
    assert pkg.header == header
    assert pkg.trace == trace
    assert [a.name for a in pkg.attachments] == [s.name for s in sources]
    for a, data in zip(pkg.attachments, blobs, strict=True):
        assert a.path is not None and a.path.read_bytes() == data


@settings(max_examples=60, deadline=None)
@given(header=_status, trace=st.none() | _trace)
def test_status_round_trip(header: StatusHeader, trace: TraceHeaderList | None) -> None:
    pkg = parse_bytes(package_bytes(header, trace))
    assert pkg.kind == "status"
    assert pkg.header == header
    assert pkg.trace == (trace or TraceHeaderList())
    assert pkg.recipients == (header.response_for.organ_id,)


# --- hostile input ------------------------------------------------------------------------


def _with_attachment(tmp_path: Path, name: str = "a.pdf") -> bytes:
    src = tmp_path / "a.bin"
    src.write_bytes(b"%PDF-1.7 hello")
    return package_bytes(_header(), None, [AttachmentSource(src, name)])


def _code(data: bytes, tmp_path: Path | None = None) -> str:
    with pytest.raises(EdxmlError) as ei:
        parse_bytes(data, tmp_path)
    assert ei.value.vi and ei.value.en
    return ei.value.code


XXE = b"""<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&x;</edXML>"""
LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol2;</edXML>"""


@pytest.mark.parametrize(
    "data", [XXE, LAUGHS, b'<!DOCTYPE edXML SYSTEM "http://127.0.0.1:1/x.dtd"><edXML/>']
)
def test_dtd_and_entities_refused(data: bytes) -> None:
    assert _code(data) == "edxml_dtd_refused"


def test_malformed_and_wrong_root() -> None:
    assert (
        _code(b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><a></edXML>")
        == "edxml_malformed"
    )
    assert _code(b"<edXML><x/></edXML>") == "edxml_wrong_root"
    assert _code(b"") == "edxml_malformed"


def test_field_lengths(tmp_path: Path) -> None:
    with pytest.raises(EdxmlError) as ei:
        package_bytes(_header(subject="x" * 501))
    assert ei.value.code == "edxml_field_too_long" and "Subject" in ei.value.en
    ok = package_bytes(_header(subject="x" * 500))
    assert _code(ok.replace(b"x" * 500, b"x" * 501)) == "edxml_field_too_long"
    too_long_notation = package_bytes(_header()).replace(
        "QĐ-UBND</edXML:CodeNotation>".encode(), b"Q" * 31 + b"</edXML:CodeNotation>"
    )
    assert _code(too_long_notation) == "edxml_field_too_long"
    with pytest.raises(EdxmlError) as ei:
        package_bytes(_header(from_=Organization("../etc")))
    assert ei.value.code == "edxml_bad_organ_id"


@pytest.mark.parametrize(
    "name", ["../../evil.sh", "/etc/passwd", "a\\..\\b", "..", "C:evil", "NUL.pdf", "a\x01b"]
)
def test_attachment_name_cannot_escape(tmp_path: Path, name: str) -> None:
    good = _with_attachment(tmp_path)
    evil = good.replace(
        b"<AttachmentName>a.pdf<",
        b"<AttachmentName>" + name.replace("\x01", "&#1;").encode() + b"<",
    )
    out = tmp_path / "store"
    out.mkdir()
    code = _code(evil, out)
    assert code in ("edxml_unsafe_name", "edxml_malformed")
    assert list(out.iterdir()) == []  # nothing stored
    with pytest.raises(EdxmlError):
        package_bytes(_header(), None, [AttachmentSource(tmp_path / "a.bin", name)])


def test_declared_size_and_hash_must_match(tmp_path: Path) -> None:
    good = _with_attachment(tmp_path)
    out = tmp_path / "store"
    out.mkdir()
    assert _code(good.replace(b'desk:size="14"', b'desk:size="15"'), out) == "edxml_size_mismatch"
    bad_hash = good.replace(b'desk:sha256="', b'desk:sha256="00')
    assert _code(bad_hash, out) == "edxml_hash_mismatch"
    tampered = good.replace(
        base64.b64encode(b"%PDF-1.7 hello"), base64.b64encode(b"%PDF-1.7 hellO")
    )
    assert _code(tampered, out) == "edxml_hash_mismatch"
    assert list(out.iterdir()) == []
    assert parse_bytes(good, out).attachments[0].path == out / "a.pdf"


def test_bad_base64_and_manifest(tmp_path: Path) -> None:
    good = _with_attachment(tmp_path)
    enc = base64.b64encode(b"%PDF-1.7 hello")
    assert _code(good.replace(enc, enc[:-3] + b"!!="), tmp_path) == "edxml_bad_base64"
    assert (
        _code(good.replace(enc, enc + b"QUJD"), tmp_path) == "edxml_bad_base64"
    )  # data after padding
    assert (
        _code(good.replace(b"<edXML:ContentId>cid:1<", b"<edXML:ContentId>cid:9<"))
        == "edxml_manifest_mismatch"
    )


def test_duplicate_names_and_status_code(tmp_path: Path) -> None:
    src = tmp_path / "a.bin"
    src.write_bytes(b"1")
    data = package_bytes(
        _header(), None, [AttachmentSource(src, "a.pdf"), AttachmentSource(src, "b.pdf")]
    )
    assert (
        _code(data.replace(b"<AttachmentName>b.pdf<", b"<AttachmentName>a.pdf<"))
        == "edxml_duplicate_name"
    )
    st_data = package_bytes(
        StatusHeader(
            ResponseFor("000.00.00.H49", document_id="x"),
            Organization("000.01.00.H49"),
            StatusCode.ARRIVED,
        )
    )
    assert _code(st_data.replace(b">01<", b">99<")) == "edxml_bad_status"


# --- zip attachments ------------------------------------------------------------------------


def _zip(entries: dict[str, bytes], *, symlink: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("entries", "symlink", "code"),
    [
        ({"../x.txt": b"x"}, None, "edxml_zip_traversal"),
        ({"/abs.txt": b"x"}, None, "edxml_zip_traversal"),
        ({"ok.txt": b"x"}, "link", "edxml_zip_traversal"),
        ({"bomb.bin": b"\0" * (5 << 20)}, None, "edxml_zip_bomb"),
    ],
)
def test_zip_limits(
    tmp_path: Path, entries: dict[str, bytes], symlink: str | None, code: str
) -> None:
    z = tmp_path / "a.zip"
    z.write_bytes(_zip(entries, symlink=symlink))
    dest = tmp_path / "out"
    with pytest.raises(EdxmlError) as ei:
        extract_zip(z, dest)
    assert ei.value.code == code
    assert not any(p.is_file() for p in dest.rglob("*"))
    assert not (tmp_path / "x.txt").exists()


def test_zip_ok(tmp_path: Path) -> None:
    z = tmp_path / "a.zip"
    z.write_bytes(_zip({"dir/Quyết định.pdf": b"%PDF", "b.txt": b"b"}))
    files = extract_zip(z, tmp_path / "out")
    assert sorted(f.relative_to(tmp_path / "out").as_posix() for f in files) == [
        "b.txt",
        "dir/Quyết định.pdf",
    ]


# --- streaming -------------------------------------------------------------------------------

STREAM_SCRIPT = r"""
import sys, os
from pathlib import Path
from sync.edxml import AttachmentSource, MessageHeader, Organization, write_package_file, parse_file
d = Path(sys.argv[1]); n = int(sys.argv[2])
src = d / "big.bin"
with src.open("wb") as f:
    block = os.urandom(1 << 20)
    for i in range(n):
        f.write(block)
h = MessageHeader(from_=Organization("000.00.00.H49"), to=(Organization("000.00.01.H49"),), document_id="X,1")
write_package_file(d / "big.edxml", h, None, [AttachmentSource(src, "big.bin")])
(d / "out").mkdir()
pkg = parse_file(d / "big.edxml", d / "out")
assert pkg.attachments[0].size == n << 20
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork + exec.
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
print(int(hwm.split()[1]) // 1024)
"""


def test_large_attachment_streams_in_constant_memory(tmp_path: Path) -> None:
    n = 96  # MB; the 200 MB figure is in bench/bench_exchange.py
    out = subprocess.run(
        [sys.executable, "-c", STREAM_SCRIPT, str(tmp_path), str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak_mb = int(out.stdout.strip())
    assert peak_mb < 80, f"peak RSS {peak_mb} MB for a {n} MB attachment"
    assert (tmp_path / "out" / "big.bin").read_bytes() == (tmp_path / "big.bin").read_bytes()


def test_write_package_file_leaves_nothing_on_error(tmp_path: Path) -> None:
    with pytest.raises(EdxmlError):
        write_package_file(
            tmp_path / "x.edxml", _header(), None, [AttachmentSource(tmp_path / "missing", "a.pdf")]
        )
    assert list(tmp_path.iterdir()) == []
