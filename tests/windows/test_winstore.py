"""Signing through the Windows certificate store (crypt32 + CryptoAPI/CNG), for real.

Runs on Windows and under Wine (``make test-windows``): a PKCS#12 is imported into
the user's Personal store as certmgr would, then a PDF is signed with the key
through the Windows API and validated. A smart-card minidriver (the token's PIN
dialog) and CNG key storage providers cannot be exercised under Wine.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform != "win32",
    reason="needs Windows' crypt32 and CryptoAPI: runs in make test-windows (Wine) and on Windows")


def _pkcs12(tmp_path: Path, cn: str) -> tuple[Path, object]:
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, cn),
                       cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND xã Tân Hòa")])
    now = dt.datetime.now(dt.UTC)
    cert = (cx509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(cx509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(cx509.KeyUsage(True, True, False, False, False, False, False, False, False),
                           critical=True)
            .sign(key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(
        b"desk", key, cert, None, serialization.BestAvailableEncryption(b"secret"))
    path = tmp_path / "ky-so.p12"
    path.write_bytes(data)
    return path, cert


def test_store_certificate_signs_a_pdf(tmp_path: Path) -> None:
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from desk.docpdf import PageSpec, render
    from signing import winstore

    cn = f"Nguyễn Văn Ký {tmp_path.name[-6:]}"
    p12, cert = _pkcs12(tmp_path, cn)
    added = winstore.import_pkcs12(p12, "secret")
    assert len(added) == 1
    listed = {c.thumbprint: c for c in winstore.list_certificates()}
    assert added[0] in listed and listed[added[0]].info.subject_cn == cn

    with winstore.WindowsStoreKeySource(added[0]).open(lambda _req: None) as session:
        data = b"Desk - ky thu"
        raw = asyncio.run(session.signer.async_sign_raw(data, "sha256"))
        cert.public_key().verify(raw, data, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[attr-defined]
        pdf = render(PageSpec(issuer_parent="UBND HUYỆN TIÊN YÊN", issuer="UBND XÃ TÂN HÒA",
                              code="15/QĐ-UBND", place="Tân Hòa", issued=dt.date(2026, 12, 1),
                              type_name="QUYẾT ĐỊNH", subject="Về việc thử ký số"))
        out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                               signers.PdfSignatureMetadata(field_name="KySo"), signer=session.signer)
    sig = PdfFileReader(out).embedded_signatures[0]
    root = ax509.Certificate.load(cert.public_bytes(Encoding.DER))  # type: ignore[attr-defined]
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid, status.pretty_print_details()
    assert status.signing_cert.subject.native["common_name"] == cn


def test_no_store_certificate_is_a_clear_error() -> None:
    from signing import winstore
    from signing.errors import CertificateNotFound

    with pytest.raises(CertificateNotFound) as err:
        winstore.WindowsStoreKeySource("0" * 40).open(lambda _req: None)
    assert "Windows certificate store" in str(err.value) or "kho chứng thư Windows" in str(err.value)
