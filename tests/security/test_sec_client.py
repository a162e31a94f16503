"""Issue 11, item 4 (wire) and the server's request parsing under fuzzing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import axis
from sync.client import ExchangeClient, check_transport
from sync.errors import SyncError
from sync.testing.server_proc import ServerProcess


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://127.8.9.10/", "http://[::1]:9000",
                                 "http://localhost:80", "https://truc.quangninh.gov.vn"])
def test_allowed_transports(url: str) -> None:
    check_transport(url)


@pytest.mark.parametrize("url", ["http://10.0.0.5:8080", "http://truc.quangninh.gov.vn", "ftp://x/",
                                 "http://127.0.0.1.evil.example/", "file:///etc/passwd"])
def test_plain_http_to_another_computer_is_refused(url: str) -> None:
    with pytest.raises(SyncError) as ei:
        ExchangeClient(url, "000.00.01.H49", "s" * 30)
    assert ei.value.code in ("insecure_transport", "bad_url")


def test_insecure_must_be_explicit() -> None:
    ExchangeClient("http://10.0.0.5:8080", "000.00.01.H49", "s" * 30, insecure=True).close()


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, str]]:
    with ServerProcess(tmp_path_factory.mktemp("fuzz") / "srv") as s:
        secret = s.add_agency("000.00.51.H49", "Đơn vị thử")
        yield s, secret


_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=60)
_header_value = st.one_of(_text, st.integers(-(10**30), 10**400).map(str), st.just(""),
                          st.binary(max_size=40).map(lambda b: b.decode("latin-1")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(op=st.sampled_from(["getReceivedEdocList", "getEdoc", "downloadEdoc", "updateStatus", "sendEdoc",
                           "getSentEdocList", "registerAgency", "deleteAgency", "getAgenciesList"]),
       params=st.dictionaries(st.sampled_from(["docId", "status", "messagetype", "servicetype", "from", "to",
                                               axis.DESK_TIME, axis.NONCE, "agencycode", "timestamp"]),
                              _header_value, max_size=6),
       signed=st.booleans(), body=st.binary(max_size=300))
def test_fuzzed_requests_never_get_a_500(srv: tuple[ServerProcess, str], op: str, params: dict[str, str],
                                         signed: bool, body: bytes) -> None:
    s, secret = srv
    base = axis.desk_params({}) if signed else {}
    merged = {**base, **{k: v.replace("\r", "").replace("\n", "") for k, v in params.items()}}
    try:
        headers = axis.signed_headers(merged, "000.00.51.H49", secret if signed else "wrong")
        headers = {k: v.encode("utf-8").decode("latin-1") for k, v in headers.items()}
    except (UnicodeEncodeError, ValueError):
        return
    for method in ("POST", "GET"):
        try:
            r = httpx.request(method, s.url + "/" + op, headers=headers, content=body, timeout=30)
        except (httpx.LocalProtocolError, UnicodeEncodeError):
            return
        assert r.status_code < 500, (op, method, r.status_code, r.text[:300])
