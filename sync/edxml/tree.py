"""The small element tree the reader builds for a package's header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


class Node:
    __slots__ = ("attrs", "children", "ns", "stream", "tag", "text")

    def __init__(self, tag: str, ns: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.ns = ns
        self.attrs = attrs
        self.children: list[Node] = []
        self.text: list[str] = []
        # For ContentTransferEncoded: (size, sha256, temporary file or None).
        self.stream: tuple[int, str, Path | None] | None = None

    def value(self) -> str:
        return "".join(self.text).strip()

    def child(self, tag: str) -> Node | None:
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def all(self, tag: str) -> Iterator[Node]:
        return (c for c in self.children if c.tag == tag)

    def text_of(self, tag: str) -> str:
        c = self.child(tag)
        return "" if c is None else c.value()

    def path(self, *tags: str) -> Node | None:
        node: Node | None = self
        for t in tags:
            if node is None:
                return None
            node = node.child(t)
        return node
