"""Repairing OCR and copy-paste noise in a notice's text before it is read."""

from __future__ import annotations

import heapq
import re
import unicodedata
from typing import Any

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
        # …but a space after a closing bracket before a word may part two cells of a table flattened with
        # spaces ("游泳场（馆） 卫生健康部门"): it stays
        line = re.sub(r"(?<=[" + _PUNCT + r"])(?<!）) +| +(?=[" + _PUNCT + r"])", "", line)
        line = re.sub(r"(?<=\d)\s+(?=[年月日])|(?<=[年月])\s+(?=\d)", "", line)
        # a clock spaced out the same way: "上午 9 点", "下午 3 时"
        line = re.sub(r"(?<=\d) +(?=[点时](?!间))|(?<=[上下]午) +(?=\d{1,2} ?[点时:：])", "", line)
        result.append(line)
    return "\n".join(result)


def squash(text: str) -> str:
    """Join broken lines of running text and drop the spaces OCR left between Chinese characters."""
    text = re.sub(r"\s*\n\s*", "", text)
    return re.sub(r"(?<=[" + CJK + r"])\s+(?=[" + CJK + r"])", "", text).strip()


# --- copy-paste clutter: entities, repost-site lines, pinyin glosses, traditional characters, glued text --

_ENTITY = re.compile(
    r"&(?:nbsp|bsp|ensp|emsp|amp|lt|gt|quot|ldquo|rdquo|mdash|hellip|middot|#\d{2,5});?", re.I
)
_ENTITIES = {
    "amp": "&",
    "lt": "<",
    "gt": ">",
    "quot": '"',
    "ldquo": "“",
    "rdquo": "”",
    "mdash": "—",
    "hellip": "…",
    "middot": "·",
}
#: Lines a repost or document-sharing site adds around a notice.
_CLUTTER = re.compile(
    r"^(?:分享到|打印本页|打印此页|关闭窗口|【?打印】?|【?关闭】?|责任编辑|编辑[：:]|来源[：:]|发布时间|发布日期|浏览次数|阅读次数|"
    r"字号|【字体|字体[：:]|上一篇|下一篇|相关阅读|相关文章|扫一扫|返回顶部|当前位置|您的位置|首页\s*[>＞›»]|"
    r"本文由|点击查看|下载|举报|上传人|文档编号|资源描述|亲[，,]该文档)"
)
#: A "?" glued between a Chinese character and what follows is mojibake (a character the repost could not
#: encode, "当?shù）亻_展"): Chinese text writes its question mark full width. It is marked as the
#: replacement character, so that it ends no sentence.
_MOJIBAKE_MARK = re.compile(r"(?<=[\u3400-\u9fff])\?(?=[^\s?])")
_PINYIN = re.compile(r"[（(][a-zA-Zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zA-Zü]*[）)]")
_GLUED_MARKER = re.compile(
    r"(?:(?<=[。；;！？!?）)])\s*|(?<=[\u4e00-\u9fff]) +)(?=(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}(?:、|[.．](?=[\u4e00-\u9fff]))|\d{1,2}(?:[、．]| ?\.(?!\d))|[\u2460-\u2473]|[一二三四五六七八九十]是))"
)


def _entity(m: re.Match[str]) -> str:
    word = m[0].strip("&;").lower()
    if word.startswith("#"):
        try:
            return chr(int(word[1:]))
        except (ValueError, OverflowError):
            return " "
    return _ENTITIES.get(word, " ")


def strip_clutter(text: str) -> str:
    """Remove what repost sites add: HTML entities, 分享到/打印本页/责任编辑 lines, pinyin glosses; mark
    mojibake question marks."""
    text = _ENTITY.sub(_entity, text)
    text = _PINYIN.sub("", text)
    text = _MOJIBAKE_MARK.sub("\ufffd", text)
    lines = [line for line in text.split("\n") if not _CLUTTER.match(line.strip())]
    return "\n".join(lines)


