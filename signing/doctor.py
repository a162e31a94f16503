"""``desk tokens --doctor``: what is wrong with this computer's signing setup.

For each PKCS#11 library found: whether this process can load it (a 32/64-bit
mismatch or a missing file is explained); for each token: its PIN state (PKCS#11
reports no exact number of tries left, only "normal / few left / final try /
locked"), each certificate's days until expiry and whether it may sign; and, on
request, a test signature with a throw-away digest that is verified at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .errors import SigningError
from .keys import Pkcs11KeySource
from .modules import ModuleInfo, discover_modules, process_bits
from .tokens import PinCallback, TokenInfo, list_tokens

Line = tuple[str, str, str]  # (level: ok|warn|error, vi, en)


@dataclass
class TokenCheck:
    token: TokenInfo
    lines: list[Line] = field(default_factory=list)


@dataclass
class ModuleCheck:
    module: ModuleInfo
    lines: list[Line] = field(default_factory=list)
    tokens: list[TokenCheck] = field(default_factory=list)


@dataclass
class DoctorReport:
    modules: list[ModuleCheck]
    windows: bool = field(default_factory=lambda: sys.platform == "win32")

    @property
    def ok(self) -> bool:
        return all(lvl != "error" for m in self.modules for lvl, _, _ in self._all_lines(m))

    @staticmethod
    def _all_lines(m: ModuleCheck) -> list[Line]:
        return m.lines + [line for t in m.tokens for line in t.lines]

    def render(self, lang: str = "vi") -> str:
        en = lang == "en"
        mark = {"ok": "✓", "warn": "!", "error": "✗"}
        out: list[str] = []
        if not self.modules:
            vi, e = _no_module_text(self.windows)
            out.append("✗ " + (e if en else vi))
        for m in self.modules:
            vendor = f" [{m.module.vendor}]" if m.module.vendor else ""
            out.append(f"{m.module.path}{vendor}")
            out.extend(f"  {mark[lvl]} {e if en else vi}" for lvl, vi, e in m.lines)
            for t in m.tokens:
                out.append(f"  Token \"{t.token.label}\" ({t.token.manufacturer} {t.token.model}, "
                           f"{'serial' if en else 'số sê-ri'} {t.token.serial})")
                out.extend(f"    {mark[lvl]} {e if en else vi}" for lvl, vi, e in t.lines)
        return "\n".join(out)


def _no_module_text(windows: bool) -> tuple[str, str]:
    if not windows:
        return ("Không tìm thấy thư viện token PKCS#11 nào: hãy cài phần mềm token của nhà cung "
                "cấp chữ ký số.",
                "No PKCS#11 token library found: install your CA's token software.")
    bits = process_bits()
    folder = r"C:\Windows\System32" if bits == 64 else r"C:\Windows\SysWOW64"
    return (f"Không tìm thấy thư viện token PKCS#11 nào (tệp .dll của nhà cung cấp trong {folder}): "
            f"hãy cài phần mềm token bản {bits}-bit của nhà cung cấp chữ ký số (Desk chạy {bits}-bit), "
            "hoặc dùng chứng thư trong kho chứng thư Windows.",
            f"No PKCS#11 token library found (the vendor's .dll in {folder}): install the "
            f"{bits}-bit token software of your CA (Desk runs {bits}-bit), or use a certificate "
            "from the Windows certificate store.")


def _no_token_line(windows: bool) -> Line:
    if windows:
        return ("warn", "Không thấy token nào: hãy cắm token, kiểm tra dịch vụ của phần mềm token "
                "(Services: dịch vụ của nhà cung cấp và \"Smart Card\") đang chạy, rồi thử lại.",
                "No token present: plug it in and check that the token software's service (Services: "
                "the vendor's service and \"Smart Card\") is running, then try again.")
    return ("warn", "Không thấy token nào: hãy cắm token (và kiểm tra dịch vụ pcscd).",
            "No token present: plug it in (and check the pcscd service).")


def _pin_line(token: TokenInfo) -> Line:
    pin = token.pin
    if pin.locked:
        return ("error", "PIN đã bị khóa: liên hệ nhà cung cấp chữ ký số để mở khóa (cần mã PUK/SO-PIN).",
                "The PIN is locked: ask your CA to unlock it (needs the PUK/SO PIN).")
    if pin.final_try:
        return ("warn", "Chỉ còn MỘT lần nhập PIN: nhập sai lần nữa token sẽ bị khóa.",
                "Only ONE PIN try left: one more wrong PIN locks the token.")
    if pin.count_low:
        return ("warn", "Đã có lần nhập sai PIN: số lần thử còn lại ít (token không cho biết chính xác).",
                "A wrong PIN was entered: few tries left (the token does not say how many).")
    return ("ok", "PIN bình thường (chưa có lần nhập sai).", "PIN normal (no wrong attempts).")


def _cert_lines(token: TokenInfo, now: datetime) -> list[Line]:
    lines: list[Line] = []
    for cert in token.certificates:
        info = cert.info
        if info.is_ca:
            continue
        days = info.days_left(now)
        who = f"{info.subject_cn} ({info.issuer_cn}, số hiệu {info.serial_hex})"
        who_en = f"{info.subject_cn} ({info.issuer_cn}, serial {info.serial_hex})"
        expiry = info.not_after.strftime("%d/%m/%Y")
        if days < 0:
            lines.append(("error", f"Chứng thư {who} đã hết hạn ngày {expiry}: cần gia hạn.",
                          f"Certificate {who_en} expired on {expiry}: renew it."))
        elif days <= 30:
            lines.append(("warn", f"Chứng thư {who} còn {days} ngày (hết hạn {expiry}): nên gia hạn sớm.",
                          f"Certificate {who_en} has {days} days left (expires {expiry}): renew soon."))
        else:
            lines.append(("ok", f"Chứng thư {who} còn {days} ngày (hết hạn {expiry}).",
                          f"Certificate {who_en}: {days} days left (expires {expiry})."))
        if info.key_usage and not {"digital_signature", "non_repudiation"} & set(info.key_usage):
            lines.append(("warn", f"Chứng thư {who} không dùng để ký được (mục đích sử dụng khóa).",
                          f"Certificate {who_en} cannot sign (key usage)."))
    if not any(not c.info.is_ca for c in token.certificates):
        lines.append(("error", "Token không có chứng thư số để ký.", "The token holds no signing certificate."))
    return lines


def _test_signature(module: str, token: TokenInfo, pin_callback: PinCallback) -> Line:
    """Sign a random digest with every signing certificate's key and verify it."""
    candidates = [c for c in token.certificates if not c.info.is_ca]
    if not candidates:
        return ("error", "Không có khóa để ký thử.", "No key to test-sign with.")
    cert = candidates[0]
    try:
        with Pkcs11KeySource(module, token.label, cert.info.serial_hex).open(pin_callback) as key:
            data = hashlib.sha256(os.urandom(32)).digest()
            sig = asyncio.run(key.signer.async_sign_raw(data, "sha256"))
            _verify_raw(key.certificate, sig, data)
    except SigningError as exc:
        return ("error", f"Ký thử không thành công: {exc.vi}", f"Test signature failed: {exc.en}")
    except Exception as exc:  # the token's own errors: report, do not crash the doctor
        return ("error", f"Ký thử không thành công: lỗi token {type(exc).__name__}.",
                f"Test signature failed: token error {type(exc).__name__}.")
    return ("ok", f"Ký thử bằng khóa của {cert.info.subject_cn}: thành công và kiểm tra đúng.",
            f"Test signature with {cert.info.subject_cn}'s key: made and verified.")


