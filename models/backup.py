"""Backups: consistent copies (SQLite online backup API) beside the database, pruning, restore, full copy."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from models import clock
from models.db import SQLITE_MAGIC, pending_migrations, readonly_uri
from models.errors import BackupError, DatabaseError

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
    stamp = (now or clock.now()).strftime("%Y%m%d-%H%M%S")
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
        con = sqlite3.connect(readonly_uri(path), uri=True)
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
        con = sqlite3.connect(readonly_uri(path), uri=True)
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
    """Replace the open database's content with a backup database file, after backing up the current state.

    Returns the backup made of the current state. (A full copy's .zip is unpacked first: services.backups.)
    """
    source_path = backup
    try:
        check_backup(source_path)
        safety = make_backup(db, db_path, "restore")
        src = sqlite3.connect(readonly_uri(source_path), uri=True)
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


def unpack_full_copy(archive: Path, db_path: Path, progress: Progress | None = None) -> Path:
    """Put a full copy's evidence files into the database's evidence folder and its database into a
    temporary file beside `db_path`, which is returned (the caller restores from it, then deletes it).

    Evidence files are content-addressed: one already there is kept. A member whose name would land
    outside the evidence folder is skipped. `progress(done, total)` is called per member and may raise
    to stop; files written so far stay (nothing refers to them until the database is restored).
    """
    evidence = evidence_dir_of(db_path)
    root = evidence.resolve()
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            db_names = [m.filename for m in members if m.filename.endswith(".db") and "/" not in m.filename]
            if not db_names:
                raise BackupError(f"“{archive.name}”中没有台账数据库。")
            fd, tmp = tempfile.mkstemp(dir=db_path.parent, suffix=".restore")
            os.close(fd)
            try:
                with zf.open(db_names[0]) as src, open(tmp, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                files = [m for m in members if m.filename.startswith("附件/") and not m.is_dir()]
                for done, member in enumerate(files):
                    if progress is not None:
                        progress(done, len(files))
                    parts = member.filename.removeprefix("附件/").replace("\\", "/").split("/")
                    if any(part in ("", ".", "..") for part in parts):
                        continue  # only plain names: nothing can land on or outside the folder itself
                    target = evidence.joinpath(*parts)
                    if not target.resolve().is_relative_to(root) or target.exists():
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    part = target.with_name(target.name + ".part")
                    with zf.open(member) as src, open(part, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    os.replace(part, target)
                if progress is not None:
                    progress(len(files), len(files))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            return Path(tmp)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"无法读取“{archive.name}”：{exc}") from exc


def evidence_dir_of(db_path: Path) -> Path:
    """Return the evidence folder of a database (kept in one place for the GUI and the CLI)."""
    return db_path.with_name(db_path.stem + "-附件")


def snapshot_database(db: Database) -> Path:
    """Write a consistent copy of the open database to a temporary file and return its path.

    Quick (the database, not the evidence); done on the thread that owns the connection.
    """
    fd, tmp = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    try:
        _copy(db.conn, Path(tmp))
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise BackupError(f"无法复制数据库：{exc}") from exc
    return Path(tmp)


# Photos, videos and Office files are compressed already: storing them is as small and much faster.
_STORED = {
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".heic",
    ".mp4",
    ".mov",
    ".avi",
    ".mkv",
    ".mp3",
    ".m4a",
    ".zip",
    ".rar",
    ".7z",
    ".docx",
    ".xlsx",
    ".pptx",
    ".pdf",
}


def write_full_copy(snapshot: Path, db_path: Path, out: Path, progress: Progress | None = None) -> Path:
    """Write a database snapshot and the evidence files as one .zip (or the snapshot alone to a .db).

    Takes the snapshot over: it is deleted afterwards. `progress(done, total)` is called per evidence
    file and may raise to stop; the target is only ever complete or absent (temporary file renamed).
    """
    out = Path(out)
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".part")
        os.close(fd)
        try:
            if out.suffix.lower() == ".db":
                shutil.copyfile(snapshot, tmp)
            else:
                evidence = evidence_dir_of(db_path)
                files = (
                    sorted(f for f in evidence.rglob("*") if f.is_file() and not f.name.endswith(".part"))
                    if evidence.is_dir()
                    else []
                )
                with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                    zf.write(snapshot, f"{db_path.stem}.db")
                    for done, file in enumerate(files):
                        if progress is not None:
                            progress(done, len(files))
                        kind = zipfile.ZIP_STORED if file.suffix.lower() in _STORED else zipfile.ZIP_DEFLATED
                        zf.write(file, "附件/" + file.relative_to(evidence).as_posix(), compress_type=kind)
                if progress is not None:
                    progress(len(files), len(files))
            os.replace(tmp, out)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return out
    except PermissionError as exc:
        raise BackupError(f"无法写入“{out}”：文件被占用或没有权限。") from exc
    except OSError as exc:
        raise BackupError(f"无法保存完整副本：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(snapshot)
