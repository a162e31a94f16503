"""Two (or three) real offices, each in its own data folder, and a real exchange server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from desk import workflow
from desk.docpdf import PageSpec, render_to
from desk.models import Document, Person
from desk.office import Office
from desk.reference import Role
from desk.services import documents as docs
from desk.services import people, release
from desk.services.people import default_person
from sync.client import ExchangeClient
from sync.engine import SyncEngine
from sync.testing.server_proc import ServerProcess

CODES = {"a": "000.00.21.H49", "b": "000.00.22.H49", "c": "000.00.23.H49"}
NAMES = {"a": "Ủy ban nhân dân huyện Tiên Yên", "b": "Ủy ban nhân dân huyện Đầm Hà",
         "c": "Ủy ban nhân dân huyện Bình Liêu"}


@dataclass
class Site:
    key: str
    code: str
    office: Office
    secret: str
    url: str

    def engine(self, url: str | None = None, **kw: object) -> SyncEngine:
        client = ExchangeClient(url or self.url, self.code, self.secret, retry_delay=0.05, max_stalls=2)
        return SyncEngine(self.office, client, **kw)  # type: ignore[arg-type]

    def person(self, role: Role) -> Person:
        with self.office.db.read() as s:
            p = default_person(s, role)
            p.role_names  # noqa: B018 - load before the session closes
            return p


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A fresh server per test (about a second to start), so every mailbox starts empty."""
    with ServerProcess(tmp_path / "exchange-server") as srv:
        yield srv


def make_site(server: ServerProcess, root: Path, key: str) -> Site:
    office = Office.open(root / f"office-{key}")
    with office.db.write() as s:
        people.init_office(s, CODES[key], NAMES[key], place="Quảng Ninh", notation="UBND")
        people.add_person(s, f"vanthu.{key}", "Nguyễn Thị Lan", ["van_thu"])
        people.add_person(s, f"lanhdao.{key}", "Trần Văn Đức", ["lanh_dao"], position="Chủ tịch")
        people.add_person(s, f"cv.{key}", "Lê Minh Đạt", ["chuyen_vien"])
    secret = server.add_agency(CODES[key], NAMES[key])
    return Site(key, CODES[key], office, secret, server.url)


@pytest.fixture
def sites(server: ServerProcess, tmp_path: Path) -> Iterator[dict[str, Site]]:
    made = {key: make_site(server, tmp_path, key) for key in CODES}
    yield made
    for site in made.values():
        site.office.close()


def outgoing(site: Site, tmp_path: Path, to: list[str], subject: str = "Về việc tăng cường phòng, chống bão số 3") -> int:
    """A signed outgoing document with a PDF, released to ``to`` (queued in the outbox)."""
    pdf = render_to(PageSpec("UBND TỈNH QUẢNG NINH", NAMES[site.key], "    /UBND-VP", "Quảng Ninh",
                             date.today(), "", subject.removeprefix("Về việc "),
                             ["Đề nghị các đơn vị triển khai ngay."], "KT. CHỦ TỊCH", "Phó Chủ tịch",
                             "Phạm Thị Hồng"), tmp_path / f"{site.key}-{abs(hash(subject))}.pdf")
    clerk = site.person(Role.CLERK)
    with site.office.db.write() as s:
        d = docs.create_outgoing(s, site.office.blobs, docs.DocumentInput(
            doc_type="CV", subject=subject, notation="UBND-VP", signer_name="Phạm Thị Hồng",
            signer_position="Phó Chủ tịch", urgency=1), clerk, files=[docs.FileInput(pdf)])
        workflow.apply(s, d, "submit", clerk.id)
        workflow.apply(s, d, "sign", clerk.id)
        release.release(s, d, clerk, [(c, NAMES[k]) for k, c in CODES.items() if c in to])
        return d.id


def doc(site: Site, doc_id: int) -> Document:
    with site.office.db.read() as s:
        d = s.get(Document, doc_id)
        assert d is not None
        d.recipients  # noqa: B018
        d.attachments  # noqa: B018
        return d
