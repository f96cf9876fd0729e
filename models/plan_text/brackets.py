"""Reading a sentence outside its quotes and brackets: a stop inside “…”, 《…》 or （…） does not end it."""

from __future__ import annotations

from collections.abc import Iterator

OPENING = "“《（("
CLOSING = "”》）)"


def outside_brackets(text: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each character of `text` outside quotes and brackets (the marks themselves left
    out; an unmatched closing mark is ignored)."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0:
            yield i, ch
