"""Normalising user text: trimmed names, unit lists split the ways offices write them."""

from __future__ import annotations

import re
import unicodedata

#: Separators between unit names in one cell: 、，,；; and line breaks (and 和/及 are kept inside names).
_UNIT_SPLIT = re.compile(r"[、，,；;\n\r/／]+")
_AND_SPLIT = re.compile(r"(?<=[局科股室所处委办院会站队门位府])(?:及|以及)(?=[\u4e00-\u9fff]{2})")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: Longest text kept in one field (a generous bound: a full page of content is about 1,500 characters).
MAX_TEXT = 20_000
MAX_NAME = 200


def clean_text(text: str | None, limit: int = MAX_TEXT) -> str:
    """Return multi-line text with control characters and NUL removed, line ends unified, trimmed."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).replace("\t", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()[:limit]


def clean_name(text: str | None, limit: int = MAX_NAME, *, join_cjk: bool = False) -> str:
    """Return a one-line text: trimmed, full-width spaces and stray line breaks folded to one space.

    With `join_cjk` a space between two Chinese characters is dropped too (OCR noise in unit names such
    as "质 监 股"); elsewhere it may be meaningful ("加强质量支撑 共建质量强国").
    """
    if not text:
        return ""
    text = _CONTROL.sub("", str(text))
    # a line break inside Chinese text is a wrapped line, not a word gap
    text = re.sub(
        r"(?<=[\u3400-\u9fff，。、；：“”《》（）])[ \t\u3000]*[\r\n]+[ \t\u3000]*(?=[\u3400-\u9fff“《（])",
        "",
        text,
    )
    text = text.replace("\r", " ").replace("\n", " ")
    text = _SPACES.sub(" ", text).strip()
    # A space between two CJK characters is OCR/copy noise ("质 监 股"); between Latin words it is not.
    if join_cjk:
        text = re.sub(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])", "", text)
    return text[:limit]


def split_units(text: str | None) -> list[str]:
    """Split a cell such as "食药股、市场秩序股，各分局" into unit names, keeping order, no duplicates."""
    if not text:
        return []
    seen: dict[str, None] = {}
    for piece in _UNIT_SPLIT.split(str(text)):
        for part in _AND_SPLIT.split(piece):  # "县安监局及有关单位": two units
            name = clean_name(part, join_cjk=True).strip(" .。:：")
            if name:
                seen.setdefault(name, None)
    return list(seen)


def join_units(names: list[str]) -> str:
    """Join unit names the official way, with 、."""
    return "、".join(names)


def fold_key(text: str) -> str:
    """Return a key for matching names regardless of width and spacing (全角/半角, spaces)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
