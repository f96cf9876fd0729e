"""Evidence rows: which stored file (by content hash) belongs to which activity or plan."""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from models import clock
from models.records import Attachment
from models.store.history import log

_COLUMNS = "id, plan_id, activity_id, sha256, original_name, mime, size, added_at"


def insert_attachment_row(db: Database, att: Attachment) -> int:
    """Insert an evidence row as it is (its id kept if set); inside the caller's transaction."""
    cursor = db.execute(
        f"INSERT INTO attachments ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            att.id,
            att.plan_id,
            att.activity_id,
            att.sha256,
            att.original_name,
            att.mime,
            att.size,
            att.added_at or clock.timestamp(),
        ],
    )
    return int(att.id or cursor.lastrowid or 0)


def add_attachment_row(db: Database, att: Attachment) -> Attachment:
    """Record an evidence file already stored in the evidence folder."""
    with db.atomic():
        new_id = insert_attachment_row(db, att)
        log(
            db,
            "attachment",
            new_id,
            "create",
            new=att.original_name,
            plan_id=att.plan_id,
            activity_id=att.activity_id,
        )
    return replace(att, id=new_id, added_at=att.added_at or clock.timestamp())


def list_attachments(
    db: Database, *, plan_id: int | None = None, activity_id: int | None = None, plan_only: bool = False
) -> list[Attachment]:
    """Return evidence rows of an activity, of a plan (all, or only the plan's own with plan_only)."""
    args: list[int | None]
    if activity_id is not None:
        where, args = "activity_id = ?", [activity_id]
    else:
        where, args = "plan_id = ?", [plan_id]
        if plan_only:
            where += " AND activity_id IS NULL"
    rows = db.execute(f"SELECT {_COLUMNS} FROM attachments WHERE {where} ORDER BY id", args).fetchall()
    return [Attachment(*r) for r in rows]


def get_attachment(db: Database, attachment_id: int) -> Attachment | None:
    """Return one evidence row, or None."""
    row = db.execute(f"SELECT {_COLUMNS} FROM attachments WHERE id = ?", [attachment_id]).fetchone()
    return Attachment(*row) if row else None


def remove_attachment_row(db: Database, attachment_id: int) -> Attachment | None:
    """Remove an evidence row (the stored file is kept: backups and undo may still need it)."""
    att = get_attachment(db, attachment_id)
    if att is None:
        return None
    with db.atomic():
        db.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])
        log(
            db,
            "attachment",
            attachment_id,
            "delete",
            old=att.original_name,
            plan_id=att.plan_id,
            activity_id=att.activity_id,
        )
    return att


def referenced_hashes(db: Database) -> set[str]:
    """Return the content hashes of every stored evidence file still referenced."""
    return {r[0] for r in db.execute("SELECT DISTINCT sha256 FROM attachments").fetchall()}
