"""Issue 11: the server's upload bodies under fuzzing, on a real `desk serve` on 127.0.0.1.

Authenticated requests (so the bodies are really read) to sendEdoc, the resumable upload
endpoints and the small JSON endpoints, with bodies that are multipart with broken
boundaries or missing parts, garbage, truncated packages, wrong content types, and
Content-Length headers that are negative, huge, duplicated, too short or too long (the
body then never ends). Each one must get a clear 4xx (or no answer at all when the
request cannot even be framed), never a 500; the server must not die, log an internal
error or leave a half-received body behind; not one document may be added; and good
requests must still work afterwards. A body that stalls is dropped after the server's idle
limit (5 s here), its temporary file with it, while the client still holds the connection.

Requests are written on a raw socket, because an HTTP client will not send a wrong
Content-Length.
"""

from __future__ import annotations

import hashlib
import re
import socket
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import hostile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import axis
from sync.client import ExchangeClient
from sync.testing.server_proc import ServerProcess

SENDER, RECEIVER = "000.00.61.H49", "000.00.62.H49"
IDLE_S = 5.0  # the server's body idle limit in this module (desk serve's default is 120 s)
SEEN: Counter[tuple[str, str, str]] = Counter()  # (target, framing, answer) over the run


@dataclass
class World:
    srv: ServerProcess
    secret: str
    receiver_secret: str
    good: bytes = field(repr=False)  # a valid package from SENDER to RECEIVER
    folder: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("upload-fuzz")
    with ServerProcess(folder / "srv", max_body=1 << 20, body_idle_s=IDLE_S) as srv:
        secret = srv.add_agency(SENDER, "Đơn vị gửi")
        receiver_secret = srv.add_agency(RECEIVER, "Đơn vị nhận")
        good = hostile.edoc(folder / "pkg", SENDER, RECEIVER, 1).read_bytes()
        yield World(srv, secret, receiver_secret, good, folder)


def _documents(w: World) -> int:
    con = sqlite3.connect(w.srv.db_url.removeprefix("sqlite:///"))
    try:
        return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        con.close()


def _stored_files(w: World) -> set[str]:
    return {str(p.relative_to(w.srv.folder)) for p in (w.srv.folder / "blobs" / "docs").rglob("*")}


def _blob_root(w: World) -> Path:
    return w.srv.folder / "blobs"


def _signed(w: World, params: dict[str, str], body_sha256: str | None = None) -> list[tuple[str, str]]:
    h = axis.signed_headers(axis.desk_params(params, body_sha256), SENDER, w.secret)
    return list(h.items())


def _raw(w: World, method: str, path: str, headers: list[tuple[str, str]], body: bytes,
         *, wait: float = 20.0) -> tuple[int, bytes] | None:
    """Send one request as bytes; the status code and body, or None when no answer came back."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{w.srv.port}\r\nConnection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    data = b""
    with socket.create_connection(("127.0.0.1", w.srv.port), timeout=wait) as s:
        try:
            s.sendall(head.encode("utf-8", "surrogatepass") + body)
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data and method != "HEAD" and _complete(data):
                    break
        except (TimeoutError, ConnectionError):  # reset, aborted (Windows) or broken pipe
            pass
    if not data.startswith(b"HTTP/1.1 "):
        return None
    return int(data[9:12]), data.partition(b"\r\n\r\n")[2]


def _complete(data: bytes) -> bool:
    head, _, rest = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(rest) >= int(line.split(b":", 1)[1])
    return False


# -- bodies --------------------------------------------------------------------------------------
_boundary = st.one_of(st.text(alphabet="abcXYZ0123456789'()+_,-./:=?", min_size=1, max_size=70),
                      st.just(""), st.text(max_size=80), st.just("x" * 200))


@st.composite
def multipart(draw: st.DrawFn, good: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with its Content-Type, broken in one or several ways."""
    declared = draw(_boundary)
    used = declared if draw(st.booleans()) else draw(_boundary)
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(["file", "edoc", "", "a\"b", "x" * 300]))
        disp = draw(st.sampled_from([f'form-data; name="{name}"; filename="p.edxml"', "form-data",
                                     "attachment", "", f"form-data; name={name}"]))
        content = draw(st.one_of(st.binary(max_size=200),
                                 st.integers(0, max(len(good) - 40, 0)).map(lambda n: good[:n])))
        headers = f"Content-Disposition: {disp}\r\n" if disp else ""
        if draw(st.booleans()):
            headers += "Content-Type: " + draw(st.sampled_from(["application/xml", "", "multipart/mixed"])) + "\r\n"
        parts.append(f"--{used}\r\n{headers}\r\n".encode("utf-8", "replace") + content + b"\r\n")
    end = draw(st.sampled_from([f"--{used}--\r\n", "", f"--{used}", "--\r\n"]))
    body = b"".join(parts) + end.encode("utf-8", "replace")
    ctype = draw(st.sampled_from([f"multipart/form-data; boundary={declared}", "multipart/form-data",
                                  f'multipart/form-data; boundary="{declared}"',
                                  f"multipart/mixed; boundary={declared}"]))
    return body, ctype