def _verify_raw(cert: object, signature: bytes, data: bytes) -> None:
    """Check a raw RSA (PKCS#1 v1.5) or ECDSA SHA-256 signature with the certificate's key."""
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    public = cx509.load_der_x509_certificate(cert.dump()).public_key()  # type: ignore[attr-defined]
    if isinstance(public, rsa.RSAPublicKey):
        public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(public, ec.EllipticCurvePublicKey):
        public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    else:
        raise SigningError("Loại khóa chưa hỗ trợ ký thử.", "Key type not supported for a test signature.")


def run_doctor(configured: Sequence[str] = (), *, test_sign: bool = False,
               pin_callback: PinCallback | None = None, now: datetime | None = None,
               windows: bool | None = None) -> DoctorReport:
    """``windows`` picks the advice's wording (default: this system's)."""
    now = now or datetime.now(UTC)
    windows = sys.platform == "win32" if windows is None else windows
    checks: list[ModuleCheck] = []
    for info in discover_modules(configured):
        check = ModuleCheck(info)
        checks.append(check)
        if not info.usable:
            check.lines.append(("error", info.problem_vi or "", info.problem_en or ""))
            continue
        check.lines.append(("ok", f"Thư viện nạp được ({info.bits}-bit, {info.machine}).",
                            f"Library loads ({info.bits}-bit, {info.machine})."))
        listing = list_tokens([info.path])
        for _, vi, en in listing.problems:
            check.lines.append(("error", vi, en))
        if not listing.tokens:
            check.lines.append(_no_token_line(windows))
        for token in listing.tokens:
            tcheck = TokenCheck(token, [_pin_line(token), *_cert_lines(token, now)])
            if test_sign and pin_callback is not None and not token.pin.locked:
                if token.pin.final_try:
                    # Never spend a token's last PIN try on a diagnostic.
                    tcheck.lines.append(("warn", "Bỏ qua ký thử: token chỉ còn một lần nhập PIN.",
                                         "Test signature skipped: the token has one PIN try left."))
                else:
                    tcheck.lines.append(_test_signature(info.path, token, pin_callback))
            check.tokens.append(tcheck)
    return DoctorReport(checks, windows)
