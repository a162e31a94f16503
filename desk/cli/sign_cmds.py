"""``desk sign``, ``desk verify`` and ``desk tokens``: front end of the signing library.

Environment (for scripts and tests): ``DESK_PIN`` (token PIN), ``DESK_P12_PASSWORD``,
``DESK_PKCS11_MODULES`` (extra PKCS#11 libraries, ``os.pathsep``-separated),
``DESK_TRUST_DIR`` (folder of trusted root/intermediate certificates), ``DESK_TSA_URL``.

Exit codes: 0 success; 1 a document failed (``verify``: a signature is invalid or the
file is unsigned); 2 a problem that stopped the whole command (token, PIN, certificate,
bad option), like the other desk commands' user errors; 3 ``verify`` only: every file
intact but a signer could not be confirmed (e.g. the CA's root is not installed).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_ERROR, EXIT_UNTRUSTED = 0, 1, 2, 3


def _lang(args: argparse.Namespace) -> str:
    explicit = getattr(args, "lang", None)
    if explicit:
        return str(explicit)
    from desk.i18n import language

    return language()


def _say(args: argparse.Namespace, vi: str, en: str, *, err: bool = False) -> None:
    print(en if _lang(args) == "en" else vi, file=sys.stderr if err else sys.stdout)


def _modules(args: argparse.Namespace) -> list[str]:
    from signing.modules import discover_modules

    configured = list(getattr(args, "module", None) or [])
    env = os.environ.get("DESK_PKCS11_MODULES")
    if env:
        configured += [p for p in env.split(os.pathsep) if p]
    return [m.path for m in discover_modules(configured) if m.usable]


def _home(args: argparse.Namespace) -> Path:
    from desk.paths import DataPaths

    return DataPaths.resolve(getattr(args, "home", None) or os.environ.get("DESK_HOME")).home


def _trust(args: argparse.Namespace) -> Any:
    """The office's trust settings (Desk's store, the office's and the province's anchors, the
    cache of certificates seen before), plus ``DESK_TRUST_DIR`` and ``--trust`` files."""
    from signing.trust import TrustSettings, office_trust

    trust = office_trust(_home(args))
    folder = os.environ.get("DESK_TRUST_DIR")
    if folder:
        trust = trust.merged(TrustSettings.from_folder(folder))
    files = list(getattr(args, "trust", None) or [])
    if files:
        trust = trust.merged(TrustSettings.from_files(files))
    return trust


def _pin_callback(args: argparse.Namespace, env_var: str) -> Any:
    def ask(req: Any) -> str | None:
        value = os.environ.get(env_var)
        if value is not None:
            return value
        warning = req.pin.warning(_lang(args))
        if warning:
            print(warning, file=sys.stderr)
        try:
            return getpass.getpass(req.prompt(_lang(args)))
        except (EOFError, KeyboardInterrupt, OSError):
            return None  # no terminal or cancelled: treated as a cancelled PIN entry

    return ask


# --- desk sign -------------------------------------------------------------------------------


def _key_source(args: argparse.Namespace) -> tuple[Any, str]:
    from signing.errors import TokenNotFound
    from signing.keys import Pkcs11KeySource, Pkcs12KeySource

    if args.pkcs12:
        return Pkcs12KeySource(Path(args.pkcs12)), "DESK_P12_PASSWORD"
    if args.csc:
        from signing.csc import CscKeySource

        return CscKeySource(args.csc, args.csc_credential or ""), "DESK_PIN"
    modules = _modules(args)
    from signing.tokens import list_tokens

    listing = list_tokens(modules, with_certs=False)
    for token in listing.tokens:
        if args.token is None or token.label == args.token:
            return Pkcs11KeySource(token.module, token.label, args.cert), "DESK_PIN"
    if sys.platform == "win32" and args.token is None and not listing.tokens:
        # No PKCS#11 module or token: a token's minidriver (or an imported .pfx) puts the
        # certificate in Windows' own store; sign through the Windows API.
        from signing.winstore import WindowsStoreKeySource, list_certificates

        if list_certificates():
            return WindowsStoreKeySource(args.cert or ""), "DESK_PIN"
    label = args.token or ""
    raise TokenNotFound(f"Không tìm thấy token \"{label}\": hãy cắm token (desk tokens --doctor để kiểm tra).",
                        f"Token \"{label}\" not found: plug it in (try desk tokens --doctor).")


def _appearance(args: argparse.Namespace) -> Any:
    from signing.appearance import ImageAsset
    from signing.errors import AppearanceError
    from signing.pades import (
        AttachmentAppearance,
        CopyAppearance,
        CopyKind,
        LeaderAppearance,
        SealAppearance,
    )

    kind = args.appearance
    if kind is None:
        return None
    if kind in ("leader", "seal") and not args.image:
        raise AppearanceError("Cần --image (ảnh PNG chữ ký hoặc con dấu).",
                              "--image is required (signature or seal PNG).")
    box = _parse_box(args.box) if args.box else None
    if kind == "leader":
        if box is not None:
            return LeaderAppearance(ImageAsset.from_file(args.image), args.title or "", args.name, box=box)
        if not args.title:
            raise AppearanceError("Cần --title (chức vụ, ví dụ \"CHỦ TỊCH\").",
                                  "--title is required (position, e.g. \"CHỦ TỊCH\").")
        return LeaderAppearance(ImageAsset.from_file(args.image), args.title, args.name)
    if kind == "seal":
        return SealAppearance(ImageAsset.from_file(args.image), size_mm=args.seal_mm, box=box)
    if kind == "attachment":
        if not args.number:
            raise AppearanceError("Cần --number (số/ký hiệu, ví dụ 15/QĐ-UBND).",
                                  "--number is required (e.g. 15/QĐ-UBND).")
        return AttachmentAppearance(args.number)
    if not args.agency:
        raise AppearanceError("Cần --agency (tên cơ quan sao).", "--agency is required (copying agency).")
    return CopyAppearance(CopyKind(args.copy_kind), args.agency)


def _parse_box(text: str) -> Any:
    """"PAGE:X1,Y1,X2,Y2" (page from 1, points from the bottom left) → Placement."""
    from signing.errors import AppearanceError
    from signing.placement import Box, Placement

    try:
        page, coords = text.split(":", 1)
        x1, y1, x2, y2 = (float(v) for v in coords.split(","))
        if int(page) < 1 or x2 <= x1 or y2 <= y1:
            raise ValueError
    except ValueError as exc:
        raise AppearanceError(f"--box \"{text}\" sai dạng; đúng dạng: TRANG:X1,Y1,X2,Y2 (ví dụ 1:330,120,480,190).",
                              f"Bad --box \"{text}\"; expected PAGE:X1,Y1,X2,Y2 (e.g. 1:330,120,480,190).") from exc
    return Placement(int(page) - 1, Box(x1, y1, x2, y2))


def _jobs(args: argparse.Namespace) -> list[Any]:
    from signing.batch import SignJob

    inputs = [Path(p) for p in args.inputs]
    out = Path(args.output)
    if len(inputs) == 1 and not out.is_dir() and out.suffix.lower() == ".pdf":
        return [SignJob(inputs[0], out)]
    return [SignJob(p, out / p.name) for p in inputs]


@contextmanager
def document_signer(args: argparse.Namespace) -> Iterator[Any]:
    """A DocumentSigner on the key the options name (token, .p12 or CSC), logged in once;
    the appearance is the service's to choose (desk sign ID, desk release)."""
    from signing.pades import DocumentSigner, Level, SignOptions
    from signing.trust import DEFAULT_TSA_URL

    tsa = args.tsa or os.environ.get("DESK_TSA_URL") or DEFAULT_TSA_URL
    options = SignOptions(level=Level(args.level), tsa_url=tsa, trust=_trust(args))
    source, env_var = _key_source(args)
    with source.open(_pin_callback(args, env_var)) as key:
        yield DocumentSigner(key, options)


