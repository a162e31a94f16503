"""DOCX → PDF with the real LibreOffice: failures, timeout, cancel, PDF/A; Word COM mocked."""

from __future__ import annotations

import sys
import threading
import types
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desk import convert
from desk.convert import ConversionError, convert_docx, pdf_fonts
from tests.drafting.conftest import Converted


def _soffice_processes(profile: Path) -> list[str]:
    """Processes whose command line names this profile (soffice and soffice.bin)."""
    uri = profile.resolve().as_uri()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if uri in cmd:
                found.append(cmd)
    return found


def test_no_converter_installed(converted: dict[str, Converted], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("DESK_SOFFICE", raising=False)
    out = tmp_path / "x.pdf"
    with pytest.raises(ConversionError) as err:
        convert_docx(converted["cong-van"].docx, out)
    assert err.value.code == "no_converter"
    assert "LibreOffice" in err.value.vi and "Không tìm thấy" in err.value.vi
    assert not out.exists()


def test_damaged_docx(tmp_path: Path, lo_profile: Path, converted: dict[str, Converted]) -> None:
    not_zip = tmp_path / "hong.docx"
    not_zip.write_bytes(b"%PDF-1.4 this is not a Word file")
    with pytest.raises(ConversionError) as err:
        convert_docx(not_zip, tmp_path / "a.pdf", profile_dir=lo_profile)
    assert err.value.code == "bad_docx" and "hong.docx" in err.value.vi
    # A real zip whose document.xml is cut in half: only LibreOffice can tell.
    broken = tmp_path / "cut.docx"
    with zipfile.ZipFile(converted["cong-van"].docx) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            zout.writestr(info, data)
    out = tmp_path / "b.pdf"
    with pytest.raises(ConversionError) as err2:
        convert_docx(broken, out, profile_dir=lo_profile)
    assert err2.value.code == "convert_failed" and "cut.docx" in err2.value.vi
    assert not out.exists()


def test_timeout_kills_converter_then_next_conversion_works(
        tmp_path: Path, lo_profile: Path, converted: dict[str, Converted]) -> None:
    src = converted["quyet-dinh"].docx
    out = tmp_path / "t.pdf"
    with pytest.raises(ConversionError) as err:
        convert_docx(src, out, timeout=0.2, profile_dir=lo_profile)  # a conversion takes >1 s
    assert err.value.code == "convert_timeout" and "0.2 giây" in err.value.vi
    assert not out.exists() and _soffice_processes(lo_profile) == []
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary folder left behind
    result = convert_docx(src, out, profile_dir=lo_profile)
    assert result.backend == "libreoffice" and out.read_bytes().startswith(b"%PDF-")


def test_cancel(tmp_path: Path, lo_profile: Path, converted: dict[str, Converted]) -> None:
    stop = threading.Event()
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    with pytest.raises(ConversionError) as err:
        convert_docx(converted["bao-cao"].docx, tmp_path / "c.pdf", cancel=stop,
                     profile_dir=lo_profile)
    timer.join()
    assert err.value.code == "convert_cancelled"
    assert _soffice_processes(lo_profile) == [] and not (tmp_path / "c.pdf").exists()
    with pytest.raises(ConversionError):  # already cancelled: nothing starts
        convert_docx(converted["bao-cao"].docx, tmp_path / "c.pdf", cancel=lambda: True,
                     profile_dir=lo_profile)


def test_pdfa_2b(tmp_path: Path, lo_profile: Path, converted: dict[str, Converted]) -> None:
    out = tmp_path / "a.pdf"
    convert_docx(converted["ke-hoach"].docx, out, pdfa=True, profile_dir=lo_profile)
    xmp = PdfReader(str(out)).xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in raw and "<pdfaid:conformance>B" in raw
    assert all(f.embedded for f in pdf_fonts(out))
    plain = PdfReader(str(converted["ke-hoach"].pdf)).xmp_metadata
    assert plain is None or "pdfaid" not in plain.stream.get_data().decode("utf-8")


class _FakeWord:
    """Stands in for Word.Application: Microsoft Word through COM cannot run on Linux."""

    def __init__(self, calls: list[tuple[str, Any]]) -> None:
        self.calls = calls
        self.Documents = self

    def Open(self, **kw: Any) -> _FakeWord:  # noqa: N802 (COM names)
        self.calls.append(("Open", kw))
        return self

    def ExportAsFixedFormat(self, **kw: Any) -> None:  # noqa: N802
        self.calls.append(("Export", kw))
        Path(kw["OutputFileName"]).write_bytes(b"%PDF-1.7\n% exported by the fake Word\n")

    def Close(self, **kw: Any) -> None:  # noqa: N802
        self.calls.append(("Close", kw))

    def Quit(self, **kw: Any) -> None:  # noqa: N802
        self.calls.append(("Quit", kw))


def _fake_pywin32(monkeypatch: pytest.MonkeyPatch, dispatch: Any) -> list[str]:
    com: list[str] = []
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: com.append("init")  # type: ignore[attr-defined]
    pythoncom.CoUninitialize = lambda: com.append("uninit")  # type: ignore[attr-defined]
    client = types.ModuleType("win32com.client")
    client.DispatchEx = dispatch  # type: ignore[attr-defined]
    package = types.ModuleType("win32com")
    package.client = client  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pythoncom", pythoncom)
    monkeypatch.setitem(sys.modules, "win32com", package)
    monkeypatch.setitem(sys.modules, "win32com.client", client)
    monkeypatch.setattr(convert, "_is_windows", lambda: True)
    monkeypatch.setattr(convert, "word_available", lambda: True)
    return com


def test_word_com_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         converted: dict[str, Converted]) -> None:
    """MOCK: pywin32 and Word exist only on Windows, so win32com is replaced by a fake that
    records the COM calls; what is checked is that Desk drives Word correctly."""
    calls: list[tuple[str, Any]] = []
    com = _fake_pywin32(monkeypatch, lambda prog_id: calls.append(("Dispatch", prog_id))
                        or _FakeWord(calls))
    out = tmp_path / "w.pdf"
    result = convert_docx(converted["cong-van"].docx, out, pdfa=True)
    assert result.backend == "word" and out.read_bytes().startswith(b"%PDF-")
    names = [c[0] for c in calls]
    assert names == ["Dispatch", "Open", "Export", "Close", "Quit"]
    assert calls[0][1] == "Word.Application"
    assert calls[1][1]["ReadOnly"] is True and calls[1][1]["FileName"].endswith("cong-van.docx")
    export = calls[2][1]
    assert export["ExportFormat"] == 17 and export["UseISO19005_1"] is True  # PDF/A-1b in Word
    assert export["OutputFileName"] != str(out)  # written aside, moved when complete
    assert calls[3][1] == {"SaveChanges": 0}
    assert com == ["init", "uninit"]


