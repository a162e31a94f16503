"""Finding PKCS#11 libraries ("modules") for USB tokens.

Vietnamese CAs ship a vendor DLL per token model, installed into the Windows
system folder (vn-standards §3). On Linux the usual drivers are OpenSC, SoftHSM2
and a few vendor libraries. A library that exists but cannot be loaded is almost
always a 32/64-bit mismatch or not a PKCS#11 library at all; both are reported
with a plain explanation instead of the loader's error.
"""

from __future__ import annotations

import ctypes
import glob
import os
import platform
import struct
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Vendor DLLs of Vietnamese token models, looked for in the Windows system folder.
VN_WINDOWS_DLLS: dict[str, str] = {
    "vnpt-ca_csp11.dll": "VNPT-CA",
    "vnptca_p11_v6.dll": "VNPT-CA",
    "vnptca_p11_v7.dll": "VNPT-CA",
    "vnptca_p11_v8.dll": "VNPT-CA",
    "vnptca_p11_v9.dll": "VNPT-CA",
    "vnptca_p11_v10.dll": "VNPT-CA",
    "VNPT-CA_v34.dll": "VNPT-CA",
    "vnpt-ca_cl_v1.dll": "VNPT-CA",
    "viettel-ca.dll": "Viettel-CA",
    "viettel-ca_v1.dll": "Viettel-CA",
    "viettel-ca_v2.dll": "Viettel-CA",
    "viettel-ca_v3.dll": "Viettel-CA",
    "viettel-ca_v4.dll": "Viettel-CA",
    "viettel-ca_v5.dll": "Viettel-CA",
    "viettel-ca_v6.dll": "Viettel-CA",
    "BkavCA.dll": "BKAV-CA",
    "BkavCAv2S.dll": "BKAV-CA",
    "st3csp11.dll": "BKAV-CA",
    "fpt-ca.dll": "FPT-CA",
    "fptca_v4.dll": "FPT-CA",
    "SignatureP11.dll": "FPT-CA",
    "CA2_csp11.dll": "CA2 (Nacencomm)",
    "CA2_v34.dll": "CA2 (Nacencomm)",
    "ShuttleCsp11_3003.dll": "CA2 (Nacencomm)",
    "Vina-CA.dll": "Vina-CA",
    "safe-ca.dll": "Safe-CA",
    "efy-ca_v1.dll": "EFY-CA",
    "misaca_csp11_v2.dll": "MISA-CA",
    "newca_v4.dll": "NewTel-CA",
    "fca_v1.dll": "FastCA",
    "ostc1_csp11.dll": "",
    "ngp11v211.dll": "",
    "gclib.dll": "",
    "wdpkcs.dll": "",
    "eTPKCS11.dll": "SafeNet eToken",
    "eps2003csp11.dll": "ePass2003",
}

#: Usual Linux locations (Debian/Ubuntu multiarch first).
LINUX_PATHS: tuple[str, ...] = (
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    "/usr/lib/opensc-pkcs11.so",
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/libeTPkcs11.so",
    "/usr/lib/libeToken.so",
    "/usr/lib/libcastle.so.1.0.0",
    "/usr/lib/libshuttle_p11v220.so.1.0.0",
)

_ELF_MACHINES = {3: "x86", 62: "x86_64", 40: "arm", 183: "aarch64"}
_PE_MACHINES = {0x14C: "x86", 0x8664: "x86_64", 0xAA64: "aarch64", 0x1C4: "arm"}


@dataclass(frozen=True)
class ModuleInfo:
    """A candidate PKCS#11 library and whether this process can use it."""

    path: str
    source: str  # "configured" | "windows" | "linux" | "p11-kit"
    vendor: str
    exists: bool
    bits: int | None
    machine: str | None
    problem_vi: str | None = None
    problem_en: str | None = None

    @property
    def usable(self) -> bool:
        return self.exists and self.problem_vi is None


def process_bits() -> int:
    return struct.calcsize("P") * 8


def _process_machine() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64", "i386": "x86", "i686": "x86"}.get(m, m)