def _sign_document(args: argparse.Namespace, doc_id: int) -> int:
    """desk sign ID: the leader signs an outgoing document of the office (desk.services)."""
    from desk.cli.common import actor_id, open_office
    from desk.reference import Role
    from desk.services import actions

    placement = _parse_box(args.box) if args.box else None
    image = Path(args.image).read_bytes() if args.image else None
    with open_office(args) as office:
        leader = actor_id(office, args, Role.LEADER)
        with document_signer(args) as signer:
            version = actions.sign(office, doc_id, signer, leader, placement=placement, image=image).value
    _say(args, f"Đã ký văn bản #{doc_id}: PAdES {version.level.upper()}.",
         f"Signed document #{doc_id}: PAdES {version.level.upper()}.")
    return EXIT_OK


def _cmd_sign(args: argparse.Namespace) -> int:
    from signing.batch import atomic_write, sign_batch
    from signing.errors import SigningError
    from signing.pades import Level, SignOptions
    from signing.trust import DEFAULT_TSA_URL

    if args.output is None:
        if len(args.inputs) == 1 and args.inputs[0].isdigit():
            return _sign_document(args, int(args.inputs[0]))
        _say(args, "Cần -o (tệp hoặc thư mục kết quả), hoặc một số văn bản: desk sign ID.",
             "-o is required (output file or folder), or one document number: desk sign ID.", err=True)
        return EXIT_ERROR
    try:
        jobs = _jobs(args)
        tsa = args.tsa or os.environ.get("DESK_TSA_URL") or DEFAULT_TSA_URL
        if args.complete_proof:
            return _complete_proof(args, jobs, tsa, atomic_write)
        options = SignOptions(level=Level(args.level), appearance=_appearance(args), tsa_url=tsa,
                              trust=_trust(args), reason=args.reason, location=args.location)
        source, env_var = _key_source(args)
        total = len(jobs)

        def progress(p: Any) -> None:
            state = "OK" if p.ok else ("LỖI" if _lang(args) != "en" else "FAILED")
            print(f"[{p.done}/{total}] {p.current.name}: {state}", file=sys.stderr)

        batch = sign_batch(jobs, source, _pin_callback(args, env_var), options, progress=progress)
    except SigningError as exc:
        _say(args, exc.vi, exc.en, err=True)
        return EXIT_ERROR
    for r in batch.results:
        if r.ok and r.result is not None:
            note = r.result.note_en if _lang(args) == "en" else r.result.note_vi
            level = r.result.level.value.upper()
            print(f"{r.job.output}: {level}" + (f" — {note}" if note else ""))
        else:
            print(f"{r.job.source}: {r.error_en if _lang(args) == 'en' else r.error_vi}", file=sys.stderr)
    not_done = len(jobs) - len(batch.results)
    if not_done:
        _say(args, f"{not_done} văn bản chưa được ký" + (" (đã hủy)." if batch.cancelled else "."),
             f"{not_done} document(s) not signed" + (" (cancelled)." if batch.cancelled else "."), err=True)
    return EXIT_OK if batch.failed == 0 and not not_done else EXIT_FAILED


