"""Backups beside the database: consistent copies (SQLite online backup API), listing, pruning, checks.

Full copies elsewhere and restores are in models.full_copy."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from models import clock, leftovers
from models.db import pending_migrations
from models.errors import BackupError, DatabaseError, describe_os_error
from models.integrity import check_contents, classify, connect_readonly, tolerant_text

KINDS = {
    "daily": "每日自动",
    "migration": "升级前",
    "import": "导入前",
    "delete": "删除方案前",
    "restore": "恢复前",
    "manual": "手动",
}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<when>\d{8}-\d{6})-(?P<kind>[a-z]+)(?:-\d+)?\.db$")
Progress = Callable[[int, int], None]  # (done, total); may raise to stop the work
KEEP_DAILY = 30
KEEP_CHANGES = 10


@dataclass
class BackupInfo:
    """A backup file with what it holds."""

    path: Path
    when: dt.datetime
    kind: str
    plans: int | None
    activities: int | None

    @property
    def label(self) -> str:
        """Return the Chinese name of the backup's kind."""
        return KINDS.get(self.kind, self.kind)


def backup_dir(db_path: Path) -> Path:
    """Return the backups folder next to a database."""
    return db_path.parent / "backups"


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Write a consistent copy of an open database to `target` via a recorded temporary file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = leftovers.new_file(target.parent, f".{target.stem[:40]}-")
    # SQLite's own files of the copy (a WAL database's copy is in WAL mode until it is switched back),
    # should the program be killed or the disk be full.
    sidecars = [tmp.with_name(tmp.name + suffix) for suffix in ("-journal", "-wal", "-shm")]
    for path in sidecars:
        leftovers.remember(path)
    try:
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        os.replace(tmp, target)
    finally:
        for path in (tmp, *sidecars):
            with contextlib.suppress(OSError):
                path.unlink()
            leftovers.forget(path)


def copy_database(db: Database, target: Path) -> None:
    """Write a consistent copy of the open database to `target` (BackupError with a Chinese message)."""
    try:
        _copy(db.conn, target)
    except OSError as exc:
        raise BackupError(f"无法复制数据库：{describe_os_error(exc)}。") from exc
    except sqlite3.Error as exc:
        raise BackupError(f"无法复制数据库：{_describe_sqlite(exc)}。") from exc


def _describe_sqlite(exc: sqlite3.Error) -> str:
    message = str(exc)
    if "full" in message:
        return "磁盘空间已满，请清理磁盘后再试"
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return "备份文件夹是只读的或没有权限"
    if "disk I/O" in message:
        return "磁盘读写出错（可能是磁盘已满或已断开）"
    return f"SQLite 出错（{message}）"


def make_backup(db: Database, db_path: Path, kind: str = "manual", *, now: dt.datetime | None = None) -> Path:
    """Make a backup of the open database into the backups folder, then prune old ones."""
    stamp = (now or clock.now()).strftime("%Y%m%d-%H%M%S")
    target = backup_dir(db_path) / f"{db_path.stem}-{stamp}-{kind}.db"
    n = 1
    while target.exists():
        n += 1
        target = backup_dir(db_path) / f"{db_path.stem}-{stamp}-{kind}-{n}.db"
    copy_database(db, target)
    prune(db_path, *retention(db))
    return target


def retention(db: Database) -> tuple[int, int]:
    """Return (daily, before-change) backups to keep, from the office's settings."""
    from models.settings import load_settings

    try:
        settings = load_settings(db)
    except sqlite3.Error:
        return KEEP_DAILY, KEEP_CHANGES
    return settings.backup_keep_daily, settings.backup_keep_changes


