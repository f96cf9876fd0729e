"""Whole-plan use cases: copying a plan to next year's plan."""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from models import store
from models.records import STATUSES, Plan


def copy_plan(db: Database, plan_id: int, *, next_year: bool = True, title: str | None = None) -> Plan:
    """Copy a plan and all its activities (progress cleared), e.g. to next year's plan; one transaction."""
    source = store.get_plan(db, plan_id)
    year = source.year
    new_title = title or source.title
    if next_year and year:
        year = year + 1
        if title is None:
            new_title = source.title.replace(str(year - 1), str(year))
    if title is None and new_title == source.title:
        new_title = f"{source.title}（副本）"
    copy = replace(
        source,
        id=None,
        title=new_title,
        year=year,
        report_deadline="" if next_year else source.report_deadline,
        doc_number="" if next_year else source.doc_number,
    )
    activities = [
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
        for a in store.list_activities(db, plan_id)
    ]
    return store.create_plan_with_activities(db, copy, activities)
