"""Signing outgoing documents from the app: what to sign, with which key, and recording the result.

No widgets here: the dialogs in :mod:`ui.signing_dialogs` call these on worker
threads. Recording a signature (new signed PDF as the main file, the draft kept,
the "sign" step applied, audit entry) is written here because the core has no
service for it yet; it belongs in ``desk.services`` (see the issue's closing note).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from desk.office import Office
from ui.pdfrender import PDFIUM_LOCK


@dataclass(frozen=True)
class SignTarget:
    doc_id: int
    subject: str
    code: str
    pdf_sha: str
    filename: str
    title: str  # position line above the signature, e.g. "CHỦ TỊCH"
    name: str  # full name below it


@dataclass(frozen=True)
class CertChoice:
    module: str
    token_label: str
    token_serial: str
    serial_hex: str
    sha256: str
    holder: str
    organisation: str
    issuer: str
    not_after: Any
    pin_warning: str | None

    def label(self) -> str:
        return f"{self.holder} — {self.issuer} — {self.token_label} (…{self.serial_hex[-8:]})"


def load_targets(office: Office, doc_ids: list[int]) -> tuple[list[SignTarget], list[tuple[int, str]]]:
    """Documents that can be signed now, and (id, reason) for those that cannot."""
    from desk.i18n import t
    from desk.reference import format_code
    from desk.services.documents import get_document

    ok: list[SignTarget] = []
    skipped: list[tuple[int, str]] = []
    with office.db.read() as s:
        for doc_id in doc_ids:
            d = get_document(s, doc_id)
            if d.direction != "out" or d.state != "awaiting_signature":
                skipped.append((doc_id, t("không ở trạng thái chờ ký", "not awaiting signature")))
                continue
            pdfs = [a for a in d.attachments if a.kind == "main" and a.filename.lower().endswith(".pdf")]
            if not pdfs:
                skipped.append((doc_id, t("không có tệp PDF để ký", "no PDF file to sign")))
                continue
            a = max(pdfs, key=lambda x: x.id)  # the newest main version is the current one
            ok.append(SignTarget(d.id, d.subject, format_code(d.number, d.notation), a.blob_sha256, a.filename,
                                 (d.signer_position or "").upper(), d.signer_name or ""))
    return ok, skipped


def waiting_for_signature(office: Office, full_name: str | None = None) -> list[int]:
    """Outgoing documents waiting for a signature: the leader's own first, oldest first."""
    from sqlalchemy import text

    with office.db.read() as s:
        rows = s.execute(text(
            "SELECT id FROM documents WHERE direction = 'out' AND state = 'awaiting_signature' "
            "ORDER BY (signer_name = :n) DESC, updated_at, id"), {"n": full_name or ""})
        return [r[0] for r in rows]


def find_certificates(modules: list[str]) -> tuple[list[CertChoice], list[str]]:
    """Signing certificates on every token found, and problems in plain words."""
    from desk.i18n import language
    from signing.tokens import list_tokens

    listing = list_tokens(modules, with_certs=True)
    lang = language()
    out: list[CertChoice] = []
    for tok in listing.tokens:
        for c in tok.certificates:
            if c.info.is_ca:
                continue
            out.append(CertChoice(tok.module, tok.label, tok.serial, c.info.serial_hex, c.info.sha256,
                                  c.info.subject_cn, c.info.subject_org, c.info.issuer_cn, c.info.not_after,
                                  tok.pin.warning(lang)))
    problems = [(en if lang == "en" else vi) for _m, vi, en in listing.problems]
    return out, problems


def cert_still_there(choice: CertChoice) -> bool:
    """The same token (by serial) still holds the same certificate (by fingerprint)."""
    from signing.tokens import _text, _token_certs, find_token

    try:
        token = find_token(choice.module, choice.token_label)
        if choice.token_serial and _text(token.serial) != choice.token_serial:
            return False  # another token with the same label was plugged in
        return any(c.info.sha256 == choice.sha256 for c in _token_certs(token))
    except Exception:  # a removed token raises PKCS#11 errors of many kinds: all mean "gone"
        return False


@dataclass
class SignSettings:
    image_path: str
    level: str = "b-b"
    online: bool = False
    tsa_url: str = ""
    box: Any = None  # signing.placement.Placement chosen by the user, or None for the automatic place
    trust: Any = None


def options_for(target: SignTarget, settings: SignSettings, holder: str) -> Any:
    from signing.pades import LeaderAppearance, Level, SignOptions
    from signing.trust import TrustSettings

    image = _image(settings.image_path)
    appearance = LeaderAppearance(image, target.title or "", target.name or holder, box=settings.box)
    kwargs: dict[str, Any] = {"level": Level(settings.level), "appearance": appearance,
                              "trust": settings.trust or TrustSettings()}
    if settings.tsa_url:
        kwargs["tsa_url"] = settings.tsa_url
    return SignOptions(**kwargs)


_images: dict[str, Any] = {}
_images_lock = threading.Lock()


def _image(path: str) -> Any:
    from signing.appearance import ImageAsset

    with _images_lock:
        if path not in _images:
            _images[path] = ImageAsset.from_file(path)
        return _images[path]


