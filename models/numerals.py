"""Chinese numerals as documents write them (十二, 二十一, 廿三, 二〇二四) → numbers."""

from __future__ import annotations

#: The value of each Chinese digit (〇 and 零 and the letter-like ○ are nought; 两 is two).
CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_number(text: str) -> int | None:
    """Convert 十二, 二十一, 廿三, 三十一 or digit strings such as 二〇二四 (and Arabic digits) to an int."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text.startswith("廿"):
        rest = cn_number(text[1:]) if len(text) > 1 else 0
        return None if rest is None else 20 + rest
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = CN_DIGITS.get(head) if head else 1
        ones = CN_DIGITS.get(tail) if tail else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if all(ch in CN_DIGITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + CN_DIGITS[ch]
        return value
    return None
