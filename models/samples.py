"""The sample plans a new database starts with, read from resources/samples/*.json."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from models import store
from models.records import Activity, Plan
from models.resources import resource_path
from models.rules import PLAN_ACTIVE, PLAN_ARCHIVED

SAMPLE_FILES = ("yueyang-2024.json", "gongqingcheng-2024.json")


def load_sample(path: Path) -> tuple[Plan, list[Activity]]:
    """Read one sample plan file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    plan = Plan(**data["plan"])
    activities = [Activity(**a) for a in data["activities"]]
    return plan, activities


def seed_database(db: Database, folder: Path | None = None, *, archived: bool = False) -> list[int]:
    """Fill an empty database with the unit directory and the sample plans; return the new plan ids.

    `archived`: the samples are past plans (2024) kept as examples; on a clerk's first start they are
    archived, so the window does not open on a wall of red 逾期 (they stay searchable and printable).
    """
    folder = folder or resource_path("samples")
    ids: list[int] = []
    with db.atomic():
        units = json.loads((folder / "units.json").read_text(encoding="utf-8"))["units"]
        for unit in units:
            if store.find_unit(db, unit["name"]) is None:
                store.add_unit(db, unit["name"], unit.get("kind"))
        for name in SAMPLE_FILES:
            plan, activities = load_sample(folder / name)
            state = PLAN_ARCHIVED if archived else PLAN_ACTIVE
            ids.append(int(store.create_plan_with_activities(db, plan, activities, state=state).id or 0))
    return ids
