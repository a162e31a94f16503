# mypy: disable-error-code="no-untyped-call"
"""Signing with a certificate from the Windows certificate store (CNG or CryptoAPI).

Vietnamese tokens whose PKCS#11 DLL is not installed still appear in the user's
"Personal" (MY) store through their smart-card minidriver: the certificate is
there and its private key stays on the token, reached through CNG (NCrypt) or the
older CryptoAPI (CAPI). This module lists those certificates and signs a digest
with the key through ``crypt32``/``ncrypt``/``advapi32`` (ctypes; no pywin32), so
pyHanko gets a :class:`Signer` like any other. The token's own PIN dialog (the
minidriver's) asks for the PIN; Desk never sees it.

Only on Windows. Under Wine (the Windows lane) crypt32, rsaenh and the store work,
so a PKCS#12 imported into the user's store signs for real; a smart-card
minidriver and CNG key storage providers cannot be exercised there.
"""

from __future__ import annotations

import ctypes
import hashlib
import sys
from ctypes import wintypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import algos, x509
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .certinfo import CertInfo, describe_certificate
from .errors import CertificateNotFound, PinCancelled, SigningError
from .keys import KeySession, KeySource
from .tokens import PinCallback

X509_ASN_ENCODING = 0x1
PKCS_7_ASN_ENCODING = 0x10000
CERT_STORE_PROV_SYSTEM_W = 10
CERT_SYSTEM_STORE_CURRENT_USER = 0x10000
CERT_STORE_OPEN_EXISTING_FLAG = 0x4000
CERT_STORE_ADD_REPLACE_EXISTING = 3
CERT_KEY_PROV_INFO_PROP_ID = 2
CRYPT_ACQUIRE_SILENT_FLAG = 0x40
CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG = 0x10000
CERT_NCRYPT_KEY_SPEC = 0xFFFFFFFF
CRYPT_USER_KEYSET = 0x1000
CRYPT_EXPORTABLE = 0x1
PP_CONTAINER = 6
PROV_RSA_AES = 24
MS_ENH_RSA_AES_PROV = "Microsoft Enhanced RSA and AES Cryptographic Provider"
HP_HASHVAL = 2
BCRYPT_PAD_PKCS1 = 0x2
NTE_BAD_ALGID = 0x80090008
SCARD_W_CANCELLED_BY_USER = 0x8010006E
ERROR_CANCELLED = 0x800704C7
CALG = {"sha256": 0x800C, "sha384": 0x800D, "sha512": 0x800E, "sha1": 0x8004}
_HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


class _CERT_CONTEXT(ctypes.Structure):
    _fields_ = [("dwCertEncodingType", wintypes.DWORD), ("pbCertEncoded", ctypes.POINTER(ctypes.c_ubyte)),
                ("cbCertEncoded", wintypes.DWORD), ("pCertInfo", ctypes.c_void_p),
                ("hCertStore", ctypes.c_void_p)]


class _BLOB(ctypes.Structure):
    _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_ubyte))]


class _BCRYPT_PKCS1_PADDING_INFO(ctypes.Structure):
    _fields_ = [("pszAlgId", wintypes.LPCWSTR)]


PCCERT = ctypes.POINTER(_CERT_CONTEXT)


def available() -> bool:
    return sys.platform == "win32"


def _last_error() -> int:
    """ctypes.get_last_error (Windows only)."""
    err: int = getattr(ctypes, "get_last_error")()  # noqa: B009
    return err


