"""Full copies (the database and its evidence files as one .zip, or the database alone as .db) and
restores from them, done so that a refused restore changes nothing.

Restoring is staged: the copy is unpacked into a folder beside the database, every part checked there
(it is a Taizhang database, sound, not from a newer version, its texts readable; evidence names are the
content hashes they claim and sizes what the archive declares), the staged database brought up to the
current schema, and only then swapped in — the evidence files moved into the evidence folder, the
database replaced in one SQLite backup step. A failure at any point leaves the live database, the
evidence folder and the backups as they were; the staging folder is removed (or, if the program was
killed, at the next start).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from models import leftovers
from models.backup import backup_dir, check_backup, copy_database, evidence_dir_of, make_backup
from models.db import readonly_uri
from models.errors import BackupError, DatabaseError, describe_os_error
from models.integrity import check_contents, check_schema, tolerant_text
from models.paths import data_dir
from models.schema import APP_ID, SCHEMA_VERSION, migrations

Progress = Callable[[int, int], None]  # (done, total); may raise to stop the work
MAX_MEMBERS = 200_000
MAX_DATABASE_BYTES = 4 * 1024**3
MAX_EVIDENCE_BYTES = 600 * 1024 * 1024  # one file (the attach limit is 500 MB)
_EVIDENCE_NAME = re.compile(r"^附件/([0-9a-f]{2})/([0-9a-f]{64})(\.[0-9a-z]{1,11})?$")
_CHUNK = 1024 * 1024
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


# ---------------------------------------------------------------- saving


def snapshot_database(db: Database, db_path: Path) -> Path:
    """Write a consistent copy of the open database beside it (never to the system's temp folder) and
    return its path; quick, done on the thread that owns the connection. The caller hands it on to
    `write_full_copy`, which removes it."""
    try:
        folder = backup_dir(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        target = leftovers.new_file(folder, ".snapshot-", ".db")
    except OSError:
        # A read-only database (or a full backups folder): the program's own data folder, never the
        # system's temp folder; recorded, so that a killed copy is removed at the next start.
        try:
            folder = data_dir() / "临时文件"
            folder.mkdir(parents=True, exist_ok=True)
            target = leftovers.new_file(folder, ".snapshot-", ".db")
        except OSError as exc:
            raise BackupError(f"无法复制数据库：{describe_os_error(exc)}。") from exc
    try:
        copy_database(db, target)
    except BaseException:
        target.unlink(missing_ok=True)
        leftovers.forget(target)
        raise
    return target


def write_full_copy(snapshot: Path, db_path: Path, out: Path, progress: Progress | None = None) -> Path:
    """Write a database snapshot and the evidence files as one .zip (or the snapshot alone to a .db).

    Takes the snapshot over: it is deleted afterwards. `progress(done, total)` is called per evidence
    file and may raise to stop; the target is only ever complete or absent (temporary file renamed).
    """
    out = Path(out)
    try:
        if not out.parent.is_dir():
            raise BackupError(f"保存位置“{out.parent}”不存在，请选择其他文件夹。")
        with leftovers.temporary(leftovers.new_file(out.parent, f".{out.stem[:40]}-")) as tmp:
            if out.suffix.lower() == ".db":
                shutil.copyfile(snapshot, tmp)
            else:
                evidence = evidence_dir_of(db_path)
                files = (
                    sorted(f for f in evidence.rglob("*") if f.is_file() and not f.name.endswith(".part"))
                    if evidence.is_dir()
                    else []
                )
                with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                    zf.write(snapshot, f"{db_path.stem}.db")
                    for done, file in enumerate(files):
                        if progress is not None:
                            progress(done, len(files))
                        kind = zipfile.ZIP_STORED if file.suffix.lower() in _STORED else zipfile.ZIP_DEFLATED
                        zf.write(file, "附件/" + file.relative_to(evidence).as_posix(), compress_type=kind)
                if progress is not None:
                    progress(len(files), len(files))
            os.replace(tmp, out)
        return out
    except PermissionError as exc:
        raise BackupError(f"无法写入“{out}”：文件被占用或没有权限。") from exc
    except OSError as exc:
        raise BackupError(f"无法保存完整副本：{describe_os_error(exc)}。") from exc
    finally:
        with contextlib.suppress(OSError):
            snapshot.unlink()
        leftovers.forget(snapshot)


# ---------------------------------------------------------------- restoring


def stage_restore(source: Path, db_path: Path, progress: Progress | None = None) -> Path:
    """Unpack and check a backup (.db) or full copy (.zip) in a staging folder beside the database.

    Returns the folder (holding `restore.db` and, for a full copy, `附件/`); nothing outside it is
    touched. Raises BackupError naming what is wrong; the staging folder is then already removed.
    Safe on a worker thread (no open database is used).
    """
    if not source.is_file():
        raise BackupError(f"找不到备份文件“{source}”。")
    staging = db_path.parent / f".taizhang-restore-{secrets.token_hex(6)}"
    leftovers.remember(staging)
    try:
        staging.mkdir()
        database = staging / "restore.db"
        if zipfile.is_zipfile(source):
            _unpack(source, staging, progress)
        else:
            check_backup(source)
            shutil.copyfile(source, database)
        check_backup(database, source.name)
        _bring_up_to_date(database, source.name)
        return staging
    except BaseException as exc:
        discard_staging(staging)
        if isinstance(exc, OSError):
            raise BackupError(f"无法读取“{source.name}”：{describe_os_error(exc)}。当前数据未改变。") from exc
        raise


def discard_staging(staging: Path) -> None:
    """Remove a staging folder."""
    shutil.rmtree(staging, ignore_errors=True)
    leftovers.forget(staging)


def _unpack(archive: Path, staging: Path, progress: Progress | None) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS:
                raise BackupError(
                    f"“{archive.name}”中有 {len(members)} 个文件，不是台账的完整副本。当前数据未改变。"
                )
            databases = [m for m in members if m.filename.endswith(".db") and "/" not in m.filename]
            if len(databases) != 1:
                raise BackupError(
                    f"“{archive.name}”不是台账的完整副本（其中{'没有' if not databases else '有多个'}"
                    "数据库）。当前数据未改变。"
                )
            evidence = [m for m in members if m.filename.startswith("附件/")]
            for member in evidence:
                if not _EVIDENCE_NAME.match(member.filename.replace("\\", "/")):
                    raise BackupError(
                        f"“{archive.name}”中的附件“{member.filename}”名称不符合台账的格式，"
                        "该副本不能用于恢复。当前数据未改变。"
                    )
                if member.file_size > MAX_EVIDENCE_BYTES:
                    raise BackupError(
                        f"“{archive.name}”中的附件“{member.filename}”超过 600 MB，不能用于恢复。"
                    )
            declared = databases[0].file_size + sum(m.file_size for m in evidence)
            if databases[0].file_size > MAX_DATABASE_BYTES:
                raise BackupError(
                    f"“{archive.name}”中的数据库超过 4 GB，不是台账的完整副本。当前数据未改变。"
                )
            free = shutil.disk_usage(staging).free
            if declared > free - 100 * 1024 * 1024:
                raise BackupError(
                    f"磁盘空间不足：恢复“{archive.name}”需要约 {declared / 1024**2:.0f} MB。当前数据未改变。"
                )
            _extract(zf, databases[0], staging / "restore.db", archive.name)
            for done, member in enumerate(evidence):
                if progress is not None:
                    progress(done, len(evidence))
                m = _EVIDENCE_NAME.match(member.filename.replace("\\", "/"))
                assert m is not None
                target = staging / "附件" / m[1] / f"{m[2]}{m[3] or ''}"
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = _extract(zf, member, target, archive.name)
                if digest != m[2] or m[1] != m[2][:2]:
                    raise BackupError(
                        f"“{archive.name}”中的附件“{member.filename}”内容已损坏（与名称不符），"
                        "该副本不能用于恢复。当前数据未改变。"
                    )
            if progress is not None:
                progress(len(evidence), len(evidence))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError, NotImplementedError) as exc:
        raise BackupError(f"“{archive.name}”已损坏或已加密，无法读取。当前数据未改变。") from exc


def _extract(zf: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, archive: str) -> str:
    """Copy one member out, reading no more than it declares (a zip bomb stops here); return its SHA-256."""
    digest = hashlib.sha256()
    written = 0
    with zf.open(member) as src, open(target, "wb") as dst:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            written += len(chunk)
            if written > member.file_size:
                raise BackupError(
                    f"“{archive}”中的“{member.filename}”比记录的更大（可能是恶意文件），"
                    "不能用于恢复。当前数据未改变。"
                )
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _bring_up_to_date(database: Path, shown: str) -> None:
    """Apply any newer schema steps to the staged copy, then check it again."""
    try:
        con = sqlite3.connect(database)
        con.text_factory = tolerant_text
        try:
            db = Database(con, execute_plugins=False)
            migrations.apply(db)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute(f"PRAGMA application_id={APP_ID}")
            db.execute("PRAGMA journal_mode=DELETE")
            check_schema(con, shown)
            check_contents(con, shown)
        finally:
            con.close()
    except DatabaseError as exc:
        raise BackupError(str(exc).replace("文件未被改动", "不能用于恢复，当前数据未改变")) from exc
    except sqlite3.Error as exc:
        raise BackupError(f"“{shown}”无法升级到当前版本（{exc}），不能用于恢复。当前数据未改变。") from exc


def apply_restore(db: Database, db_path: Path, staging: Path) -> Path:
    """Swap a staged restore in: back up the current state, move the evidence in, replace the database.

    Returns the backup of the state before. On failure everything is as it was before, including the
    evidence folder. The staging folder is removed in every case. Runs on the connection's thread.
    """
    moved: list[Path] = []
    try:
        safety = make_backup(db, db_path, "restore")
        evidence = evidence_dir_of(db_path)
        staged = staging / "附件"
        if staged.is_dir():
            for file in sorted(p for p in staged.rglob("*") if p.is_file()):
                target = evidence / file.relative_to(staged)
                if target.exists():
                    continue  # content-addressed: the same content is already there
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(file, target)
                moved.append(target)
        src = sqlite3.connect(readonly_uri(staging / "restore.db"), uri=True)
        try:
            src.backup(db.conn)
        finally:
            src.close()
        db.execute("PRAGMA foreign_keys=ON")
        return safety
    except BaseException as exc:
        for path in moved:
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, sqlite3.Error):
            raise BackupError(f"恢复失败：{exc}。当前数据未改变。") from exc
        if isinstance(exc, OSError):
            raise BackupError(f"恢复失败：{describe_os_error(exc)}。当前数据未改变。") from exc
        raise
    finally:
        discard_staging(staging)