def bodies(good: bytes) -> st.SearchStrategy[tuple[bytes, str]]:
    ctypes = st.sampled_from(["application/octet-stream", "application/json", "text/plain; charset=x-bogus",
                              "application/x-www-form-urlencoded", "", "\x7f/\x7f"])
    return st.one_of(
        multipart(good),
        st.tuples(st.binary(max_size=2000), ctypes),
        st.tuples(st.integers(0, max(len(good) - 40, 0)).map(lambda n: good[:n]), ctypes),
        st.tuples(st.just(good[: len(good) // 2] + b"\0" + good[len(good) // 2:]), ctypes),
        st.tuples(st.sampled_from([b"{}", b"[]", b"null", b'{"head": 1}', b"{" * 5000, b'"' + b"a" * 3000]),
                  ctypes),
    )


# Content-Length: as it should be, absent, negative, huge, duplicated, short, long (never ends), chunked
_FRAMING = ["exact", "absent", "negative", "huge", "duplicate", "short", "long", "chunked", "bad-chunked",
            "not-a-number"]


def _framing(kind: str, body: bytes) -> tuple[list[tuple[str, str]], bytes, bool]:
    """Headers and bytes for ``body`` framed as ``kind``; and whether an answer must come back."""
    n = len(body)
    if kind == "exact":
        return [("Content-Length", str(n))], body, True
    if kind == "absent":
        return [], body, False  # the body then reads as the next request
    if kind == "negative":
        return [("Content-Length", str(-n - 1))], body, False
    if kind == "huge":
        return [("Content-Length", "9" * 40)], body, False
    if kind == "duplicate":
        return [("Content-Length", str(n)), ("Content-Length", str(n + 7))], body, False
    if kind == "short":
        return [("Content-Length", str(n // 2))], body, False
    if kind == "long":
        return [("Content-Length", str(n + 1000))], body, False  # truncated: the rest never comes
    if kind == "chunked":
        return [("Transfer-Encoding", "chunked")], f"{n:x}\r\n".encode() + body + b"\r\n0\r\n\r\n", True
    if kind == "bad-chunked":
        return [("Transfer-Encoding", "chunked")], b"zz\r\n" + body, False
    return [("Content-Length", "12a")], body, False


def text_key(text: bytes) -> str:
    for key in (b'"ErrorKey":"', b'"status":"'):
        if key in text:
            return text.partition(key)[2].partition(b'"')[0].decode("ascii", "replace")
    return "?"


@dataclass(frozen=True)
class Target:
    name: str
    method: str


TARGETS = [Target("sendEdoc", "POST"), Target("sendEdoc+upload", "POST"), Target("create-upload", "POST"),
           Target("patch-upload", "PATCH"), Target("registerAgency", "POST"), Target("audit-heads", "POST")]


def _create_upload(w: World, length: int) -> str:
    c = ExchangeClient(w.srv.url, SENDER, w.secret)
    try:
        return str(c._json(c._request("POST", "/desk/uploads", {axis.UPLOAD_LENGTH: str(length)}))["data"]["uploadId"])
    finally:
        c.close()


def _request_for(w: World, target: Target, body: bytes, ctype: str, right_hash: bool,
                 length_param: str) -> tuple[str, str, list[tuple[str, str]]]:
    digest = hashlib.sha256(body)
    sha = digest.hexdigest() if right_hash else "0" * 64
    send = {"from": SENDER, "servicetype": "eDoc", "messagetype": "edoc",
            "hash-file": axis.hash_file_hex(digest.digest()) if right_hash else "ab" * 32,
            "to": f'["{RECEIVER}"]'}
    extra = [("Content-Type", ctype)] if ctype else []
    if target.name == "sendEdoc":
        return "POST", "/sendEdoc", _signed(w, send) + extra
    if target.name == "sendEdoc+upload":
        upload_id = _create_upload(w, len(body) + 2)
        ok = _raw(w, "PATCH", f"/desk/uploads/{upload_id}", _signed(w, {axis.UPLOAD_OFFSET: "0"}) +
                  [("Content-Type", "application/offset+octet-stream"), ("Content-Length", str(len(body) + 2))],
                  body + b"\r\n")
        assert ok is not None and ok[0] < 500
        return "POST", "/sendEdoc", _signed(w, {**send, axis.UPLOAD_ID: upload_id}) + extra
    if target.name == "create-upload":
        return "POST", "/desk/uploads", _signed(w, {axis.UPLOAD_LENGTH: length_param}) + extra
    if target.name == "patch-upload":
        upload_id = _create_upload(w, 4096)
        return "PATCH", f"/desk/uploads/{upload_id}", _signed(w, {axis.UPLOAD_OFFSET: "0"}) + extra
    if target.name == "registerAgency":
        return "POST", "/registerAgency", _signed(w, {}, sha) + extra
    return "POST", "/desk/audit-heads", _signed(w, {}, sha) + extra


_FIELD_VALUE = re.compile(r"[\t\x20-\x7e\x80-\U0010ffff]*")


def _legal_head(headers: list[tuple[str, str]]) -> bool:
    """Every header value is a field-value of RFC 9110 (no CR, LF, NUL, DEL or other control
    character): a generated boundary may hold any of them (CI's Windows lane drew a lone CR)."""
    return all(_FIELD_VALUE.fullmatch(v) for _k, v in headers)


def _settled(w: World) -> None:
    """No half-received body is left behind: a cut request's temporary file goes as soon as the
    server sees the connection end, and at the latest when the body has been idle for IDLE_S.
    On Linux the end is seen at once; under Wine (asyncio's proactor loop) the end of a request
    cut after a bad chunk header was once seen only after 10 s, and once not within 30 s: the
    idle limit bounds that. A leak (the file never removed) fails it all the same."""
    tmp = _blob_root(w) / "tmp"
    t0 = time.monotonic()
    while any(tmp.iterdir()) and time.monotonic() < t0 + IDLE_S + 25:
        time.sleep(0.05)
    left = list(tmp.iterdir())
    assert not left, f"{left} still there after {time.monotonic() - t0:.1f} s"



@pytest.fixture(scope="module")
def before(world: World) -> tuple[int, set[str]]:
    return _documents(world), _stored_files(world)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.data_too_large])
@given(data=st.data(), target=st.sampled_from(TARGETS),
       framing=st.one_of(st.sampled_from(["exact", "chunked"]), st.sampled_from(_FRAMING)),
       right_hash=st.sampled_from([True, True, True, False]),
       length_param=st.one_of(st.integers(-(10**20), 10**20).map(str), st.sampled_from(["", "٣", "1_000", "+5",
                                                                                        "9" * 500, "0x10"])))
def test_fuzzed_upload_bodies_never_get_a_500_nor_change_the_store(
        world: World, before: tuple[int, set[str]], data: st.DataObject, target: Target, framing: str,
        right_hash: bool, length_param: str) -> None:
    body, ctype = data.draw(bodies(world.good))
    method, path, headers = _request_for(world, target, body, ctype, right_hash, length_param)
    frame, raw, must_answer = _framing(framing, body)
    answer = _raw(world, method, path, headers + frame, raw, wait=20.0 if must_answer else 3.0)
    assert world.srv.proc is not None and world.srv.proc.poll() is None, "the server died"
    if must_answer:
        assert answer is not None, (target, framing, "no answer")
    SEEN[(target.name, framing, "none" if answer is None else str(answer[0]) +
          (" " + text_key(answer[1]) if answer[0] == 200 else ""))] += 1
    if answer is not None:
        status, text = answer
        # The axis calls answer HTTP 200 with ErrorCode; an internal error there is ErrorCode 500.
        assert status < 500 and b'"ErrorCode":"500"' not in text, (target, framing, status, text[:300])
        if target.name.startswith("sendEdoc") or target.name in ("registerAgency", "audit-heads"):
            assert b'"status":"FAIL"' in text or status >= 400, (target, framing, status, text[:300])
        if target.name == "create-upload" and must_answer and not (
                length_param.isascii() and length_param.isdigit() and 0 < int(length_param) < 10**18):
            if _legal_head(headers):
                assert status == 400 and b'"ErrorKey":"bad_param"' in text, (length_param, status, text[:300])
            else:  # a control character in a header: the HTTP layer refuses it before any handler
                assert status == 400, (headers, status, text[:300])
    _settled(world)
    assert _documents(world) == before[0]
    assert _stored_files(world) == before[1]


def test_after_the_fuzzing_good_requests_still_work_and_nothing_failed_inside(
        world: World, before: tuple[int, set[str]]) -> None:
    for k, n in sorted(SEEN.items()):
        print(*k, n)
    # Every target was reached and answered, and bodies got past the framing to the handlers.
    assert {t for t, _f, a in SEEN if a != "none"} == {t.name for t in TARGETS}
    assert sum(n for (t, f, a), n in SEEN.items() if f in ("exact", "chunked") and a != "none") > 30
    log = (world.srv.folder / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "Exception" not in log, log[-3000:]
    sender = ExchangeClient(world.srv.url, SENDER, world.secret)
    path = world.folder / "ok.edxml"
    path.write_bytes(world.good)
    doc_id = sender.send_edoc(path, to=[RECEIVER])
    again = sender.send_edoc(path, to=[RECEIVER], resumable=True)
    assert again == doc_id
    receiver = ExchangeClient(world.srv.url, RECEIVER, world.receiver_secret)
    assert [i.doc_id for i in receiver.received()] == [doc_id]
    assert receiver.get_edoc(doc_id) == world.good
    assert _documents(world) == before[0] + 1


def test_a_stalled_body_is_dropped_after_the_idle_limit_while_the_client_waits(world: World) -> None:
    """The client sends half a package and then nothing, holding the connection open: after
    IDLE_S the server answers (axis form: ErrorCode 408) and the half-received file is gone,
    though the connection never ended. A stalled resumable upload keeps what arrived."""
    half = world.good[: len(world.good) // 2]
    headers = _signed(world, {"from": SENDER, "servicetype": "eDoc", "messagetype": "edoc",
                              "hash-file": "ab" * 32, "to": f'["{RECEIVER}"]'})
    answer = _raw(world, "POST", "/sendEdoc", [*headers, ("Content-Length", str(len(world.good)))],
                  half, wait=IDLE_S + 30)
    assert answer is not None, "no answer while the client waited"
    status, text = answer
    assert status == 200 and b'"ErrorCode":"408"' in text and b'"ErrorKey":"body_stalled"' in text, text
    assert not any((_blob_root(world) / "tmp").iterdir())
    upload_id = _create_upload(world, len(world.good))
    answer = _raw(world, "PATCH", f"/desk/uploads/{upload_id}",
                  [*_signed(world, {axis.UPLOAD_OFFSET: "0"}), ("Content-Type", "application/offset+octet-stream"),
                   ("Content-Length", str(len(world.good)))], half, wait=IDLE_S + 30)
    assert answer is not None and answer[0] == 200, answer
    assert b'"offset":%d' % len(half) in answer[1], answer[1]