class _Api:
    """The few Windows functions used, with their signatures (loaded on first use)."""

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise SigningError("Kho chứng thư Windows chỉ có trên Windows.",
                               "The Windows certificate store exists only on Windows.")
        # Any: ctypes.WinDLL exists only in Windows' typeshed (mypy runs on Linux here).
        win_dll: Any = getattr(ctypes, "WinDLL")  # noqa: B009
        c: Any = win_dll("crypt32", use_last_error=True)
        a: Any = win_dll("advapi32", use_last_error=True)
        self.crypt32: Any = c
        self.advapi32: Any = a
        try:
            self.ncrypt: Any = win_dll("ncrypt", use_last_error=True)
        except OSError:
            self.ncrypt = None
        c.CertOpenStore.restype = ctypes.c_void_p
        c.CertOpenStore.argtypes = [ctypes.c_void_p, wintypes.DWORD, ctypes.c_void_p, wintypes.DWORD,
                                    ctypes.c_void_p]
        c.CertCloseStore.argtypes = [ctypes.c_void_p, wintypes.DWORD]
        c.CertEnumCertificatesInStore.restype = PCCERT
        c.CertEnumCertificatesInStore.argtypes = [ctypes.c_void_p, PCCERT]
        c.CertDuplicateCertificateContext.restype = PCCERT
        c.CertDuplicateCertificateContext.argtypes = [PCCERT]
        c.CertFreeCertificateContext.argtypes = [PCCERT]
        c.CertGetCertificateContextProperty.argtypes = [PCCERT, wintypes.DWORD, ctypes.c_void_p,
                                                        ctypes.POINTER(wintypes.DWORD)]
        c.CryptAcquireCertificatePrivateKey.argtypes = [
            PCCERT, wintypes.DWORD, ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t),
            ctypes.POINTER(wintypes.DWORD), ctypes.POINTER(wintypes.BOOL)]
        c.PFXImportCertStore.restype = ctypes.c_void_p
        c.PFXImportCertStore.argtypes = [ctypes.POINTER(_BLOB), wintypes.LPCWSTR, wintypes.DWORD]
        c.CertAddCertificateContextToStore.argtypes = [ctypes.c_void_p, PCCERT, wintypes.DWORD,
                                                       ctypes.POINTER(PCCERT)]
        a.CryptCreateHash.argtypes = [ctypes.c_size_t, wintypes.DWORD, ctypes.c_size_t, wintypes.DWORD,
                                      ctypes.POINTER(ctypes.c_size_t)]
        a.CryptSetHashParam.argtypes = [ctypes.c_size_t, wintypes.DWORD, ctypes.c_char_p, wintypes.DWORD]
        a.CryptSignHashW.argtypes = [ctypes.c_size_t, wintypes.DWORD, wintypes.LPCWSTR, wintypes.DWORD,
                                     ctypes.c_void_p, ctypes.POINTER(wintypes.DWORD)]
        a.CryptDestroyHash.argtypes = [ctypes.c_size_t]
        a.CryptReleaseContext.argtypes = [ctypes.c_size_t, wintypes.DWORD]
        a.CryptGetProvParam.argtypes = [ctypes.c_size_t, wintypes.DWORD, ctypes.c_void_p,
                                        ctypes.POINTER(wintypes.DWORD), wintypes.DWORD]
        a.CryptAcquireContextW.argtypes = [ctypes.POINTER(ctypes.c_size_t), wintypes.LPCWSTR,
                                           wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD]
        if self.ncrypt is not None:
            n = self.ncrypt
            n.NCryptSignHash.restype = ctypes.c_long
            n.NCryptSignHash.argtypes = [ctypes.c_size_t, ctypes.c_void_p, ctypes.c_char_p, wintypes.DWORD,
                                         ctypes.c_void_p, wintypes.DWORD, ctypes.POINTER(wintypes.DWORD),
                                         wintypes.DWORD]
            n.NCryptFreeObject.argtypes = [ctypes.c_size_t]

    def open_my(self) -> int:
        h = self.crypt32.CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, None,
                                       CERT_SYSTEM_STORE_CURRENT_USER, ctypes.c_wchar_p("MY"))
        if not h:
            raise _winerror("Không mở được kho chứng thư cá nhân của Windows",
                            "Cannot open the Windows personal certificate store")
        return int(h)


_api: _Api | None = None


def api() -> _Api:
    global _api
    if _api is None:
        _api = _Api()
    return _api


def _winerror(vi: str, en: str, code: int | None = None) -> SigningError:
    code = (_last_error() if code is None else code) & 0xFFFFFFFF
    return SigningError(f"{vi} (mã lỗi 0x{code:08X}).", f"{en} (error 0x{code:08X}).")


@dataclass(frozen=True)
class StoreCert:
    """A certificate in the user's store that has a private key attached."""

    thumbprint: str  # SHA-1 of the DER, hex: how Windows names a certificate
    certificate: x509.Certificate
    info: CertInfo


def _der(ctx: Any) -> bytes:
    c = ctx.contents
    return ctypes.string_at(c.pbCertEncoded, c.cbCertEncoded)


