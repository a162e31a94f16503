"""The province's trust bundle and the exchange: a real server on 127.0.0.1, two real offices.

The administrator installs the test PKI's root once on the server (``desk serve trust
add``); each office picks it up on sync, before receiving, so a signed document that
arrives in the same round is verified with it and its verdict is recorded.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk import workflow
from desk.models import Document
from desk.reference import Role
from desk.services import documents as docs
from desk.services import release
from desk.signatures import recorded
from signing.keys import KeySession
from signing.pades import DocumentSigner, Level, SignOptions
from signing.trust import OfficeTrust, TrustSettings
from sync.testing.server_proc import ServerProcess
from tests.engine.conftest import CODES, NAMES, Site, make_site
from tests.support import pki


@pytest.fixture()
def exchange(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path / "exchange-server") as srv:
        yield srv


@pytest.fixture()
def two(exchange: ServerProcess, tmp_path: Path) -> Iterator[dict[str, Site]]:
    made = {k: make_site(exchange, tmp_path, k) for k in ("a", "b")}
    yield made
    for s in made.values():
        s.office.close()


def _publish(folder: Path, cert_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``desk serve trust add`` as the administrator runs it."""
    from desk.cli import exchange_cmds

    monkeypatch.setenv("DESK_HOME", str(folder.parent))
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    exchange_cmds.register(sub)
    args = parser.parse_args(["serve", "--db", f"sqlite:///{folder / 'exchange.sqlite'}",
                              "trust", "add", str(cert_path)])
    # the server's folder is <DESK_HOME>/exchange-server, as desk serve uses it
    assert args.func(args) == 0


def test_bundle_published_once_reaches_every_office_on_sync(
        exchange: ServerProcess, two: dict[str, Site], world: pki.TestWorld,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _publish(exchange.folder, world.pki.cert_path("root"), monkeypatch)
    assert "Đã phát hành cho cả tỉnh" in capsys.readouterr().out
    for site in two.values():
        assert OfficeTrust(site.office.paths.home).settings().counts()["province"] == 0
        report = site.engine().run_once()
        assert report.ok, report.errors
        assert report.trust_updated
        settings = OfficeTrust(site.office.paths.home).settings()
        assert settings.counts()["province"] == 1
        assert "1 của tỉnh" in settings.describe()
        again = site.engine().run_once()
        assert again.ok and not again.trust_updated  # unchanged bundle: nothing rewritten


def test_signed_document_received_is_verified_with_the_province_anchor(
        exchange: ServerProcess, two: dict[str, Site], world: pki.TestWorld, leader_key: KeySession,
        draft: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    signed, _ = DocumentSigner(leader_key, SignOptions(level=Level.B_B, trust=TrustSettings())).sign_bytes(draft)
    pdf = tmp_path / "cv-ky-so.pdf"
    pdf.write_bytes(signed)
    a, b = two["a"], two["b"]
    clerk = a.person(Role.CLERK)
    with a.office.db.write() as s:
        d = docs.create_outgoing(s, a.office.blobs, docs.DocumentInput(
            doc_type="CV", subject="Về việc kiểm tra chữ ký số", notation="UBND-VP"), clerk,
            files=[docs.FileInput(pdf)])
        workflow.apply(s, d, "submit", clerk.id)
        workflow.apply(s, d, "sign", clerk.id)
        release.release(s, d, clerk, [(CODES["b"], NAMES["b"])])
    assert a.engine().run_once().ok

    _publish(exchange.folder, world.pki.cert_path("root"), monkeypatch)
    report = b.engine().run_once()  # the bundle first, then the document
    assert report.ok and report.received == 1 and report.trust_updated
    with b.office.db.read() as s:
        from sqlalchemy import select

        got = s.scalars(select(Document).where(Document.direction == "in")).one()
        rec = recorded(got)["cv-ky-so.pdf"]
    assert rec["verdict"] == "valid", rec["reasons"]
    assert rec["signers"][0]["signer"] == pki.LEADER_NAME
    assert "1 của tỉnh" in rec["trust"]


def test_engine_never_verifies_with_an_empty_trust_list(two: dict[str, Site]) -> None:
    engine = two["a"].engine()
    trust = engine.trust
    assert trust.roots, "the sync engine must use the office's trust settings"
    assert trust.counts()["bundled"] >= 5


def test_a_server_without_a_trust_bundle_leaves_the_round_alone(two: dict[str, Site]) -> None:
    """An axis server (another vendor's) has no /desk/trust: it answers 404 with an HTML page."""
    import http.server
    import threading
    from types import SimpleNamespace

    from sync.client import ExchangeClient
    from sync.engine import SyncReport, pull_trust_bundle

    class NotDesk(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>Not Found</html>")

        def log_message(self, *_: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotDesk)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        a = two["a"]
        client = ExchangeClient(f"http://127.0.0.1:{srv.server_address[1]}", a.code, a.secret,
                                retry_delay=0.05, max_stalls=1)
        report = SyncReport()
        pull_trust_bundle(SimpleNamespace(client=client, office=a.office), report)  # type: ignore[arg-type]
        assert report.ok and not report.unreachable and not report.trust_updated
        assert OfficeTrust(a.office.paths.home).settings().counts()["province"] == 0
    finally:
        srv.shutdown()
        srv.server_close()
