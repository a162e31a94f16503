/* Test-only shim for Wine 8.0, which lacks bcryptprimitives.dll!ProcessPrng.
 *
 * Rust's standard library (cryptography, tantivy, pydantic-core) imports
 * ProcessPrng, present on Windows 10 and later. It fills a buffer from the
 * system CSPRNG; here through RtlGenRandom (advapi32!SystemFunction036), which
 * Wine implements. Built with Debian's gcc-mingw-w64-x86-64-win32 by the Wine lane
 * into the lane's own prefix; never shipped in the installer. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000u ? 0x40000000u : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
