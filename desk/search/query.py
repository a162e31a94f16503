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


_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


def parse_query(query: str, *, prefix_last: bool = False) -> list[list[Term]]:
    """Parse a user's query into OR-groups of AND-ed terms.

    ``"a b"`` is a phrase, ``word*`` a prefix, ``-word`` an exclusion, ``OR``
    between terms an alternative. Codes like ``507/UBND-KGVX`` become phrases of
    their parts, so stray spaces in published numbers do not matter.
    """
    groups: list[list[Term]] = [[]]
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
        is_last = i == len(tokens) - 1
        if prefix_last and is_last and bare is not None and not negated and not query.endswith(" "):
            prefix = True
        groups[-1].append(Term(words, prefix=prefix, negated=negated))
    return [g for g in groups if any(not t.negated for t in g)]
