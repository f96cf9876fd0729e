"""A notice's outline: its numbered headings at every level, and the items that are its activities.

Offices number in many ways — 一、 （一） 1. 1、 （1） ① 一是 第一 — and nest them in any order; a level is
whatever marker first appears below another. The outline is built with a stack (a marker seen before
returns to its depth), so 一、/（一）/1. and 一、/1./（1） both come out as three levels.

Which items are activities: those under a section about activities (主要活动, 活动内容, 工作安排, 主要任务,
重点工作 …), not those under 指导思想, 工作目标, 组织领导, 工作要求 … An item whose heading is a label
(活动时间：, 活动内容：, 组织单位：) describes its parent, it is not an activity; a container heading such
as "活动内容" or a short category ("宣传活动") with numbered items below it gives way to those items.
"""

from __future__ import annotations

import re

from models import vocabulary
from models.numerals import cn_number
from models.plan_text.node import Node, announces_items, give_period, heading_period, phase_paragraph
from models.plan_text.unnumbered import after_label_value, dated_items, unnumbered_items

CN = "一二三四五六七八九十"
# (kind, pattern): the marker at the start of a line and the text after it
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"^([{CN}]{{1,3}})\s*[、.．，]\s*(.*)$")),
    ("paren_cn", re.compile(rf"^[（(]\s*([{CN}]{{1,3}})\s*[）)]\s*[、.．]?\s*(.*)$")),
    ("shi", re.compile(rf"^([{CN}]{{1,2}})是\s*[，,：:]?\s*(.+)$")),
    ("di", re.compile(rf"^第([{CN}]{{1,3}})[，,、：:]\s*(.+)$")),
    (
        "num",
        re.compile(r"^(\d{1,2})\s*(?:[、．]|\.(?!\d)|\.(?=\d{4}年|\d{1,2}月)|，(?!\d(?!\d?月)))\s*(.*)$"),
    ),
    ("paren_num", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?\s*(.*)$")),
    ("circled", re.compile(r"^([\u2460-\u2473])\s*(.*)$")),
    ("num_paren", re.compile(r"^(\d{1,2})\s*[）)]\s*(.+)$")),
)

ACTIVITY_WORDS = (
    "活动内容",
    "活动安排",
    "主要活动",
    "重点活动",
    "系列活动",
    "活动项目",
    "活动形式",
    "具体安排",
    "工作安排",
    "重点安排",
    "日程安排",
    "主要任务",
    "重点任务",
    "工作任务",
    "任务分工",
    "重点工作",
    "主要工作",
    "工作内容",
    "工作措施",
    "主要措施",
    "具体措施",
    "工作重点",
    "实施步骤",
    "活动步骤",
    "方法步骤",
    "内容安排",
    "活动方式",
    "主要内容",
    "具体内容",
    "职责分工",
)
OTHER_WORDS = (
    "指导思想",
    "总体要求",
    "目标任务",
    "工作目标",
    "活动目标",
    "活动目的",
    "基本原则",
    "组织领导",
    "组织机构",
    "领导小组",
    "组织保障",
    "保障措施",
    "工作要求",
    "活动要求",
    "有关要求",
    "相关要求",
    "工作机制",
    "活动主题",
    "宣传口号",
    "宣传重点",
    "宣传标语",
    "参考标语",
    "活动口号",
    "活动时间",
    "时间安排",
    "活动范围",
    "参加对象",
    "参加人员",
    "活动对象",
    "联系方式",
    "报送",
    "总结",
)
#: Headings that only label a part of their parent item (besides every wording of the fields below, which
#: come from models.vocabulary, so that a synonym added there is a label here too).
LABELS = (
    "活动时间",
    "时间",
    "活动地点",
    "地点",
    "活动内容",
    "内容",
    "主要内容",
    "活动形式",
    "形式",
    "活动主题",
    "主题",
    "时间和主题",
    "时间地点",
    "时间和地点",
    "时间、地点",
    "参加对象",
    "出席人员",
    "出席对象",
    "参会人员",
    "参加人员",
    "参加单位",
    "参与单位",
    "活动对象",
    "组织单位",
    "主办单位",
    "承办单位",
    "协办单位",
    "牵头单位",
    "责任单位",
    "配合单位",
    "活动要求",
    "工作要求",
    "具体要求",
    "联系人",
    "联系方式",
)


def marker(line: str) -> tuple[str, int, str] | None:
    """(kind, number, rest) when a line starts with a numbering marker."""
    for kind, pattern in _MARKERS:
        m = pattern.match(line)
        if not m:
            continue
        raw, rest = m[1], m[2]
        if (
            kind in ("num", "num_paren")
            and re.match(r"^[年月日时点%％万元个项家次号]", rest)
            and not is_label(rest)
        ):
            return None  # "5. 20日", "3.15" — a date or an amount, not a number
        if kind == "num" and re.match(r"^\d", rest) and not re.match(r"^(?:\d{4}年|\d{1,2}月)", rest):
            return None
        if kind == "circled":
            number = ord(raw) - 0x2460 + 1
        elif raw.isdigit():
            number = int(raw)
        else:
            number = cn_number(raw) or 0
        return kind, number, rest.strip()
    return None


