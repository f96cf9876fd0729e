"""Numbered items of a plan's activity sections (（一）, 1., 一、) turned into proposed activities."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models import vocabulary
from models.plan_text.brackets import outside_brackets
from models.plan_text.cleaning import squash
from models.plan_text.fields import dedupe, labelled_fields, responsibilities, responsibility_bracket
from models.plan_text.not_items import is_request
from models.plan_text.proposal import ProposedActivity
from models.records import Activity
from models.textnorm import clean_name, fold_key, split_units

_ITEM = re.compile(
    r"^(?:[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]|([一二三四五六七八九十]{1,3})\s*[、.．]"
    r"|(\d{1,2})\s*[、.．]|[（(]\s*(\d{1,2})\s*[）)])\s*(.*)$"
)
ACTIVITY_SECTIONS = (
    "活动内容",
    "重点安排",
    "主要活动",
    "活动安排",
    "工作安排",
    "重点任务",
    "主要任务",
    "工作任务",
    "重点工作",
    "具体安排",
    "活动项目",
    "工作措施",
)
OTHER_SECTIONS = (
    "活动要求",
    "工作要求",
    "保障措施",
    "指导思想",
    "活动主题",
    "组织领导",
    "总体要求",
    "目标任务",
    "活动时间",
    "工作目标",
    "有关要求",
    "组织保障",
)


@dataclass
class _Item:
    level: str  # "cn" (一、), "paren" ((一)), "num" (1.), "paren_num" ((1))
    head: str
    lines: list[str]
    section: str


def numbered_items(lines: list[str]) -> list[_Item]:
    items: list[_Item] = []
    section = ""
    current: _Item | None = None
    for line in lines:
        if re.match(r"^附\s*件", line) and len(line) <= 12:
            break
        m = _ITEM.match(line)
        if m:
            cn, cn2, num, _pnum, rest = m.groups()
            if cn2 is not None:  # 一、 heading: a section
                section = rest
                current = None
                if any(word in rest for word in ACTIVITY_SECTIONS) or len(rest) > 20:
                    current = _Item("cn", rest, [rest], section) if len(rest) > 20 else None
                    if current:
                        items.append(current)
                continue
            level = "paren" if cn else "num" if num else "paren_num"
            current = _Item(level, rest, [rest] if rest else [], section)
            items.append(current)
            continue
        if current is not None:
            current.lines.append(line)
    return items


def item_activity(item: _Item, known: list[str] | None) -> ProposedActivity | None:
    source_lines = [line for line in item.lines if line]
    field_lines: list[str] = []
    body_lines: list[str] = []
    label_re = vocabulary.label_pattern()
    for line in source_lines:
        (field_lines if label_re.match(line) else body_lines).append(line)
    body = squash("\n".join(body_lines))
    fields = labelled_fields("\n".join(field_lines)) or {}
    inline = labelled_fields(body)
    for key, value in inline.items():
        fields.setdefault(key, value)
    if inline:
        body = body[: min(m.start() for m in label_re.finditer(body))].strip()
    lead, coop, has_paren = responsibilities(body)
    fields = vocabulary.resolve_labelled(fields)  # 责任单位 beside 牵头: the responsible units co-operate
    if fields.get("lead_units"):
        lead = split_units(fields["lead_units"])
        coop = split_units(fields.get("coop_units", ""))
    elif fields.get("coop_units"):
        coop = split_units(fields["coop_units"])
    is_activity = bool(fields) or has_paren or any(word in item.section for word in ACTIVITY_SECTIONS)
    if any(word in item.section for word in OTHER_SECTIONS) and not fields and not has_paren:
        is_activity = False
    if not is_activity or not body or is_request(body):
        return None
    body_clean = responsibility_bracket().sub("", body).strip()
    name, content = _split_name(body_clean)
    unsure: set[str] = set()
    if not lead:
        unsure.add("lead_units")
    if len(name) > 40:
        unsure.add("name")
    activity = Activity(
        name=name,
        content=content,
        time_text=clean_name(fields.get("time_text", "")),
        location=clean_name(fields.get("location", "")),
        lead_units=_match_units(lead, known),
        coop_units=_match_units(coop, known),
    )
    return ProposedActivity(activity, "\n".join(source_lines), unsure)


def _split_name(body: str) -> tuple[str, str]:
    """The name is a bracketed title or the first sentence; the rest is the content."""
    m = re.match(r"^【([^】]{2,60})】(.*)$", body)
    if m:
        return m[1].strip(), m[2].strip()
    for i, ch in outside_brackets(body):
        if ch in "。；！？" or (ch == "：" and i <= 30):
            return body[:i].strip(), body[i + 1 :].strip()
    return body.strip("。 "), ""


def _match_units(names: list[str], known: list[str] | None) -> list[str]:
    if not known:
        return names
    index = {fold_key(k): k for k in known}
    return dedupe([index.get(fold_key(n), n) for n in names])