def record_signed(office: Office, doc_id: int, data: bytes, filename: str, actor_id: int,
                  result: Any) -> None:
    """Store the signed PDF (durably, first), add it as the newest main version, apply "sign"."""
    from desk import audit, workflow
    from desk.clock import now
    from desk.models import Attachment, Blob, Person
    from desk.reference import Role
    from desk.services.documents import get_document
    from desk.services.people import require_role

    stored = office.blobs.put_bytes(data)
    with office.db.write() as s:
        actor = s.get(Person, actor_id)
        assert actor is not None
        require_role(actor, Role.LEADER)
        doc = get_document(s, doc_id)
        workflow.check(doc.direction, doc.state, "sign")
        if s.get(Blob, stored.sha256) is None:
            s.add(Blob(sha256=stored.sha256, size=stored.size, created_at=now()))
        # Every version of the main file is kept; the newest "main" is the current one
        # (the same convention as desk.services.outgoing).
        doc.attachments.append(Attachment(blob_sha256=stored.sha256, filename=filename[:255],
                                          content_type="application/pdf", size=stored.size,
                                          position=len(doc.attachments), kind="main"))
        info = {"field": result.field_name, "level": result.level.value, "pending_proof": result.pending_proof,
                "signer": result.signer.subject_cn, "serial": result.signer.serial_hex}
        workflow.apply(s, doc, "sign", actor.id, data=info)
        audit.record(s, actor.username, "document.sign", "document", doc.id, sha256=stored.sha256, **info)


def return_draft(office: Office, doc_id: int, actor_id: int, comment: str) -> None:
    """The leader sends a draft back to its author with a comment."""
    from desk import audit, workflow
    from desk.errors import ValidationError
    from desk.models import Person
    from desk.reference import Role
    from desk.services.documents import get_document
    from desk.services.people import require_role

    if not comment.strip():
        raise ValidationError("Cần ghi ý kiến khi trả lại dự thảo.", "Write a comment when returning a draft.")
    with office.db.write() as s:
        actor = s.get(Person, actor_id)
        assert actor is not None
        require_role(actor, Role.LEADER)
        doc = get_document(s, doc_id)
        workflow.apply(s, doc, "return", actor.id, note=comment)
        audit.record(s, actor.username, "document.return_draft", "document", doc.id, comment=comment)


@dataclass
class BatchOutcome:
    signed: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    cancelled: bool = False


PinAsk = Callable[[Any], "str | None"]


def open_key(choice: CertChoice, ask_pin: PinAsk) -> Any:
    """Log in once (one PIN attempt, never retried) and return the KeySession."""
    from signing.keys import Pkcs11KeySource

    return Pkcs11KeySource(choice.module, choice.token_label, choice.serial_hex).open(ask_pin)


def check_key(key: Any, settings: SignSettings) -> None:
    from signing.certcheck import check_signing_certificate
    from signing.pades import Level
    from signing.trust import TrustSettings

    trust = (settings.trust or TrustSettings()).with_chain(key.chain)
    check_signing_certificate(key.certificate, key.chain, trust=trust,
                              online=settings.online and Level(settings.level).needs_network)


def sign_one(office: Office, key: Any, target: SignTarget, settings: SignSettings, actor_id: int) -> Any:
    """Sign one document with an open key and record it; returns the SignResult."""
    from signing.pades import DocumentSigner

    data = office.blobs.read_bytes(target.pdf_sha)
    options = options_for(target, settings, key.info.subject_cn)
    with PDFIUM_LOCK:  # placement searches the page text with pdfium
        signed, result = DocumentSigner(key, options).sign_bytes(data)
    record_signed(office, target.doc_id, signed, target.filename, actor_id, result)
    return result


def sign_batch(office: Office, key: Any, targets: list[SignTarget], settings: SignSettings, actor_id: int,
               progress: Callable[[int, int, SignTarget], None], cancelled: Callable[[], bool]) -> BatchOutcome:
    """Sign each target; a document's own problem is recorded and the batch goes on."""
    from ui.messages import expected_text

    out = BatchOutcome()
    for i, target in enumerate(targets):
        if cancelled():
            out.cancelled = True
            break
        try:
            sign_one(office, key, target, settings, actor_id)
            out.signed.append(target.doc_id)
        except Exception as exc:
            text = expected_text(exc)
            if text is None:
                raise
            out.failed.append((target.doc_id, text))
        progress(i + 1, len(targets), target)
    return out


def preview_placement(office: Office, target: SignTarget, settings: SignSettings, holder: str) -> Any:
    """Where the leader's image would go on this document (page, box), without signing."""
    from signing.placement import leader_placement

    if settings.box is not None:
        return settings.box
    image = _image(settings.image_path)
    data = office.blobs.read_bytes(target.pdf_sha)
    with PDFIUM_LOCK:
        return leader_placement(data, target.title, target.name or holder, image.width_px / image.height_px)


def with_box(settings: SignSettings, box: Any) -> SignSettings:
    return replace(settings, box=box)