def build_outline(lines: list[str]) -> Node:
    """The outline of a text: a root whose children are the top-level headings."""
    root = Node("root", "")
    stack: list[Node] = [root]
    kinds: list[str] = []  # the marker kind of each open depth
    for no, line in enumerate(lines):
        found = marker(line) or _bare_number(line, stack, kinds)
        if found is not None:
            kind, number, rest = found
            if kind in kinds:
                depth = kinds.index(kind)
                del kinds[depth:]
                del stack[depth + 1 :]
            node = Node(kind, rest, number=number, line_no=no)
            if kind == "num" and number == 2 and not stack[-1].children:
                _lost_first(stack[-1])
            stack[-1].children.append(node)
            stack.append(node)
            kinds.append(kind)
            continue
        stack[-1].lines.append(line)
    return root


def _lost_first(parent: Node) -> None:
    """ "（一）…方面1召开…" then "2 .在…": the first item lost its dot and was glued to its group's heading;
    it is split off as item 1 (with the lines under the heading)."""
    m = re.search(r"(?<=[\u4e00-\u9fff])1(?=[\u4e00-\u9fff])(?![年月日号个项])", parent.head)
    if m and parent.kind != "root":
        item = Node("num", parent.head[m.end() :], parent.lines, number=1, line_no=parent.line_no)
        parent.head, parent.lines = parent.head[: m.start()], []
        parent.children.append(item)


def _bare_number(line: str, stack: list[Node], kinds: list[str]) -> tuple[str, int, str] | None:
    """ "3走进商场…": a number that lost its dot, taken only where it is the next of an open 1. 2. list."""
    m = re.match(r"^(\d{1,2})(?=[\u4e00-\u9fff])(?![年月日号])(.*)$", line)
    if not m or "num" not in kinds:
        return None
    depth = kinds.index("num")
    siblings = stack[depth].children
    if siblings and siblings[-1].kind == "num" and siblings[-1].number + 1 == int(m[1]):
        return "num", int(m[1]), m[2].strip()
    return None


def _starts_with(text: str, words: tuple[str, ...]) -> bool:
    head = re.sub(r"^(?:加强|强化|做好|抓好|严格|明确)", "", re.sub(r"\s+", "", text))
    return any(head.startswith(w) for w in words)


def _words_in(text: str, words: tuple[str, ...]) -> bool:
    head = re.split(r"[。：:；;，,.]", re.sub(r"\s+", "", text), maxsplit=1)[0][:16]
    return any(w in head for w in words)


LABEL_FIELDS = ("time_text", "location", "content", "lead_units", "coop_units", "remarks")


def label_words() -> tuple[str, ...]:
    """Every label word, longest first: the outline's own and the vocabulary's wordings of the fields."""
    words = set(LABELS)
    for key in LABEL_FIELDS:
        words.update(vocabulary.words(key))
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def is_label(head: str) -> bool:
    """A heading that labels part of its parent ("活动时间：9月", "活动内容。"), not an item of its own."""
    text = re.sub(r"\s+", "", head)
    for word in label_words():
        if text.startswith(word) and (len(text) == len(word) or text[len(word)] in "：:。.，,；;）)"):
            return True
    return False


GENERIC_ACTIVITY = ("内容", "安排", "任务", "措施", "步骤", "分工", "项目")


def section_kind(node: Node) -> str:
    """ "activity", "other" or "" (undecided) for a heading, from its first words."""
    head = node.head
    if _words_in(head, ACTIVITY_WORDS):
        return "activity"
    if _words_in(head, GENERIC_ACTIVITY) and len(re.split(r"[。：:；;，,.]", head)[0]) <= 12:
        return "activity"  # 活动时间、内容 / 工作步骤及安排
    if _words_in(head, OTHER_WORDS):
        return "other"
    return ""


def activity_items(root: Node) -> list[Node]:
    """The items of the outline that are the plan's activities."""
    sections = root.children
    if announces_items(root) and all(section_kind(s) == "" for s in sections):
        return [s for s in sections if _is_item(s)]  # "具体活动安排如下：" then the items, with their parts
    if len(sections) == 1 and sections[0].children and section_kind(sections[0]) != "other":
        sections = sections[0].children if not section_kind(sections[0]) else sections
    chosen = [s for s in sections if section_kind(s) == "activity"]
    if not chosen:
        undecided = [s for s in sections if section_kind(s) == "" and not is_label(s.head)]
        chosen = [s for s in undecided if _looks_like_activities(s)]
        if len(chosen) < len(undecided) >= 2 and all(s.children for s in undecided):
            # "㈦ target" over one task each: judged by their tasks together, each with a task saying who or when
            pooled = Node("pool", "", children=[c for s in undecided for c in s.children])
            said = all(any(_has_signal(c.all_text()) for c in s.children) for s in undecided)
            chosen = undecided if said and _looks_like_activities(pooled) else chosen
        if chosen and undecided[-1] not in chosen and _stops_inside(undecided[-1], sections):
            chosen.append(undecided[-1])  # the text stops in it before its items could say who or when
        if chosen:
            # plans that mix levels: a section beside them with no items of its own, written out as a
            # paragraph of work ("一、健全组织网络，夯实基础 进一步完善…"), is one activity itself
            chosen = [s for s in undecided if s in chosen or (not s.children and _is_task(s))]
        if not chosen and undecided and all(not s.children for s in undecided):
            # a flat list of items at the top (一是… / 1. … with no sections)
            flat = [p for p in map(phase_paragraph, root.lines) if p]  # a phase with no items of its own
            flat += [s for s in undecided if _is_item(s)]
            before = [line for line in root.lines if line.strip()][-2:]
            return give_period(flat, next((p for p in map(heading_period, before[::-1]) if p), ""))
    items: list[Node] = []
    for section in chosen:
        items.extend(_items_of(section))
    return items