def _has_key(a: _Api, ctx: Any) -> bool:
    size = wintypes.DWORD(0)
    return bool(a.crypt32.CertGetCertificateContextProperty(ctx, CERT_KEY_PROV_INFO_PROP_ID, None,
                                                            ctypes.byref(size)))


def list_certificates() -> list[StoreCert]:
    """Certificates of the user's Personal store that have a private key (on a token or not)."""
    a = api()
    store = a.open_my()
    out: list[StoreCert] = []
    try:
        ctx = a.crypt32.CertEnumCertificatesInStore(store, None)
        while ctx:
            if _has_key(a, ctx):
                der = _der(ctx)
                cert = x509.Certificate.load(der)
                out.append(StoreCert(hashlib.sha1(der).hexdigest(), cert, describe_certificate(cert)))
            ctx = a.crypt32.CertEnumCertificatesInStore(store, ctx)
    finally:
        a.crypt32.CertCloseStore(store, 0)
    return out


class _CRYPT_KEY_PROV_INFO(ctypes.Structure):
    _fields_ = [("pwszContainerName", wintypes.LPWSTR), ("pwszProvName", wintypes.LPWSTR),
                ("dwProvType", wintypes.DWORD), ("dwFlags", wintypes.DWORD),
                ("cProvParam", wintypes.DWORD), ("rgProvParam", ctypes.c_void_p),
                ("dwKeySpec", wintypes.DWORD)]


def _private_key_blob(key: Any) -> bytes:
    """CryptoAPI PRIVATEKEYBLOB (RSA, little-endian) of a cryptography RSA key."""
    import struct

    nums = key.private_numbers()
    pub = nums.public_numbers
    bits = key.key_size
    n, h = bits // 8, bits // 16

    def le(v: int, size: int) -> bytes:
        return v.to_bytes(size, "little")

    header = struct.pack("<BBHI", 7, 2, 0, 0x2400)  # PRIVATEKEYBLOB, CUR_BLOB_VERSION, CALG_RSA_SIGN
    rsapub = struct.pack("<4sII", b"RSA2", bits, pub.e)
    return (header + rsapub + le(pub.n, n) + le(nums.p, h) + le(nums.q, h) + le(nums.dmp1, h)
            + le(nums.dmq1, h) + le(nums.iqmp, h) + le(nums.d, n))


def import_pkcs12(path: Path, password: str) -> list[str]:
    """Put a .p12/.pfx's certificate in the user's Personal store, its key in a CryptoAPI
    container of the RSA/AES provider (the one with SHA-2), as certutil -importpfx does
    with ``-csp``. Returns the thumbprint. For IT staff without a token, and for tests.

    (Wine's PFXImportCertStore puts keys in the "RSA Full" provider, which has no SHA-2.)
    """
    import uuid

    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    a = api()
    try:
        key, cert, _others = pkcs12.load_key_and_certificates(Path(path).read_bytes(),
                                                              password.encode("utf-8"))
    except ValueError as exc:
        raise SigningError(f"Mật khẩu tệp {Path(path).name} không đúng hoặc tệp bị hỏng.",
                           f"Wrong password for {Path(path).name}, or the file is damaged.") from exc
    if key is None or cert is None or not hasattr(key, "private_numbers") or not hasattr(key, "key_size"):
        raise SigningError(f"Tệp {Path(path).name} không chứa khóa RSA và chứng thư.",
                           f"{Path(path).name} holds no RSA key and certificate.")
    adv = a.advapi32
    container = f"desk-{uuid.uuid4()}"
    prov = ctypes.c_size_t(0)
    if not adv.CryptAcquireContextW(ctypes.byref(prov), container, MS_ENH_RSA_AES_PROV, PROV_RSA_AES,
                                    0x8):  # CRYPT_NEWKEYSET
        raise _winerror("Không tạo được kho khóa", "Cannot create a key container")
    blob = _private_key_blob(key)
    hkey = ctypes.c_size_t(0)
    adv.CryptImportKey.argtypes = [ctypes.c_size_t, ctypes.c_char_p, wintypes.DWORD, ctypes.c_size_t,
                                   wintypes.DWORD, ctypes.POINTER(ctypes.c_size_t)]
    adv.CryptDestroyKey.argtypes = [ctypes.c_size_t]
    ok = adv.CryptImportKey(prov.value, blob, len(blob), 0, 0, ctypes.byref(hkey))
    err = _last_error()
    if ok:
        adv.CryptDestroyKey(hkey.value)
    adv.CryptReleaseContext(prov.value, 0)
    if not ok:
        raise _winerror("Không nhập được khóa bí mật", "Cannot import the private key", err)
    der = cert.public_bytes(Encoding.DER)
    c = a.crypt32
    c.CertAddEncodedCertificateToStore.argtypes = [ctypes.c_void_p, wintypes.DWORD, ctypes.c_char_p,
                                                   wintypes.DWORD, wintypes.DWORD, ctypes.POINTER(PCCERT)]
    c.CertSetCertificateContextProperty.argtypes = [PCCERT, wintypes.DWORD, wintypes.DWORD, ctypes.c_void_p]
    my = a.open_my()
    ctx = PCCERT()
    try:
        if not c.CertAddEncodedCertificateToStore(my, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, der, len(der),
                                                  CERT_STORE_ADD_REPLACE_EXISTING, ctypes.byref(ctx)):
            raise _winerror("Không thêm được chứng thư vào kho", "Cannot add the certificate")
        info = _CRYPT_KEY_PROV_INFO(container, MS_ENH_RSA_AES_PROV, PROV_RSA_AES, 0, 0, None, 2)
        if not c.CertSetCertificateContextProperty(ctx, CERT_KEY_PROV_INFO_PROP_ID, 0, ctypes.byref(info)):
            raise _winerror("Không gắn được khóa vào chứng thư", "Cannot link the key to the certificate")
    finally:
        if ctx:
            c.CertFreeCertificateContext(ctx)
        c.CertCloseStore(my, 0)
    return [hashlib.sha1(der).hexdigest()]


