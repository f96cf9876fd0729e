"""The office's unit directory (科室/股/分局/… and group names) and the links of units to activities."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from models import clock
from models.errors import ValidationError
from models.records import Unit
from models.rules import clean_unit_name, guess_unit_kind
from models.store.history import log
from models.textnorm import clean_name, fold_key

_COLUMNS = "id, name, kind, sort_order, active"
#: Kinds of unit marked as reporting offices (下级单位) when they are added.
REPORTING_KINDS = ("县市区局", "分局")
#: Name endings of the 所 that report to a county bureau (a 检验所 or 研究所 does not).
REPORTING_ENDINGS = ("市场监管所", "市场监督管理所", "监管所", "工商所", "市场所")


def reports_by_default(name: str, kind: str) -> bool:
    """Tell whether a new unit is a reporting office unless the clerk says otherwise."""
    return kind in REPORTING_KINDS or name.endswith(REPORTING_ENDINGS)


def _unit_from_row(row: Sequence[Any]) -> Unit:
    return Unit(id=row[0], name=row[1], kind=row[2], sort_order=row[3], active=bool(row[4]))


def list_units(db: Database, *, active_only: bool = False) -> list[Unit]:
    """Return the unit directory in its sort order."""
    where = "WHERE active = 1" if active_only else ""
    rows = db.execute(f"SELECT {_COLUMNS} FROM units {where} ORDER BY sort_order, id").fetchall()
    return [_unit_from_row(r) for r in rows]


def get_unit(db: Database, unit_id: int) -> Unit:
    """Return one unit; KeyError if it does not exist."""
    row = db.execute(f"SELECT {_COLUMNS} FROM units WHERE id = ?", [unit_id]).fetchone()
    if row is None:
        raise KeyError(f"unit {unit_id}")
    return _unit_from_row(row)


def find_unit(db: Database, name: str) -> Unit | None:
    """Find a unit by name regardless of width and spacing."""
    key = fold_key(clean_name(name))
    for unit in list_units(db):
        if fold_key(unit.name) == key:
            return unit
    return None


def add_unit(db: Database, name: str, kind: str | None = None) -> Unit:
    """Add a unit to the directory; a duplicate name is refused with a Chinese message."""
    name = clean_unit_name(name)
    if find_unit(db, name):
        raise ValidationError(f"单位“{name}”已在名录中。")
    kind = kind or guess_unit_kind(name)
    with db.atomic():
        order = db.execute("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM units").fetchone()[0]
        stamp = clock.timestamp()
        cursor = db.execute(
            "INSERT INTO units (name, kind, sort_order, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
            [name, kind, order, stamp, stamp],
        )
        unit_id = int(cursor.lastrowid or 0)
        if reports_by_default(name, kind):  # county bureaus, 分局 and 市场监管所 return their progress
            db.execute("INSERT INTO offices (unit_id, created_at) VALUES (?, ?)", [unit_id, stamp])
        log(db, "unit", unit_id, "create", new=name)
    return Unit(unit_id, name, kind, order, True)


def unit_id_for(db: Database, name: str) -> int:
    """Return the id of a unit, adding the name to the directory when it is new."""
    unit = find_unit(db, name)
    if unit is not None:
        return int(unit.id or 0)
    return int(add_unit(db, name).id or 0)


def write_activity_units(db: Database, activity_id: int, role: str, names: Iterable[str]) -> None:
    """Link an activity to units in a role, in order (duplicates dropped); inside the caller's transaction."""
    seen: set[int] = set()
    for position, name in enumerate(n for n in names if clean_name(n)):
        unit_id = unit_id_for(db, name)
        if unit_id in seen:
            continue
        seen.add(unit_id)
        db.execute(
            "INSERT INTO activity_units (activity_id, unit_id, role, position) VALUES (?, ?, ?, ?)",
            [activity_id, unit_id, role, position],
        )


def replace_activity_units(db: Database, activity_id: int, role: str, names: Iterable[str]) -> None:
    """Replace an activity's units in a role; inside the caller's transaction."""
    db.execute("DELETE FROM activity_units WHERE activity_id = ? AND role = ?", [activity_id, role])
    write_activity_units(db, activity_id, role, names)


def update_unit(db: Database, unit_id: int, **changes: object) -> Unit:
    """Change a unit's name, kind, order or active flag; renaming onto an existing name merges the two."""
    unit = get_unit(db, unit_id)
    with db.atomic():
        if "name" in changes:
            name = clean_unit_name(str(changes.pop("name") or ""))
            other = find_unit(db, name)
            if other is not None and other.id != unit_id:
                merge_units(db, unit_id, int(other.id or 0))
                return other
            if name != unit.name:
                db.execute(
                    "UPDATE units SET name = ?, updated_at = ? WHERE id = ?",
                    [name, clock.timestamp(), unit_id],
                )
                log(db, "unit", unit_id, "update", field_name="name", old=unit.name, new=name)
        for key in ("kind", "sort_order", "active"):
            if key in changes:
                value = changes.pop(key)
                stored = int(bool(value)) if key == "active" else value
                db.execute(
                    f"UPDATE units SET {key} = ?, updated_at = ? WHERE id = ?",
                    [stored, clock.timestamp(), unit_id],
                )
                log(db, "unit", unit_id, "update", field_name=key, old=getattr(unit, key), new=value)
        if changes:
            raise KeyError(", ".join(changes))
    return get_unit(db, unit_id)


