"""Opening the Taizhang SQLite file: checks before SQLite touches it, connection settings, schema upgrades."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from models.errors import DatabaseError
from models.integrity import (
    SQLITE_MAGIC,
    DamagedDatabaseError,
    NotADatabaseError,
    check_schema,
    classify,
    connect_readonly,
    refuse_foreign,
    tolerant_text,
)
from models.paths import file_uri, readonly_uri
from models.schema import APP_ID, KNOWN_MIGRATIONS, SCHEMA_VERSION, migrations

__all__ = [
    "APP_ID",
    "KNOWN_MIGRATIONS",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "DamagedDatabaseError",
    "DatabaseError",
    "NewerDatabaseError",
    "NotADatabaseError",
    "check_file",
    "explain",
    "file_uri",
    "is_network_path",
    "migrations",
    "open_database",
    "pending_migrations",
    "readonly_uri",
]


class NewerDatabaseError(DatabaseError):
    """The file was written by a newer version of Taizhang."""


def check_file(path: Path) -> str:
    """Refuse a folder, a file that is not SQLite, or another program's SQLite file, before SQLite opens it
    for writing; return what the file is ("new", "empty" or "taizhang")."""
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except PermissionError as exc:  # a folder on the way may not be looked into
        raise DatabaseError(f"没有权限打开“{path}”：当前用户不能进入它所在的文件夹。文件未被改动。") from exc
    except OSError as exc:
        raise DatabaseError(f"无法打开“{path}”：{exc.strerror or exc}") from exc
    if is_dir:
        raise DatabaseError(f"“{path}”是一个文件夹，不是台账数据库文件。请选择一个 .db 文件。")
    if not exists:
        folder = path.parent
        if not folder.is_dir():
            raise DatabaseError(f"文件夹“{folder}”不存在，无法在其中创建数据库。")
        return "new"
    try:
        kind = classify(path)
    except PermissionError as exc:
        raise DatabaseError(f"没有权限读取“{path}”。") from exc
    except OSError as exc:
        raise DatabaseError(f"无法读取“{path}”：{exc.strerror or exc}") from exc
    if kind == "foreign":
        raise refuse_foreign(path)
    return kind


def _in_wal_mode(path: Path) -> bool:
    """Tell from the file header (bytes 18–19 are 2 in WAL mode) without opening it with SQLite."""
    try:
        with path.open("rb") as fh:
            head = fh.read(20)
    except OSError:
        return False
    return len(head) == 20 and head[18] == 2 and head[19] == 2


def _wal_in_use(path: Path) -> bool:
    """A WAL database someone has open has its -wal / -shm files beside it (gone after the last close)."""
    return any(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm"))


def is_network_path(path: Path) -> bool:
    """Tell whether the file lives on a network share, where WAL cannot work."""
    text = str(path.resolve())
    if text.startswith("\\\\") or text.startswith("//"):
        return True
    if sys.platform == "win32":
        import ctypes

        drive = os.path.splitdrive(text)[0] + "\\"
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == 4)  # DRIVE_REMOTE
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    best, fstype = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and text.startswith(parts[1]) and len(parts[1]) > len(best):
            best, fstype = parts[1], parts[2]
    return fstype in {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p"}


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = _connect_readonly(path)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=5)
    conn.text_factory = tolerant_text  # a damaged byte in a text shows as �, never stops a read
    return conn


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a file for reading without writing anything beside it.

    A WAL database in a folder the clerk may not write to cannot be read the usual way (SQLite would
    create its -shm index beside it). When no -wal file is there, nobody has the file open, and it is
    read as immutable; when one is (a writer crashed or works elsewhere), the file and its log are
    copied into the program's own data folder and the copy is read.
    """
    conn = connect_readonly(path)  # immutable when no -wal is there: nothing is created beside it
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if not _in_wal_mode(path):
            raise
    wal = path.with_name(path.name + "-wal")
    from models.paths import data_dir

    folder = data_dir() / "只读副本"
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / path.name
    for source, target in ((path, copy), (wal, copy.with_name(copy.name + "-wal"))):
        target.unlink(missing_ok=True)
        shutil.copyfile(source, target)
    copy.with_name(copy.name + "-shm").unlink(missing_ok=True)
    return sqlite3.connect(readonly_uri(copy), uri=True, check_same_thread=False, timeout=5)


def pending_migrations(db: Database) -> list[str]:
    """Names of the schema steps not yet applied; raises NewerDatabaseError for an unknown step."""
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in KNOWN_MIGRATIONS]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if unknown or version > SCHEMA_VERSION:
        raise NewerDatabaseError(
            "此数据库由更新版本的台账程序创建或升级过，当前版本无法安全打开。请安装最新版本后再打开。文件未被改动。"
        )
    return [m.name for m in migrations.pending(db)]


