"""Backups and restores as the clerk asks for them: full copies (.zip with evidence, or .db) and restores.

A full copy is two steps because of threads: the database snapshot is taken on the connection's thread
(`start_copy`, quick), the zip written on a worker (`finish_copy`). A restore likewise: the backup is
unpacked and checked in a staging folder on a worker (`unpack`), then swapped in on the connection's
thread (`restore`). `save_copy` and `restore_file` do both steps for the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from models.full_copy import apply_restore, discard_staging, snapshot_database, stage_restore, write_full_copy

Progress = Callable[[int, int], None]


def start_copy(db: Database, db_path: Path) -> Path:
    """Take a consistent snapshot of the open database (on the connection's thread); returns its file."""
    return snapshot_database(db, db_path)


def finish_copy(snapshot: Path, db_path: Path, out: Path, progress: Progress | None = None) -> Path:
    """Write the snapshot (and, for a .zip, the evidence files) to `out`; safe on a worker thread."""
    return write_full_copy(snapshot, db_path, out, progress)


def save_copy(db: Database, db_path: Path, out: Path, progress: Progress | None = None) -> Path:
    """Save database and evidence as one .zip (or only the database for a .db target)."""
    return finish_copy(start_copy(db, db_path), db_path, out, progress)


@dataclass(frozen=True)
class RestoreSource:
    """A backup unpacked and checked, ready to swap in."""

    chosen: Path  # what the clerk picked
    staging: Path  # the checked copy beside the database

    def discard(self) -> None:
        """Drop the staged copy (the clerk changed their mind)."""
        discard_staging(self.staging)


def unpack(source: Path, db_path: Path, progress: Progress | None = None) -> RestoreSource:
    """Unpack and check a backup beside the database (safe on a worker thread); nothing live is touched."""
    return RestoreSource(source, stage_restore(source, db_path, progress))


def restore(db: Database, db_path: Path, source: RestoreSource) -> Path:
    """Swap the checked backup in (after backing up the current state); returns that safety backup."""
    return apply_restore(db, db_path, source.staging)


def restore_file(db: Database, db_path: Path, backup: Path, progress: Progress | None = None) -> Path:
    """Restore from a .db backup or a full copy in one go (the command line)."""
    return restore(db, db_path, unpack(backup, db_path, progress))
