"""The labels Taizhang shows: one lookup (`label(key)`) for every writer and screen — the on-screen table,
Excel, PDF, the change history, forms and statistics.

A field's label lives with its words in `models.vocabulary.FIELDS`; the labels of plan and unit
properties, statistics and the roll-up live in the tables below. Change a label here and every writer
shows the new one (tests/test_labels.py).
"""

from __future__ import annotations

from models import vocabulary

#: Labels of plan properties, unit properties and other stored fields (change history, messages).
OTHER_LABELS: dict[str, str] = {
    "title": "标题",
    "office": "发文单位",
    "doc_number": "文号",
    "theme": "活动主题",
    "year": "年度",
    "period_text": "活动时间",
    "report_deadline": "报送截止",
    "report_to": "报送对象",
    "report_contact": "联系方式",
    "slogans": "口号",
    "notes": "备注",
    "annex_label": "附件标注",
    "table_title": "表格标题",
    "planned_start": "计划开始",
    "planned_end": "计划结束",
    "kind": "类别",
    "active": "启用",
    "sort_order": "排序",
    "unit": "单位",  # a unit in either role (批量修改), an office of the roll-up
    "unit_name": "名称",
    "reporting": "报送单位",
    "members": "成员",
    "usage": "使用次数",
    "plan_title": "方案标题",  # the plan dialog's wording of title and slogans
    "plan_slogans": "活动口号",
    "lead_short": "牵头",  # the lead units in a line of facts (“牵头：…　计划：…”)
    "planned_short": "计划",
}

#: Labels of the statistics: the overview, the 按单位统计 sheet, the PDF summary, the offices' report.
STAT_LABELS: dict[str, str] = {
    "lead_unit": "牵头单位",  # the unit a row of per-unit statistics is about
    "total": "总数",
    "done": "已完成",
    "not_done": "未完成",
    "in_progress": "进行中",
    "overdue": "逾期",
    "overdue_part": "其中逾期",  # the late part of a unit's bar (chart legends)
    "cancelled": "已取消",
    "completion_rate": "完成率",
    "done_of_total": "完成/总",  # the overview's narrow column: done/total
    "grand_total": "合计",
    "as_of": "统计日期",
}

#: Labels of the roll-up across offices: the board, the consolidated report, the template's form fields.
ROLLUP_LABELS: dict[str, str] = {
    "report_state": "报送情况",
    "received_at": "最近报送",
    "filled_by": "填报人",
    "phone": "联系电话",
    "returns": "报送次数",
    "assigned": "承担活动",
    "done_of_assigned": "已完成/承担",
    "combined_notes": "完成情况（汇总）",
    # with filled_by and phone, the template's form: read back by these words (services/rollup.py too)
    "filling_unit": "填报单位",
    "filled_on": "填报日期",
}

#: How the progress column is headed in a workbook offices fill in (the value is a whole number).
PROGRESS_PERCENT_HEADER = "进度(%)"


def label(key: str) -> str:
    """Return the Chinese label of a field, property, statistic or roll-up key (else the key itself)."""
    field = vocabulary.FIELDS.get(key)
    if field is not None:
        return field.label
    return next((table[key] for table in (OTHER_LABELS, STAT_LABELS, ROLLUP_LABELS) if key in table), key)