def open_database(
    path: str | os.PathLike[str] | None,
    *,
    readonly: bool = False,
    check: bool = True,
    before_migrate: Callable[[Database], None] | None = None,
) -> Database:
    """Open (creating if missing) a Taizhang database with foreign keys on and the schema up to date.

    `path=None` gives an in-memory database (tests). Raises DatabaseError with a Chinese message.
    """
    if path is None:
        db = Database(memory=True, execute_plugins=False)
        db.execute("PRAGMA foreign_keys=ON")
        migrations.apply(db)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        return db
    p = Path(path)
    kind = check_file(p)
    if readonly and not p.exists():
        raise DatabaseError(f"文件“{p}”不存在。")
    if readonly and _in_wal_mode(p) and _wal_in_use(p) and is_network_path(p):
        # The writer is the PC that shares the folder, working on it as a local file (WAL). WAL's
        # shared index cannot be shared over the network: reading now could hand both sides wrong pages.
        raise DatabaseError(
            f"“{p.name}”正在共享它的那台电脑上使用，暂时不能通过网络同时打开。"
            "请等对方关闭活动台账后再打开。文件未被改动。"
        )
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(p, readonly)
        db = Database(conn, execute_plugins=False)
        db.execute("PRAGMA foreign_keys=ON")
        if check:
            row = db.execute("PRAGMA quick_check").fetchone()
            if not row or row[0] != "ok":
                raise DamagedDatabaseError(f"“{p.name}”已损坏（完整性检查未通过），文件未被改动。")
        if readonly:
            if pending_migrations(db):
                raise DatabaseError(
                    f"“{p.name}”由旧版本创建，需要升级后才能使用，但文件是只读的。"
                    "请复制到可写的位置后再打开。"
                )
            check_schema(conn, p.name)
            return db
        if kind in ("new", "empty"):
            db.execute(f"PRAGMA application_id={APP_ID}")  # marked as ours before anything else is written
        pending = pending_migrations(db)
        if pending:
            if before_migrate is not None and migrations.applied(db):
                before_migrate(db)
            migrations.apply(db)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        check_schema(conn, p.name)
        if db.execute("PRAGMA application_id").fetchone()[0] != APP_ID:
            db.execute(
                f"PRAGMA application_id={APP_ID}"
            )  # marked as ours, so that it is never taken for foreign
        journal = "DELETE" if is_network_path(p) else "WAL"
        db.execute(f"PRAGMA journal_mode={journal}")
        # FULL in both modes: an edit the clerk saw saved must survive a power cut.
        db.execute("PRAGMA synchronous=FULL")
        return db
    except BaseException as exc:
        # Closed on every failure: on Windows an open handle would keep the file from being renamed
        # aside (.damaged) when the clerk restores a backup over it.
        if conn is not None:
            conn.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise _explain(exc, p) from exc
        if isinstance(exc, UnicodeDecodeError):  # SQLite's own message quoting damaged names
            raise DamagedDatabaseError(
                f"“{p.name}”已损坏（数据库结构中的名称无法读取），文件未被改动。"
            ) from exc
        raise


def _explain(exc: sqlite3.DatabaseError, p: Path) -> DatabaseError:
    message = str(exc)
    if "unable to open" in message:
        return DatabaseError(f"无法打开“{p}”：没有权限或路径无效。")
    return explain(exc, p.name, opening=True)


def explain(exc: sqlite3.Error | UnicodeDecodeError, name: str, *, opening: bool = False) -> DatabaseError:
    """Turn an SQLite failure while opening, reading or writing into the message the clerk sees.

    A write that failed changed nothing (every write is one transaction); the message says so.
    """
    if isinstance(exc, UnicodeDecodeError):
        return DamagedDatabaseError(
            f"“{name}”已损坏（部分内容无法读取）。请用最近的备份恢复（文件→备份与恢复）。"
        )
    message = str(exc)
    unchanged = "文件未被改动。" if opening else "本次修改没有保存，已有数据不受影响。"
    if "full" in message:
        return DatabaseError(f"磁盘空间已满，无法写入“{name}”。{unchanged}请清理磁盘后再试。")
    if "readonly" in message or "read-only" in message:
        return DatabaseError(f"“{name}”或其所在文件夹是只读的，无法写入。{unchanged}可以只读方式打开。")
    if "locked" in message or "busy" in message:
        return DatabaseError(f"“{name}”正被另一个程序使用，请稍后再试。{unchanged}")
    if "disk I/O" in message:
        return DatabaseError(f"读写“{name}”时磁盘出错（{message}）。{unchanged}请检查磁盘或网络连接后再试。")
    if opening:
        return DamagedDatabaseError(f"“{name}”无法作为台账数据库打开（{message}），文件未被改动。")
    return DamagedDatabaseError(
        f"“{name}”已损坏（{message}）。请关闭程序后重新打开：程序会提供用最近的完好备份恢复。"
    )
