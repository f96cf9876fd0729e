"""A table whose cells were run together into one line with no separators at all (a document-sharing page's
extracted text): "…计划序号任务名称实施部门…抽查时间1全市企业抽查县局、各所…2023年7月至9月2住所申报…".

The header is a run of field words right after 序号; the rows are cut at the row numbers 1, 2, 3 … in turn
(a number glued to a word, not to a digit, a date or an amount). In a row the name comes first, then the
units, a 、 list whose first name opens with its level (县局, 各市场监管所), and the period closes the row.
"""

from __future__ import annotations

import re

from models import vocabulary
from models.plan_text.cleaning import squash
from models.plan_text.proposal import ProposedActivity
from models.records import Activity
from models.textnorm import clean_name

_HEADER = re.compile(r"序号([\u4e00-\u9fff]{6,60}?)(?=1[\u4e00-\u9fff])")
_ENDING = vocabulary.verb_pattern(vocabulary.CELL_UNIT_ENDINGS)  # longest first
_UNIT_HEAD = re.compile(rf"[\u4e00-\u9fff（）()]{{1,24}}?(?:{_ENDING})")
_LEVEL = "省市县区乡镇各"
_PERIOD = re.compile(r"(?:\d{4}年)?\d{1,2}月[^、，,。；;（）()\d]{0,8}(?:\d{1,2}月(?:底|份)?)?$")
_NOT_A_ROW = "年月日号时点%％万元个项家次名人条批场期"
_NUMBER = re.compile(r"(?<!\d)(\d{1,3})(?=[\u4e00-\u9fff])(?![" + _NOT_A_ROW + "])")


def glued_table(lines: list[str]) -> tuple[list[ProposedActivity], str] | None:
    """Find a table run into one line; return its rows and the table's title (the text before 序号)."""
    for line in lines:
        m = _HEADER.search(line)
        if not m or not _is_header(m[1]):
            continue
        rows = _rows(line[m.end() :])
        proposals = [p for p in (_row(n, r) for n, r in rows) if p is not None]
        if len(proposals) >= 2 and sum(bool(p.activity.lead_units) for p in proposals) * 2 >= len(proposals):
            return proposals, line[: m.start()] if m.start() >= 4 else ""
    return None


def _is_header(run: str) -> bool:
    """A run of header words naming the activity, then its units, then its time (other columns between)."""
    at: dict[str, int] = {}
    for key, words in vocabulary.word_table():
        places = [run.find(w) for w in words if len(w) >= 2 and w in run]
        if places:
            at[key] = min(places)
    units = min((at[k] for k in ("lead_units", "responsible") if k in at), default=-1)
    return "name" in at and "time_text" in at and at["name"] < units < at["time_text"]


def _rows(body: str) -> list[tuple[int, str]]:
    """The rows of the body, cut at 1, 2, 3 … glued to a word (not inside a number, a date or an amount)."""
    starts: list[int] = []
    for m in _NUMBER.finditer(body):
        if int(m[1]) == len(starts) + 1 and (starts or m.start() == 0):
            starts.append(m.start())
    ends = [*starts[1:], len(body)]
    return [(i + 1, body[s + len(str(i + 1)) : e]) for i, (s, e) in enumerate(zip(starts, ends, strict=True))]


def _row(number: int, text: str) -> ProposedActivity | None:
    """One row: the name, the units' 、 list after it, the period closing the row; the rest is content."""
    first, sep, after = text.partition("、")
    start = _first_unit(first) if sep else None
    if start is None:
        return None
    name, units = first[:start], [first[start:]]
    rest = after
    while rest and len(units) < 30:
        item, sep, tail = rest.partition("、")
        m = _UNIT_HEAD.match(item)
        if not m:
            break
        units.append(m[0])
        if m.end() < len(item) or not sep:
            rest = item[m.end() :] + sep + tail
            break
        rest = tail
    period = _PERIOD.search(rest)
    content = rest[: period.start()] if period else rest
    name = clean_name(name)
    if not name:
        return None
    activity = Activity(
        name=name,
        content=squash(content),
        time_text=clean_name(period[0]) if period else "",
        lead_units=[clean_name(u) for u in units],
    )
    return ProposedActivity(activity, f"{number}\t{text}", {"name", "lead_units"})


def _first_unit(text: str) -> int | None:
    """Where the first unit begins in "全市企业不定向抽查县局": the shortest ending that opens with a level
    (县局), widened over levels just before it (县市场监管局); None when the text ends with no unit word."""
    if not re.search(rf"(?:{_ENDING})$", text):
        return None
    for start in range(len(text) - 2, 0, -1):
        if text[start] in _LEVEL:
            while start > 0 and text[start - 1] in _LEVEL:
                start -= 1
            return start
    return None
