"""Vietnamese text folding for search: case, diacritics and đ → d.

SQLite's unicode61 tokenizer removes combining marks but cannot fold đ/Đ, which
has no Unicode decomposition, so the application folds both the indexed text and
the query with the same function.
"""

from __future__ import annotations

import unicodedata

_D_TABLE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ→d. Idempotent."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).lower()
