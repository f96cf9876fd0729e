"""Backups before a change that touches much at once (an import, deleting a plan, a restore).

Each such use case takes `backup_of` (the database's path; None for an in-memory database: no backup)
and `on_backup_failure`, the caller's policy for a backup that could not be made. The policy is given
the BackupError (its Chinese message says why) and answers True to go on without a backup or False to
stop; the default, `stop` (the command line), stops, and the use case raises the BackupError before
anything is written. The window supplies a policy that asks the clerk or tells them and goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from models.backup import make_backup
from models.errors import BackupError

#: A caller's answer to a failed backup: True = go on without a backup, False = stop (BackupError raised).
BackupPolicy = Callable[[BackupError], bool]


def stop(problem: BackupError) -> bool:
    """The default policy: a backup that failed stops the change (the command line)."""
    return False


class GoOn:
    """A policy that goes on without a backup and keeps each reason, for the caller to tell afterwards."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def __call__(self, problem: BackupError) -> bool:
        """Remember why the backup failed; go on."""
        self.problems.append(str(problem))
        return True


def backup_before(
    db: Database, db_path: Path | None, kind: str, on_failure: BackupPolicy = stop
) -> Path | None:
    """Back up the open database before a bulk change; return the backup (None for an in-memory database,
    or when the backup failed and `on_failure` said to go on without one).

    Raises BackupError (a full disk, a read-only folder) when the backup failed and `on_failure` said stop.
    """
    if db_path is None:
        return None
    try:
        return make_backup(db, db_path, kind)
    except BackupError as exc:
        if on_failure(exc):
            return None
        raise
