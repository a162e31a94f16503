"""Resumable transfer over a link that keeps dropping, TLS, and the keyring."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import httpx
import keyring
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from keyrings.alt.file import PlaintextKeyring
from sync_helpers import A, B, Exchange, make_edoc

from sync.client import ExchangeClient
from sync.connection import Connection, load_connection, save_connection
from sync.errors import SecretMissing
from sync.secrets import load_secret, store_secret
from sync.testing.netem import Netem
from sync.testing.server_proc import ServerProcess


def test_upload_and_download_resume_across_cuts(exchange: Exchange, tmp_path: Path) -> None:
    pkg = make_edoc(tmp_path, A, (B,), payload=os.urandom(3 << 20))
    size = pkg.stat().st_size
    # 24 Mbit/s with a cut every 0.5 s: a 4 MB package needs several connections.
    with Netem(exchange.server.port, rate_bits_s=24e6, cut_every_s=0.5) as link:
        url = f"http://127.0.0.1:{link.port}"
        a = exchange.client(A, url=url, retry_delay=0.05, max_stalls=20)
        doc_id = a.send_edoc(pkg, resumable=True)
        assert link.stats.cuts >= 2, link.stats
        assert link.stats.bytes_up <= 1.2 * size, (link.stats.bytes_up, size)
        up_cuts = link.stats.cuts
        b = exchange.client(B, url=url, retry_delay=0.05, max_stalls=20)
        got = b.download(doc_id, tmp_path / "got.edxml")
        assert link.stats.cuts > up_cuts
        assert link.stats.bytes_down <= 1.2 * size, (link.stats.bytes_down, size)
        assert b.last_transfer.attempts >= 2
    assert got.read_bytes() == pkg.read_bytes()
    assert not (tmp_path / "got.edxml.part").exists()


def test_repeated_sendedoc_of_one_upload_give_one_document(exchange: Exchange, tmp_path: Path) -> None:
    """sendEdoc repeated for one finished upload (its reply lost on a cut link), the repeats
    arriving while the first is still storing: every one answers with the same DocId; none
    says "upload not complete" (the file had been moved into the store before the DocId was
    written, and the lock was not held over that)."""
    pkg = make_edoc(tmp_path, A, (B,), payload=os.urandom(2 << 20))
    upload_id = exchange.client(A).upload(pkg)
    answers: list[str] = []
    errors: list[BaseException] = []

    def send() -> None:
        c = exchange.client(A)
        c.upload = lambda path: upload_id  # type: ignore[method-assign]  # the finished upload
        try:
            answers.append(c.send_edoc(pkg, resumable=True))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(answers) == 8 and len(set(answers)) == 1, (errors, answers)
    assert [i.doc_id for i in exchange.client(B).received()].count(answers[0]) == 1


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]
            ),
            False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_tls(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    (tmp_path / "srv").mkdir()
    with ServerProcess(tmp_path / "srv", tls=(cert, key)) as server:
        secret = server.add_agency(A, "A")
        conn = Connection(server.url, A, str(cert))
        from sync.client import ExchangeClient

        with ExchangeClient(server.url, A, secret, verify=str(cert)) as c:
            assert A in {x.code for x in c.agencies()}
        with pytest.raises(httpx.ConnectError):
            httpx.get(server.url + "/openapi.json")  # not trusted without the CA
        assert conn.url.startswith("https://")


@pytest.fixture
def file_keyring(tmp_path: Path):  # type: ignore[no-untyped-def]
    kr = PlaintextKeyring()
    kr.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    previous = keyring.get_keyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(previous)


def test_secret_in_keyring_not_in_files(
    tmp_path: Path, file_keyring: PlaintextKeyring, exchange: Exchange
) -> None:
    home = tmp_path / "office"
    with pytest.raises(SecretMissing):
        load_secret(exchange.server.url, A)
    store_secret(exchange.server.url, A, exchange.secrets[A])
    save_connection(home, Connection(exchange.server.url, A))
    conn = load_connection(home)
    assert (conn.url, conn.agency) == (exchange.server.url, A)
    assert exchange.secrets[A] not in (home / "exchange.toml").read_text()
    fresh = PlaintextKeyring()
    fresh.file_path = file_keyring.file_path  # type: ignore[misc]
    assert fresh.get_password(f"desk-exchange:{exchange.server.url}", A) == exchange.secrets[A]
    with conn.client() as c:
        assert A in {x.code for x in c.agencies()}


def test_upload_survives_server_kill(tmp_path: Path) -> None:
    """The server is killed (SIGKILL) mid-upload and restarted: the upload resumes, once."""
    srv = ServerProcess(tmp_path / "srv").start()
    try:
        sa, sb = srv.add_agency(A, "A"), srv.add_agency(B, "B")
        pkg = make_edoc(tmp_path, A, (B,), payload=os.urandom(2 << 20))
        with Netem(srv.port, rate_bits_s=8e6) as link:

            def killer() -> None:
                while link.stats.bytes_up < 800_000:
                    time.sleep(0.01)
                srv.kill()
                srv.start()

            t = threading.Thread(target=killer)
            t.start()
            a = ExchangeClient(
                f"http://127.0.0.1:{link.port}", A, sa, retry_delay=0.1, max_stalls=10
            )
            doc_id = a.send_edoc(pkg, resumable=True)
            t.join()
            assert link.stats.bytes_up < 1.5 * pkg.stat().st_size
        with ExchangeClient(srv.url, B, sb) as b:
            assert [r.doc_id for r in b.received()] == [doc_id]
            assert b.download(doc_id, tmp_path / "got.edxml").read_bytes() == pkg.read_bytes()
    finally:
        srv.stop()


def test_send_repeated_after_a_lost_reply_gives_the_same_doc_id(exchange: Exchange, tmp_path: Path) -> None:
    """The upload finished and sendEdoc was delivered, but its reply never came back: the
    client sends the same sendEdoc again (same upload id) and must get the same DocId."""
    import json as _json

    from sync.axis import UPLOAD_ID, hash_file_hex
    from sync.client import file_sha256

    pkg = make_edoc(tmp_path, A, (B,), payload=os.urandom(64 << 10))
    a = exchange.client(A)
    upload_id = a.upload(pkg)
    params = {"from": A, "servicetype": "eDoc", "messagetype": "edoc",
              "hash-file": hash_file_hex(file_sha256(pkg)), UPLOAD_ID: upload_id}
    ct = {"Content-Type": "application/octet-stream"}
    first = _json.loads(a._request("POST", "/sendEdoc", params, None, ct).text)
    second = _json.loads(a._request("POST", "/sendEdoc", params, None, ct).text)
    assert first["status"] == second["status"] == "OK"
    assert first["DocId"] == second["DocId"]
    b = exchange.client(B)
    assert [i.doc_id for i in b.received("edoc")].count(first["DocId"]) == 1
