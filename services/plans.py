"""Whole-plan use cases: copying a plan, e.g. to next year's plan, with every year in it moved on;
deleting a plan after a backup."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from models import store
from models.records import STATUSES, Activity, Plan
from services.safety import BackupPolicy, backup_before, stop

_CN_DIGITS = "〇一二三四五六七八九"
_CN_YEAR = re.compile(r"(?<![〇一二三四五六七八九零])([〇零一二三四五六七八九]{4})(?=年)")


def _year_pattern(years: set[int]) -> re.Pattern[str]:
    # a year standing alone: not part of a longer number such as a 文号 serial or a telephone number
    return re.compile(r"(?<!\d)(" + "|".join(str(y) for y in sorted(years)) + r")(?!\d)")


def _cn_year(text: str) -> int | None:
    digits = text.replace("零", "〇")
    if not all(ch in _CN_DIGITS for ch in digits):
        return None
    return int("".join(str(_CN_DIGITS.index(ch)) for ch in digits))


def _cn_text(year: int) -> str:
    return "".join(_CN_DIGITS[int(d)] for d in str(year))


def shift_years(text: str, years: set[int], step: int = 1) -> str:
    """Move each of `years` written in `text` (2024, 二〇二四年) on by `step`, all at once (2024→2025
    and 2025→2026 in one pass never turn 2024 into 2026)."""
    if not text or not years:
        return text
    text = _year_pattern(years).sub(lambda m: str(int(m[1]) + step), text)

    def chinese(m: re.Match[str]) -> str:
        year = _cn_year(m[1])
        return _cn_text(year + step) if year in years else m[0]

    return _CN_YEAR.sub(chinese, text)


def _shift_date(day: dt.date | None, step: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + step)
    except ValueError:  # 29 February
        return day.replace(year=day.year + step, day=28)


#: Fields written as periods and dates: a year after the plan's (2024年9月至2025年1月) moves on too.
_DATED_PLAN_FIELDS = ("title", "period_text", "report_deadline", "table_title")
#: Free text: only the plan's own year moves (a reference such as 2021—2035年 stays as it is).
_TEXT_PLAN_FIELDS = ("theme", "notes", "annex_label", "report_to", "office")
_TEXT_ACTIVITY_FIELDS = ("name", "content", "location", "remarks")


def _shifted(record: object, names: tuple[str, ...], years: set[int]) -> dict[str, Any]:
    return {name: shift_years(str(getattr(record, name)), years) for name in names}


def next_year_copy(source: Plan, activities: list[Activity]) -> tuple[Plan, list[Activity]]:
    """Return next year's plan and activities from a plan: every year of the title, period, 活动时间,
    report deadline and planned dates one later, the plan's year in any other text too; tracking
    (status, progress, completion) cleared; the 文号 left empty for the new document's own."""
    year = source.year or _year_in(source)
    dated = {year, year + 1} if year else set()
    plain = {year} if year else set()
    new_year = year + 1 if year else None
    title = shift_years(source.title, dated)
    if title == source.title:  # no year in the title: say which year the copy is for
        title = f"{source.title}（{new_year}年）" if new_year else f"{source.title}（副本）"
    plan = replace(
        source,
        id=None,
        title=title,
        year=new_year,
        doc_number="",
        slogans=[shift_years(s, plain) for s in source.slogans],
        created_at="",
        updated_at="",
        **_shifted(source, tuple(k for k in _DATED_PLAN_FIELDS if k != "title"), dated),
        **_shifted(source, _TEXT_PLAN_FIELDS, plain),
    )
    copied = [
        replace(
            a,
            id=None,
            time_text=shift_years(a.time_text, dated),
            status=STATUSES[0],
            progress=0,
            completed_on=None,
            completion_notes="",
            planned_start=_shift_date(a.planned_start, 1),
            planned_end=_shift_date(a.planned_end, 1),
            created_at="",
            updated_at="",
            **_shifted(a, _TEXT_ACTIVITY_FIELDS, plain),
        )
        for a in activities
    ]
    return plan, copied


def _year_in(plan: Plan) -> int | None:
    found = re.search(r"(?<!\d)(19\d\d|20\d\d)(?=年)", plan.title + plan.period_text)
    return int(found[1]) if found else None


def copy_plan(db: Database, plan_id: int, *, next_year: bool = True, title: str | None = None) -> Plan:
    """Copy a plan and all its activities in one transaction: to next year's plan (see
    `next_year_copy`), or as it is with "（副本）" and tracking cleared. `title` names the copy."""
    source = store.get_plan(db, plan_id)
    activities = store.list_activities(db, plan_id)
    if next_year:
        plan, copied = next_year_copy(source, activities)
    else:
        plan = replace(source, id=None, title=f"{source.title}（副本）", created_at="", updated_at="")
        copied = [
            replace(
                a,
                id=None,
                status=STATUSES[0],
                progress=0,
                completed_on=None,
                completion_notes="",
                planned_start=None,
                planned_end=None,
            )
            for a in activities
        ]
    if title:
        plan = replace(plan, title=title)
    return store.create_plan_with_activities(db, plan, copied)


def delete_plan(
    db: Database, plan_id: int, *, backup_of: Path | None = None, on_backup_failure: BackupPolicy = stop
) -> store.PlanSnapshot:
    """Delete a plan with everything in it; return the snapshot that restores it (undo).

    With `backup_of` (the database's path) a backup is made first; when it fails, `on_backup_failure`
    decides (the default stops: BackupError, nothing deleted)."""
    backup_before(db, backup_of, "delete", on_backup_failure)
    return store.delete_plan(db, plan_id)
