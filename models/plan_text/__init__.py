"""From the notice to the table: plan text (pasted, .txt, .docx, .pdf) → a proposed plan with activities."""

from __future__ import annotations

import re

from models.plan_text.cleaning import clean_ocr, squash, strip_clutter, to_simplified, unglue
from models.plan_text.ending import cut_last_item
from models.plan_text.glued_table import glued_table
from models.plan_text.item_fields import node_activity
from models.plan_text.items import item_activity, numbered_items
from models.plan_text.meta import plan_properties
from models.plan_text.not_items import without_annex_list
from models.plan_text.outline import activity_items, build_outline
from models.plan_text.proposal import PlanProposal, ProposedActivity
from models.plan_text.scope import scoping_unit
from models.plan_text.text_grid import grid_proposals, text_grid
from models.plan_text.text_table import text_table
from models.records import Plan

__all__ = ["PlanProposal", "ProposedActivity", "clean_ocr", "parse_plan_text"]


def parse_plan_text(text: str, known_units: list[str] | None = None) -> PlanProposal:
    """Propose a plan and its activities from a notice's text; never raises."""
    try:
        return _parse(text or "", known_units)
    except Exception as exc:  # noqa: BLE001 - the clerk gets an empty proposal and a message, never a crash
        return PlanProposal(Plan(), [], [f"无法识别该文本（{type(exc).__name__}），请检查后重试或手工录入。"])


def _outline_items(lines: list[str], known: list[str] | None, messages: list[str]) -> list[ProposedActivity]:
    """The activities of the notice's numbered items (the outline reader; the older item reader when the
    outline finds none). An item the text stops in before its first sentence ends is left out, and said."""
    body = without_annex_list(lines)
    for i, line in enumerate(body):
        if re.match(r"^附\s*件\s*\d*[：:]?$", line) and i > 5:
            # the notice's own items come before its annex; a page that holds only the annex is read there
            body = body[:i] if activity_items(build_outline(body[:i])) else body[i + 1 :]
            break
    nodes = activity_items(build_outline(body))
    cut = cut_last_item(nodes, body, known)
    if cut is not None:
        nodes = nodes[:-1]
        messages.append(
            f"文本在最后一项中途结束（“{squash(cut.all_text())[:30]}”），该项不完整，未作为活动导入。"
        )
    found = [p for p in (node_activity(n, known) for n in nodes) if p is not None]
    body_unit = scoping_unit(body[: nodes[0].line_no]) if nodes and nodes[0].kind != "root" else ""
    for p in (
        found if body_unit else []
    ):  # a list headed by the body it belongs to ("…区级人民政府 …责任清单")
        if not p.activity.lead_units:
            p.activity.lead_units = [body_unit]
            p.unsure.discard("lead_units")
    if found or cut is not None:
        return found
    return [
        p
        for p in (item_activity(i, known) for i in numbered_items(without_annex_list(lines)))
        if p is not None
    ]


def _parse(text: str, known: list[str] | None) -> PlanProposal:
    cleaned = clean_ocr(unglue(to_simplified(strip_clutter(text))))
    lines = cleaned.split("\n") if cleaned else []
    plan = plan_properties(lines, cleaned)
    messages: list[str] = []
    table = text_table(lines) or glued_table(lines)
    grid = text_grid(lines)
    table_notes: list[str] = []
    if grid is not None and (not table or len(grid[0].activities) >= len(table[0])):
        read, cells = grid
        table = (
            grid_proposals(read, cells),
            next((t for t in reversed(read.title_lines) if len(t) >= 4), ""),
        )
        table_notes = read.warnings  # rows skipped, rows merged into the row above: never silent
    item_notes: list[str] = []
    items = _outline_items(lines, known, item_notes)
    if table and table[0]:
        proposals, title = table
        if title:
            plan.table_title = squash(title)
            label = (
                next(
                    (
                        x
                        for x in lines
                        if re.fullmatch(r"附\s*件\s*\d+", x) and lines.index(x) < lines.index(title)
                    ),
                    "",
                )
                if title in lines
                else ""
            )
            plan.annex_label = re.sub(r"\s+", "", label)
        messages.append(
            f"已按附件中的活动安排表识别 {len(proposals)} 项活动。"
            + (f"正文中另有 {len(items)} 个条目未作为活动导入。" if items else "")
        )
        messages += table_notes
    else:
        proposals = items
        if proposals:
            messages.append(f"已从正文的编号条目中识别 {len(proposals)} 项活动。")
        messages += item_notes
    if not proposals:
        messages.append("未找到活动条目。请确认文本包含编号的活动（如“（一）……”）或活动安排表。")
    if re.search(
        r"第一(?:责任)?单位为牵头单位|[排列]在?第一位?的(?:单位|部门)?为牵头(?:单位|部门)|排名第一的为牵头",
        cleaned,
    ):
        for proposal in proposals:  # "第一责任单位为牵头单位": the first unit leads, the others co-operate
            a = proposal.activity
            if len(a.lead_units) > 1 and not a.coop_units:
                a.lead_units, a.coop_units = a.lead_units[:1], a.lead_units[1:]
    for position, proposal in enumerate(proposals, start=1):
        proposal.activity.position = position
        if proposal.activity.time_text == "" and plan.period_text:
            proposal.unsure.add("time_text")
    if not plan.title and plan.table_title:
        base = re.sub(r"(重点|主要)?(活动)?(安排表|一览表|计划表)$", "", plan.table_title)
        plan.title = f"{base}活动方案" if base else plan.table_title
    if plan.title and plan.office and re.match(r"^\d{4}年", plan.title):
        plan.title = plan.office + plan.title
    if not plan.title and lines and len(lines[0]) <= 60 and re.search(r"(方案|安排|计划)$", lines[0]):
        plan.title = lines[0]
    if not plan.title:
        messages.append("未识别到方案标题，请在预览中填写。")
    return PlanProposal(plan, proposals, messages)
