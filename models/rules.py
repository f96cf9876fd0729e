"""Domain rules with no storage: what a value may be, how it is normalised, what a status change implies.

The store writes what these rules let through; every use case (an edit in the table, the detail panel,
an import, a returned progress report) passes its values through `normalise_activity_value` once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Sequence

from models.errors import ValidationError
from models.labels import label
from models.records import STATUS_DONE, STATUSES, Activity
from models.textnorm import MAX_NAME, MAX_TEXT, clean_name, clean_text, split_units

PLAN_FIELDS = (
    "title",
    "office",
    "doc_number",
    "theme",
    "year",
    "period_text",
    "report_deadline",
    "report_to",
    "report_contact",
    "slogans",
    "notes",
    "annex_label",
    "table_title",
)
#: A plan's states, as stored → as shown. An archived plan shows no lights and is listed apart.
PLAN_ACTIVE, PLAN_ARCHIVED = "active", "archived"
PLAN_STATES: dict[str, str] = {PLAN_ACTIVE: "进行中", PLAN_ARCHIVED: "已归档"}
ACTIVITY_TEXT_FIELDS = ("name", "content", "time_text", "location", "remarks", "completion_notes")
UNIT_FIELDS = ("lead_units", "coop_units")
DATE_FIELDS = ("completed_on", "planned_start", "planned_end")
ACTIVITY_FIELDS = (*ACTIVITY_TEXT_FIELDS, "status", "progress", *DATE_FIELDS, *UNIT_FIELDS)
_ONE_LINE = ("name", "time_text", "location")
ONE_LINE_LIMIT = 500


# ---------------------------------------------------------------- activities


def normalise_activity_value(
    name: str, value: object, statuses: Sequence[str] = STATUSES, plan_year: int | None = None
) -> object:
    """Validate and normalise a value for an activity field; raise ValidationError with a Chinese message."""
    if name not in ACTIVITY_FIELDS:
        raise KeyError(name)
    if name in UNIT_FIELDS:
        items = value if isinstance(value, list) else split_units(str(value or ""))
        return [clean_name(str(v), join_cjk=True) for v in items if clean_name(str(v))]
    if name == "name":
        text = clean_name(str(value or ""), MAX_TEXT)
        if not text:
            raise ValidationError("活动名称不能为空。")
        if len(text) > MAX_NAME * 2:
            raise ValidationError(
                f"活动名称最多 {MAX_NAME * 2} 字（现有 {len(text)} 字），较长的说明请写在“活动主要内容”中。"
            )
        return text
    if name in _ONE_LINE:
        text = clean_name(str(value or ""), MAX_TEXT)
        if len(text) > ONE_LINE_LIMIT:
            raise ValidationError(f"“{label(name)}”最多 {ONE_LINE_LIMIT} 字（现有 {len(text)} 字），请精简。")
        return text
    if name in ACTIVITY_TEXT_FIELDS:
        text = clean_text(str(value or ""), MAX_TEXT * 10)
        if len(text) > MAX_TEXT:
            raise ValidationError(
                f"“{label(name)}”最多 {MAX_TEXT} 字（现有 {len(text)} 字），请精简或作为附件添加。"
            )
        return text
    if name == "status":
        text = clean_name(str(value or ""))
        if text not in statuses:
            raise ValidationError(f"状态“{text}”无效，可选：{'、'.join(statuses)}。")
        return text
    if name == "progress":
        try:
            return validate_progress(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    date = value if isinstance(value, dt.date) or value is None else parse_date_text(str(value))
    if name == "completed_on" and isinstance(date, dt.date):
        try:
            validate_completion_date(date, plan_year)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    return date


def check_new_activity(activity: Activity) -> None:
    """Refuse an activity that cannot be stored as a new row (no name, progress out of range)."""
    if not clean_name(activity.name):
        raise ValidationError("活动名称不能为空。")
    if not 0 <= int(activity.progress) <= 100:
        raise ValidationError("进度必须是 0 到 100 之间的整数。")


def status_change_values(activity: Activity, status: str, today: dt.date) -> dict[str, object]:
    """Return the values a status change implies: done → 100 % and today's date if none was set."""
    values: dict[str, object] = {"status": status}
    if status == STATUS_DONE:
        if activity.progress < 100:
            values["progress"] = 100
        if activity.completed_on is None:
            values["completed_on"] = today
    return values


