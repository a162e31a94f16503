"""A SHA-1 / RSA-1024 signature, made as such signatures were made, with its root installed:
"valid under the rules of its time, the algorithm is now weak" — not "not accepted".

The key and self-signed certificate are made here with ``cryptography`` (no CA of the test
PKI issues 1024-bit keys); the certificate is its own trust anchor, stated as such.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.trust import TrustSettings
from signing.verify import verify_pdf


def _old_style_signer(bits: int) -> tuple[signers.SimpleSigner, asn1_x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn Cũ"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    cert_asn1 = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    key_asn1 = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    signer = signers.SimpleSigner(signing_cert=cert_asn1, signing_key=key_asn1,
                                  cert_registry=SimpleCertificateStore.from_certs([cert_asn1]))
    return signer, cert_asn1


@pytest.mark.parametrize(("bits", "digest", "weak"), [(1024, "sha256", ["RSA-1024"]),
                                                      (2048, "sha1", ["SHA-1"]),
                                                      (1024, "sha1", ["SHA-1", "RSA-1024"])])
def test_old_algorithm_is_valid_under_the_rules_of_its_time(bits: int, digest: str, weak: list[str],
                                                            draft: bytes) -> None:
    signer, cert = _old_style_signer(bits)
    out = io.BytesIO()
    signers.PdfSigner(signers.PdfSignatureMetadata(field_name="ChuKyCu", md_algorithm=digest),
                      signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(draft)), output=out)
    report = verify_pdf(out.getvalue(), trust=TrustSettings((cert,)))  # the signer is its own anchor here
    sig = report.signatures[0]
    assert sig.weak_algorithms == weak
    assert report.verdict == "valid", report.summary("en")
    assert sig.trusted and sig.valid and sig.intact
    en, vi = report.summary("en"), report.summary("vi")
    assert f"Valid under the rules of its time; the algorithm ({', '.join(weak)}) is now considered weak." in en
    assert "Hợp lệ theo quy định tại thời điểm ký" in vi
    assert "no longer accepted" not in en and "không còn được chấp nhận" not in vi


def test_md5_stays_refused(draft: bytes) -> None:
    signer, cert = _old_style_signer(2048)
    out = io.BytesIO()
    try:
        signers.PdfSigner(signers.PdfSignatureMetadata(field_name="ChuKyMd5", md_algorithm="md5"),
                          signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(draft)), output=out)
    except Exception as exc:  # pyHanko may refuse to make one at all; then there is nothing to verify
        pytest.skip(f"pyHanko refuses to sign with MD5: {exc}")
    report = verify_pdf(out.getvalue(), trust=TrustSettings((cert,)))
    assert report.verdict != "valid", report.summary("en")
