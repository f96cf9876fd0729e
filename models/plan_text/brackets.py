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


def first_sentence(text: str) -> str:
    """The text up to its first full stop (or a colon after two characters) outside quotes and brackets; a
    colon or a mangled dash between digits ("9:00?11:30") is part of a clock."""
    end = next(
        (
            i
            for i, ch in outside_brackets(text)
            if (ch in "。；;！？!?" or (ch in "：:" and i >= 2)) and not _in_clock(text, i)
        ),
        None,
    )
    return (text if end is None else text[:end]).strip(" 。，,")


def _in_clock(text: str, i: int) -> bool:
    return text[i] in "：:?？" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def first_comma(text: str) -> int:
    """Where the first clause ends: the first comma outside quotes and brackets (-1 when none)."""
    return next((i for i, ch in outside_brackets(text) if ch == "，"), -1)
