"""DOCX → PDF conversion time for a 3-page outgoing document (issue 6 figure).

Prints, all measured in this run with the real LibreOffice:
* baseline: a warm conversion of the same template with a one-line body (1 page): the cost
  of starting soffice and laying out the page furniture, before any content;
* cold: the 3-page draft converted with a fresh private profile (first run on a machine);
* warm: the same document with the profile reused (every later conversion), median of N;
* the same with PDF/A-2b;
* filling the template (python-docx), for comparison.
Each conversion figure is also given as its ratio to the baseline.

Run: ``python bench/bench_convert.py [N]`` (default 5 warm rounds).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from desk.convert import convert_docx, find_soffice  # noqa: E402
from desk.drafting.fill import fill_template  # noqa: E402
from desk.drafting.templates import template_path  # noqa: E402
from desk.drafting.values import BLANK_DAY, BLANK_MONTH, BLANK_NUMBER, BLANK_YEAR  # noqa: E402


def _values(paragraphs: int) -> dict[str, str]:
    body = "\n".join(
        f"{i}. Nội dung đoạn thứ {i} về công tác phòng cháy, chữa cháy rừng: kiểm tra, đôn đốc "
        "các chủ rừng thực hiện nghiêm phương án đã được duyệt." for i in range(1, paragraphs + 1))
    return {
        "co_quan_chu_quan": "UBND TỈNH QUẢNG NINH", "co_quan": "ỦY BAN NHÂN DÂN HUYỆN TIÊN YÊN",
        "so": BLANK_NUMBER, "ky_hieu": "KH-UBND", "dia_danh": "Tiên Yên", "ngay": BLANK_DAY,
        "thang": BLANK_MONTH, "nam": BLANK_YEAR, "ten_loai": "KẾ HOẠCH",
        "trich_yeu": "Phòng cháy, chữa cháy rừng mùa khô năm 2026–2027", "noi_dung": body,
        "noi_nhan": "- UBND tỉnh;\n- Các xã, thị trấn;", "luu": "NN",
        "quyen_han": "TM. ỦY BAN NHÂN DÂN", "chuc_vu": "CHỦ TỊCH", "nguoi_ky": "Trần Văn Đức",
    }


def _timed(src: Path, out: Path, profile: Path, *, pdfa: bool = False) -> float:
    t0 = time.perf_counter()
    convert_docx(src, out, profile_dir=profile, pdfa=pdfa)
    return time.perf_counter() - t0


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 5
    soffice = find_soffice()
    if soffice is None:
        print("LibreOffice (soffice) is not installed: nothing to measure.")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / "ke-hoach-3-trang.docx"
        t0 = time.perf_counter()
        fill_template(template_path("ke-hoach"), _values(45), src)
        fill_s = time.perf_counter() - t0
        tiny = tmp / "tiny.docx"
        fill_template(template_path("ke-hoach"), _values(1), tiny)

        cold = _timed(src, tmp / "cold.pdf", tmp / "profile-cold")
        pages = len(PdfReader(str(tmp / "cold.pdf")).pages)
        warm_profile = tmp / "profile-cold"  # now initialised
        _timed(tiny, tmp / "tiny.pdf", warm_profile)  # settle caches
        base, warm, pdfa = [], [], []
        for _ in range(rounds):  # interleaved, so machine noise hits all three alike
            base.append(_timed(tiny, tmp / "tiny.pdf", warm_profile))
            warm.append(_timed(src, tmp / "warm.pdf", warm_profile))
            pdfa.append(_timed(src, tmp / "pdfa.pdf", warm_profile, pdfa=True))
        b = statistics.median(base)
        w = statistics.median(warm)
        a = statistics.median(pdfa)
        print(f"converter: {soffice}")
        print(f"document: {pages} pages (Kế hoạch template, 45 paragraphs)")
        print(f"baseline  1-page draft, warm profile:    {b:6.2f} s  (median of {rounds})")
        print(f"cold      {pages}-page draft, new profile:   {cold:6.2f} s  ({cold / b:4.2f}× baseline)")
        print(f"warm      {pages}-page draft:                {w:6.2f} s  ({w / b:4.2f}× baseline; "
              f"min {min(warm):.2f}, max {max(warm):.2f})")
        print(f"warm PDF/A-2b {pages}-page draft:            {a:6.2f} s  ({a / b:4.2f}× baseline)")
        print(f"fill template (python-docx):           {fill_s * 1000:6.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
