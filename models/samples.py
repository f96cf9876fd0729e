"""The sample plans a new database starts with, read from resources/samples/*.json."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from models import store
from models.records import Activity, Plan
from models.resources import resource_path

SAMPLE_FILES = ("yueyang-2024.json", "gongqingcheng-2024.json")


def load_sample(path: Path) -> tuple[Plan, list[Activity]]:
    """Read one sample plan file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    plan = Plan(**data["plan"])
    activities = [Activity(**a) for a in data["activities"]]
    return plan, activities


def seed_database(db: Database, folder: Path | None = None) -> list[int]:
    """Fill an empty database with the unit directory and the sample plans; return the new plan ids."""
    folder = folder or resource_path("samples")
    ids: list[int] = []
    with db.atomic():
        units = json.loads((folder / "units.json").read_text(encoding="utf-8"))["units"]
        for unit in units:
            if store.find_unit(db, unit["name"]) is None:
                store.add_unit(db, unit["name"], unit.get("kind"))
        for name in SAMPLE_FILES:
            plan, activities = load_sample(folder / name)
            ids.append(int(store.create_plan_with_activities(db, plan, activities).id or 0))
    return ids
