from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.errors import ValidationError
from desk.reference import (
    ADMIN_DOC_TYPES,
    DOC_TYPES,
    doc_type_by_abbreviation,
    format_code,
    format_number,
    normalize_code,
    validate_org_id,
)
from desk.textfold import fold


def test_decree_30_has_29_document_types_with_their_abbreviations() -> None:
    assert len(ADMIN_DOC_TYPES) == 29
    abbr = {d.name: d.abbreviation for d in ADMIN_DOC_TYPES}
    assert abbr["Quyết định"] == "QĐ"
    assert abbr["Quy định"] == "QyĐ"
    assert abbr["Tờ trình"] == "TTr"
    assert abbr["Công văn"] == ""
    assert len({d.code for d in ADMIN_DOC_TYPES}) == 29


def test_normative_types_are_known_with_their_notations() -> None:
    names = {d.name for d in DOC_TYPES}
    assert {"Luật", "Nghị định", "Thông tư", "Thông tư liên tịch", "Văn bản hợp nhất", "Pháp lệnh"} <= names
    assert len({d.code for d in DOC_TYPES}) == len(DOC_TYPES)
    assert all(len(d.code) <= 10 for d in DOC_TYPES)  # documents.doc_type is String(10)
    assert doc_type_by_abbreviation("NĐ").code == "ND"  # type: ignore[union-attr]
    assert doc_type_by_abbreviation("TTLT").code == "TTLT"  # type: ignore[union-attr]
    assert doc_type_by_abbreviation("qđ").code == "QD"  # type: ignore[union-attr]
    assert doc_type_by_abbreviation("UBND") is None


@pytest.mark.parametrize("value", ["000.00.00.H49", "000.00.12.H49", "000.01.12.h49", " 000.00.04.G14 "])
def test_valid_org_ids(value: str) -> None:
    assert validate_org_id(value) == value.strip().upper()


@pytest.mark.parametrize("value", ["", "H49", "000.00.H49", "00.00.00.H49", "000.00.00.49",
                                   "000-00-00-H49", "12.34", "000.00.00.HH9"])
def test_bad_org_ids_get_a_clear_message(value: str) -> None:
    with pytest.raises(ValidationError) as e:
        validate_org_id(value)
    assert "QCVN 102" in e.value.vi and "000.00.00.H49" in e.value.vi


def test_numbers_below_ten_have_a_leading_zero() -> None:
    assert [format_number(n) for n in (1, 9, 10, 123)] == ["01", "09", "10", "123"]
    assert format_code("15", "QĐ-UBND") == "15/QĐ-UBND"


def test_stray_spaces_in_published_codes_are_removed() -> None:
    assert normalize_code("507 /UBND - KGVX") == "507/UBND-KGVX"


@pytest.mark.parametrize("text,folded", [
    ("Quyết định", "quyet dinh"), ("ĐÀ NẴNG", "da nang"), ("Đơn đề nghị", "don de nghi"),
    ("Thượng khẩn", "thuong khan"), ("Hỏa tốc", "hoa toc"),
    ("Quye\u0302\u0301t đi\u0323nh", "quyet dinh"),  # NFD input
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " 0123456789/-"))
def test_fold_is_idempotent_and_removes_all_vietnamese_marks(s: str) -> None:
    f = fold(s)
    assert fold(f) == f
    assert f.isascii()
    assert len(f) == len(s)


@given(st.text())
def test_fold_never_fails(s: str) -> None:
    assert fold(fold(s)) == fold(s)
