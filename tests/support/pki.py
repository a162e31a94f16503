# mypy: disable-error-code="no-untyped-call"
# (pyHanko and certomancer leave many functions unannotated.)
"""Reusable fixture builders for anything that signs or verifies.

Everything here is real: a certomancer PKI (root → intermediate → signers, a TSA,
an OCSP responder and CRLs) served over HTTP on 127.0.0.1, SoftHSM2 tokens with the
keys imported, PNG signature/seal images, and Decree 30-style sample PDFs.

Typical session fixture (see tests/signing/conftest.py)::

    from tests.support import pki
    world = pki.build_world(tmp_path_factory.mktemp("pki"))   # keys, certs, tokens
    server = pki.PkiServer(world.pki).start()                 # TSA/OCSP/CRL/CSC on loopback
    ...
    server.stop()

Rules for users of this module:

* call :func:`build_world` (or :func:`SoftHsm.activate`) before anything loads
  ``libsofthsm2.so`` in the test process: SoftHSM reads ``SOFTHSM2_CONF`` once,
  when the library is initialised, and python-pkcs11 keeps it loaded;
* build the world once per session: key generation and token set-up take ~2 s.

What the world holds (constants below):

* certificates (``world.pki.cert(label)``): ``root`` → ``interm`` → ``leader``
  (Nguyễn Văn An, RSA), ``leader-ec`` (same person, ECDSA P-256), ``org`` (Ủy ban nhân
  dân xã Tân Hòa), ``expired`` (2020–2021), ``revoked`` (revoked 01/06/2025),
  ``nosign`` (keyEncipherment only); ``tsa`` and ``ocsp`` service certificates;
* tokens (PIN ``USER_PIN``): ``LEADER_TOKEN`` (leader, leader-ec, expired, revoked,
  nosign), ``ORG_TOKEN`` (org), ``LOCKED_TOKEN`` (PIN-locked flag),
  ``FINAL_TRY_TOKEN`` (final-try flag), ``PIN_TEST_TOKEN`` (org, for wrong-PIN tests);
* services (``PkiServer``): ``pki.tsa_url``, OCSP/CRL URLs inside the certificates,
  ``server.csc_url`` with credentials ``"desk-test/<cert label>"``;
* files: ``world.images["signature"|"seal"]`` PNGs, ``world.pki.pkcs12(label)`` (.p12
  protected by ``P12_PASSWORD``), ``make_decree_pdf()`` sample documents,
  ``make_libreoffice_pdf()`` (a real Writer-converted draft, ~2 s);
* checks: ``assert_external_checks(path, n)`` (``qpdf --check`` + poppler ``pdfsig``
  integrity of ``n`` signatures), ``pdfsig()``, ``qpdf_check()``.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

SOFTHSM_LIB = next(
    (p for p in ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
     if os.path.exists(p)),
    "/usr/lib/softhsm/libsofthsm2.so",
)
ARCH = "desk-test"

LEADER_NAME = "Nguyễn Văn An"
LEADER_TITLE = "CHỦ TỊCH"
ORG_NAME = "Ủy ban nhân dân xã Tân Hòa"
LEADER_TOKEN, ORG_TOKEN, LOCKED_TOKEN, FINAL_TRY_TOKEN = "LANHDAO", "VANTHU", "KHOA", "LANCUOI"
#: A token kept for wrong-PIN tests (no other test keeps a session open on it).
PIN_TEST_TOKEN = "THUPIN"
USER_PIN, SO_PIN = "123456", "87654321"
P12_PASSWORD = "mật-khẩu-p12"

#: PKCS#11 CKF_USER_PIN_* token flags.
PIN_COUNT_LOW, PIN_FINAL_TRY, PIN_LOCKED = 0x10000, 0x20000, 0x40000

# --- keys --------------------------------------------------------------------------------

_RSA_KEYS = ("root", "interm", "ocsp", "tsa", "leader", "org", "expired", "revoked", "nosign")


def _write_key(path: Path, key: Any) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def generate_keys(folder: Path) -> None:
    """RSA-2048 keys for every entity, plus an ECDSA P-256 key for the leader."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in _RSA_KEYS:
        _write_key(folder / f"{name}.key.pem", rsa.generate_private_key(65537, 2048))
    _write_key(folder / "leader-ec.key.pem", ec.generate_private_key(ec.SECP256R1()))


