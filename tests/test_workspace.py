"""Opening files: default database with samples, one writer, read-only places, damaged files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models import store as repo
from models.backup import list_backups
from models.db import DatabaseError, NotADatabaseError
from models.records import Plan
from models.workspace import newest_good_backup, open_workspace

ROOT = Path(__file__).resolve().parent.parent


def test_default_database_is_created_with_samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAIZHANG_HOME", str(tmp_path / "appdata"))
    ws = open_workspace(None)
    assert ws.created and ws.path == tmp_path / "appdata" / "taizhang.db"
    assert [s.activities for s in repo.list_plans(ws.db)] == [12, 12]
    ws.close()
    again = open_workspace(None)
    assert not again.created and len(repo.list_plans(again.db)) == 2
    again.close()


def test_explicit_missing_file_is_created_empty(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "new.db")
    assert ws.created and repo.list_plans(ws.db) == []
    ws.close()


def test_opening_makes_one_daily_backup(db_file: Path) -> None:
    open_workspace(db_file).close()
    open_workspace(db_file).close()
    assert [b.kind for b in list_backups(db_file)] == ["daily"]


def test_second_writer_opens_read_only_naming_the_holder(db_file: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(ROOT)!r})
            from models.workspace import open_workspace
            ws = open_workspace({str(db_file)!r})
            print("ready", flush=True)
            time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        ws = open_workspace(db_file)
        assert ws.readonly
        assert "正由" in ws.readonly_reason and "只读" in ws.readonly_reason
        assert len(repo.list_plans(ws.db)) == 2
        with pytest.raises(Exception):  # noqa: B017 - sqlite refuses any write on a read-only connection
            repo.create_plan(ws.db, Plan(title="x"))
        ws.close()
    finally:
        holder.kill()
        holder.wait()
    ws = open_workspace(db_file)
    assert not ws.readonly  # the lock dies with its process
    ws.close()


def test_read_only_file_opens_read_only(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # root ignores file permissions, so the check the program makes is answered as on a clerk's PC
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    before = db_file.read_bytes()
    ws = open_workspace(db_file)
    assert ws.readonly and "只读" in ws.readonly_reason
    assert len(repo.list_plans(ws.db)) == 2
    ws.close()
    assert db_file.read_bytes() == before


def test_not_a_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库" * 50, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError):
        open_workspace(path)
    assert path.read_bytes() == before


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="文件夹"):
        open_workspace(tmp_path)


def test_newest_good_backup_skips_damaged_ones(db_file: Path) -> None:
    open_workspace(db_file).close()
    [daily] = list_backups(db_file)
    broken = daily.path.with_name(daily.path.name.replace("daily", "import"))
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    good = newest_good_backup(db_file)
    assert good is not None and good.path == daily.path


def test_older_database_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from models.db import KNOWN_MIGRATIONS, migrations

    path = tmp_path / "old.db"
    legacy = Database(path)
    migrations.apply(legacy, stop_before=KNOWN_MIGRATIONS[1])
    legacy.execute("INSERT INTO plans (title, created_at, updated_at) VALUES ('旧方案', 'x', 'x')")
    legacy.conn.commit()
    legacy.close()
    ws = open_workspace(path)
    assert "status" in ws.db["activities"].columns_dict
    kinds = [b.kind for b in list_backups(path)]
    assert "migration" in kinds
    backup = next(b for b in list_backups(path) if b.kind == "migration")
    old = Database(backup.path)
    assert "status" not in old["activities"].columns_dict  # the copy was taken before the upgrade
    ws.close()


def test_read_only_uris_keep_drive_letters_and_shares_and_escape_names(tmp_path: Path) -> None:
    """Path.as_uri() turns a mapped drive into file://server/…, which SQLite refuses on Windows."""
    from models.db import file_uri, open_database, readonly_uri

    assert file_uri("Z:/台账/a b#1.db") == "file:///Z:/%E5%8F%B0%E8%B4%A6/a%20b%231.db"
    assert file_uri("//fileserver/质监股/taizhang.db").startswith("file:////fileserver/")
    assert file_uri("/home/clerk/t.db") == "file:///home/clerk/t.db"
    odd = tmp_path / "质量月 #1?%.db"
    open_database(odd).close()
    assert readonly_uri(odd).endswith("?mode=ro")
    db = open_database(odd, readonly=True)  # opens through the URI, truly read-only
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("CREATE TABLE scribble (x)")
    db.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="lists open files through /proc")
def test_a_database_that_fails_to_open_is_not_left_open(tmp_path: Path) -> None:
    """On Windows an open handle keeps the file from being renamed aside before a restore."""
    from models.db import DamagedDatabaseError, open_database

    path = tmp_path / "taizhang.db"
    open_database(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page is garbage: SQLite itself fails
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabaseError):
        open_database(path)
    still_open = [os.readlink(f) for f in Path("/proc/self/fd").iterdir() if f.is_symlink()]
    assert str(path) not in still_open


def test_a_folder_that_refuses_new_files_opens_read_only(
    db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows os.access() says yes to a share the clerk may only read; creating a file says no."""
    real_open = os.open

    def refuse_probe(path: object, *args: object, **kwargs: object) -> int:
        if ".taizhang-probe-" in str(path):
            raise PermissionError(13, "Access is denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse_probe)
    ws = open_workspace(db_file)
    assert ws.readonly and "只读" in ws.readonly_reason and ws.lock is None
    ws.close()
    assert not list(db_file.parent.glob(".taizhang-probe-*"))


def test_no_lock_file_means_read_only(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the writer lock two PCs could change the file at once, so it opens read-only."""
    from models.lock import WriterLock

    def refuse(self: WriterLock) -> None:
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(WriterLock, "acquire", refuse)
    ws = open_workspace(db_file)
    assert ws.readonly and "占用标记" in ws.readonly_reason
    ws.close()


def test_a_wal_file_is_not_read_over_the_network(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PC sharing the folder works on the file locally (WAL); a second PC reading it over the network
    could be handed wrong pages, so it is told to wait instead."""
    import models.db as db_module
    from models.db import open_database

    writer = open_database(db_file)  # local: WAL
    assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    monkeypatch.setattr(db_module, "is_network_path", lambda _p: True)
    with pytest.raises(DatabaseError, match="共享它的那台电脑"):
        open_database(db_file, readonly=True)
    writer.close()
    # closed on the sharing PC: still WAL in its header, but nobody has it open, so it can be read
    reader = open_database(db_file, readonly=True)
    assert len(repo.list_plans(reader)) == 2
    reader.close()
    # a writer that reaches the file over the network turns it back to a rollback journal,
    # after which others can read it over the network
    over_network = open_database(db_file)
    assert over_network.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    reader = open_database(db_file, readonly=True)
    assert len(repo.list_plans(reader)) == 2
    reader.close()
    over_network.close()
