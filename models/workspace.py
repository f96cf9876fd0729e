"""Opening the office's database the way the program does: default location, samples, lock, backups."""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from models import leftovers
from models.backup import (
    BackupInfo,
    backup_dir,
    check_backup,
    daily_backup_if_due,
    evidence_dir_of,
    list_backups,
    make_backup,
)
from models.db import check_file, open_database
from models.errors import BackupError, DatabaseError, LockHeld
from models.lock import WriterLock
from models.paths import default_db_path
from models.samples import seed_database


@dataclass
class Workspace:
    """An open database and what the GUI must tell the clerk about it."""

    db: Database
    path: Path
    created: bool
    readonly: bool = False
    readonly_reason: str = ""
    lock: WriterLock | None = field(default=None, repr=False)

    def close(self) -> None:
        """Close the database and release the writer lock."""
        self.db.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _writable(path: Path) -> bool:
    """Tell whether the file (or, if it does not exist yet, its folder) can be written.

    The folder is tried for real: on Windows os.access() only looks at the read-only flag and calls
    every folder writable, even a share the clerk may only read. SQLite needs the folder too (its
    journal files live beside the database).
    """
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return False
    # One attempt with a name of our own (tempfile would retry up to 2³¹ names on Windows when the
    # share says “access denied” while os.access says yes).
    probe = path.parent / f".taizhang-probe-{secrets.token_hex(8)}"
    try:
        fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except OSError:
        return False
    os.close(fd)
    with contextlib.suppress(OSError):
        probe.unlink()
    return True


def open_workspace(
    path: str | Path | None, *, readonly: bool = False, backups: bool = True, daily: bool = True
) -> Workspace:
    """Open FILE (created empty if missing) or the default database (created with the samples).

    A database held by another Taizhang, or in a read-only place, opens read-only with the reason.
    `daily=False` skips the day's backup (and its pruning): a refused restore leaves the backups as
    they were.
    Raises DatabaseError with a Chinese message; the file is never changed when opening fails.
    """
    default = path is None
    target = default_db_path() if default else Path(path)  # type: ignore[arg-type]
    if default:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"无法创建数据文件夹“{target.parent}”：{exc.strerror or exc}") from exc
    check_file(target)  # another program's file is refused here, before a lock file is made beside it
    created = not target.exists()
    reason = ""
    lock: WriterLock | None = None
    if not readonly and not target.is_dir():
        if not _writable(target):
            if created:
                raise DatabaseError(f"没有权限在“{target.parent}”中创建数据库。")
            readonly, reason = True, "文件或其所在文件夹是只读的，因此以只读方式打开。"
        else:
            lock = WriterLock(target)
            try:
                lock.acquire()
            except LockHeld as exc:
                lock = None
                if created:
                    raise DatabaseError(str(exc)) from exc
                readonly, reason = True, f"{exc}为避免两处同时修改，本窗口以只读方式打开。"
            except OSError as exc:
                # Without the lock two people could change the file at once: only if it is ours alone.
                lock = None
                if created:
                    raise DatabaseError(
                        f"无法在“{target.parent}”中创建锁文件：{exc.strerror or exc}"
                    ) from exc
                readonly, reason = (
                    True,
                    "无法在数据库所在文件夹中建立占用标记，为避免两处同时修改，以只读方式打开。",
                )

    def backup_before_migration(d: Database) -> None:
        make_backup(d, target, "migration")

    try:
        db = open_database(
            target, readonly=readonly, before_migrate=backup_before_migration if backups else None
        )
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if lock is not None:
        try:
            lock.bind_file()  # a file just created is locked by its identity too
        except LockHeld as exc:
            db.close()
            lock.release()
            raise DatabaseError(str(exc)) from exc
        sweep_leftovers(target)
    else:
        # Read-only: this database's folder is not ours to clean, but what dead programs recorded is.
        with contextlib.suppress(OSError):
            leftovers.sweep()
    if created and default:
        seed_database(db, archived=True)  # examples from 2024: shown, without lights
    if backups and daily and not readonly:
        try:
            daily_backup_if_due(db, target)
        except BackupError:
            pass  # a full disk must not stop the clerk from working; the next start tries again
        except DatabaseError:  # damaged: refused, with the newest good backup offered by the caller
            db.close()
            if lock is not None:
                lock.release()
            raise
    return Workspace(db, target, created, readonly, reason, lock)


def sweep_leftovers(db_path: Path) -> None:
    """Remove what killed or failed work left behind: every temporary file a program that is no longer
    running recorded (exports, copies, staging folders), and temporary files beside this database
    (its writer lock is ours, so nobody else is writing them)."""
    leftovers.sweep()
    folder = db_path.parent
    stale = [
        *folder.glob(".taizhang-restore-*"),
        *folder.glob(f"{glob.escape(db_path.stem)}*.restore"),
        *backup_dir(db_path).glob("*.part"),
        *backup_dir(db_path).glob(".snapshot-*"),
        *backup_dir(db_path).glob("*.part-journal"),
        *backup_dir(db_path).glob("*.part-wal"),
        *backup_dir(db_path).glob("*.part-shm"),
    ]
    evidence = evidence_dir_of(db_path)
    if evidence.is_dir():
        stale += evidence.glob("*/*.part")
    for path in stale:
        with contextlib.suppress(OSError):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def newest_good_backup(path: Path) -> BackupInfo | None:
    """Return the newest backup of a database that passes its integrity check."""
    for info in list_backups(path):
        try:
            check_backup(info.path)
        except BackupError:
            continue
        return info
    return None
