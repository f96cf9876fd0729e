"""One heading of a notice's outline and what stands under it."""

from __future__ import annotations

import re
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
    period: str = ""  # the period a heading over it gives ("第一周为…：" / "第二阶段（2月23日至3月20日）")

    def text(self) -> str:
        return "\n".join([self.head, *self.lines]).strip()

    def all_text(self) -> str:
        return "\n".join([self.text(), *(c.all_text() for c in self.children)])


#: A heading that scopes the items under it by time: "第一周为“学习周”，主要开展以下活动：",
#: "第二阶段为实施阶段（2月23日至3月20日）" — an ordinal week, phase or batch, its dates in a bracket or not.
_PERIOD_HEAD = re.compile(r"^(第[一二三四五六七八九十\d]{1,3}(?:周|阶段|批次|批))(?=[为是：:，,（(\s]|$)")
_PERIOD_BRACKET = re.compile(
    r"[（(]\s*(\d{1,2}月\d{1,2}[日号]?(?:\s*[—\-–~～至到]\s*(?:\d{1,2}月)?\d{1,2}[日号]?)?)\s*[）)]"
)


def heading_period(head: str) -> str:
    """The period a heading over a group of items gives them ("" when it is no such heading): its bracketed
    dates, else its ordinal ("第一周")."""
    text = re.sub(r"\s+", "", head)
    m = _PERIOD_HEAD.match(text)
    if not m or len(text) > 60:
        return ""
    b = _PERIOD_BRACKET.search(text, m.end())
    return b[1] if b else m[1]


def give_period(nodes: list[Node], period: str) -> list[Node]:
    """The nodes, each told the period of the heading over them (a nearer heading's period is kept)."""
    for node in nodes:
        node.period = node.period or period
    return nodes


_PHASE_PARAGRAPH = re.compile(
    r"^第[一二三四五六七八九十\d]{1,2}阶段(?:为|是)?([\u4e00-\u9fff]{2,10}阶段)?[：:，,]?(?=[（(])"
)


def phase_paragraph(line: str) -> Node | None:
    """ "第一阶段为筹备阶段（1月5日至2月10日）拟定方案，…": a phase written out as a paragraph of its work, with
    no items of its own, is one activity named after the phase, its period the bracket's."""
    m = _PHASE_PARAGRAPH.match(line)
    period = heading_period(line[:60]) if m else ""
    bracket = _PERIOD_BRACKET.match(line, m.end()) if m else None
    if not m or not bracket or len(line) - bracket.end() < 20:
        return None
    return Node("phase", m[1] or line[: line.index("阶段") + 2], period=period)


#: A lead paragraph that announces the activities listed next ("具体活动安排如下：", "开展以下活动：").
_ANNOUNCES = re.compile(r"(?:活动|工作)安排如下[：:]?$|开展(?:以下|如下)(?:活动|工作)[：:]?$")


def announces_items(root: Node) -> bool:
    """Tell whether the text before the first heading ends by announcing that the top-level items are the
    activities (then their own numbered parts, "1)…2)…", are parts of them, not activities)."""
    lines = [x.strip() for x in root.lines if x.strip()]
    kinds = {c.kind for c in root.children}
    parts = any(c.children for c in root.children)  # a flat list of items with none is read elsewhere
    return (
        bool(lines)
        and len(root.children) >= 2
        and len(kinds) == 1
        and parts
        and bool(_ANNOUNCES.search(lines[-1]))
    )
