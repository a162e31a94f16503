"""The desk command, run as a user runs it: a real process on a real data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk.docpdf import PageSpec, render_to
from tests.support import windows


def desk(home: Path, *args: str, user: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DESK_HOME=str(home))
    env.pop("DESK_USER", None)
    cmd = [sys.executable, "-m", "desk.cli.main", *args]
    if user:
        cmd[3:3] = ["--as", user]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    if check:
        assert r.returncode == 0, r.stderr + r.stdout
    return r


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli") / "office"
    r = desk(home, "demo", "--documents", "400", "--pdfs", "5")
    assert "400 văn bản" in r.stdout
    return home


def test_errors_are_one_line_with_no_traceback(tmp_path: Path, demo_home: Path) -> None:
    for args in (["show", "999999"], ["init", "12.34", "X"], ["register", "abc"],
                 ["search", "x", "--from", "31/02/2026"], ["import", str(tmp_path / "none.pdf")]):
        r = desk(demo_home, *args, check=False)
        assert r.returncode != 0, args
        assert "Traceback" not in r.stderr + r.stdout
    r = desk(demo_home, "show", "999999", check=False)
    assert r.stderr.strip() == "Lỗi: Không tìm thấy văn bản #999999."
    r = desk(demo_home, "--lang", "en", "show", "999999", check=False)
    assert r.stderr.strip() == "Error: Document #999999 not found."


def test_demo_office_has_every_state_and_lists(demo_home: Path) -> None:
    r = desk(demo_home, "overview")
    assert "Ủy ban nhân dân huyện Tiên Yên (000.00.12.H49)" in r.stdout
    rows = json.loads(desk(demo_home, "list", "--limit", "1000", "--json").stdout)
    states = {(d["direction"], d["state"]) for d in rows}
    for st in ("received", "registered", "presented", "in_progress", "done"):
        assert ("in", st) in states
    for st in ("draft", "awaiting_signature", "released"):
        assert ("out", st) in states
    r = desk(demo_home, "search", "phong chay", "--json")
    assert json.loads(r.stdout)


def test_import_register_assign_progress_finish(demo_home: Path, tmp_path: Path) -> None:
    from datetime import date

    pdf = render_to(PageSpec("UBND TỈNH QUẢNG NINH", "SỞ Y TẾ", "88/SYT-NVY", "Hạ Long", date(2026, 11, 20),
                             "", "tăng cường phòng chống sốt xuất huyết", ["Đề nghị các đơn vị triển khai."],
                             "KT. GIÁM ĐỐC", "Phó Giám đốc", "Hoàng Văn Dũng"), tmp_path / "cv88.pdf")
    r = desk(demo_home, "import", str(pdf), user="vanthu")
    doc_id = r.stdout.split()[0].lstrip("#")
    assert "88/SYT-NVY" in r.stdout
    r = desk(demo_home, "register", doc_id, user="vanthu")
    assert "số đến" in r.stdout
    desk(demo_home, "present", doc_id, "--leader", "chutich", user="vanthu")
    r = desk(demo_home, "assign", doc_id, "--lead", "cv.dat", "--support", "unit:8", "--days", "5",
             user="chutich")
    assert "hạn" in r.stdout
    desk(demo_home, "progress", doc_id, "--percent", "50", "--text", "Đang tổng hợp", user="cv.dat")
    desk(demo_home, "finish", doc_id, "--text", "Xong", user="cv.dat")
    shown = json.loads(desk(demo_home, "show", doc_id, "--json").stdout)
    assert shown["state"] == "done"
    assert [h["status_code"] for h in shown["history"]] == ["01", "03", None, "04", "05", "06"]
    actions = [h["action"] for h in shown["history"]]
    assert actions == ["receive", "register", "present", "assign", "progress", "finish"]
    assert shown["attachments"][0]["name"] == "cv88.pdf"
    r = desk(demo_home, "search", "sốt xuất huyết")
    assert "88/SYT-NVY" in r.stdout
    # Importing the same file again warns about a duplicate.
    r = desk(demo_home, "import", str(pdf), user="vanthu")
    assert f"trùng với văn bản #{doc_id}" in r.stdout
    # The wrong person cannot register.
    r = desk(demo_home, "register", doc_id, user="cv.dat", check=False)
    assert r.returncode == 2 and "không có vai trò Văn thư" in r.stderr


def test_maintenance_commands(demo_home: Path, tmp_path: Path) -> None:
    assert "Nhật ký nguyên vẹn" in desk(demo_home, "audit", "verify").stdout
    assert "Kho dữ liệu nguyên vẹn" in desk(demo_home, "fsck").stdout
    out = tmp_path / "so-den.docx"
    assert "Đã in" in desk(demo_home, "registers", "print", "--book", "in", "-o", str(out)).stdout
    assert out.stat().st_size > 5000
    assert "Đã dựng lại chỉ mục" in desk(demo_home, "reindex").stdout
    bak = desk(demo_home, "backup", str(tmp_path / "bk")).stdout
    archive = next((tmp_path / "bk").glob("*.deskbak"))
    assert str(archive) in bak
    restored = tmp_path / "restored"
    r = desk(restored, "restore", str(archive))
    assert "Đã khôi phục và kiểm tra" in r.stdout
    assert "Tiên Yên" in desk(restored, "overview").stdout


def test_deadlines(demo_home: Path) -> None:
    r = desk(demo_home, "deadlines")
    assert "QUÁ HẠN" in r.stdout and "SẮP ĐẾN HẠN" in r.stdout


def test_import_register_only_what_was_read_with_confidence(demo_home: Path, tmp_path: Path) -> None:
    """`import --register` registers a document only when every required field was read with
    confidence; the others wait in "chờ vào sổ", flagged in `desk show`, until the clerk corrects
    (`desk edit`, recorded in the history) and registers them."""
    from datetime import date

    sure = render_to(PageSpec("ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "1234/QĐ-UBND", "Hà Tĩnh", date(2026, 3, 5),
                              "Quyết định", "Về việc ban hành Quy chế phối hợp quản lý tài nguyên nước",
                              ["Căn cứ Quyết định số 123/QĐ-TTg ngày 01 tháng 02 năm 2020;"],
                              "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Võ Trọng Hải"), tmp_path / "qd1234.pdf")
    unsure = render_to(PageSpec("ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "      /QĐ-UBND", "Hà Tĩnh", date(2026, 3, 6),
                                "Quyết định", "Về việc phê duyệt danh mục dự án đầu tư công năm 2026",
                                ["Căn cứ Quyết định số 123/QĐ-TTg ngày 01 tháng 02 năm 2020;"],
                                "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Võ Trọng Hải"), tmp_path / "qd-blank.pdf")
    r = desk(demo_home, "import", "--register", str(sure), str(unsure), user="vanthu")
    lines = r.stdout.splitlines()
    sure_id = next(ln for ln in lines if "qd1234.pdf" in ln).split()[0].lstrip("#")
    unsure_id = next(ln for ln in lines if "qd-blank.pdf" in ln).split()[0].lstrip("#")
    assert "1234/QĐ-UBND" in r.stdout and "số đến" in r.stdout
    assert "chờ vào sổ: cần kiểm tra Số" in r.stdout
    shown = json.loads(desk(demo_home, "show", sure_id, "--json").stdout)
    assert shown["state"] == "registered" and shown["issuer_name"] == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    assert shown["unsure_fields"] == {}
    shown = json.loads(desk(demo_home, "show", unsure_id, "--json").stdout)
    assert shown["state"] == "received" and shown["number"] is None  # never 123 from the body
    assert "number" in shown["unsure_fields"]
    assert "⚠ cần kiểm tra" in desk(demo_home, "show", unsure_id).stdout
    r = desk(demo_home, "edit", unsure_id, "--number", "1240", "--date", "06/03/2026", "--subject",
             "Về việc phê duyệt danh mục dự án đầu tư công năm 2026 (đợt 1)", user="vanthu")
    assert "1240/QĐ-UBND" in r.stdout
    shown = json.loads(desk(demo_home, "show", unsure_id, "--json").stdout)
    assert shown["number"] == "1240" and shown["unsure_fields"] == {}
    assert [h["action"] for h in shown["history"]] == ["receive", "edit"]
    assert "⚠" not in desk(demo_home, "show", unsure_id).stdout
    r = desk(demo_home, "edit", unsure_id, user="vanthu", check=False)
    assert r.returncode == 2 and "Không có gì để sửa" in r.stderr + r.stdout


def test_a_number_written_by_hand_is_named_so_in_import_and_show(demo_home: Path) -> None:
    """A real scan (the Prime Minister's Decision 981/QĐ-TTg as published, number and day written
    by hand): the reader takes the number as unsure, and `desk import` and `desk show` say it is
    handwritten, for the clerk to read off the page; once corrected, the note goes."""
    windows.needs("tesseract")  # the reader's OCR of the scan
    scan = Path(__file__).resolve().parents[1] / "data" / "real" / "docs" / "981-ttg.signed.pdf"
    r = desk(demo_home, "import", "--register", str(scan), user="vanthu")
    assert "⚠ số viết tay — văn thư kiểm tra lại trên văn bản" in r.stdout
    assert "số đến" not in r.stdout  # never registered with a handwritten number unchecked
    doc_id = r.stdout.split()[0].lstrip("#")
    shown = json.loads(desk(demo_home, "show", doc_id, "--json").stdout)
    assert shown["state"] == "received" and shown["unsure_fields"]["number"]["handwritten"] is True
    number_line = next(ln for ln in desk(demo_home, "show", doc_id).stdout.splitlines() if ln.startswith("Số, ký hiệu"))
    assert "số viết tay — văn thư kiểm tra lại trên văn bản" in number_line
    english = desk(demo_home, "--lang", "en", "show", doc_id).stdout
    assert "number written by hand — the clerk checks it on the document" in english
    desk(demo_home, "edit", doc_id, "--number", "981", user="vanthu")
    shown = json.loads(desk(demo_home, "show", doc_id, "--json").stdout)
    assert shown["number"] == "981" and "number" not in shown["unsure_fields"]
    number_line = next(ln for ln in desk(demo_home, "show", doc_id).stdout.splitlines() if ln.startswith("Số, ký hiệu"))
    assert "viết tay" not in number_line
    # The day, written by the same hand (read as a suggestion), keeps its note until it is checked.
    desk(demo_home, "edit", doc_id, "--date", "14/09/2024", user="vanthu")
    assert "viết tay" not in desk(demo_home, "show", doc_id).stdout


def test_import_of_word_files_and_a_clear_error_for_other_kinds(demo_home: Path, tmp_path: Path) -> None:
    from docx import Document as Docx

    d = Docx()
    for line in ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "Số: 45/KH-UBND", "Hạ Long, ngày 10 tháng 11 năm 2026",
                 "KẾ HOẠCH", "Phòng cháy, chữa cháy rừng mùa khô năm 2026 - 2027",
                 "Căn cứ Luật Lâm nghiệp năm 2017;"):
        d.add_paragraph(line)
    src = tmp_path / "ke-hoach.docx"
    d.save(str(src))
    r = desk(demo_home, "import", str(src), user="vanthu")
    doc_id = r.stdout.split()[0].lstrip("#")
    shown = json.loads(desk(demo_home, "show", doc_id, "--json").stdout)
    names = [a["name"] for a in shown["attachments"]]
    assert names == ["ke-hoach.pdf", "ke-hoach.docx"]  # the PDF rendition, and the original kept
    assert shown["number"] == "45" and shown["notation"] == "KH-UBND"
    png = tmp_path / "anh.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    edxml = tmp_path / "goi.edxml"
    edxml.write_text('<?xml version="1.0"?><edXML:edXMLEnvelope xmlns:edXML="http://x"/>', encoding="utf-8")
    r = desk(demo_home, "import", str(png), str(edxml), user="vanthu", check=False)
    assert r.returncode == 2
    assert "anh.pdf là ảnh PNG" in r.stdout
    try:  # the edXML import (desk edxml import) takes the package in when this build has it
        import sync.engine.files  # noqa: F401
    except ImportError:
        assert "goi.edxml là gói edXML" in r.stdout
    else:
        assert "goi.edxml" in r.stdout
    assert "Traceback" not in r.stderr