def binary_arch(path: str) -> tuple[int | None, str | None]:
    """Read the word size and machine of an ELF or PE file from its header."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
            if head[:4] == b"\x7fELF":
                bits = 32 if head[4] == 1 else 64
                endian = "<" if head[5] == 1 else ">"
                (machine,) = struct.unpack(endian + "H", head[18:20])
                return bits, _ELF_MACHINES.get(machine, str(machine))
            if head[:2] == b"MZ":
                (pe_offset,) = struct.unpack("<I", head[60:64])
                fh.seek(pe_offset)
                pe = fh.read(6)
                if pe[:4] != b"PE\0\0":
                    return None, None
                (machine,) = struct.unpack("<H", pe[4:6])
                name = _PE_MACHINES.get(machine, str(machine))
                return (32 if name in ("x86", "arm") else 64), name
    except OSError:
        return None, None
    return None, None


def _has_pkcs11_entry(path: str) -> bool:
    try:
        lib = ctypes.CDLL(path)
    except OSError:
        return False
    return hasattr(lib, "C_GetFunctionList")


def inspect_module(path: str, source: str = "configured", vendor: str = "",
                   *, probe_symbols: bool = True) -> ModuleInfo:
    """Describe one library file, explaining why it cannot be used if so."""
    if not os.path.isfile(path):
        return ModuleInfo(
            path, source, vendor, False, None, None,
            f"Không tìm thấy thư viện token {path}: hãy cài phần mềm của nhà cung cấp chữ ký số.",
            f"Token library {path} not found: install the CA vendor's software.",
        )
    bits, machine = binary_arch(path)
    if bits is None:
        return ModuleInfo(path, source, vendor, True, None, None,
                          f"Tệp {path} không phải thư viện chương trình.",
                          f"{path} is not a shared library.")
    mine = process_bits()
    if bits != mine or (machine and machine != _process_machine()):
        return ModuleInfo(
            path, source, vendor, True, bits, machine,
            f"Thư viện {Path(path).name} là bản {bits}-bit ({machine}) nhưng Desk chạy {mine}-bit "
            f"({_process_machine()}): hãy cài bản {mine}-bit của phần mềm token.",
            f"{Path(path).name} is {bits}-bit ({machine}) but Desk runs {mine}-bit "
            f"({_process_machine()}): install the {mine}-bit token software.",
        )
    if probe_symbols and not _has_pkcs11_entry(path):
        return ModuleInfo(
            path, source, vendor, True, bits, machine,
            f"Thư viện {Path(path).name} không nạp được hoặc không phải thư viện PKCS#11 "
            "(thiếu C_GetFunctionList).",
            f"{Path(path).name} cannot be loaded or is not a PKCS#11 library "
            "(no C_GetFunctionList).",
        )
    return ModuleInfo(path, source, vendor, True, bits, machine)


def _windows_candidates(root: str | None = None) -> Iterable[tuple[str, str, str]]:
    root = root or os.environ.get("SYSTEMROOT", r"C:\Windows")
    folders = [os.path.join(root, "System32"), os.path.join(root, "SysWOW64")]
    for folder in folders:
        for name, vendor in VN_WINDOWS_DLLS.items():
            yield os.path.join(folder, name), "windows", vendor
        # Versioned names (Vina-CA*, safe-ca*) are matched by pattern.
        for pattern in ("Vina-CA*.dll", "safe-ca*.dll"):
            for found in glob.glob(os.path.join(folder, pattern)):
                yield found, "windows", Path(found).stem


def _p11kit_candidates() -> Iterable[tuple[str, str, str]]:
    for conf in sorted(glob.glob("/usr/share/p11-kit/modules/*.module")
                       + glob.glob("/etc/pkcs11/modules/*.module")):
        try:
            text = Path(conf).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "module" and value.strip():
                lib = value.strip()
                if not os.path.isabs(lib):
                    lib = os.path.join("/usr/lib/x86_64-linux-gnu/pkcs11", lib)
                yield lib, "p11-kit", Path(conf).stem


def discover_modules(configured: Sequence[str] = (), *,
                     include_missing_configured: bool = True,
                     probe_symbols: bool = True,
                     windows_root: str | None = None) -> list[ModuleInfo]:
    """All PKCS#11 libraries worth trying: configured ones first, then known paths.

    Known paths that do not exist are left out; configured ones are kept (with the
    reason) so the user learns that the configured path is wrong.
    """
    seen: set[str] = set()
    result: list[ModuleInfo] = []

    def add(path: str, source: str, vendor: str) -> None:
        key = os.path.realpath(path)
        if key in seen:
            return
        seen.add(key)
        result.append(inspect_module(path, source, vendor, probe_symbols=probe_symbols))

    for path in configured:
        if include_missing_configured or os.path.isfile(path):
            add(path, "configured", "")
    known: Iterable[tuple[str, str, str]]
    if sys.platform == "win32" or windows_root is not None:
        # windows_root also lets the Windows search be exercised on other systems.
        known = _windows_candidates(windows_root)
    else:
        known = [(p, "linux", "") for p in LINUX_PATHS]
        known = list(known) + list(_p11kit_candidates())
    for path, source, vendor in known:
        if os.path.isfile(path):
            add(path, source, vendor)
    return result
