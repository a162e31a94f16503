"""Plain-language texts for verification results (Vietnamese and English).

pyHanko reports trust problems as ETSI sub-indications (e.g. ``OUT_OF_BOUNDS_NO_POE``
for an expired certificate, toolchain probe §9); these tables say what they mean.
"""

from __future__ import annotations

from pyhanko.sign.diff_analysis import ModificationLevel

INDIC_TEXT: dict[str, tuple[str, str]] = {
    "REVOKED": ("chứng thư số đã bị thu hồi", "the certificate has been revoked"),
    "REVOKED_NO_POE": ("chứng thư số đã bị thu hồi", "the certificate has been revoked"),
    "REVOKED_CA_NO_POE": ("chứng thư của tổ chức cấp đã bị thu hồi", "the issuing CA's certificate was revoked"),
    "EXPIRED": ("chứng thư số đã hết hạn", "the certificate has expired"),
    "OUT_OF_BOUNDS_NO_POE": ("chứng thư số đã hết hạn (hoặc chưa có hiệu lực) tại thời điểm kiểm tra "
                             "và không có dấu thời gian chứng minh chữ ký có trước đó",
                             "the certificate is expired (or not yet valid) and no timestamp proves "
                             "the signature was made in time"),
    "OUT_OF_BOUNDS_NOT_REVOKED": ("chứng thư số đã hết hạn", "the certificate has expired"),
    "NOT_YET_VALID": ("chứng thư số chưa có hiệu lực", "the certificate is not yet valid"),
    "NO_CERTIFICATE_CHAIN_FOUND": ("không dựng được chuỗi chứng thư đến một chứng thư gốc tin cậy "
                                   "(chưa cài chứng thư gốc của tổ chức cấp?)",
                                   "no chain to a trusted root (is the CA's root installed?)"),
    "CHAIN_CONSTRAINTS_FAILURE": ("chuỗi chứng thư vi phạm ràng buộc", "the certificate chain violates constraints"),
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": ("chuỗi chứng thư không hợp lệ", "the certificate chain is invalid"),
    "CRYPTO_CONSTRAINTS_FAILURE": ("thuật toán mật mã không còn được chấp nhận", "a cryptographic algorithm is no longer accepted"),
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": ("thuật toán mật mã không còn được chấp nhận", "a cryptographic algorithm is no longer accepted"),
    "SIG_CONSTRAINTS_FAILURE": ("chứng thư không được phép dùng để ký (mục đích sử dụng khóa)",
                                "the certificate may not be used for signing (key usage)"),
    "TRY_LATER": ("không lấy được thông tin thu hồi chứng thư", "revocation information could not be obtained"),
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": ("thông tin thu hồi đã cũ", "the revocation information is out of date"),
    "NO_POE": ("thiếu bằng chứng thời điểm ký", "no proof of when the signature existed"),
    "HASH_FAILURE": ("mã băm không khớp: nội dung đã bị thay đổi", "digest mismatch: the content was changed"),
    "SIG_CRYPTO_FAILURE": ("chữ ký không đúng về mặt mật mã", "the signature is cryptographically invalid"),
    "FORMAT_FAILURE": ("chữ ký sai định dạng", "the signature is malformed"),
    "NO_SIGNING_CERTIFICATE_FOUND": ("không tìm thấy chứng thư của người ký", "the signer's certificate is missing"),
}

MISSING_REVINFO = {"TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"}
EXPIRY = {"OUT_OF_BOUNDS_NO_POE", "EXPIRED", "OUT_OF_BOUNDS_NOT_REVOKED"}

MOD_NAMES = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "ltv_updates",
    ModificationLevel.FORM_FILLING: "form_filling",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "unsafe",
}
MOD_TEXT = {
    "none": ("không có thay đổi", "no changes"),
    "ltv_updates": ("chỉ bổ sung dữ liệu kiểm tra dài hạn (dấu thời gian, thông tin thu hồi)",
                    "only long-term validation data (timestamps, revocation data) added"),
    "form_filling": ("chỉ điền biểu mẫu hoặc thêm chữ ký", "only form filling or further signatures"),
    "annotations": ("chỉ thêm ghi chú (comment)", "comments only"),
    "unsafe": ("NỘI DUNG BỊ THAY ĐỔI sau khi ký", "CONTENT CHANGED after signing"),
    "unchecked": ("chưa phân tích được hết", "could not all be analysed"),
}