def _stops_inside(section: Node, sections: list[Node]) -> bool:
    """Tell whether the text stops inside this last section's numbered items, in mid-sentence (a copy cut
    short): its items are judged by the sections beside it."""
    last = section.all_text().rstrip().split("\n")[-1]
    return (
        section is sections[-1]
        and bool(section.children)
        and all(not is_label(c.head) for c in section.children)
        and not re.search(r"[。！？!?；;：:”’）)》】…\d]$", last)
    )


def _looks_like_activities(section: Node) -> bool:
    """A section of undecided name holds activities when its items say when or who."""
    kids = [c for c in section.children if not is_label(c.head)]
    if len(kids) < 2:
        return False
    signals = sum(1 for c in kids if _has_signal(c.all_text()))
    return signals * 2 >= len(kids)


_SIGNAL = re.compile(
    r"\d{1,2}月|[上中下]旬|牵头|负责|配合|主办|承办|协办|责任单位|责任部门|活动时间|期间|前后|举办|开展|组织"
)


def _is_task(node: Node) -> bool:
    """A heading that is a task written out at length (its own paragraph), not a title over nothing."""
    return len(node.text()) >= 80 and not _starts_with(node.head, OTHER_WORDS)


def _has_signal(text: str) -> bool:
    return bool(_SIGNAL.search(text))


def _is_item(node: Node) -> bool:
    return bool(node.head or node.lines) and not is_label(node.head)


def _items_of(section: Node) -> list[Node]:
    """The activities under one activity section: its items, or their sub-items where the items only
    group them (a label such as "活动内容", or a short category with several numbered items)."""
    out: list[Node] = []
    kids = section.children
    if not kids:
        dated = dated_items(section)
        if dated:
            return dated
        return [section] if len(section.head) > 12 and (section.lines or _is_task(section)) else []
    if kids[0].number == 2 and kids[0].kind in ("num", "paren_num", "paren_cn") and section.lines:
        # the first item lost its number in copy-paste: it is the text between the heading and item 2
        kids = [Node("lost", section.lines[0], section.lines[1:], number=1), *kids]
    for child in kids:
        if is_label(child.head):
            if child.children:
                out.extend(_items_of(child))
            elif _label_word(child.head) in ("活动内容", "内容", "主要内容") and child.lines:
                out.extend(unnumbered_items(child))
            else:
                out.extend(after_label_value(child, _label_word(child.head)))
            continue
        if _starts_with(child.head, OTHER_WORDS) and section_kind(child) != "activity":
            continue
        if _REQUIREMENTS.fullmatch(re.sub(r"\s+", "", child.head)):
            continue  # "（四）几点要求：" with its 1. 2. 3.: what to observe, not activities
        grand = [g for g in child.children if not is_label(g.head)]
        period = heading_period(child.head)
        if grand and period and re.search(r"[：:]$|以下|如下", child.text()):
            out.extend(give_period(_items_of(child), period))  # "（一）第一周为…，主要开展以下活动："
        elif len(grand) >= 2 and _is_category(child) and len(child.children) - len(grand) < 2:
            out.extend(_items_of(child))
        else:
            out.append(child)
    return out


_REQUIREMENTS = re.compile(r"[\u4e00-\u9fff]{0,6}(?:要求|注意事项|纪律)[：:。.]?")


def _label_word(head: str) -> str:
    text = re.sub(r"\s+", "", head)
    return next((w for w in label_words() if text.startswith(w)), "")


def _is_category(node: Node) -> bool:
    """A heading that names a group of items ("宣传活动", "开展系列主题活动") rather than one activity."""
    head = re.sub(r"[。.：:；;，,\s]+$", "", node.head)
    if not head or len(head) > 16:
        return False
    if re.search(r"\d{1,2}月\d{0,2}日?", head):
        return False
    return not node.lines or sum(len(x) for x in node.lines) < 80 or "系列" in head or "活动" in head


def labelled_kind(head: str) -> str | None:
    """The field a label heading names (活动时间 → time_text), for labels carried by a sub-item."""
    word = _label_word(head)
    if not word:
        return None
    for key in vocabulary.LABELLED_FIELDS:
        if any(word == w or word in w or word.startswith(w) for w in vocabulary.FIELDS[key].words):
            return key
    return None
