"""Is this file ours, and is it whole? Decided from the file itself before anything is written to it.

- `classify`: a Taizhang file carries its marker (PRAGMA application_id); a file without it is ours only
  if it holds nothing at all (an empty SQLite file) or exactly the schema our migrations write.
  Anything else is another program's database and is never touched.
- `check_schema`: every table and column the program uses is there (flipped bits can rename them).
- `check_contents`: every stored text is valid UTF-8 and every coded value is one the program writes
  (run before the daily backup, so that a damaged file never pushes the good backups out).
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from pathlib import Path

from models.errors import DatabaseError
from models.schema import APP_ID, KNOWN_MIGRATIONS, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"


class NotADatabaseError(DatabaseError):
    """The file is not an SQLite database, or is another program's SQLite database."""


class DamagedDatabaseError(DatabaseError):
    """The file is a Taizhang database but damaged; the message names the damage."""


def header(path: Path) -> bytes:
    """The first 100 bytes of a file ('' for a missing or empty one)."""
    try:
        with path.open("rb") as fh:
            return fh.read(100)
    except FileNotFoundError:
        return b""


def marker_of(head: bytes) -> int:
    """The application id recorded in an SQLite header (0 when none)."""
    return int.from_bytes(head[68:72], "big") if len(head) >= 72 else 0


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a file for reading without creating anything beside it.

    SQLite opening a WAL database read-only still creates its -wal and -shm files beside it (and cannot
    remove them afterwards): another program's file, a backup the clerk picked or a file in a read-only
    place would be left with them. When no -wal file is there, nobody has the database open, and it is
    read as immutable; when one is, SQLite uses the files that are there and adds none.
    """
    from models.paths import readonly_uri

    uri = readonly_uri(path)
    head = header(path)
    in_wal = len(head) >= 20 and head[18] == 2 and head[19] == 2
    if in_wal and not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=5)


def classify(path: Path) -> str:
    """Return "new" (missing or empty), "taizhang", "empty" (SQLite holding nothing) or "foreign".

    Raises NotADatabaseError for a file that is not SQLite at all and DamagedDatabaseError for a
    truncated header. Opens the file read-only, if at all.
    """
    head = header(path)
    if not head:
        return "new"
    if not head.startswith(SQLITE_MAGIC):
        raise NotADatabaseError(f"“{path.name}”不是台账数据库（SQLite）文件，文件未被改动。")
    if len(head) < 100:
        raise DamagedDatabaseError(f"“{path.name}”已损坏（文件被截断），文件未被改动。")
    marker = marker_of(head)
    if marker == APP_ID:
        return "taizhang"
    try:
        con = connect_readonly(path)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = int.from_bytes(head[60:64], "big")
            if not tables:
                # Nothing to lose, unless another program has marked the file as its own already.
                return "empty" if marker == 0 and version == 0 else "foreign"
            if "_sqlite_migrations" in tables and "plans" in tables:
                applied = {
                    r[0]
                    for r in con.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [migrations.name]
                    )
                }
                if applied and applied <= set(KNOWN_MIGRATIONS):
                    return "taizhang"  # our schema whose marker was lost (a flipped bit in the header)
        finally:
            con.close()
    except sqlite3.Error:
        pass
    return "foreign"


def refuse_foreign(path: Path) -> DatabaseError:
    """The message for another program's database (shown, never written to)."""
    return NotADatabaseError(
        f"“{path.name}”是其他程序的 SQLite 数据库，不是台账数据库。为避免损坏它，台账不会打开或修改这个文件，"
        "文件未被改动。请选择台账的数据库文件，或输入一个新文件名新建。"
    )


@functools.lru_cache(maxsize=1)
def expected_schema() -> dict[str, frozenset[str]]:
    """Every table the program's migrations create, with its columns."""
    con = sqlite3.connect(":memory:")
    try:
        from sqlite_utils import Database

        migrations.apply(Database(con, execute_plugins=False))
        return _schema(con)
    finally:
        con.close()


def _schema(con: sqlite3.Connection) -> dict[str, frozenset[str]]:
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: frozenset(r[1] for r in con.execute(f'PRAGMA table_info("{t}")')) for t in tables}


def check_schema(con: sqlite3.Connection, name: str) -> None:
    """Refuse a file whose tables or columns are not all there (flipped bits rename them)."""
    actual = _schema(con)
    for table, columns in expected_schema().items():
        if table not in actual:
            raise DamagedDatabaseError(f"“{name}”已损坏（缺少数据表 {table}），文件未被改动。")
        missing = sorted(columns - actual[table])
        if missing:
            raise DamagedDatabaseError(
                f"“{name}”已损坏（数据表 {table} 缺少列 {'、'.join(missing)}），文件未被改动。"
            )


#: What each table's coded columns may hold (text columns are checked for valid UTF-8 separately).
_TEXT_TABLES = {
    "plans": "id, title, office, doc_number, theme, period_text, report_deadline, report_to, report_contact, "
    "slogans, notes, annex_label, table_title",
    "activities": "id, name, content, time_text, location, remarks, status, completion_notes, completed_on, "
    "planned_start, planned_end",
    "units": "id, name, kind",
    "progress_entries": "id, text, author, entry_date",
    "attachments": "id, sha256, original_name, mime",
    "settings": "rowid, key, value",
}
_LABELS = {
    "plans": "方案",
    "activities": "活动",
    "units": "单位",
    "progress_entries": "进展记录",
    "attachments": "附件记录",
    "settings": "设置",
}


def check_contents(con: sqlite3.Connection, name: str) -> None:
    """Refuse a file whose stored texts or coded values are damaged, naming the first damaged row."""
    saved = con.text_factory
    con.text_factory = bytes
    try:
        for table, columns in _TEXT_TABLES.items():
            for row in con.execute(f"SELECT {columns} FROM {table}"):
                for value in row[1:]:
                    if isinstance(value, bytes):
                        try:
                            value.decode("utf-8")
                        except UnicodeDecodeError:
                            raise DamagedDatabaseError(
                                f"“{name}”已损坏（{_LABELS[table]}第 {row[0]} 条记录的文字无法读取），文件未被改动。"
                            ) from None
        bad_role = con.execute(
            "SELECT activity_id FROM activity_units WHERE role NOT IN ('lead', 'coop')"
        ).fetchone()
        if bad_role:
            raise DamagedDatabaseError(
                f"“{name}”已损坏（活动第 {bad_role[0]} 条记录的单位角色无法识别），文件未被改动。"
            )
        for row in con.execute(
            "SELECT id, completed_on, planned_start, planned_end, progress FROM activities"
        ):
            for value in row[1:4]:
                if value not in (None, b""):
                    try:
                        dt.date.fromisoformat(
                            value.decode("ascii") if isinstance(value, bytes) else str(value)
                        )
                    except (ValueError, UnicodeDecodeError):
                        raise DamagedDatabaseError(
                            f"“{name}”已损坏（活动第 {row[0]} 条记录的日期无法读取），文件未被改动。"
                        ) from None
            if not isinstance(row[4], int) or not 0 <= row[4] <= 100:
                raise DamagedDatabaseError(
                    f"“{name}”已损坏（活动第 {row[0]} 条记录的进度无法读取），文件未被改动。"
                )
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError(f"“{name}”已损坏（{exc}），文件未被改动。") from exc
    finally:
        con.text_factory = saved


def tolerant_text(data: bytes) -> str:
    """Decode stored text; a damaged byte shows as � instead of stopping the program."""
    return data.decode("utf-8", errors="replace")
