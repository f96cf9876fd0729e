"""Backups before a change that touches much at once (an import, deleting a plan, a restore)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from models.backup import make_backup
from models.errors import BackupError


def backup_before(db: Database, db_path: Path | None, kind: str) -> Path | None:
    """Back up the open database before a bulk change; return the backup (None for an in-memory database).

    Raises BackupError (a full disk, a read-only folder): the caller decides whether to go on.
    """
    if db_path is None:
        return None
    return make_backup(db, db_path, kind)


def try_backup_before(db: Database, db_path: Path | None, kind: str) -> str:
    """Back up before a bulk change; return '' or, when the backup failed, the reason (the change may go on)."""
    try:
        backup_before(db, db_path, kind)
    except BackupError as exc:
        return str(exc)
    return ""
