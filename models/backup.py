"""Backups: consistent copies (SQLite online backup API) beside the database, pruning, restore, full copy."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from models.db import SQLITE_MAGIC, DatabaseError, pending_migrations

KINDS = {
    "daily": "每日自动", "migration": "升级前", "import": "导入前", "delete": "删除方案前",
    "restore": "恢复前", "manual": "手动",
}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<when>\d{8}-\d{6})-(?P<kind>[a-z]+)(?:-\d+)?\.db$")
KEEP_DAILY = 30
KEEP_CHANGES = 10


class BackupError(Exception):
    """A backup that could not be made or restored; the message is Chinese."""


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
    """Write a consistent copy of an open database to `target` via a temporary file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(fd)
    try:
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def make_backup(db: Database, db_path: Path, kind: str = "manual", *, now: dt.datetime | None = None) -> Path:
    """Make a backup of the open database into the backups folder, then prune old ones."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = backup_dir(db_path) / f"{db_path.stem}-{stamp}-{kind}.db"
    n = 1
    while target.exists():
        n += 1
        target = backup_dir(db_path) / f"{db_path.stem}-{stamp}-{kind}-{n}.db"
    try:
        _copy(db.conn, target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"无法创建备份：{exc}") from exc
    prune(db_path, *retention(db))
    return target


def retention(db: Database) -> tuple[int, int]:
    """Return (daily, before-change) backups to keep, from the office's settings."""
    from models.repository import get_setting

    def number(key: str, default: int) -> int:
        try:
            return max(1, int(get_setting(db, key, str(default))))
        except (ValueError, sqlite3.Error):
            return default

    return number("backup_keep_daily", KEEP_DAILY), number("backup_keep_changes", KEEP_CHANGES)


def list_backups(db_path: Path, *, with_counts: bool = True) -> list[BackupInfo]:
    """Return the backups of a database, newest first."""
    folder = backup_dir(db_path)
    result: list[BackupInfo] = []
    if not folder.is_dir():
        return result
    for path in folder.glob(f"{db_path.stem}-*.db"):
        m = _NAME.match(path.name)
        if not m or m["stem"] != db_path.stem:
            continue
        w = m["when"]
        try:  # by hand: strptime's first use costs start-up time; a stray name with month 13 is skipped
            when = dt.datetime(int(w[:4]), int(w[4:6]), int(w[6:8]), int(w[9:11]), int(w[11:13]), int(w[13:15]))
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
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
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
    today = today or dt.date.today()
    if not db.execute("SELECT COUNT(*) FROM plans").fetchone()[0]:
        return None
    for info in list_backups(db_path, with_counts=False):
        if info.kind == "daily" and info.when.date() == today:
            return None
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


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound Taizhang database."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise BackupError(f"无法读取备份“{path}”：{exc.strerror or exc}") from exc
    if head != SQLITE_MAGIC:
        raise BackupError(f"“{path.name}”不是台账备份文件。")
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"备份“{path.name}”已损坏，不能用于恢复。")
            con.execute("SELECT COUNT(*) FROM plans").fetchone()
            pending_migrations(Database(con, execute_plugins=False))
        finally:
            con.close()
    except DatabaseError as exc:
        raise BackupError(str(exc)) from exc
    except sqlite3.Error as exc:
        raise BackupError(f"“{path.name}”不是可用的台账备份（{exc}）。") from exc


def restore_backup(db: Database, db_path: Path, backup: Path) -> Path:
    """Replace the open database's content with a backup, after backing up the current state.

    Returns the backup made of the current state. The caller should reopen the database afterwards.
    """
    source_path = backup
    extracted: Path | None = None
    if zipfile.is_zipfile(backup):
        extracted = _extract_full_copy(backup, db_path)
        source_path = extracted
    try:
        check_backup(source_path)
        safety = make_backup(db, db_path, "restore")
        src = sqlite3.connect(source_path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            src.backup(db.conn)
        finally:
            src.close()
        # a backup from an older version is brought up to the current schema
        from models.db import SCHEMA_VERSION, migrations

        migrations.apply(db)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("PRAGMA foreign_keys=ON")
        return safety
    except sqlite3.Error as exc:
        raise BackupError(f"恢复失败：{exc}。当前数据未改变。") from exc
    finally:
        if extracted is not None:
            with contextlib.suppress(OSError):
                extracted.unlink()


def _extract_full_copy(archive: Path, db_path: Path) -> Path:
    evidence = evidence_dir_of(db_path)
    try:
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            db_names = [n for n in names if n.endswith(".db") and "/" not in n]
            if not db_names:
                raise BackupError(f"“{archive.name}”中没有台账数据库。")
            fd, tmp = tempfile.mkstemp(dir=db_path.parent, suffix=".restore")
            os.close(fd)
            Path(tmp).write_bytes(zf.read(db_names[0]))
            for name in names:
                if name.startswith("附件/") and not name.endswith("/") and ".." not in name:
                    target = evidence / name.removeprefix("附件/")
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(zf.read(name))
            return Path(tmp)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"无法读取“{archive.name}”：{exc}") from exc


def evidence_dir_of(db_path: Path) -> Path:
    """Return the evidence folder of a database (kept in one place for the GUI and the CLI)."""
    return db_path.with_name(db_path.stem + "-附件")


def save_full_copy(db: Database, db_path: Path, out: Path) -> Path:
    """Save database and evidence files as one .zip (or only the database for a .db target)."""
    out = Path(out)
    fd, tmp_db = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    try:
        _copy(db.conn, Path(tmp_db))
        if out.suffix.lower() == ".db":
            fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".part")
            os.close(fd)
            Path(tmp).write_bytes(Path(tmp_db).read_bytes())
            os.replace(tmp, out)
            return out
        fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".part")
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(tmp_db, f"{db_path.stem}.db")
                evidence = evidence_dir_of(db_path)
                if evidence.is_dir():
                    for file in sorted(evidence.rglob("*")):
                        if file.is_file() and not file.name.endswith(".part"):
                            zf.write(file, "附件/" + file.relative_to(evidence).as_posix())
            os.replace(tmp, out)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return out
    except PermissionError as exc:
        raise BackupError(f"无法写入“{out}”：文件被占用或没有权限。") from exc
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"无法保存完整副本：{exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_db)