class _StoreKey:
    """The private key of one store certificate, acquired once for a batch."""

    def __init__(self, thumbprint: str) -> None:
        a = self.a = api()
        self.store = a.open_my()
        self.ctx: Any = None
        ctx = a.crypt32.CertEnumCertificatesInStore(self.store, None)
        while ctx:
            if hashlib.sha1(_der(ctx)).hexdigest() == thumbprint.lower():
                self.ctx = a.crypt32.CertDuplicateCertificateContext(ctx)
                a.crypt32.CertFreeCertificateContext(ctx)
                break
            ctx = a.crypt32.CertEnumCertificatesInStore(self.store, ctx)
        if not self.ctx:
            self.close()
            raise CertificateNotFound(f"Không thấy chứng thư {thumbprint} trong kho chứng thư Windows.",
                                      f"Certificate {thumbprint} is not in the Windows certificate store.")
        handle, spec, free = ctypes.c_size_t(0), wintypes.DWORD(0), wintypes.BOOL(False)
        flags = CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG if a.ncrypt is not None else 0
        if not a.crypt32.CryptAcquireCertificatePrivateKey(self.ctx, flags, None, ctypes.byref(handle),
                                                           ctypes.byref(spec), ctypes.byref(free)):
            err = _last_error() & 0xFFFFFFFF
            self.close()
            if err in (SCARD_W_CANCELLED_BY_USER, ERROR_CANCELLED):
                raise PinCancelled("Đã hủy nhập PIN.", "PIN entry cancelled.")
            raise _winerror("Không dùng được khóa bí mật của chứng thư (token đã cắm chưa?)",
                            "Cannot use the certificate's private key (is the token plugged in?)", err)
        self.handle, self.spec, self.free = handle.value, spec.value, bool(free.value)
        self.cng = self.spec == CERT_NCRYPT_KEY_SPEC
        if not self.cng and self.spec not in (1, 2):  # Wine reports 3; ask the container
            a.advapi32.CryptGetUserKey.argtypes = [ctypes.c_size_t, wintypes.DWORD,
                                                   ctypes.POINTER(ctypes.c_size_t)]
            a.advapi32.CryptDestroyKey.argtypes = [ctypes.c_size_t]
            for cand in (2, 1):  # AT_SIGNATURE, AT_KEYEXCHANGE
                hk = ctypes.c_size_t(0)
                if a.advapi32.CryptGetUserKey(self.handle, cand, ctypes.byref(hk)):
                    a.advapi32.CryptDestroyKey(hk.value)
                    self.spec = cand
                    break
        self._aes: int | None = None  # a PROV_RSA_AES context on the same CAPI container

    def close(self) -> None:
        a = self.a
        if getattr(self, "free", False):
            if self.cng:
                a.ncrypt.NCryptFreeObject(self.handle)
            else:
                a.advapi32.CryptReleaseContext(self.handle, 0)
            self.free = False
        if getattr(self, "_aes", None):
            a.advapi32.CryptReleaseContext(self._aes, 0)
            self._aes = None
        if self.ctx:
            a.crypt32.CertFreeCertificateContext(self.ctx)
            self.ctx = None
        if self.store:
            a.crypt32.CertCloseStore(self.store, 0)
            self.store = 0

    def sign_digest(self, digest: bytes, algo: str, rsa: bool) -> bytes:
        return self._sign_cng(digest, algo, rsa) if self.cng else self._sign_capi(digest, algo)

    def _sign_cng(self, digest: bytes, algo: str, rsa: bool) -> bytes:
        n = self.a.ncrypt
        pad = _BCRYPT_PKCS1_PADDING_INFO(algo.upper())
        pinfo, flags = (ctypes.byref(pad), BCRYPT_PAD_PKCS1) if rsa else (None, 0)
        size = wintypes.DWORD(0)
        st = n.NCryptSignHash(self.handle, pinfo, digest, len(digest), None, 0, ctypes.byref(size), flags)
        if st != 0:
            raise _winerror("Ký bằng khóa CNG thất bại", "CNG signing failed", st)
        out = ctypes.create_string_buffer(size.value)
        st = n.NCryptSignHash(self.handle, pinfo, digest, len(digest), out, size, ctypes.byref(size), flags)
        if st != 0:
            raise _winerror("Ký bằng khóa CNG thất bại", "CNG signing failed", st)
        raw: bytes = out.raw[: size.value]
        if rsa:
            return raw
        half = len(raw) // 2  # CNG gives ECDSA as r || s; CMS wants the DER sequence
        der: bytes = algos.DSASignature({"r": int.from_bytes(raw[:half], "big"),
                                         "s": int.from_bytes(raw[half:], "big")}).dump()
        return der

    def _capi_hash(self, prov: int, algo: str) -> int | None:
        h = ctypes.c_size_t(0)
        if self.a.advapi32.CryptCreateHash(prov, CALG[algo], 0, 0, ctypes.byref(h)):
            return h.value
        if (_last_error() & 0xFFFFFFFF) != NTE_BAD_ALGID:
            raise _winerror("Không tạo được hàm băm CryptoAPI", "CryptoAPI hash creation failed")
        return None

    def _sign_capi(self, digest: bytes, algo: str) -> bytes:
        adv = self.a.advapi32
        if algo not in CALG:
            raise SigningError(f"CryptoAPI không ký được với {algo}.", f"CryptoAPI cannot sign with {algo}.")
        prov = self.handle
        h = self._capi_hash(prov, algo)
        if h is None:
            # An old "RSA Full" provider knows no SHA-2: open the same key container
            # through the AES provider, which does (what Windows' own signers do).
            if self._aes is None:
                size = wintypes.DWORD(0)
                adv.CryptGetProvParam(prov, PP_CONTAINER, None, ctypes.byref(size), 0)
                name = ctypes.create_string_buffer(size.value)
                if not adv.CryptGetProvParam(prov, PP_CONTAINER, name, ctypes.byref(size), 0):
                    raise _winerror("Không đọc được tên kho khóa", "Cannot read the key container name")
                aes = ctypes.c_size_t(0)
                if not adv.CryptAcquireContextW(ctypes.byref(aes), name.value.decode("mbcs"),
                                                MS_ENH_RSA_AES_PROV, PROV_RSA_AES, 0):
                    raise _winerror("Không mở được khóa qua nhà cung cấp RSA/AES",
                                    "Cannot open the key through the RSA/AES provider")
                self._aes = aes.value
            prov = self._aes
            h = self._capi_hash(prov, algo)
            if h is None:
                raise _winerror("CryptoAPI không hỗ trợ hàm băm", "CryptoAPI does not support the hash")
        try:
            if not adv.CryptSetHashParam(h, HP_HASHVAL, digest, 0):
                raise _winerror("Không đặt được giá trị băm", "Cannot set the hash value")
            size = wintypes.DWORD(0)
            if not adv.CryptSignHashW(h, self.spec, None, 0, None, ctypes.byref(size)):
                raise _winerror("Ký bằng CryptoAPI thất bại", "CryptoAPI signing failed")
            out = ctypes.create_string_buffer(size.value)
            if not adv.CryptSignHashW(h, self.spec, None, 0, out, ctypes.byref(size)):
                err = _last_error() & 0xFFFFFFFF
                if err in (SCARD_W_CANCELLED_BY_USER, ERROR_CANCELLED):
                    raise PinCancelled("Đã hủy nhập PIN.", "PIN entry cancelled.")
                raise _winerror("Ký bằng CryptoAPI thất bại", "CryptoAPI signing failed", err)
            return out.raw[: size.value][::-1]  # CryptoAPI is little-endian; PKCS#1 is big-endian
        finally:
            adv.CryptDestroyHash(h)


