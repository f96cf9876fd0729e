"""One heading of a notice's outline and what stands under it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    """One numbered heading and what stands under it, up to the next heading of its level or above."""

    kind: str
    head: str  # the text after the marker, on the marker's line
    lines: list[str] = field(default_factory=list)  # lines under it that are not headings
    children: list[Node] = field(default_factory=list)
    number: int = 0
    line_no: int = 0

    def text(self) -> str:
        return "\n".join([self.head, *self.lines]).strip()

    def all_text(self) -> str:
        return "\n".join([self.text(), *(c.all_text() for c in self.children)])
