"""Whether a PDF carries a signature is told by a scan in blocks (issue 14: a large unsigned
PDF is not held whole in memory on arrival); the mark is found wherever the blocks cut it."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.signatures import SIGNED_MARK, _has_mark


@pytest.mark.parametrize("at", [0, 1, 5, 6, 7, 15, 16, 17, 40])
def test_the_mark_is_found_across_block_edges(tmp_path: Path, at: int) -> None:
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%" * at + SIGNED_MARK + b"%" * 30)
    assert _has_mark(f, SIGNED_MARK, block=8)


def test_no_mark_no_signature(tmp_path: Path) -> None:
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%PDF-1.7 " + SIGNED_MARK[:-1] + b" " + SIGNED_MARK[1:] * 3)
    assert not _has_mark(f, SIGNED_MARK, block=4)