def parse_date_text(text: str) -> dt.date | None:
    """Read a date typed as 2024-09-30, 2024/9/30, 2024.9.30 or 2024年9月30日 ('' → None)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not m:
        raise ValidationError(f"“{text}”不是有效日期，请按 2024-09-30 的格式填写。")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ValidationError(f"“{text}”不是存在的日期。") from exc


def validate_progress(value: object) -> int:
    """Return progress as an int 0–100 from 80, "80", "80%" or "８０％"; raise ValueError otherwise."""
    message = "进度必须是 0 到 100 之间的整数。"
    if isinstance(value, bool):
        raise ValueError(message)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or value != int(value):
            raise ValueError(message)
        number = int(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().rstrip("%").strip()
        if not re.fullmatch(r"\d{1,3}", text):
            raise ValueError(message)
        number = int(text)
    if not 0 <= number <= 100:
        raise ValueError(message)
    return number


def validate_completion_date(value: dt.date, plan_year: int | None) -> None:
    """Refuse a completion date before the plan's year or more than two years after it."""
    if plan_year is None:
        return
    if value.year < plan_year:
        raise ValueError(f"完成时间 {value.isoformat()} 早于方案年度 {plan_year} 年，请检查。")
    if value.year > plan_year + 2:
        raise ValueError(f"完成时间 {value.isoformat()} 比方案年度晚两年以上，请检查。")


# ---------------------------------------------------------------- plans


def normalise_plan_value(name: str, value: object) -> object:
    """Validate and normalise a plan property for storage (slogans as a JSON list)."""
    if name == "slogans":
        items = value if isinstance(value, list) else str(value or "").split("\n")
        return json.dumps(
            [clean_name(str(s), MAX_TEXT) for s in items if clean_name(str(s))], ensure_ascii=False
        )
    if name == "year":
        if value in (None, ""):
            return None
        try:
            year = int(str(value))
        except ValueError as exc:
            raise ValidationError("年度必须是四位数字，例如 2024。") from exc
        if not 1990 <= year <= 2100:
            raise ValidationError("年度应在 1990 到 2100 之间。")
        return year
    if name in ("notes", "report_contact"):
        return clean_text(str(value or ""))
    return clean_name(str(value or ""), ONE_LINE_LIMIT)


def check_plan_state(state: str) -> str:
    """Return a plan state as stored ("active" / "archived", or their Chinese names); refuse others."""
    by_label = {shown: key for key, shown in PLAN_STATES.items()}
    value = by_label.get(state.strip(), state.strip())
    if value not in PLAN_STATES:
        raise ValidationError(f"方案状态“{state}”无效，可选：{'、'.join(PLAN_STATES.values())}。")
    return value


def check_plan_title(title: object) -> None:
    """Refuse an empty plan title."""
    if not clean_name(str(title or "")):
        raise ValidationError("方案标题不能为空。")


# ---------------------------------------------------------------- units


def guess_unit_kind(name: str) -> str:
    """Guess the kind of a unit from its name (各分局 is a group, 质监股 a 股 …)."""
    if name.startswith(("各", "相关", "有关")) or "成员单位" in name:
        return "组合"
    for suffix, kind in (
        ("分局", "分局"),
        ("股", "股"),
        ("科", "科室"),
        ("室", "科室"),
        ("处", "科室"),
        ("支队", "直属单位"),
        ("中心", "直属单位"),
        ("所", "直属单位"),
        ("院", "直属单位"),
        ("大队", "直属单位"),
    ):
        if name.endswith(suffix):
            return kind
    if name.endswith("局"):
        return "县市区局"
    return "外部单位"


def clean_unit_name(name: str) -> str:
    """Return a unit name as stored (OCR spaces inside Chinese dropped); refuse an empty one."""
    cleaned = clean_name(name, join_cjk=True)
    if not cleaned:
        raise ValidationError("单位名称不能为空。")
    return cleaned
