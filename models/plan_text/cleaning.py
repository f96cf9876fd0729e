"""Repairing OCR and copy-paste noise in a notice's text before it is read."""

from __future__ import annotations

import re
import unicodedata

#: OCR misreadings seen in these documents; each is unambiguous in context.
OCR_FIXES: tuple[tuple[str, str], ...] = (
    ("质士", "质量"),
    ("质童", "质量"),
    ("捉升", "提升"),
    ("牡查", "抽查"),
    ("牡检", "抽检"),
    ("支拧", "支撑"),
    ("帮挟", "帮扶"),
    ("提南站位", "提高站位"),
    ("统年谋划", "统筹谋划"),
    ("2·0", "20"),
)
QUOTES = "“”\"'‘’「」『』"
#: Page numbers as printed ("-6-", "— 6 —", "第6页"); a bare number may be a table's 序号 and stays.
_PAGE_NUMBER = re.compile(r"^[-—–_]+\s*\d{1,3}\s*[-—–_]+$|^第\s*\d+\s*页(共\s*\d+\s*页)?$")
CJK = r"\u3400-\u9fff\uf900-\ufaff"
_PUNCT = r"，。、；：？！“”‘’《》（）【】〔〕…—·"


def clean_ocr(text: str) -> str:
    """Repair OCR and copy-paste noise: lone quotes, page numbers, stray spaces, known misreadings.

    Lines are kept (tables given one cell per line need them); blank lines are dropped.
    """
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u3000", " ")
    # a tab or a wide gap separates table cells: keep it as one tab, whatever the spacing
    text = re.sub(r"[ ]*\t[ \t]*|(?<=\S) {2,}(?=\S)", "\t", text)
    # NFKC turns full-width punctuation into ASCII; plans are written with full-width marks.
    text = text.replace(",", "，").replace(";", "；").replace("(", "（").replace(")", "）")
    text = re.sub(r"(?<=[" + CJK + r"])[:](?=\S)|[:](?=[" + CJK + r"])", "：", text)
    for wrong, right in OCR_FIXES:
        text = text.replace(wrong, right)
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line and not _PAGE_NUMBER.match(line)]
    merged: list[str] = []
    glue_next = False
    for line in lines:
        only_quotes = all(ch in QUOTES or ch in "’‘ " for ch in line)
        if only_quotes and merged:
            merged[-1] += line.replace(" ", "")
            glue_next = True
            continue
        if glue_next and merged:
            merged[-1] += line
        else:
            merged.append(line)
        glue_next = only_quotes
    result = []
    for line in merged:
        # spaces inside Chinese text are noise ("质量 强国", "（一 ）", "《 纲要》")
        line = re.sub(r"(?<=[" + CJK + _PUNCT + r"]) +(?=[" + CJK + _PUNCT + r"])", " ", line)
        line = re.sub(r"(?<=[" + _PUNCT + r"]) +| +(?=[" + _PUNCT + r"])", "", line)
        line = re.sub(r"(?<=\d)\s+(?=[年月日])|(?<=[年月])\s+(?=\d)", "", line)
        result.append(line)
    return "\n".join(result)


def squash(text: str) -> str:
    """Join broken lines of running text and drop the spaces OCR left between Chinese characters."""
    text = re.sub(r"\s*\n\s*", "", text)
    return re.sub(r"(?<=[" + CJK + r"])\s+(?=[" + CJK + r"])", "", text).strip()