def _complete_proof(args: argparse.Namespace, jobs: list[Any], tsa: str, write: Any) -> int:
    from signing.errors import SigningError
    from signing.proof import complete_proof

    trust = _trust(args)
    failed = 0
    for job in jobs:
        try:
            data = job.source.read_bytes()
            write(job.output, complete_proof(data, trust=trust, tsa_url=tsa))
            _say(args, f"{job.output}: đã bổ sung dấu thời gian và dữ liệu thu hồi",
                 f"{job.output}: timestamp and revocation data added")
        except SigningError as exc:
            failed += 1
            _say(args, f"{job.source}: {exc.vi}", f"{job.source}: {exc.en}", err=True)
        except OSError as exc:
            failed += 1
            _say(args, f"{job.source}: không đọc/ghi được tệp ({exc.strerror}).",
                 f"{job.source}: cannot read/write ({exc.strerror}).", err=True)
    return EXIT_OK if failed == 0 else EXIT_FAILED


# --- desk verify -------------------------------------------------------------------------------


def _cmd_verify(args: argparse.Namespace) -> int:
    from signing.errors import SigningError

    try:
        trust = _trust(args)
    except SigningError as exc:
        _say(args, exc.vi, exc.en, err=True)
        return EXIT_ERROR
    reports = [_verify_one(Path(f), trust, args.online) for f in args.files]
    if args.json:
        payload: Any = [dict(r.to_dict(), trust=trust.describe(_lang(args))) for r in reports]
        print(json.dumps(payload if len(payload) > 1 else payload[0], ensure_ascii=False, indent=2))
    else:
        print(trust.describe(_lang(args)))
        print("\n\n".join(r.summary(_lang(args)) for r in reports))
    verdicts = {r.verdict for r in reports}
    if verdicts & {"invalid", "unsigned"}:
        return EXIT_FAILED
    return EXIT_UNTRUSTED if "untrusted" in verdicts else EXIT_OK


