"""Desk's signing library: PAdES signatures with USB tokens, Decree 30 appearances,
long-term validation, batch signing and verification. No Qt; imports nothing from
desk, sync or ui.

Main entry points (imported lazily, so ``import signing`` stays cheap — pyHanko
alone takes ~0.4 s to import):

* keys: :class:`Pkcs11KeySource`, :class:`Pkcs12KeySource`, :class:`CscKeySource`
  → ``.open(pin_callback) -> KeySession``; :func:`list_tokens`, :func:`discover_modules`;
* signing: :class:`SignOptions`, :class:`Level`, appearances (:class:`LeaderAppearance`,
  :class:`SealAppearance`, :class:`AttachmentAppearance`, :class:`CopyAppearance`),
  :class:`DocumentSigner` (one document in memory), :func:`sign_batch` (files, one login);
* the clerk's step: :func:`prepare_clerk_fields`, :func:`fill_clerk_fields`;
* offline signatures: :func:`needs_proof`, :func:`complete_proof`; archives:
  :func:`renew_archive_timestamp`;
* checks: :func:`check_signing_certificate`, :func:`verify_pdf` → :class:`VerificationReport`;
* trust: :func:`office_trust` (Desk's Vietnamese store + the office's and province's anchors + the
  cache) → :class:`TrustSettings` (``.for_document(pdf_bytes, online=...)`` before verifying);
  :class:`OfficeTrust` (``add``/``remove``/``install_bundle``);
* diagnostics: :func:`run_doctor`.

Every expected failure is a :class:`SigningError` with ``.code``, ``.vi`` and ``.en``.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "SigningError": "errors", "WrongPin": "errors", "PinLocked": "errors", "PinCancelled": "errors",
    "CertificateRejected": "errors", "NetworkUnavailable": "errors", "AppearanceError": "errors",
    "InvalidDocument": "errors", "TokenNotFound": "errors", "CertificateNotFound": "errors",
    "ModuleError": "errors", "RemoteSigningError": "errors",
    "discover_modules": "modules", "ModuleInfo": "modules",
    "list_tokens": "tokens", "certificate_present": "tokens", "token_certificates": "tokens", "PinRequest": "tokens", "PinStatus": "tokens", "TokenInfo": "tokens",
    "KeySession": "keys", "KeySource": "keys", "Pkcs11KeySource": "keys", "Pkcs12KeySource": "keys",
    "CscKeySource": "csc",
    "CertInfo": "certinfo", "describe_certificate": "certinfo",
    "TrustSettings": "trust", "DEFAULT_TSA_URL": "trust", "OfficeTrust": "trust", "office_trust": "trust",
    "check_signing_certificate": "certcheck",
    "ImageAsset": "appearance",
    "Level": "pades", "SignOptions": "pades", "SignResult": "pades", "DocumentSigner": "pades",
    "LeaderAppearance": "pades", "SealAppearance": "pades", "AttachmentAppearance": "pades",
    "CopyAppearance": "pades", "CopyKind": "pades",
    "Placement": "placement", "Box": "placement",
    "SignJob": "batch", "JobResult": "batch", "BatchResult": "batch", "Progress": "batch",
    "sign_batch": "batch", "atomic_write": "batch",
    "prepare_clerk_fields": "formfields", "fill_clerk_fields": "formfields", "default_anchors": "formfields",
    "FieldAnchor": "formfields",
    "needs_proof": "proof", "complete_proof": "proof", "pending_signatures": "proof",
    "renew_archive_timestamp": "proof", "async_verify_pdf": "verify", "verify_many": "verify",
    "TokenRemoved": "errors", "plan_appearance": "pades",
    "verify_pdf": "verify", "VerificationReport": "verify", "SignatureReport": "verify",
    "run_doctor": "doctor", "DoctorReport": "doctor",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'signing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