# --- certomancer configuration -------------------------------------------------------------


def _ku(*usages: str) -> dict[str, Any]:
    return {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": list(usages)}}


_CRL_INTERM = {"id": "crl_distribution_points",
               "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["interm"]}}}
_CRL_ROOT = {"id": "crl_distribution_points",
             "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}}}
_OCSP_AIA = {"id": "authority_information_access",
             "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["interm"]}}}


def _signer_cert(subject: str, key: str, valid_from: str, valid_to: str, *extra: dict[str, Any],
                 usage: tuple[str, ...] = ("digital_signature", "non_repudiation")) -> dict[str, Any]:
    return {
        "subject": subject, "subject-key": key, "issuer": "interm",
        "validity": {"valid-from": valid_from, "valid-to": valid_to},
        "extensions": [_ku(*usage), _CRL_INTERM, _OCSP_AIA],
        **({} if not extra else extra[0]),
    }


def certomancer_config(key_dir: Path, url_prefix: str) -> dict[str, Any]:
    keys = {name: {"path": f"{name}.key.pem"} for name in (*_RSA_KEYS, "leader-ec")}
    long = ("2020-01-01T00:00:00+0000", "2100-01-01T00:00:00+0000")
    signer_validity = ("2025-01-01T00:00:00+0000", "2035-01-01T00:00:00+0000")
    return {
        "external-url-prefix": url_prefix,
        "keysets": {"desk": {"path-prefix": str(key_dir), "keys": keys}},
        "pki-architectures": {ARCH: {
            "keyset": "desk",
            "entity-defaults": {"country-name": "VN", "organization-name": "Desk Test PKI"},
            "entities": {
                "root": {"common-name": "Desk Test Root CA"},
                "interm": {"common-name": "CA thử nghiệm Desk G2"},
                "ocsp": {"common-name": "OCSP thử nghiệm"},
                "tsa": {"common-name": "Dịch vụ cấp dấu thời gian thử nghiệm"},
                "leader": {"common-name": LEADER_NAME, "organization-name": ORG_NAME,
                           "title": LEADER_TITLE.title()},
                "org": {"common-name": ORG_NAME, "organization-name": ORG_NAME},
                "expired": {"common-name": "Trần Thị Hết Hạn", "organization-name": ORG_NAME},
                "revoked": {"common-name": "Lê Văn Thu Hồi", "organization-name": ORG_NAME},
                "nosign": {"common-name": "Phạm Văn Mã Hóa", "organization-name": ORG_NAME},
            },
            "certs": {
                "root": {
                    "subject": "root", "subject-key": "root", "issuer": "root", "authority-key": "root",
                    "validity": {"valid-from": long[0], "valid-to": long[1]},
                    "extensions": [{"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                                   _ku("digital_signature", "key_cert_sign", "crl_sign")],
                },
                "interm": {
                    "subject": "interm", "subject-key": "interm", "issuer": "root",
                    "validity": {"valid-from": long[0], "valid-to": long[1]},
                    "extensions": [{"id": "basic_constraints", "critical": True,
                                    "value": {"ca": True, "path-len-constraint": 0}},
                                   _ku("digital_signature", "key_cert_sign", "crl_sign"), _CRL_ROOT],
                },
                "ocsp": {
                    "subject": "ocsp", "subject-key": "ocsp", "issuer": "interm",
                    "validity": {"valid-from": long[0], "valid-to": long[1]},
                    "extensions": [_ku("digital_signature"),
                                   {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                                   {"id": "ocsp_no_check"}],
                },
                "tsa": {
                    "subject": "tsa", "subject-key": "tsa", "issuer": "root",
                    "validity": {"valid-from": long[0], "valid-to": long[1]},
                    "extensions": [_ku("digital_signature"),
                                   {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                                   _CRL_ROOT],
                },
                "leader": _signer_cert("leader", "leader", *signer_validity),
                "leader-ec": _signer_cert("leader", "leader-ec", *signer_validity),
                "org": _signer_cert("org", "org", *signer_validity),
                "expired": _signer_cert("expired", "expired", "2020-01-01T00:00:00+0000",
                                        "2021-01-01T00:00:00+0000"),
                "revoked": _signer_cert("revoked", "revoked", *signer_validity, {
                    "revocation": {"revoked-since": "2025-06-01T00:00:00+0000", "reason": "key_compromise"}}),
                "nosign": _signer_cert("nosign", "nosign", *signer_validity,
                                       usage=("key_encipherment",)),
            },
            "services": {
                "ocsp": {"interm": {"for-issuer": "interm", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                "crl-repo": {
                    "root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "P90D"},
                    "interm": {"for-issuer": "interm", "signing-key": "interm",
                               "simulated-update-schedule": "P30D"},
                },
                "cert-repo": {"root": {"for-issuer": "root", "publish-issued-certs": True},
                              "interm": {"for-issuer": "interm", "publish-issued-certs": True}},
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
            },
        }},
    }


@dataclass
class TestPki:
    """A certomancer PKI with its files written to ``folder``.

    ``cert(label)`` gives asn1crypto certificates; ``cert_path(label)`` a PEM file.
    Labels: root, interm, ocsp, tsa, leader, leader-ec, org, expired, revoked, nosign.
    """

    folder: Path
    config: Any  # certomancer CertomancerConfig
    arch: Any  # certomancer PKIArchitecture
    port: int
    sock: socket.socket = field(repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/{ARCH}/tsa/tsa"

    def cert(self, label: str) -> x509.Certificate:
        return self.arch.get_cert(label)

    def cert_path(self, label: str) -> Path:
        path = self.folder / "certs" / f"{label}.pem"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            der = self.cert(label).dump()
            body = base64.encodebytes(der).decode("ascii")
            path.write_text(f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n")
        return path

    def key_path(self, label: str) -> Path:
        return self.folder / "keys" / f"{label}.key.pem"

    def pkcs12(self, label: str, password: str = P12_PASSWORD) -> Path:
        """A .p12 with the key, its certificate and the CA chain."""
        from cryptography import x509 as cx509
        from cryptography.hazmat.primitives.serialization import pkcs12

        key = serialization.load_pem_private_key(self.key_path(label).read_bytes(), None)
        cert = cx509.load_der_x509_certificate(self.cert(label).dump())
        cas = [cx509.load_der_x509_certificate(self.cert(c).dump()) for c in ("interm", "root")]
        data = pkcs12.serialize_key_and_certificates(
            label.encode(), key, cert, cas,  # type: ignore[arg-type]
            serialization.BestAvailableEncryption(password.encode("utf-8")))
        path = self.folder / f"{label}.p12"
        path.write_bytes(data)
        return path


def build_pki(folder: Path) -> TestPki:
    """Keys + certomancer PKI whose URLs point at a loopback port reserved now."""
    from certomancer.registry import CertomancerConfig

    folder.mkdir(parents=True, exist_ok=True)
    generate_keys(folder / "keys")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    cfg = CertomancerConfig(certomancer_config(folder / "keys", f"http://127.0.0.1:{port}"),
                            key_search_dir=str(folder))
    from certomancer.registry import ArchLabel

    return TestPki(folder, cfg, cfg.get_pki_arch(ArchLabel(ARCH)), port, sock)


# --- HTTP services on loopback -------------------------------------------------------------


class PkiServer:
    """TSA, OCSP, CRL and cert repository (certomancer animator) plus a CSC
    remote-signing service (certomancer-csc-dummy), on 127.0.0.1, in a thread.

    ``with server.stopped(): ...`` takes both offline and brings them back on the
    same ports, for "the network is gone" tests.
    """

    def __init__(self, pki: TestPki) -> None:
        self.pki = pki
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runners: list[Any] = []
        csc_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        csc_sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        csc_sock.bind(("127.0.0.1", 0))
        self.csc_port = csc_sock.getsockname()[1]
        csc_sock.close()

    @property
    def csc_url(self) -> str:
        return f"http://127.0.0.1:{self.csc_port}"

    def _apps(self) -> list[tuple[Any, int]]:
        from certomancer.integrations.aiohttp_animator import build_animator_app
        from certomancer.registry import ArchLabel
        from csc_dummy.csc_dummy_server import CSCWithCertomancer, DummyServiceParams

        animator = build_animator_app({ArchLabel(ARCH): self.pki.arch}, with_web_ui=False)
        import warnings

        with warnings.catch_warnings():  # csc-dummy uses plain string app keys (aiohttp NotAppKeyWarning)
            warnings.simplefilter("ignore")
            csc = CSCWithCertomancer(self.pki.config,
                                     service_params=DummyServiceParams(hash_pinning_required=True))
        csc.register_routes()
        return [(animator, self.pki.port), (csc.app, self.csc_port)]

    async def _start_sites(self) -> None:
        from aiohttp import web

        for app, port in self._apps():
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", port, reuse_address=True)
            await site.start()
            self._runners.append(runner)

    async def _stop_sites(self) -> None:
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()

    def start(self) -> PkiServer:
        if self.pki.sock.fileno() != -1:
            self.pki.sock.close()  # the port was only reserved; aiohttp binds it now
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pki-server", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start_sites(), self._loop).result(10)
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._stop_sites(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        self._loop.close()
        self._loop = None

    @contextmanager
    def stopped(self) -> Iterator[None]:
        self.stop()
        try:
            yield
        finally:
            self.start()


# --- SoftHSM2 -------------------------------------------------------------------------------


class SoftHsm:
    """SoftHSM2 tokens kept in ``folder``, driven with softhsm2-util and pkcs11-tool."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.token_dir = folder / "tokens"
        self.token_dir.mkdir(parents=True, exist_ok=True)
        self.conf = folder / "softhsm2.conf"
        self.conf.write_text(f"directories.tokendir = {self.token_dir}\nobjectstore.backend = file\n"
                             "log.level = ERROR\n")
        self.module = SOFTHSM_LIB

    def activate(self) -> None:
        """Point this process (and its children) at these tokens."""
        os.environ["SOFTHSM2_CONF"] = str(self.conf)

    def _run(self, *args: str) -> None:
        env = dict(os.environ, SOFTHSM2_CONF=str(self.conf))
        subprocess.run(args, check=True, env=env, capture_output=True)

    def init_token(self, label: str, pin: str = USER_PIN, so_pin: str = SO_PIN) -> None:
        self._run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin)

    def import_key(self, token: str, key_pem: Path, obj_id: str, label: str, pin: str = USER_PIN) -> None:
        self._run("softhsm2-util", "--import", str(key_pem), "--token", token, "--label", label,
                  "--id", obj_id, "--pin", pin)

    def import_cert(self, token: str, cert: x509.Certificate, obj_id: str, label: str,
                    pin: str = USER_PIN) -> None:
        der = self.folder / f"{token}-{label}.der"
        der.write_bytes(cert.dump())
        self._run("pkcs11-tool", "--module", self.module, "--token-label", token, "--login", "--pin", pin,
                  "--write-object", str(der), "--type", "cert", "--label", label, "--id", obj_id)

    def set_pin_flags(self, token: str, flags: int) -> None:
        """Set CKF_USER_PIN_* flags in the token's stored state.

        SoftHSM2 keeps no PIN retry counter, so it never reaches "final try" or
        "locked" by itself. Real tokens do; to test how Desk reacts to those flags,
        the flag word SoftHSM2 stores (attribute CKA_OS_TOKENFLAGS, 0x8000534B, a
        big-endian 64-bit value in token.object) is edited. Must run before the
        library is loaded in the process that reads it.
        """
        marker = bytes.fromhex("000000008000534b0000000000000002")
        label_bytes = token.encode().ljust(32, b" ")
        for obj in self.token_dir.glob("*/token.object"):
            data = bytearray(obj.read_bytes())
            if label_bytes not in data:
                continue
            at = data.index(marker) + len(marker)
            current = int.from_bytes(data[at:at + 8], "big")
            data[at:at + 8] = (current | flags).to_bytes(8, "big")
            obj.write_bytes(bytes(data))
            return
        raise KeyError(token)


@dataclass
class TestWorld:
    """Everything a signing test needs; built once per session."""

    pki: TestPki
    hsm: SoftHsm
    images: dict[str, Path]

    @property
    def module(self) -> str:
        return self.hsm.module


def build_tokens(pki: TestPki, hsm: SoftHsm) -> None:
    """LANHDAO: the leader's RSA and ECDSA keys plus expired/revoked/no-signing
    certificates; VANTHU: the organisation's key; KHOA: PIN locked; LANCUOI: final
    PIN try; THUPIN: the organisation's key again, for wrong-PIN tests. Every token
    carries the intermediate and root certificates."""
    for token in (LEADER_TOKEN, ORG_TOKEN, LOCKED_TOKEN, FINAL_TRY_TOKEN, PIN_TEST_TOKEN):
        hsm.init_token(token)
    plan = {
        LEADER_TOKEN: [("leader", "01"), ("leader-ec", "02"), ("expired", "03"), ("revoked", "04"),
                       ("nosign", "05")],
        ORG_TOKEN: [("org", "01")],
        LOCKED_TOKEN: [("leader", "01")],
        FINAL_TRY_TOKEN: [("leader", "01")],
        PIN_TEST_TOKEN: [("org", "01")],
    }
    for token, entries in plan.items():
        for label, obj_id in entries:
            hsm.import_key(token, pki.key_path(label), obj_id, label)
            hsm.import_cert(token, pki.cert(label), obj_id, label)
        hsm.import_cert(token, pki.cert("interm"), "a1", "interm")
        hsm.import_cert(token, pki.cert("root"), "a2", "root")
    hsm.set_pin_flags(LOCKED_TOKEN, PIN_LOCKED)
    hsm.set_pin_flags(FINAL_TRY_TOKEN, PIN_COUNT_LOW | PIN_FINAL_TRY)


def build_world(folder: Path) -> TestWorld:
    """PKI + SoftHSM2 tokens + images; activates SOFTHSM2_CONF for this process."""
    pki = build_pki(folder / "pki")
    hsm = SoftHsm(folder / "softhsm")
    build_tokens(pki, hsm)
    hsm.activate()
    images = {"signature": make_signature_png(folder / "chu-ky.png"),
              "seal": make_seal_png(folder / "con-dau.png", "ỦY BAN NHÂN DÂN", "XÃ TÂN HÒA")}
    return TestWorld(pki, hsm, images)


# --- images ------------------------------------------------------------------------------


def make_signature_png(path: Path, dpi: int = 300) -> Path:
    """A blue handwritten-looking signature on a transparent background (50 × 20 mm)."""
    import math

    from PIL import Image, ImageDraw

    w, h = 590, 236
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    pts = [(40 + t * 4.6, h / 2 + 55 * math.sin(t / 9.0) * math.cos(t / 23.0) - 20 * math.sin(t / 3.1))
           for t in range(110)]
    draw.line(pts, fill=(20, 40, 190, 255), width=7, joint="curve")
    draw.line([(70, h - 50), (w - 60, h - 70)], fill=(20, 40, 190, 255), width=5)
    img.save(path, dpi=(dpi, dpi))
    return path


def make_seal_png(path: Path, line1: str, line2: str, diameter_mm: float = 36, dpi: int = 200) -> Path:
    """A red round seal with the organisation's name, transparent outside."""
    from PIL import Image, ImageDraw, ImageFont

    from signing.fonts import FONT_FILE, font_dir

    d = round(diameter_mm / 25.4 * dpi)
    img = Image.new("RGBA", (d, d), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    red = (215, 25, 32, 235)
    draw.ellipse([4, 4, d - 5, d - 5], outline=red, width=9)
    draw.ellipse([26, 26, d - 27, d - 27], outline=red, width=3)
    font = ImageFont.truetype(str(font_dir() / FONT_FILE), size=d // 11)
    for text, y in ((line1, d * 0.36), (line2, d * 0.52)):
        tw = draw.textlength(text, font=font)
        draw.text(((d - tw) / 2, y), text, fill=red, font=font)
    draw.regular_polygon((d / 2, d * 0.24, d * 0.06), 5, fill=red, rotation=180)
    img.save(path, dpi=(dpi, dpi))
    return path


# --- sample documents ----------------------------------------------------------------------


def make_decree_pdf(path: Path, *, title: str = LEADER_TITLE, signer: str = LEADER_NAME,
                    extra_pages: int = 0, body_lines: int = 12) -> Path:
    """A one-page (plus ``extra_pages``) Quyết định laid out as Decree 30 App. I,
    with real text (Desk Serif) so text search and extraction work."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    from signing.fonts import stamp_font, text_ops

    font = stamp_font()
    w = PdfFileWriter()
    mm = 72 / 25.4

    def centred(cx: float, y: float, text: str, size: float) -> tuple[float, float, str, float]:
        return (cx - font.text_width(text, size) / 2, y, text, size)

    left_c, right_c = 55 * mm, 140 * mm
    top = 297 * mm - 25 * mm  # Decree 30: top margin 20-25 mm
    items = [
        centred(left_c, top, "ỦY BAN NHÂN DÂN", 13), centred(left_c, top - 15, "XÃ TÂN HÒA", 13),
        centred(right_c, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12),
        centred(right_c, top - 15, "Độc lập - Tự do - Hạnh phúc", 13),
        (30 * mm + 15 * mm, top - 45, "Số:         /QĐ-UBND", 13),
        (right_c - 40 * mm, top - 45, "Tân Hòa, ngày      tháng      năm 2026", 13),
        centred(105 * mm, top - 90, "QUYẾT ĐỊNH", 14),
        centred(105 * mm, top - 108, "Về việc phê duyệt kế hoạch chuyển đổi số năm 2026", 14),
    ]
    y = top - 145
    body = ("Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ Nghị định số 30/2020/NĐ-CP ngày "
            "05/3/2020 của Chính phủ về công tác văn thư; xét đề nghị của Văn phòng Ủy ban nhân dân xã.")
    for i in range(body_lines):
        items.append((30 * mm, y, (body if i % 2 == 0 else "Điều " + str(i // 2 + 1)
                                   + ". Phê duyệt nội dung, giao các đơn vị triển khai thực hiện.")[:84], 13))
        y -= 18
    y -= 10
    items += [
        (30 * mm, y, "Nơi nhận:", 12), (30 * mm, y - 14, "- Như Điều 3;", 11),
        (30 * mm, y - 27, "- Lưu: VT, VP.", 11),
        centred(right_c, y, "TM. ỦY BAN NHÂN DÂN", 13), centred(right_c, y - 16, title, 13),
        centred(right_c, y - 16 - 85, signer, 13),
    ]
    ops: list[bytes] = []
    for x, yy, text, size in items:
        ops.append(text_ops(font, "F1", size, [(x, yy, text)]))
    all_text = "".join(t for _, _, t, _ in items)
    pages = [b"\n".join(ops)] + [text_ops(font, "F1", 13, [(30 * mm, top, f"Phụ lục trang {n + 2}")])
                                 for n in range(extra_pages)]
    for content in pages:
        res = generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject(
            {pdf_name("/F1"): font.font_ref(w, all_text + "Phụ lục trang 0123456789")})})
        page = PageObject(contents=w.add_object(generic.StreamObject(stream_data=content)),
                          media_box=generic.ArrayObject([generic.FloatObject(0), generic.FloatObject(0),
                                                         generic.FloatObject(595.28),
                                                         generic.FloatObject(841.89)]),
                          resources=res)
        w.insert_page(page)
    with open(path, "wb") as fh:
        w.write(fh)
    return path



def pdfsig(path: Path) -> str:
    """pdfsig's report (read its text: it exits 0 even for broken signatures).

    Use it for integrity ("Signature is Valid."), not trust: NSS cannot confirm the
    certomancer chain ("Unknown issue with Certificate") even with the root
    installed in an NSS database, so trust is judged by pyHanko in the tests.
    """
    from tests.support.windows import needs

    needs("poppler")
    args = ["pdfsig", str(path)]
    return subprocess.run(args, capture_output=True, text=True).stdout


def qpdf_check(path: Path) -> tuple[int, str]:
    from tests.support.windows import needs

    needs("qpdf")
    proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def make_libreoffice_pdf(folder: Path, *, title: str = LEADER_TITLE, signer: str = LEADER_NAME) -> Path:
    """A Quyết định written with python-docx and converted by LibreOffice, as drafts
    from Word templates are in Desk: xref streams, subset TrueType fonts, real
    Writer text layout. Takes ~2 s; build once per session."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    folder.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Liberation Serif"
    style.font.size = Pt(13)
    for text, align in (("ỦY BAN NHÂN DÂN XÃ TÂN HÒA", WD_ALIGN_PARAGRAPH.LEFT),
                        ("Số:      /QĐ-UBND", WD_ALIGN_PARAGRAPH.LEFT),
                        ("QUYẾT ĐỊNH", WD_ALIGN_PARAGRAPH.CENTER),
                        ("Về việc giao nhiệm vụ chuyển đổi số năm 2026", WD_ALIGN_PARAGRAPH.CENTER)):
        document.add_paragraph(text).alignment = align
    for i in range(4):
        document.add_paragraph(f"Điều {i + 1}. Giao Văn phòng Ủy ban nhân dân xã chủ trì, phối hợp thực hiện.")
    for text in ("TM. ỦY BAN NHÂN DÂN", title, "", "", "", "", signer):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    source = folder / "quyet-dinh.docx"
    document.save(str(source))
    env = dict(os.environ, HOME=str(folder))  # a private LibreOffice profile
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(folder),
                    str(source)], check=True, capture_output=True, env=env, timeout=120)
    return folder / "quyet-dinh.pdf"


def assert_external_checks(path: Path, expected_signatures: int) -> str:
    """Every signed file passes qpdf --check, and pdfsig finds each CMS signature's
    digest and signature valid (a second opinion on integrity). Returns pdfsig's report."""
    code, out = qpdf_check(path)
    assert code == 0, out
    report = pdfsig(path)
    assert len(re.findall(r"^Signature #\d+:", report, re.M)) == expected_signatures, report
    verdicts = re.findall(r"Signature Validation: (.*)", report)
    # Document timestamps show as "not yet verified" in poppler 22; CMS signatures must be valid.
    assert all(v in ("Signature is Valid.", "Signature has not yet been verified.") for v in verdicts), report
    assert "Signature is Valid." in verdicts, report
    assert "Digest Mismatch" not in report and "Certificate has been Revoked" not in report, report
    return report