def to_simplified(text: str, *, force: bool = False) -> str:
    """Traditional characters to simplified (opencc), only when the text is written in them (or always,
    with `force`: a unit name alone is too short to tell)."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency
        return text
    converter: Any = _converter(opencc)
    if force:
        return str(converter.convert(text))
    sample = text[:20_000]
    converted = converter.convert(sample)
    changed = sum(1 for a, b in zip(sample, converted, strict=False) if a != b)
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff") or 1
    if changed / cjk < 0.02:
        return text
    return str(converter.convert(text))


_CONVERTER: list[object] = []


def _converter(opencc: object) -> object:
    if not _CONVERTER:
        _CONVERTER.append(opencc.OpenCC("t2s"))  # type: ignore[attr-defined]
    return _CONVERTER[0]


_PAGE_MARK = re.compile(r"^\s*(\d{1,3})、")
_OPEN_END = re.compile(r"[。；;！？!?：:）)”\"]$")


#: The plan's own numbering inside a line, after a sentence ends ("…。二、组织领导", "…。（三）开展…").
_INNER_MARK = re.compile(
    r"[。；;！？!?]\s*(?:[一二三四五六七八九十]{1,3}(?:[、，,]|[.．](?=[\u4e00-\u9fff]))|[（(][一二三四五六七八九十\d]{1,3}[）)])"
)


def join_site_pages(text: str) -> str:
    """A document-sharing site's copy: each page's text is one long line that the site numbers "1、" "2、"
    "3、" and cuts wherever the page ends, mid-sentence or mid-word. Those numbers are not the plan's items:
    they are dropped and each page joined to the one before it.

    Taken as pages only when the line-initial numbers run 1, 2, 3 … in order, every numbered line but the
    last is long (a page, not an item), at least half of them hold the plan's own numbered headings after a
    full stop (a page spans several items), and at least half the lines before a numbered line stop in the
    middle of a sentence."""
    lines = text.split("\n")
    marked = [(i, int(m[1])) for i, line in enumerate(lines) if (m := _PAGE_MARK.match(line))]
    if len(marked) < 2 or [n for _, n in marked] != list(range(1, len(marked) + 1)):
        return text
    if any(len(lines[i]) < 200 for i, _ in marked[:-1]):
        return text
    # a page runs over several of the plan's own items; a long item ("1、组织开展…。牵头单位：…") holds none
    if sum(1 for i, _ in marked[:-1] if _INNER_MARK.search(lines[i])) * 2 < len(marked) - 1:
        return text
    breaks = [i for i, _ in marked[1:]]
    cut = sum(
        1 for i in breaks if i > 0 and lines[i - 1].strip() and not _OPEN_END.search(lines[i - 1].strip())
    )
    if cut * 2 < len(breaks):
        return text
    starts = {i for i, _ in marked}
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in starts:
            line = _PAGE_MARK.sub("", line, count=1).lstrip()
            if i != marked[0][0] and out:
                out[-1] = out[-1].rstrip() + line
                continue
        out.append(line)
    return "\n".join(out)


_MARK_KINDS: tuple[tuple[str, str], ...] = (
    ("paren_cn", r"[（(]([一二三四五六七八九十]{1,3})[）)]"),
    ("cn", r"([一二三四五六七八九十]{1,3})[、，,](?![一二三四五六七八九十])"),
    ("num", r"(\d{1,2})(?:[、．]|\.(?!\d))"),
    ("num_comma", r"(?<![\d.．])(\d{1,2})[，,](?!\d(?!\d?月))"),
    ("paren_num", r"[（(](\d{1,2})[）)]"),
    ("circled", r"([\u2460-\u2473])"),
    ("shi", r"([一二三四五六七八九十])是"),
)


def _mark_number(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    if "\u2460" <= raw <= "\u2473":
        return ord(raw) - 0x2460 + 1
    from models.numerals import cn_number

    return cn_number(raw) or 0


def _sequenced(line: str, pattern: str) -> dict[int, int]:
    """Where the markers of one kind stand in a line as a numbered run (1, 2, 3 …): their positions, each
    with the length of its run."""
    chains: list[list[int]] = []  # positions of each run's markers, in the order the runs began
    waiting: dict[int, list[int]] = {}  # the number a run expects next → the runs (oldest first, a heap)
    for m in re.finditer(pattern, line):
        number = _mark_number(m[1])
        if waiting.get(number):
            index = heapq.heappop(waiting[number])
        elif number == 1:
            index = len(chains)
            chains.append([])
        else:
            continue
        chains[index].append(m.start())
        heapq.heappush(waiting.setdefault(number + 1, []), index)
    return {pos: len(c) for c in chains if len(c) >= 2 for pos in c}


def unglue(text: str) -> str:
    """A plan pasted as one paragraph: break lines before the numbering markers glued into it.

    A marker after a full stop, a closing bracket or a space is taken as it stands; one glued straight after
    a word ("…要素支持（一）强化…", "…工作计划一、健全…") or written with a comma ("1，" "三，") only where
    markers of its kind count on in order through the paragraph (（一）…（二）…, 1，…2，…)."""
    text = join_site_pages(text)
    # "（-）建设…": a copy's dash for the 一 of "（一）" (a bracketed dash before a heading's words)
    text = re.sub(r"[（(][-—–－][）)](?=[\u4e00-\u9fff])", "（一）", text)
    lines = []
    for line in text.split("\n"):
        if len(line) > 200:
            line = _unglue_line(line)
        lines.append(line)
    return "\n".join(lines)


def _unglue_line(line: str) -> str:
    cuts: set[int] = {m.end() for m in _GLUED_MARKER.finditer(line)}
    for kind, pattern in _MARK_KINDS:
        for pos, run in _sequenced(line, pattern).items():
            end = (
                pos  # the text before the marker, without the spaces just before it (no copy: lines are long)
            )
            while end > 0 and line[end - 1].isspace():
                end -= 1
            if end == 0:
                continue
            after_stop = line[end - 1] in "。；;！？!?）)：:" or end != pos
            # bracketed numbers, and 一、二、三、 running to three or more, are markers even glued to a word
            if kind in ("paren_cn", "paren_num") or (kind == "cn" and run >= 3) or after_stop:
                cuts.add(pos)
    if not cuts:
        return line
    parts = []
    last = 0
    for c in sorted(cuts):
        if c > last:
            parts.append(line[last:c].rstrip())
            last = c
    parts.append(line[last:])
    return "\n".join(p for p in parts if p)
