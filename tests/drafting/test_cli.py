"""desk draft … and desk convert through the real CLI entry point."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desk.cli import main as cli
from desk.drafting.fill import document_text
from desk.office import Office
from tests.drafting.conftest import Converted, Staff

EDITOR = """\
import sys, time, docx
path = sys.argv[1]
for n in (1, 2):
    d = docx.Document(path)
    d.add_paragraph(f"Sửa trong trình soạn thảo, lần {n}.")
    d.save(path)
    time.sleep(0.8)
"""


@pytest.fixture(autouse=True)
def _with_draft_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    # The lead adds desk.cli.draft_cmds to COMMAND_MODULES; until then the tests add it.
    if "desk.cli.draft_cmds" not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "desk.cli.draft_cmds"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_draft_new_edit_versions(office: Office, staff: Staff, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    body = tmp_path / "noi-dung.txt"
    body.write_text("Đoạn thứ nhất của công văn.\nĐoạn thứ hai./.\n", "utf-8")
    code, out, err = run(capsys, "--as", "cv.dat", "draft", "new", "--template", "cong-van",
                         "--subject", "V/v báo cáo tiến độ giải ngân", "--to", "Sở Tài chính",
                         "--signer", "chutich", "--competence", "TM. Ủy ban nhân dân",
                         "--body-file", str(body))
    assert code == 0, err
    assert "Đã tạo dự thảo #1 (Công văn)" in out
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR, "utf-8")
    monkeypatch.setenv("DESK_EDITOR", f"{sys.executable} {editor}")
    code, out, err = run(capsys, "--as", "cv.dat", "draft", "edit", "1", "--interval", "0.1")
    assert code == 0, err
    assert "Kết thúc sửa dự thảo #1: 2 phiên bản mới." in out
    code, out, _ = run(capsys, "draft", "versions", "1")
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()[2:]] == [
        "du-thao-v1.docx", "du-thao-v2.docx", "du-thao-v3.docx"]
    text = document_text(office.paths.home / "work" / "1" / "du-thao-1.docx")
    assert "Kính gửi: Sở Tài chính." in text and "V/v báo cáo tiến độ giải ngân" in text
    assert "Đoạn thứ hai./." in text and "lần 2." in text and "Trần Văn Đức" in text


def test_draft_errors_are_one_line(office: Office, staff: Staff,
                                   capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "draft", "new", "--template", "quyet-dinh", "--subject", "Về việc A",
                       "--reply-to", "42")
    assert code == 2 and err.strip() == "Lỗi: Không tìm thấy văn bản #42."
    code, _, err = run(capsys, "draft", "new", "--template", "bao-cao", "--subject", "A",
                       "--body-file", str(tmp_path / "khong-co.txt"))
    assert code == 2 and err.startswith("Lỗi: Không đọc được tệp nội dung") and "\n" not in err.strip()
    code, _, err = run(capsys, "draft", "checkin", "7")
    assert code == 2 and err.strip().startswith("Lỗi: Không tìm thấy văn bản #7")


def test_convert_command(converted: dict[str, Converted], tmp_path: Path, lo_profile: Path,
                         capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ra.pdf"
    code, stdout, err = run(capsys, "convert", str(converted["giay-moi"].docx), "-o", str(out),
                            "--pdfa")
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF-") and "LiberationSerif" in stdout
    bad = tmp_path / "hong.docx"
    bad.write_text("không phải docx", "utf-8")
    code, _, err = run(capsys, "--lang", "en", "convert", str(bad), "-o", str(out))
    assert code == 2 and err.strip() == "Error: hong.docx is damaged or not a Word (.docx) document."
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run(capsys, "--lang", "vi", "convert", str(converted["giay-moi"].docx), "-o",
                       str(out))
    assert code == 2 and "Không tìm thấy chương trình chuyển DOCX sang PDF" in err


def test_office_template_is_used_first(office: Office, staff: Staff,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from desk.drafting import fill_template, template_path

    own = office.paths.home / "templates" / "thong-bao.docx"
    fill_template(template_path("thong-bao"), {"dia_danh": "{{dia_danh}} (mẫu riêng)"}, own)
    code, out, err = run(capsys, "--as", "cv.dat", "draft", "new", "--template", "thong-bao",
                         "--subject", "Lịch tiếp công dân tháng 12")
    assert code == 0, err
    code, out, _ = run(capsys, "draft", "templates")
    assert str(own) in out
    run(capsys, "draft", "checkout", "1")
    text = document_text(office.paths.home / "work" / "1" / "du-thao-1.docx")
    assert "Tiên Yên (mẫu riêng), ngày" in text and "Lịch tiếp công dân tháng 12" in text