def _verify_one(path: Path, trust: Any, online: bool) -> Any:
    """One file, with the chain helpers it carries (CMS, timestamps, DSS), the cache and, online, AIA."""
    from signing.verify import verify_pdf

    try:
        data = path.read_bytes()
    except OSError:
        return verify_pdf(path, trust=trust, online=online)  # reports the unreadable file itself
    return verify_pdf(data, trust=trust.for_document(data, online=online), online=online, name=str(path))


# --- desk tokens -------------------------------------------------------------------------------


_KU_VI = {"digital_signature": "ký số", "non_repudiation": "chống chối bỏ",
          "key_encipherment": "mã hóa khóa", "data_encipherment": "mã hóa dữ liệu",
          "key_agreement": "thỏa thuận khóa", "key_cert_sign": "ký chứng thư", "crl_sign": "ký CRL"}


def _cmd_tokens(args: argparse.Namespace) -> int:
    from signing.doctor import run_doctor
    from signing.modules import discover_modules
    from signing.tokens import list_tokens

    configured = list(args.module or [])
    env = os.environ.get("DESK_PKCS11_MODULES")
    if env:
        configured += [p for p in env.split(os.pathsep) if p]
    if args.doctor:
        report = run_doctor(configured, test_sign=args.test_sign, pin_callback=_pin_callback(args, "DESK_PIN"))
        print(report.render(_lang(args)))
        return EXIT_OK if report.ok else EXIT_FAILED
    en = _lang(args) == "en"
    modules = discover_modules(configured)
    for m in modules:
        state = "" if m.usable else f" — {m.problem_en if en else m.problem_vi}"
        print(f"{'Module' if en else 'Thư viện'}: {m.path}{state}")
    listing = list_tokens([m.path for m in modules if m.usable])
    for t in listing.tokens:
        flags = t.pin.warning(_lang(args)) or ""
        print(f"  Token \"{t.label}\" ({t.manufacturer} {t.model}, {t.serial}) {flags}".rstrip())
        for c in t.certificates:
            if c.info.is_ca:
                continue
            i = c.info
            usage = ", ".join(i.key_usage if en else (_KU_VI.get(u, u) for u in i.key_usage))
            print(f"    - {i.subject_cn} | {'issuer' if en else 'cấp bởi'}: {i.issuer_cn} | "
                  f"{'serial' if en else 'số hiệu'}: {i.serial_hex} | "
                  f"{i.not_before:%d/%m/%Y}–{i.not_after:%d/%m/%Y} | {i.key_type} | {usage}")
    for module, vi, en_text in listing.problems:
        print(f"  ✗ {module}: {en_text if en else vi}", file=sys.stderr)
    if not listing.tokens:
        print("No tokens found." if en else "Không tìm thấy token nào.")
    return EXIT_OK


