"""Backups and restores as the clerk asks for them: full copies (.zip with evidence, or .db) and restores.

A full copy is two steps because of threads: the database snapshot is taken on the connection's thread
(`start_copy`, quick), the zip written on a worker (`finish_copy`). A restore likewise: a full copy's
evidence files are unpacked on a worker (`unpack`), then the database is restored on its thread
(`restore`). `save_copy` and `restore_file` do both steps for the command line.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from models.backup import restore_backup, snapshot_database, unpack_full_copy, write_full_copy
from models.errors import BackupError

Progress = Callable[[int, int], None]


def start_copy(db: Database) -> Path:
    """Take a consistent snapshot of the open database (on the connection's thread); returns a temp file."""
    return snapshot_database(db)


def finish_copy(snapshot: Path, db_path: Path, out: Path, progress: Progress | None = None) -> Path:
    """Write the snapshot (and, for a .zip, the evidence files) to `out`; safe on a worker thread."""
    return write_full_copy(snapshot, db_path, out, progress)


def save_copy(db: Database, db_path: Path, out: Path, progress: Progress | None = None) -> Path:
    """Save database and evidence as one .zip (or only the database for a .db target)."""
    return finish_copy(start_copy(db), db_path, out, progress)


@dataclass(frozen=True)
class RestoreSource:
    """A backup ready to restore: the database file to read, and whether it is a temporary one of ours."""

    chosen: Path  # what the clerk picked
    database: Path  # the .db to restore from (unpacked from a full copy, or the file itself)

    @property
    def unpacked(self) -> bool:
        """Tell whether `database` was unpacked from a full copy (and is deleted after the restore)."""
        return self.database != self.chosen

    def discard(self) -> None:
        """Remove an unpacked database file."""
        if self.unpacked:
            with contextlib.suppress(OSError):
                self.database.unlink()


def unpack(source: Path, db_path: Path, progress: Progress | None = None) -> RestoreSource:
    """Make a backup file ready to restore: a full copy's evidence files go into the evidence folder and
    its database into a temporary file (safe on a worker thread); a .db is used as it is."""
    if not source.is_file():
        raise BackupError(f"找不到备份文件“{source}”。")
    if zipfile.is_zipfile(source):
        return RestoreSource(source, unpack_full_copy(source, db_path, progress))
    return RestoreSource(source, source)


def restore(db: Database, db_path: Path, source: RestoreSource) -> Path:
    """Replace the open database's content with the backup (after backing up the current state);
    returns that safety backup. The temporary unpacked file is removed in every case."""
    try:
        return restore_backup(db, db_path, source.database)
    finally:
        source.discard()


def restore_file(db: Database, db_path: Path, backup: Path, progress: Progress | None = None) -> Path:
    """Restore from a .db backup or a full copy in one go (the command line)."""
    return restore(db, db_path, unpack(backup, db_path, progress))
