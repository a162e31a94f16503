"""Parsing a user's search query; never raises on what a user types."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desk.textfold import fold

# Letters and digits only: the same split as the index tokenizer (underscore separates too).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False
    negated: bool = False
    alt: tuple[str, ...] = ()  # the same term written otherwise ("5 bnv vp" for "05 bnv vp")


_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
# Stray spaces around "/" and "-" inside số/ký hiệu ("12 /UBND - VX"), removed before parsing;
# only after a digit or a capital, so "quyết định -UBND" keeps its exclusion.
_CODE_SPACES = re.compile(r"(?<=[0-9A-ZĐ])\s*([/-])\s*(?=[0-9A-Za-zĐđ])")
_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


def normalize_query(query: str) -> str:
    return _CODE_SPACES.sub(r"\1", query)


def parse_query(query: str, *, prefix_last: bool = False) -> list[list[Term]]:
    """Parse a user's query into OR-groups of AND-ed terms.

    ``"a b"`` is a phrase, ``word*`` a prefix, ``-word`` an exclusion, ``OR``
    between terms an alternative. Codes like ``507/UBND-KGVX`` become phrases of
    their parts, so stray spaces in published numbers do not matter.
    """
    groups: list[list[Term]] = [[]]
    query = normalize_query(query)
    tokens = list(_TOKEN.finditer(query))
    for i, m in enumerate(tokens):
        quoted, bare = m.group(1), m.group(2)
        if bare == "OR":
            if groups[-1]:
                groups.append([])
            continue
        raw = quoted if quoted is not None else bare
        negated = bare is not None and bare.startswith("-") and len(bare) > 1
        prefix = bare is not None and bare.endswith("*")
        words = tuple(_WORD.findall(fold(raw)))
        if not words:
            continue
        alt: tuple[str, ...] = ()
        if len(words) > 1 and words[0].isdigit() and "/" in raw:
            # A code's number: "05/BNV-VP" is also "5/BNV-VP" (the code field holds both, see engine).
            other = (_LEADING_ZEROS.sub("", words[0]), *words[1:])
            alt = other if other != words else ()
        is_last = i == len(tokens) - 1
        if prefix_last and is_last and bare is not None and not negated and not query.endswith(" "):
            prefix = True
        groups[-1].append(Term(words, prefix=prefix, negated=negated, alt=alt))
    return [g for g in groups if any(not t.negated for t in g)]
