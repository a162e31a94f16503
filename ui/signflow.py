"""Signing outgoing documents from the app: what to sign, with which key.

No widgets here: the dialogs in :mod:`ui.signing_dialogs` call these on worker
threads. Recording a signature (the signed PDF as the newest main version, the
leader's name and position, the "sign" step, audit) is the core's
``desk.services.actions.sign`` (``outgoing.leader_sign``); this module only opens
the key and chooses the options.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from desk.office import Office
from desk.services import actions, queries
from desk.services.queries import SignTarget

__all__ = ["SignTarget", "load_targets", "return_draft", "sign_batch", "sign_one", "waiting_for_signature"]


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
    return queries.sign_targets(office, doc_ids)


def waiting_for_signature(office: Office, full_name: str | None = None) -> list[int]:
    """Outgoing documents waiting for a signature: the leader's own first, oldest first."""
    return queries.waiting_for_signature(office, full_name)


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


def return_draft(office: Office, doc_id: int, actor_id: int, comment: str) -> None:
    """The leader sends a draft back to its author with a comment (desk.services)."""
    actions.return_draft(office, doc_id, actor_id, comment)


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
    """Sign one document with an open key through the core's service (which records the
    leader's name and position, the new version, history and audit); returns the SignedVersion."""
    from pathlib import Path

    from signing.pades import DocumentSigner

    options = replace(options_for(target, settings, key.info.subject_cn), appearance=None)
    image = Path(settings.image_path).read_bytes() if settings.image_path else None
    return actions.sign(office, target.doc_id, DocumentSigner(key, options), actor_id,
                        placement=settings.box, image=image).value


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
    return leader_placement(data, target.title, target.name or holder, image.width_px / image.height_px)


def with_box(settings: SignSettings, box: Any) -> SignSettings:
    return replace(settings, box=box)