class WindowsStoreSigner(Signer):
    """A pyHanko signer whose key is used through the Windows API."""

    def __init__(self, key: _StoreKey, cert: x509.Certificate, chain: tuple[x509.Certificate, ...]) -> None:
        super().__init__(signing_cert=cert,
                         cert_registry=SimpleCertificateStore.from_certs([cert, *chain]))
        self._key = key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        mech: algos.SignedDigestAlgorithm = self.get_signature_mechanism_for_digest(digest_algorithm)
        name = mech.signature_algo
        algo = digest_algorithm.lower()
        if algo not in _HASHES or name not in ("rsassa_pkcs1v15", "ecdsa"):
            raise SigningError(f"Thuật toán ký {name}/{algo} không được hỗ trợ với kho chứng thư Windows.",
                               f"Signature algorithm {name}/{algo} is not supported with the Windows store.")
        digest = _HASHES[algo](data).digest()
        if dry_run:  # size only: a signature of the key's length
            cert = self.signing_cert
            assert cert is not None  # set in __init__
            size = cert.public_key.bit_size // 8
            return bytes(size) if name == "rsassa_pkcs1v15" else bytes(2 * size + 8)
        return self._key.sign_digest(digest, algo, name == "rsassa_pkcs1v15")


@dataclass(frozen=True)
class WindowsStoreKeySource(KeySource):
    """A certificate in the user's Personal store, picked by thumbprint or by
    :meth:`CertInfo.matches` (serial, SHA-256 prefix, part of the holder's name), or the only one."""

    thumbprint: str = ""
    extra_chain: tuple[x509.Certificate, ...] = ()

    def describe(self) -> str:
        return f"Windows certificate store {self.thumbprint or '(MY)'}"

    def open(self, pin_callback: PinCallback) -> KeySession:
        del pin_callback  # the token's minidriver asks for its PIN in its own dialog
        certs = list_certificates()
        if self.thumbprint:
            sel = self.thumbprint.strip().lower()
            certs = [c for c in certs if c.thumbprint == sel or c.info.matches(self.thumbprint)]
        usable = [c for c in certs if not c.info.is_ca]
        if not usable:
            raise CertificateNotFound(
                "Không có chứng thư số nào có khóa bí mật trong kho chứng thư Windows (Personal).",
                "No certificate with a private key in the Windows certificate store (Personal).")
        if len(usable) > 1 and not self.thumbprint:
            names = ", ".join(f"{c.info.subject_cn} ({c.thumbprint[:8]})" for c in usable)
            raise CertificateNotFound(
                f"Kho chứng thư Windows có nhiều chứng thư ký: {names}; hãy chọn một.",
                f"The Windows store has several signing certificates: {names}; choose one.")
        chosen = usable[0]
        key = _StoreKey(chosen.thumbprint)  # may show the token's own PIN dialog
        chain = tuple(self.extra_chain)
        signer = WindowsStoreSigner(key, chosen.certificate, chain)
        return KeySession(signer, chosen.certificate, chain, chosen.info, key.close)


__all__ = ["StoreCert", "WindowsStoreKeySource", "WindowsStoreSigner", "available", "import_pkcs12",
           "list_certificates"]
