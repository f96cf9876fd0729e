"""A list headed by the body it belongs to: a responsibility list issued for each body in turn
("上海市区级人民政府" / "2024年度…工作责任清单" / "…，主要承担以下工作：" then 1. 2. 3.) gives every task under it
that body as the unit that leads it."""

from __future__ import annotations

import re

from models.plan_text.sentence_units import UNIT

_LIST_TITLE = re.compile(r"(?:责任|任务|工作)清单$")
_TAKES_ON = re.compile(r"(?:承担|负责|完成)(?:以下|如下)(?:工作|任务)[：:]?$")
_UNIT_LINE = re.compile(UNIT)


def scoping_unit(before: list[str]) -> str:
    """The body a list's heading names, from the lines before its first task ("" when there is none): a line
    that is only a unit's name, then the list's title, then a paragraph ending "承担以下工作：" """
    lines = [x.strip() for x in before if x.strip()]
    if len(lines) < 3 or not _TAKES_ON.search(lines[-1]) or not _LIST_TITLE.search(lines[-2]):
        return ""
    unit = lines[-3]
    return unit if len(unit) <= 24 and _UNIT_LINE.fullmatch(unit) else ""