def list_backups(db_path: Path, *, with_counts: bool = True) -> list[BackupInfo]:
    """Return the backups of a database, newest first."""
    folder = backup_dir(db_path)
    result: list[BackupInfo] = []
    if not folder.is_dir():
        return result
    for path in folder.glob(f"{db_path.stem}-*.db"):
        m = _NAME.match(path.name)
        if not m or os.path.normcase(m["stem"]) != os.path.normcase(db_path.stem):  # Windows ignores case
            continue
        w = m["when"]
        try:  # by hand: strptime's first use costs start-up time; a stray name with month 13 is skipped
            when = dt.datetime(
                int(w[:4]), int(w[4:6]), int(w[6:8]), int(w[9:11]), int(w[11:13]), int(w[13:15])
            )
        except ValueError:
            continue
        plans = activities = None
        if with_counts:
            plans, activities = _counts(path)
        result.append(BackupInfo(path, when, m["kind"], plans, activities))
    result.sort(key=lambda b: (b.when, b.path.name), reverse=True)
    return result


def _counts(path: Path) -> tuple[int | None, int | None]:
    try:
        con = connect_readonly(path)
        try:
            plans = con.execute("SELECT COUNT(*) FROM plans").fetchone()[0]
            acts = con.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
            return int(plans), int(acts)
        finally:
            con.close()
    except sqlite3.Error:
        return None, None


def daily_backup_if_due(db: Database, db_path: Path, today: dt.date | None = None) -> Path | None:
    """Make the day's automatic backup unless one exists already (only for a non-empty database)."""
    today = today or clock.today()
    if not db.execute("SELECT COUNT(*) FROM plans").fetchone()[0]:
        return None
    for info in list_backups(db_path, with_counts=False):
        if info.kind == "daily" and info.when.date() == today:
            return None
    # The whole content is read once a day, before its copy joins the backups: a damaged file must
    # never push the good backups out (raises DamagedDatabaseError naming the damage).
    check_contents(db.conn, db_path.name)
    return make_backup(db, db_path, "daily")


def prune(db_path: Path, keep_daily: int = KEEP_DAILY, keep_changes: int = KEEP_CHANGES) -> list[Path]:
    """Delete old backups: keep `keep_daily` daily ones and the last `keep_changes` of the others."""
    removed = []
    backups = list_backups(db_path, with_counts=False)
    daily = [b for b in backups if b.kind == "daily"]
    other = [b for b in backups if b.kind != "daily"]
    for info in daily[keep_daily:] + other[keep_changes:]:
        with contextlib.suppress(OSError):
            info.path.unlink()
            removed.append(info.path)
    return removed


def check_backup(path: Path, shown: str | None = None) -> None:
    """Refuse a file that is not a sound Taizhang database (never writes to it); `shown` is the name the
    clerk knows it by (a full copy's, not the unpacked file's)."""
    name = shown or path.name
    try:
        kind = classify(path)
    except DatabaseError as exc:
        raise BackupError(f"“{name}”不是台账备份文件。") from exc
    except OSError as exc:
        raise BackupError(f"无法读取备份“{name}”：{describe_os_error(exc)}。") from exc
    if kind != "taizhang":
        raise BackupError(
            f"“{name}”不是台账的备份或完整副本（可能是其他程序的文件），不能用于恢复。当前数据未改变。"
        )
    try:
        con = connect_readonly(path)  # the clerk's file is left as it is: no -wal or -shm beside it
        con.text_factory = tolerant_text
        try:
            problem = con.execute("PRAGMA integrity_check").fetchone()[0]
            if problem != "ok":
                raise BackupError(
                    f"备份“{name}”已损坏（完整性检查：{str(problem)[:200]}），不能用于恢复。当前数据未改变。"
                )
            if not pending_migrations(Database(con, execute_plugins=False)):
                check_contents(con, name)  # an older one is checked once brought up to date (full_copy)
        finally:
            con.close()
    except DatabaseError as exc:
        raise BackupError(f"{exc}".replace("文件未被改动", "不能用于恢复，当前数据未改变")) from exc
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise BackupError(
            f"“{name}”不是可用的台账备份（已损坏：{str(exc)[:200]}）。当前数据未改变。"
        ) from exc


def evidence_dir_of(db_path: Path) -> Path:
    """Return the evidence folder of a database (kept in one place for the GUI and the CLI)."""
    return db_path.with_name(db_path.stem + "-附件")
