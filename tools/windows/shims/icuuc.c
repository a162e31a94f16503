/* Test-only shim for Wine 8.0, which has no icuuc.dll (Wine provides it from 11.5).
 *
 * Qt 6.11's QtCore imports ICU's converter API from Windows' system icuuc.dll
 * (Windows 10 1903 and later) for text codecs beyond UTF-8/16/32 and Latin-1.
 * This shim reports every converter as unavailable, so QStringConverter falls
 * back to its built-in codecs, which are all Desk uses. Built by the Wine lane into
 * its own prefix; never shipped in the installer. */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
typedef uint16_t UChar;
typedef struct UConverter UConverter;
#define U_FILE_ACCESS_ERROR 4
#define EXPORT __declspec(dllexport)

EXPORT UConverter *ucnv_open(const char *name, UErrorCode *err)
{
    (void)name;
    if (err && *err <= 0)
        *err = U_FILE_ACCESS_ERROR;
    return NULL;
}
EXPORT void ucnv_close(UConverter *c) { (void)c; }
EXPORT void ucnv_reset(UConverter *c) { (void)c; }
EXPORT int8_t ucnv_getMaxCharSize(const UConverter *c) { (void)c; return 1; }
EXPORT const char *ucnv_getName(const UConverter *c, UErrorCode *err) { (void)c; (void)err; return ""; }
EXPORT void ucnv_getToUCallBack(const UConverter *c, void **action, const void **context)
{ (void)c; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_getFromUCallBack(const UConverter *c, void **action, const void **context)
{ (void)c; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_setToUCallBack(UConverter *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *err)
{ (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; (void)err; }
EXPORT void ucnv_setFromUCallBack(UConverter *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *err)
{ (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; (void)err; }
EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *s, int32_t n, int32_t off, UErrorCode *err)
{ (void)args; (void)s; (void)n; (void)off; (void)err; }
EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **s, const UChar *lim, int32_t off, UErrorCode *err)
{ (void)args; (void)s; (void)lim; (void)off; (void)err; }
EXPORT void ucnv_toUnicode(UConverter *c, UChar **t, const UChar *tl, const char **s, const char *sl,
                           int32_t *off, int8_t flush, UErrorCode *err)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)off; (void)flush; if (err) *err = U_FILE_ACCESS_ERROR; }
EXPORT void ucnv_fromUnicode(UConverter *c, char **t, const char *tl, const UChar **s, const UChar *sl,
                             int32_t *off, int8_t flush, UErrorCode *err)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)off; (void)flush; if (err) *err = U_FILE_ACCESS_ERROR; }
EXPORT int32_t ucnv_toUCountPending(const UConverter *c, UErrorCode *err) { (void)c; (void)err; return 0; }
EXPORT int32_t ucnv_fromUCountPending(const UConverter *c, UErrorCode *err) { (void)c; (void)err; return 0; }
EXPORT const char *ucnv_getStandardName(const char *n, const char *std, UErrorCode *err)
{ (void)n; (void)std; (void)err; return NULL; }
EXPORT const char *ucnv_getAvailableName(int32_t i) { (void)i; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const UChar *u, int32_t n,
                                            int32_t cp, int reason, UErrorCode *err)
{ (void)ctx; (void)args; (void)u; (void)n; (void)cp; (void)reason; (void)err; }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const char *b, int32_t n,
                                          int reason, UErrorCode *err)
{ (void)ctx; (void)args; (void)b; (void)n; (void)reason; (void)err; }