def test_word_failure_falls_back_to_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                lo_profile: Path,
                                                converted: dict[str, Converted]) -> None:
    """MOCK: a Windows machine whose Word cannot be started through COM (pywin32 faked)."""
    def broken(prog_id: str) -> None:
        raise OSError("Invalid class string")

    _fake_pywin32(monkeypatch, broken)
    monkeypatch.setattr(convert, "_is_windows", lambda: False)  # LibreOffice runs here as on Linux
    out = tmp_path / "f.pdf"
    result = convert_docx(converted["cong-van"].docx, out, profile_dir=lo_profile)
    assert result.backend == "libreoffice" and out.read_bytes().startswith(b"%PDF-")
    with pytest.raises(ConversionError) as err:
        convert_docx(converted["cong-van"].docx, out, backend="word")
    assert "Microsoft Word" in err.value.vi and "Invalid class string" in err.value.vi


def test_unwritable_output(tmp_path: Path, converted: dict[str, Converted]) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    with pytest.raises(ConversionError) as err:
        convert_docx(converted["cong-van"].docx, a_file / "out.pdf")
    assert err.value.code == "convert_output" and "Không ghi được tệp PDF" in err.value.vi
    with pytest.raises(ConversionError) as err2:
        convert_docx(converted["cong-van"].docx, tmp_path)  # a folder, not a file name
    assert err2.value.code == "convert_output"
