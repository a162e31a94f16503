"""Issue 11, item 5: the edXML reader counts every byte, refuses duplicates and foreign encodings."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import hostile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.edxml import extract_zip, parse_bytes
from sync.errors import EdxmlError

A, B = "000.00.01.H49", "000.00.02.H49"


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return hostile.edoc(tmp_path_factory.mktemp("good"), A, B, 1).read_bytes()


def _code(data: bytes, tmp_path: Path | None = None) -> str:
    with pytest.raises(EdxmlError) as ei:
        parse_bytes(data, tmp_path)
    return ei.value.code


# --- memory: a hostile token is refused before expat holds it whole --------------------------

RSS_SCRIPT = r"""
import sys
from sync.edxml import parse_stream
from sync.errors import EdxmlError
kind, mb = sys.argv[1], int(sys.argv[2])
head = {"attr": b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016" a="',
        "comment": b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><!--',
        "pi": b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><?x ',
        "name": b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><a'}[kind]
class Endless:
    def __init__(self): self.left = mb << 20; self.first = True
    def read(self, n):
        if self.first:
            self.first = False; return head
        if self.left <= 0: return b""
        k = min(n, self.left); self.left -= k; return b"A" * k
def hwm_kb():  # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork + exec
    if sys.platform == "win32":  # the peak working set (GetProcessMemoryInfo)
        import ctypes
        from ctypes import wintypes
        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("faults", wintypes.DWORD),
                        ("peak", ctypes.c_size_t)] + [(f"f{i}", ctypes.c_size_t) for i in range(7)]
        c = Counters(); c.cb = ctypes.sizeof(c)
        psapi = ctypes.WinDLL("psapi")
        psapi.GetProcessMemoryInfo.argtypes = [wintypes.HANDLE, ctypes.POINTER(Counters), wintypes.DWORD]
        if not psapi.GetProcessMemoryInfo(wintypes.HANDLE(-1), ctypes.byref(c), c.cb):
            raise OSError("GetProcessMemoryInfo failed")
        return c.peak // 1024
    return int([l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1])
base = hwm_kb()
try:
    parse_stream(Endless())
    print("accepted")
except EdxmlError as e:
    print(e.code, (hwm_kb() - base) // 1024)
"""


@pytest.mark.parametrize("kind", ["attr", "comment", "pi", "name"])
def test_a_200_mb_token_is_refused_in_little_memory(kind: str) -> None:
    r = subprocess.run([sys.executable, "-c", RSS_SCRIPT, kind, "200"], capture_output=True, text=True,
                       timeout=300)
    code, grew_mb = r.stdout.split()
    assert code == "edxml_too_large", r.stdout + r.stderr
    assert int(grew_mb) < 40, f"RSS grew by {grew_mb} MB"


def test_many_small_attributes_count_against_the_header_budget() -> None:
    attrs = b" ".join(b'a%d="%s"' % (i, b"x" * 1000) for i in range(9000))
    data = b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><b ' + attrs + b"/></edXML>"
    assert _code(data) == "edxml_too_large"


def test_comments_and_pis_count_against_the_header_budget() -> None:
    many = b"".join(b"<!--" + b"c" * 500_000 + b"-->" for _ in range(20))
    data = b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">' + many + b"</edXML>"
    assert _code(data) == "edxml_too_large"


# --- duplicates, encodings, names --------------------------------------------------------------

@pytest.mark.parametrize("element", ["edXML:Subject", "edXML:DocumentId", "edXML:From", "edXML:ContentId",
                                     "edXML:MessageHeader"])
def test_duplicate_singletons_are_refused(good: bytes, element: str) -> None:
    start = good.index(b"<" + element.encode())
    end_tag = b"</" + element.encode() + b">"
    end = good.index(end_tag, start) + len(end_tag)
    data = good[:end] + good[start:end] + good[end:]
    assert _code(data) == "edxml_duplicate_element"


def test_the_good_package_reads(good: bytes, tmp_path: Path) -> None:
    assert parse_bytes(good, tmp_path).header.subject == "Về việc thử nghiệm số 1"


@pytest.mark.parametrize("decl", [b'<?xml version="1.0" encoding="x-bogus"?>',
                                  b'<?xml version="1.0" encoding="ISO-8859-1"?>',
                                  b'<?xml version="1.0" encoding="windows-1258"?>'])
def test_foreign_encodings_are_refused_clearly(good: bytes, decl: bytes) -> None:
    data = decl + good[good.index(b"?>") + 2:]
    assert _code(data) == "edxml_bad_encoding"


def test_utf16_is_refused(good: bytes) -> None:
    data = good.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert _code(data) in ("edxml_bad_encoding", "edxml_malformed")


@pytest.mark.parametrize("name", ["hoa-don\u202efdp.exe", "a\u200bb.pdf", "CON.pdf", "com1 .pdf",
                                  "COM\u00b9.pdf", "van-ban.pdf.", "a<b>.pdf", "a|b.pdf"])
def test_hostile_attachment_names_are_refused(good: bytes, tmp_path: Path, name: str) -> None:
    # The writer refuses these names too, so they are put in after writing.
    esc = name.replace("<", "&lt;").replace(">", "&gt;").encode()
    data = good.replace(b">van-ban.pdf<", b">" + esc + b"<")
    assert data != good
    out = tmp_path / "out"
    out.mkdir()
    assert _code(data, out) == "edxml_unsafe_name"
    assert list(out.iterdir()) == []


# --- zip: the ratio counts for every entry and for the whole --------------------------------------

def test_a_thousand_small_zero_entries_are_a_bomb(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(1000):
            zf.writestr(f"f{i}.bin", b"\0" * (1 << 20))
    z = tmp_path / "a.zip"
    z.write_bytes(buf.getvalue())
    with pytest.raises(EdxmlError) as ei:
        extract_zip(z, tmp_path / "out")
    assert ei.value.code == "edxml_zip_bomb"
    assert sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file()) == 0


def test_an_ordinary_zip_still_extracts(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("van-ban.pdf", hostile.simple_pdf() * 50)
        zf.writestr("phu-luc.txt", "Phụ lục kèm theo văn bản.\n" * 200)
    z = tmp_path / "a.zip"
    z.write_bytes(buf.getvalue())
    assert len(extract_zip(z, tmp_path / "out")) == 2


# --- fuzzing: whatever the bytes, the reader answers with a Package or an EdxmlError ---------

@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzzed_packages_never_raise_anything_but_edxml_errors(good: bytes, data: st.DataObject) -> None:
    buf = bytearray(good)
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "cut", "dup", "insert"]))
        i = data.draw(st.integers(0, len(buf) - 1))
        if op == "flip":
            buf[i] = data.draw(st.integers(0, 255))
        elif op == "cut":
            del buf[i: i + data.draw(st.integers(1, 200))]
        elif op == "dup":
            j = min(len(buf), i + data.draw(st.integers(1, 400)))
            buf[i:i] = buf[i:j]
        else:
            buf[i:i] = data.draw(st.sampled_from([b"<!--x-->", b"<?pi x?>", b"&amp;", b"<!DOCTYPE x>",
                                                  b'<edXML:Subject>x</edXML:Subject>', b"\xef\xbb\xbf",
                                                  b'<?xml version="1.0" encoding="latin1"?>', b"\x00",
                                                  b"<edXML:PageAmount>1" + b"9" * 30 + b"</edXML:PageAmount>"]))
        if not buf:
            buf = bytearray(b"<")
    with contextlib.suppress(EdxmlError):
        parse_bytes(bytes(buf))
