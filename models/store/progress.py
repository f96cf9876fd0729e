"""The progress log of an activity: dated entries, kept (only undo takes one out again)."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from models import clock
from models.errors import ValidationError
from models.records import ProgressEntry
from models.store.common import date_or_none
from models.store.history import current_user, log
from models.textnorm import clean_text


def list_progress_entries(db: Database, activity_id: int) -> list[ProgressEntry]:
    """Return an activity's progress log, oldest first."""
    rows = db.execute(
        "SELECT id, activity_id, entry_date, text, author, created_at FROM progress_entries"
        " WHERE activity_id = ? ORDER BY entry_date, id",
        [activity_id],
    ).fetchall()
    return [ProgressEntry(r[0], r[1], date_or_none(r[2]), r[3], r[4], r[5]) for r in rows]


def add_progress_entry(
    db: Database,
    activity_id: int,
    text: str,
    entry_date: dt.date | None = None,
    author: str | None = None,
    entry_id: int | None = None,
) -> ProgressEntry:
    """Append a dated entry to an activity's progress log (entries are kept, never edited away)."""
    text = clean_text(text)
    if not text:
        raise ValidationError("进展记录内容不能为空。")
    row = db.execute("SELECT plan_id FROM activities WHERE id = ?", [activity_id]).fetchone()
    if row is None:
        raise KeyError(f"activity {activity_id}")
    day = entry_date or clock.today()
    who = author or current_user()
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO progress_entries (id, activity_id, entry_date, text, author, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [entry_id, activity_id, day.isoformat(), text, who, clock.timestamp()],
        )
        new_id = int(entry_id or cursor.lastrowid or 0)
        log(
            db,
            "progress",
            new_id,
            "create",
            new=f"{day.isoformat()} {text}",
            plan_id=row[0],
            activity_id=activity_id,
        )
    return ProgressEntry(new_id, activity_id, day, text, who)


def remove_progress_entry(db: Database, entry_id: int) -> None:
    """Remove a log entry (only used to undo adding it); the history keeps its text."""
    row = db.execute(
        "SELECT p.activity_id, a.plan_id, p.entry_date, p.text FROM progress_entries p"
        " JOIN activities a ON a.id = p.activity_id WHERE p.id = ?",
        [entry_id],
    ).fetchone()
    if row is None:
        return
    with db.atomic():
        db.execute("DELETE FROM progress_entries WHERE id = ?", [entry_id])
        log(db, "progress", entry_id, "delete", old=f"{row[2]} {row[3]}", plan_id=row[1], activity_id=row[0])


def insert_progress_rows(db: Database, entries: list[ProgressEntry]) -> None:
    """Put log entries back with their ids (undo of a delete); inside the caller's transaction."""
    for entry in entries:
        db.execute(
            "INSERT INTO progress_entries (id, activity_id, entry_date, text, author, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                entry.id,
                entry.activity_id,
                entry.entry_date.isoformat() if entry.entry_date else "",
                entry.text,
                entry.author,
                entry.created_at,
            ],
        )