def swap_unit_order(db: Database, first_id: int, second_id: int) -> None:
    """Exchange the places of two units in the directory order (one transaction)."""
    a, b = get_unit(db, first_id), get_unit(db, second_id)
    with db.atomic():
        if a.sort_order == b.sort_order:  # equal orders (an old file): make the move visible
            update_unit(db, first_id, sort_order=a.sort_order + (1 if a.id and b.id and a.id < b.id else -1))
        else:
            update_unit(db, first_id, sort_order=b.sort_order)
        update_unit(db, second_id, sort_order=a.sort_order)


def merge_units(db: Database, source_id: int, target_id: int) -> None:
    """Merge a duplicate unit into another: its activity links move over, then it is removed."""
    with db.atomic():
        links = db.execute(
            "SELECT activity_id, role, position FROM activity_units WHERE unit_id = ?", [source_id]
        ).fetchall()
        for activity_id, role, _position in links:
            exists = db.execute(
                "SELECT 1 FROM activity_units WHERE activity_id = ? AND role = ? AND unit_id = ?",
                [activity_id, role, target_id],
            ).fetchone()
            if exists:
                db.execute(
                    "DELETE FROM activity_units WHERE activity_id = ? AND role = ? AND unit_id = ?",
                    [activity_id, role, source_id],
                )
            else:
                db.execute(
                    "UPDATE activity_units SET unit_id = ? WHERE activity_id = ? AND role = ? AND unit_id = ?",
                    [target_id, activity_id, role, source_id],
                )
        _merge_rollup(db, source_id, target_id)
        names = db.execute("SELECT id, name FROM units WHERE id IN (?, ?)", [source_id, target_id]).fetchall()
        label = dict(names)
        db.execute("DELETE FROM units WHERE id = ?", [source_id])
        log(db, "unit", target_id, "merge", old=label.get(source_id, ""), new=label.get(target_id, ""))


def _merge_rollup(db: Database, source_id: int, target_id: int) -> None:
    """Move a merged unit's roll-up records (reporting flag, groups, rollouts, returns, values) over."""
    if db.execute("SELECT 1 FROM offices WHERE unit_id = ?", [source_id]).fetchone():
        db.execute(
            "INSERT OR IGNORE INTO offices (unit_id, created_at) VALUES (?, ?)",
            [target_id, clock.timestamp()],
        )
    for column in ("group_id", "member_id"):
        db.execute(
            f"UPDATE OR IGNORE unit_groups SET {column} = ? WHERE {column} = ?", [target_id, source_id]
        )
    db.execute("DELETE FROM unit_groups WHERE group_id = member_id")
    for table in ("rollouts", "office_returns", "return_attachments"):
        db.execute(f"UPDATE {table} SET office_id = ? WHERE office_id = ?", [target_id, source_id])
    db.execute("UPDATE OR IGNORE office_status SET office_id = ? WHERE office_id = ?", [target_id, source_id])
    db.execute("DELETE FROM office_status WHERE office_id = ?", [source_id])


def delete_unit(db: Database, unit_id: int) -> None:
    """Delete an unused unit; a unit still named in activities or that has sent returns is refused
    (deactivate it instead)."""
    used = db.execute("SELECT COUNT(*) FROM activity_units WHERE unit_id = ?", [unit_id]).fetchone()[0]
    if used:
        raise ValidationError(f"该单位仍在 {used} 项活动中使用，不能删除；可以将其停用或合并到其他单位。")
    returned = db.execute(
        "SELECT (SELECT COUNT(*) FROM office_returns WHERE office_id = ?)"
        " + (SELECT COUNT(*) FROM rollouts WHERE office_id = ?)",
        [unit_id, unit_id],
    ).fetchone()[0]
    if returned:
        raise ValidationError(
            "该单位已有下发或回收的进展情况表记录，不能删除；可以将其停用或合并到其他单位。"
        )
    with db.atomic():
        name = db.execute("SELECT name FROM units WHERE id = ?", [unit_id]).fetchone()
        db.execute("DELETE FROM units WHERE id = ?", [unit_id])
        log(db, "unit", unit_id, "delete", old=name[0] if name else "")


def unit_usage(db: Database) -> dict[int, int]:
    """Return how many activity links each unit has."""
    return dict(db.execute("SELECT unit_id, COUNT(*) FROM activity_units GROUP BY unit_id").fetchall())
