"""How Vietnamese a page's text layer reads: a garbled layer is not text.

Some scanning apps (Adobe Scan, phone scanners) put an OCR text layer on the page image
whose font encoding is broken for Vietnamese: the page *looks* right, but its text is
"CØNG HOÀ XÃ HØI", "xin chç tr°¡ng tri¿n khai", "SÑg8 /TTr". Such a layer is long enough
to pass for a born-digital page, and the reader would take mojibake for the issuer and
the trích yếu. The layer is judged here by the share of its words that are Vietnamese
syllables (a consonant onset, a vowel cluster, a final, at most one tone, the sắc/nặng
rule of stop finals, no letters from outside the alphabet, one case pattern), after the
legacy encodings (TCVN3/ABC, VNI) were converted (desk.legacy), so those are read as text.

Words with digits (numbers, "116/2021/NĐ-CP"), acronyms ("UBND", "TTr", "HĐND"), addresses
("gov.vn", e-mail), one-letter words and words in another script (Lao, Khmer, Chinese) are
not judged: they are neither Vietnamese syllables nor garbage.

Calibrated on the text layers of every page of the labelled documents with a layer of at
least 80 characters (tests/data/real, bench/data/reading_more.toml, reading_heldout.toml: 70
PDFs): the lowest share of syllables on a real layer was 0.972 (a page of blank "ngày....
tháng....." lines and names), the garbled Adobe Scan layer of lamdong-cat-298 scored 0.444;
letters from outside the alphabet were at most 0.1% of a real layer's letters, 6.2% of the
garbled one's. The thresholds sit between, nearer the garbled side.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
STOP_TONES = {"\u0301", "\u0323"}  # the only tones a syllable closed by p, t, c, ch can carry

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
# Vowel clusters (the medial glide, the nucleus and a final glide), written without tones.
_CLUSTERS = [
    "a", "ă", "â", "e", "ê", "i", "y", "o", "ô", "ơ", "u", "ư",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "ua", "uâ",
    "uê", "ui", "uy", "uô", "uơ", "ưa", "ưi", "ưu", "ươ", "iê", "yê",
    "uyê", "uya", "uyu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "iêu", "yêu", "oo",
]
_FINALS = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(
    rf"^(?:{_ONSETS})?(?:{'|'.join(sorted(_CLUSTERS, key=len, reverse=True))})(?:{_FINALS})?$")
_LOWER = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_VI_CHARS = set(_LOWER + _LOWER.upper())
_PUNCT = ".,;:!?()[]{}\"'“”‘’…*–—-_/«»%&+=<>§#|~^`°"


def _base(word: str) -> tuple[str, list[str]]:
    """The word lower-cased without its tones (shapes kept: â ă ê ô ơ ư), and its tones."""
    nfd = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in nfd if ch in TONES]
    return unicodedata.normalize("NFC", "".join(ch for ch in nfd if ch not in TONES)), tones


def is_syllable(word: str, *, any_case: bool = False) -> bool:
    """A Vietnamese syllable: "Quyết", "nghiêng", "HOÀ", "gì" yes; "CØNG", "HiÇn", "tri¿n", "quyêt" no.

    ``any_case``: upper and lower case may mix (TCVN3 converted: its upper-case accented letters
    come out in lower case, "tỉNH")."""
    if not any_case and not (word.islower() or word.isupper() or word[:1].isupper() and word[1:].islower()):
        return False
    base, tones = _base(word)
    if len(tones) > 1 or not all(ch in _VI_CHARS for ch in base):
        return False
    if base.startswith("gi") and len(base) > 2 and not _SYLLABLE.match(base):
        base = "g" + base[1:]  # "giữa", "giếng": the i of gi is part of the onset
    if base in ("gi", "gin", "gip", "git"):  # "gì", "gìn"
        return True
    if not _SYLLABLE.match(base):
        return False
    return not base.endswith(("p", "t", "c", "ch")) or bool(tones) and tones[0] in STOP_TONES


def _judged(token: str) -> str | None:
    """The word to judge in a token, or None when the token is not to be judged."""
    core = token.strip(_PUNCT)
    if len(core) < 2 or any(ch.isdigit() for ch in core):
        return None
    if any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in core):
        return None  # another script
    letters = [ch for ch in core if ch.isalpha()]
    if len(letters) == len(core) and core.upper() != core and any(ch.isupper() for ch in core[1:]) \
            and all(ch.isascii() or ch in "Đđ" for ch in core):
        return None  # "TTr", "QĐ-TTg" parts: an acronym
    if core.isupper() and all(ch.isascii() or ch in "Đ" for ch in core) and not _SYLLABLE.match(core.lower()):
        return None  # "UBND", "HĐND", "ANTT"
    return core


GARBLED_SHARE = 0.75  # fewer Vietnamese syllables than this among the judged words: garbled
GARBLED_FOREIGN = 0.02  # more letters from outside the alphabet than this share: garbled
MIN_JUDGED = 20  # a layer with fewer judged words is not judged (a stamp, a table of figures)


@dataclass(frozen=True)
class LayerScore:
    judged: int  # words judged
    syllables: int  # of which Vietnamese syllables
    foreign: int  # Latin letters from outside the Vietnamese alphabet (and outside ASCII)
    letters: int
    non_ascii: int  # characters outside ASCII

    @property
    def share(self) -> float:
        """The share of judged words that are Vietnamese syllables (1.0 when none is judged)."""
        return self.syllables / self.judged if self.judged else 1.0

    @property
    def garbled(self) -> bool:
        """Not Vietnamese text: a broken font encoding (or another language in Latin letters
        with many letters Vietnamese does not have). A layer in plain ASCII letters only is
        never called garbled: Vietnamese always carries marks somewhere, so such a page is in
        English (an appendix, a treaty's other language), which OCR would read no better."""
        if self.judged < MIN_JUDGED:
            return False
        if self.foreign > GARBLED_FOREIGN * self.letters:
            return True
        return self.share < GARBLED_SHARE and self.non_ascii > 0


def _foreign(ch: str) -> bool:
    base, _ = _base(ch)
    return base not in _VI_CHARS and not base.isascii() and unicodedata.name(ch, "").startswith("LATIN")


def score_words(words: Iterable[str], *, any_case: bool = False) -> LayerScore:
    judged = syllables = foreign = letters = non_ascii = 0
    for token in words:
        non_ascii += sum(1 for ch in token if not ch.isascii())
        for ch in token:
            if ch.isalpha():
                letters += 1
                foreign += _foreign(ch)
        if "@" in token or "://" in token or "www." in token.lower():
            continue
        # "l-p", "V/v", "TCCC.(Ngan)", "ngày....tháng": these join words (or break a garbled one).
        for part in re.split(r"[-/.()]", token):
            word = _judged(part)
            if word is None:
                continue
            judged += 1
            syllables += is_syllable(word, any_case=any_case)
    return LayerScore(judged, syllables, foreign, letters, non_ascii)


def score_text(text: str, *, any_case: bool = False) -> LayerScore:
    return score_words(text.split(), any_case=any_case)
