# mypy: disable-error-code="no-untyped-call"
# (pyHanko leaves many functions unannotated.)
"""What a PDF's Document Security Store (DSS) holds about a signer."""

from __future__ import annotations

from typing import Any

from asn1crypto import crl, ocsp, x509
from pyhanko.pdf_utils.reader import PdfFileReader


def dss_covers(reader: PdfFileReader, cert: x509.Certificate) -> bool:
    """True if the DSS holds revocation data for ``cert``: an OCSP response about its
    serial number, or a CRL from its issuer. Says nothing about the data's validity
    (verification judges that); used to tell B-LT from B-T and to skip signatures
    that already have their long-term data."""
    if "/DSS" not in reader.root:
        return False
    dss = reader.root["/DSS"]
    serial = cert.serial_number
    for ref in dss.get("/OCSPs", []):
        if _ocsp_mentions(ref, serial):
            return True
    issuer = cert.issuer.dump()
    for ref in dss.get("/CRLs", []):
        try:
            if crl.CertificateList.load(ref.get_object().data)["tbs_cert_list"]["issuer"].dump() == issuer:
                return True
        except (KeyError, ValueError, TypeError):
            continue
    return False


def _ocsp_mentions(ref: Any, serial: int) -> bool:
    try:
        resp = ocsp.OCSPResponse.load(ref.get_object().data)
        basic = resp["response_bytes"]["response"].parsed["tbs_response_data"]
        return any(r["cert_id"]["serial_number"].native == serial for r in basic["responses"])
    except (KeyError, ValueError, TypeError):
        return False