# --- registration ----------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sign = subparsers.add_parser("sign", help="Ký số văn bản PDF (PAdES)")
    key = sign.add_mutually_exclusive_group()
    key.add_argument("--pkcs12", metavar="FILE", help="tệp .p12/.pfx (mật khẩu: DESK_P12_PASSWORD hoặc hỏi)")
    key.add_argument("--token", metavar="LABEL", help="nhãn token USB (PKCS#11)")
    key.add_argument("--csc", metavar="URL", help="dịch vụ ký từ xa CSC")
    sign.add_argument("--csc-credential", metavar="ID")
    sign.add_argument("--cert", metavar="SERIAL_OR_NAME", help="chứng thư trên token: số hiệu hoặc tên")
    sign.add_argument("--module", action="append", metavar="LIB", help="thư viện PKCS#11 (lặp lại được)")
    sign.add_argument("--level", choices=["b-b", "b-t", "b-lt", "b-lta"], default="b-lta")
    sign.add_argument("--appearance", choices=["leader", "seal", "attachment", "copy"])
    sign.add_argument("--image", metavar="PNG", help="ảnh chữ ký (leader) hoặc con dấu (seal)")
    sign.add_argument("--title", help="chức vụ phía trên chữ ký, ví dụ \"CHỦ TỊCH\"")
    sign.add_argument("--name", help="họ tên dưới chữ ký (mặc định: tên trên chứng thư)")
    sign.add_argument("--seal-mm", type=float, help="đường kính con dấu (mm)")
    sign.add_argument("--box", metavar="PAGE:X1,Y1,X2,Y2",
                      help="tọa độ ô chữ ký/con dấu (điểm, gốc dưới trái), thay cho tìm theo văn bản")
    sign.add_argument("--number", help="số/ký hiệu cho chữ ký phụ lục, ví dụ 15/QĐ-UBND")
    sign.add_argument("--copy-kind", choices=["SAO Y", "SAO LỤC", "TRÍCH SAO"], default="SAO Y")
    sign.add_argument("--agency", help="tên cơ quan sao")
    sign.add_argument("--tsa", metavar="URL", help="máy chủ dấu thời gian (mặc định: của Ban Cơ yếu)")
    sign.add_argument("--trust", action="append", metavar="CA.pem")
    sign.add_argument("--reason")
    sign.add_argument("--location")
    sign.add_argument("--complete-proof", action="store_true",
                      help="bổ sung dấu thời gian + dữ liệu thu hồi cho chữ ký đã ký ngoại tuyến")
    sign.add_argument("-o", "--output", metavar="OUT",
                      help="tệp (một đầu vào) hoặc thư mục; bỏ trống với desk sign ID (ký văn bản đi số ID)")
    sign.add_argument("inputs", nargs="+", metavar="IN", help="tệp PDF, hoặc số văn bản đi của cơ quan")
    sign.set_defaults(func=_cmd_sign)

    verify = subparsers.add_parser("verify", help="Kiểm tra chữ ký số trong tệp PDF")
    verify.add_argument("--trust", action="append", metavar="CA.pem")
    verify.add_argument("--online", action="store_true", help="kiểm tra thu hồi trực tuyến")
    verify.add_argument("--json", action="store_true")
    verify.add_argument("files", nargs="+", metavar="FILE")
    verify.set_defaults(func=_cmd_verify)

    tokens = subparsers.add_parser("tokens", help="Liệt kê token, chứng thư; --doctor để chẩn đoán")
    tokens.add_argument("--module", action="append", metavar="LIB")
    tokens.add_argument("--doctor", action="store_true")
    tokens.add_argument("--test-sign", action="store_true", help="ký thử (cần PIN)")
    tokens.set_defaults(func=_cmd_tokens)
