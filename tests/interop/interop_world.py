"""The world of the interop tests: agency codes, secrets, and the SDK/Desk handle."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from axis_harness import ROOT, Harness

from desk.docpdf import PageSpec, render_to
from desk.models import Person
from desk.office import Office
from desk.reference import Role
from desk.services.people import default_person
from sync.client import ExchangeClient
from sync.engine import SyncEngine

G22 = "000.00.00.G22"  # an axis agency using the SDK (sender in the SDK flows)
G17 = "000.00.00.G17"  # a second axis agency using the SDK
OFFICE = "000.00.21.H49"  # a Desk office
UNKNOWN = "000.00.99.H99"  # registered nowhere
SECRETS = {G22: "axis-G22-secret-7f3a9c1e", G17: "axis-G17-secret-51b0d2aa",
           OFFICE: "desk-H49-secret-0c9e7d13"}
NAMES = {G22: "Văn phòng Chính phủ", G17: "Bộ Tư pháp", OFFICE: "Ủy ban nhân dân huyện Tiên Yên"}


@dataclass
class DeskServe:
    home: Path
    port: int
    proc: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class World:
    """The SDK (as G22 and G17), `desk serve`, and the Desk office OFFICE."""

    sdk: Harness
    server: DeskServe
    office: Office
    tmp: Path
    sent_files: dict[str, Path] = field(default_factory=dict)

    def engine(self) -> SyncEngine:
        client = ExchangeClient(self.server.url, OFFICE, SECRETS[OFFICE], retry_delay=0.05,
                                max_stalls=2)
        return SyncEngine(self.office, client)

    def person(self, role: Role) -> Person:
        with self.office.db.read() as s:
            p = default_person(s, role)
            p.role_names  # noqa: B018 - load before the session closes
            return p

    # -- the SDK side -----------------------------------------------------------------------
    @property
    def sdk_out(self) -> str:
        """Where the reference library writes the packages it builds."""
        out = self.tmp / "sdk-out"
        out.mkdir(exist_ok=True)
        return str(out)

    def sdk_client(self, name: str, code: str, secret: str | None = None) -> None:
        store = self.tmp / f"sdk-store-{name}"
        store.mkdir(exist_ok=True)
        self.sdk.call("client", name=name, endpoint=self.server.url, systemId=code,
                      secret=secret or SECRETS[code], store=str(store))

    def sdk_build_doc(self, sender: str, to: list[str], number: int, subject: str,
                      business: dict[str, Any] | None = None) -> tuple[Path, str]:
        pdf = render_to(PageSpec("", NAMES[sender], f"{number}/VPCP-TCCV", "Hà Nội", date(2026, 12, 1),
                                 "", subject, ["Đề nghị các cơ quan thực hiện."], "KT. BỘ TRƯỞNG",
                                 "Thứ trưởng", "Nguyễn Văn An"), self.tmp / f"sdk-{number}.pdf")
        document_id = f"{sender},2026/12/01,{number}/VPCP-TCCV"
        spec: dict[str, Any] = {
            "out": self.sdk_out, "from": {"organId": sender, "organName": NAMES[sender],
                                      "organAdd": "Số 1 Hoàng Hoa Thám, Hà Nội",
                                      "email": "vpcp@chinhphu.vn", "telephone": "0243"},
            "to": [{"organId": c, "organName": NAMES.get(c, c)} for c in to],
            "documentId": document_id, "codeNumber": str(number), "codeNotation": "VPCP-TCCV",
            "place": "Hà Nội", "promulgationDate": "2026/12/01", "type": 1, "typeName": "Công văn",
            "subject": subject, "content": "",
            "signer": {"competence": "KT. BỘ TRƯỞNG", "position": "Thứ trưởng",
                       "fullName": "Nguyễn Văn An"},
            "dueDate": "2026/12/15", "toPlaces": [NAMES.get(c, c) for c in to], "priority": 1,
            "promulgationAmount": 1, "pageAmount": 1, "steeringType": 1,
            "attachments": [{"file": str(pdf), "name": f"cv-{number}.pdf",
                             "contentType": "application/pdf", "description": "Văn bản chính"}],
        }
        if business:
            spec["business"] = business
        built = self.sdk.call("buildEdoc", **spec)
        return Path(built["file"]), document_id

    def sdk_send(self, client: str, sender: str, path: Path, messagetype: str = "edoc") -> dict[str, Any]:
        return self.sdk.call("sendEdoc", client=client, file=str(path),
                             params={"from": sender, "servicetype": "eDoc",
                                     "messagetype": messagetype})

    def sdk_received(self, client: str, messagetype: str) -> list[dict[str, Any]]:
        r = self.sdk.call("getReceivedEdocList", client=client,
                          params={"servicetype": "eDoc", "messagetype": messagetype})
        assert (r["status"], r["errorCode"]) == ("OK", "0"), r
        return list(r["items"])

    def sdk_get(self, client: str, doc_id: str) -> Path:
        folder = self.tmp / f"sdk-get-{client}"
        folder.mkdir(exist_ok=True)
        r = self.sdk.call("getEdoc", client=client, params={"docId": doc_id, "filePath": str(folder)})
        assert (r["status"], r["errorCode"]) == ("OK", "0"), r
        path = Path(r["filePath"])
        assert path.is_file(), r
        return path

    def sdk_ack(self, client: str, doc_id: str) -> None:
        r = self.sdk.call("updateStatus", client=client, params={"docId": doc_id, "status": "done"})
        assert (r["status"], r["errorCode"]) == ("OK", "0"), r


def desk_cli(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the `desk` CLI of this tree (not an installed one) with its own data folder."""
    env = {**os.environ, "DESK_HOME": str(home), "PYTHONPATH": str(ROOT), "DESK_LANG": "vi"}
    return subprocess.run([sys.executable, "-c", "import sys; from desk.cli.main import main; "
                           "sys.exit(main())", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, input=stdin, timeout=120)
