"""A plan's numbers on a given day (the command line's `status`, the overview panel, the summary)."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from models import clock, store
from models.settings import load_settings
from models.store.plans import is_archived
from models.tracking import Overview, compute_overview


def plan_overview(db: Database, plan_id: int, today: dt.date | None = None) -> Overview:
    """Count a plan's activities per status, light and lead unit, with the office's due-soon days."""
    plan = store.get_plan(db, plan_id)
    days = load_settings(db).due_soon_days
    archived = is_archived(db, plan_id)
    activities = store.list_activities(db, plan_id)
    return compute_overview(plan, activities, today or clock.today(), days, archived=archived)
