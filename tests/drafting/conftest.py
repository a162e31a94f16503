"""Fixtures for drafting: a real office in a temporary folder, real LibreOffice conversions.

LibreOffice takes 1–2 s per conversion, so every template is filled and converted
once per session (``converted``) and the tests read those files; all conversions
share one private LibreOffice profile, kept warm for the session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desk.convert import convert_docx
from desk.drafting import TEMPLATES, create_draft, template_spec
from desk.models import Document, Person
from desk.office import Office
from desk.services import people
from desk.services.documents import DocumentInput, RecipientInput, create_incoming

SUBJECT = "Về việc tăng cường công tác phòng cháy, chữa cháy rừng mùa khô năm 2026–2027"
BODY = (
    "Thực hiện Công văn số 123/UBND-NN ngày 20/11/2026 của Ủy ban nhân dân tỉnh Quảng Ninh, "
    "Ủy ban nhân dân huyện Tiên Yên đề nghị các xã, thị trấn triển khai ngay các nội dung sau:\n"
    "1. Rà soát, bổ sung phương án chữa cháy rừng; bố trí lực lượng trực 24/24 giờ.\n"
    "2. Tuyên truyền đến từng hộ gia đình nhận khoán, bảo vệ rừng.\n"
    "Điều 9. Đồng ý đề xuất của Phòng Nông nghiệp và Phát triển nông thôn./."
)
RECIPIENTS = ["Ủy ban nhân dân tỉnh Quảng Ninh", "Sở Nông nghiệp và Phát triển nông thôn"]


@dataclass
class Staff:
    clerk: int
    leader: int
    specialist: int
    unit: int


@dataclass(frozen=True)
class Converted:
    code: str
    doc_id: int
    docx: Path
    pdf: Path


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    profile = tmp_path_factory.mktemp("lo") / "profile"
    old = os.environ.get("DESK_LO_PROFILE")
    os.environ["DESK_LO_PROFILE"] = str(profile)  # the CLI's conversions use it too
    yield profile
    if old is None:
        os.environ.pop("DESK_LO_PROFILE", None)
    else:
        os.environ["DESK_LO_PROFILE"] = old


def setup_office(office: Office) -> Staff:
    with office.db.write() as s:
        people.upsert_organization(s, "000.00.00.H49", "Ủy ban nhân dân tỉnh Quảng Ninh")
        people.init_office(s, "000.00.12.H49", "Ủy ban nhân dân huyện Tiên Yên",
                           place="Tiên Yên", notation="UBND", parent_code="000.00.00.H49")
        unit = people.add_unit(s, "Phòng Nông nghiệp và Phát triển nông thôn", "NN")
        clerk = people.add_person(s, "vanthu", "Nguyễn Thị Lan", ["van_thu"], position="Văn thư")
        leader = people.add_person(s, "chutich", "Trần Văn Đức", ["lanh_dao"],
                                   position="Chủ tịch")
        sp = people.add_person(s, "cv.dat", "Lê Minh Đạt", ["chuyen_vien"], unit=unit)
        return Staff(clerk.id, leader.id, sp.id, unit.id)


def draft_input(code: str, **overrides: object) -> DocumentInput:
    spec = template_spec(code)
    fields: dict[str, object] = dict(
        doc_type=spec.doc_type, subject=SUBJECT, signer_competence="TM. Ủy ban nhân dân",
        signer_position="Chủ tịch", signer_name="Trần Văn Đức",
        recipients=[RecipientInput(name=n, channel="paper") for n in RECIPIENTS])
    fields.update(overrides)
    return DocumentInput(**fields)  # type: ignore[arg-type]


def new_draft(office: Office, staff: Staff, code: str, *, body: str = BODY,
              response_for_id: int | None = None, template_dir: Path | None = None,
              **overrides: object) -> int:
    with office.db.write() as s:
        doc = create_draft(s, office.blobs, draft_input(code, **overrides), code,
                           s.get(Person, staff.specialist), body=body,
                           response_for_id=response_for_id, template_dir=template_dir)
        return doc.id


def new_incoming(office: Office, staff: Staff) -> int:
    with office.db.write() as s:
        doc = create_incoming(s, office.blobs, DocumentInput(
            doc_type="CV", subject="Về việc phòng cháy rừng", number="123", notation="UBND-NN",
            issuer_code="000.00.00.H49", issuer_name="Ủy ban nhân dân tỉnh Quảng Ninh"),
            s.get(Person, staff.clerk))
        return doc.id


def latest_draft_blob(office: Office, doc_id: int) -> str:
    with office.db.read() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        return [a for a in doc.attachments if a.kind == "draft"][-1].blob_sha256


@pytest.fixture
def staff(office: Office) -> Staff:
    return setup_office(office)


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory,
              lo_profile: Path) -> Iterator[dict[str, Converted]]:
    """Every template filled through create_draft and converted by the real LibreOffice."""
    root = tmp_path_factory.mktemp("converted")
    office = Office.open(root / "office")
    staff = setup_office(office)
    out: dict[str, Converted] = {}
    try:
        for spec in TEMPLATES:
            doc_id = new_draft(office, staff, spec.code)
            docx = root / f"{spec.code}.docx"
            office.blobs.copy_to(latest_draft_blob(office, doc_id), docx)
            pdf = root / f"{spec.code}.pdf"
            convert_docx(docx, pdf, profile_dir=lo_profile)
            out[spec.code] = Converted(spec.code, doc_id, docx, pdf)
        yield out
    finally:
        office.close()
