# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""Finishing the proof of signatures made offline (B-B → B-LTA).

A signature made without a network has only the signing time its computer
claims. Before release, Desk adds, as incremental updates that leave every
signature valid: the revocation data of each such signer's chain (DSS), then a
document timestamp from the TSA (validated, its own chain's data added too). The
document then verifies as B-LTA, and the report shows the proof was added later.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import timestamps
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.validation import add_validation_info

from .dssinfo import dss_covers
from .errors import CertificateRejected, NetworkUnavailable, SigningError
from .failures import is_network_error as _is_network_error
from .failures import revoked_in
from .pdfinput import read_pdf as _reader
from .trust import DEFAULT_TSA_URL, TrustSettings


@dataclass(frozen=True)
class PendingSignature:
    field_name: str
    index: int


def pending_signatures(data: bytes) -> list[PendingSignature]:
    """Signatures with neither a signature timestamp nor a later document timestamp."""
    reader = _reader(data)
    sigs = list(reader.embedded_signatures)
    pending = []
    for i, sig in enumerate(sigs):
        if sig.sig_object_type == "/DocTimeStamp":
            continue
        later_doc_ts = any(s.sig_object_type == "/DocTimeStamp" for s in sigs[i + 1:])
        has_sig_ts = _has_signature_timestamp(sig)
        if not has_sig_ts and not later_doc_ts:
            pending.append(PendingSignature(sig.field_name, i))
    return pending


def needs_proof(data: bytes) -> bool:
    return bool(pending_signatures(data))


def _has_signature_timestamp(sig: object) -> bool:
    signer_info = sig.signer_info  # type: ignore[attr-defined]
    unsigned = signer_info["unsigned_attrs"]
    if not unsigned:
        return False
    return any(attr["type"].native == "signature_time_stamp_token" for attr in unsigned)


def _embedded_certs(sig: object) -> list[x509.Certificate]:
    certs = sig.signed_data["certificates"]  # type: ignore[attr-defined]
    return [c.chosen for c in certs if c.name == "certificate"] if certs else []


def _trust_for(sig: object, trust: TrustSettings) -> TrustSettings:
    certs = _embedded_certs(sig)
    roots = trust.roots or tuple(c for c in certs if c.self_signed in ("yes", "maybe"))
    return TrustSettings(tuple(roots), tuple(trust.intermediates) + tuple(certs))


def add_ltv_for_signatures(data: bytes, trust: TrustSettings, *, only_missing: bool = True) -> bytes:
    """Add the revocation data of every existing signature's chain to the DSS.

    Used before the organisation's B-LT/B-LTA signature, so earlier signatures (the
    leader's) get long-term data too. Each signature is its own incremental update.
    Signatures whose chain cannot be validated are left as they are.
    """
    current = data
    count = len(_reader(data).embedded_signatures)
    for index in range(count):
        reader = PdfFileReader(io.BytesIO(current), strict=False)
        sig = reader.embedded_signatures[index]
        if sig.sig_object_type == "/DocTimeStamp":
            continue
        if only_missing and dss_covers(reader, sig.signer_cert):
            continue
        vc = _trust_for(sig, trust).context(online=True, revocation_mode="hard-fail")
        try:
            out = add_validation_info(sig, vc, add_vri_entry=False, output=io.BytesIO(), force_write=True)
        except Exception as exc:
            if revoked_in(exc):
                holder = sig.signer_cert.subject.native.get("common_name", "")
                raise CertificateRejected(
                    f"Chữ ký trước đó của {holder} dùng chứng thư số đã bị thu hồi: không ký tiếp văn bản này.",
                    f"The earlier signature by {holder} uses a revoked certificate: not signing this document.",
                    reasons=("revoked",),
                ) from exc
            if _is_network_error(exc):
                raise NetworkUnavailable(
                    "Không lấy được dữ liệu thu hồi cho các chữ ký trước.",
                    "Could not fetch revocation data for the earlier signatures.") from exc
            continue  # e.g. a chain outside the installed roots: leave that signature as it is
        current = out.getvalue()
    return current


def complete_proof(data: bytes, *, trust: TrustSettings, tsa_url: str = DEFAULT_TSA_URL,
                   timeout: int = 10) -> bytes:
    """Add DSS data and a document timestamp; returns the new PDF bytes.

    Raises NetworkUnavailable if the TSA or revocation services cannot be reached
    (the input is left as it was: nothing is written here).
    """
    pending = pending_signatures(data)
    if not pending:
        return data
    try:
        current = data
        last_trust = trust
        for p in pending:
            reader = PdfFileReader(io.BytesIO(current), strict=False)
            sig = reader.embedded_signatures[p.index]
            last_trust = _trust_for(sig, trust)
            vc = last_trust.context(online=True, revocation_mode="hard-fail")
            out = add_validation_info(sig, vc, add_vri_entry=False, output=io.BytesIO(), force_write=True)
            current = out.getvalue()
        stamper = PdfTimeStamper(timestamps.HTTPTimeStamper(tsa_url, timeout=timeout))
        tsa_vc = last_trust.context(online=True, revocation_mode="soft-fail")
        out = stamper.timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(current), strict=False), "sha256",
                                    validation_context=tsa_vc, output=io.BytesIO())
        result: bytes = out.getvalue()
        return result
    except SigningError:
        raise
    except Exception as exc:
        if revoked_in(exc):
            raise CertificateRejected(
                "Không bổ sung được bằng chứng: chứng thư số của người ký đã bị thu hồi; văn bản không được ban hành.",
                "Cannot complete the proof: the signer's certificate has been revoked; do not release the document.",
                reasons=("revoked",),
            ) from exc
        if _is_network_error(exc):
            raise NetworkUnavailable(
                "Chưa bổ sung được dấu thời gian và dữ liệu thu hồi: không kết nối được máy chủ.",
                "Could not add the timestamp and revocation data: the services are unreachable.",
            ) from exc
        raise SigningError(f"Không bổ sung được bằng chứng: {exc}", f"Could not add the proof: {exc}") from exc


def renew_archive_timestamp(data: bytes, *, trust: TrustSettings, tsa_url: str = DEFAULT_TSA_URL,
                            timeout: int = 10) -> bytes:
    """Extend a B-LTA document's life: add the last document timestamp's revocation
    data and a new document timestamp over everything (run before the TSA's
    certificate or its algorithms expire; archives do this every few years)."""
    reader = _reader(data)
    doc_ts = [s for s in reader.embedded_signatures if s.sig_object_type == "/DocTimeStamp"]
    if not doc_ts:
        raise SigningError(
            "Văn bản chưa có dấu thời gian tài liệu (chưa đạt B-LTA): hãy bổ sung bằng chứng trước.",
            "The document has no document timestamp yet (not B-LTA): complete its proof first.",
        )
    vc = _trust_for(doc_ts[-1], trust).context(online=True, revocation_mode="hard-fail")
    stamper = PdfTimeStamper(timestamps.HTTPTimeStamper(tsa_url, timeout=timeout))
    try:
        out = stamper.update_archival_timestamp_chain(reader, vc, in_place=False, output=io.BytesIO())
    except Exception as exc:
        if _is_network_error(exc):
            raise NetworkUnavailable("Không kết nối được máy chủ dấu thời gian để gia hạn lưu trữ.",
                                     "Cannot reach the timestamp service to renew the archive timestamp.") from exc
        raise SigningError(f"Không gia hạn được dấu thời gian lưu trữ: {exc}",
                           f"Could not renew the archive timestamp: {exc}") from exc
    result: bytes = out.getvalue()
    return result
