"""Issue 18, checked again by hand and fixed: nothing is created beside a file that is only read, a
table-less SQLite file another program has marked is refused, a refused restore leaves the backups as
they were, a read-only database can be backed up, a failed backup copy leaves no -wal/-shm, a full disk
in openpyxl's sheet writer is one message, missing folders and missing permissions are told apart."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from main import main
from models import leftovers
from models.backup import backup_dir, copy_database, list_backups
from models.db import open_database
from models.errors import BackupError, ExportError
from models.workspace import open_workspace
from services.backups import save_copy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAIZHANG_HOME", str(tmp_path / "home"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wal_file(path: Path, sql: str) -> Path:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.executescript(sql)
    con.commit()
    con.close()
    assert not path.with_name(path.name + "-wal").exists()
    return path


def test_another_programs_wal_database_gets_no_files_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = _wal_file(tmp_path / "其他.db", "CREATE TABLE settings (key TEXT, value TEXT);")
    before = _digest(foreign)
    assert main(["plans", "--db", str(foreign)]) == 2
    assert "其他程序" in capsys.readouterr().err
    assert _digest(foreign) == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["其他.db"]


def test_a_tableless_sqlite_file_marked_by_another_program_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for pragma in ("application_id=12345", "user_version=7"):
        path = tmp_path / f"{pragma.split('=')[0]}.db"
        con = sqlite3.connect(path)
        con.execute(f"PRAGMA {pragma}")
        con.commit()
        con.close()
        before = _digest(path)
        assert main(["plans", "--db", str(path)]) == 2
        assert "其他程序" in capsys.readouterr().err
        assert _digest(path) == before


def test_restoring_a_damaged_wal_backup_leaves_nothing_beside_it_and_names_the_damage(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    picked = tmp_path / "picked"
    picked.mkdir()
    damaged = bytearray(db_file.read_bytes())  # a WAL-mode file (its header says so)
    assert damaged[18] == 2
    for i in range(4096 + 16, 4096 + 400):
        damaged[i] ^= 0x55
    (picked / "坏.db").write_bytes(bytes(damaged))
    open_workspace(db_file).close()  # the day's backup exists already
    backups = {p.name: _digest(p) for p in backup_dir(db_file).iterdir()}
    live = _digest(db_file)
    assert main(["restore", "--db", str(db_file), str(picked / "坏.db")]) == 2
    err = capsys.readouterr().err
    assert "当前数据未改变" in err and "restore.db" not in err and ".taizhang-restore" not in err
    assert [p.name for p in picked.iterdir()] == ["坏.db"]
    assert _digest(db_file) == live
    assert {p.name: _digest(p) for p in backup_dir(db_file).iterdir()} == backups


def test_a_refused_restore_makes_no_daily_backup_and_prunes_none(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "f.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE plans (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    assert not backup_dir(db_file).exists()
    assert main(["restore", "--db", str(db_file), str(foreign)]) == 2
    assert "不能用于恢复" in capsys.readouterr().err
    assert list_backups(db_file) == []


def test_a_read_only_wal_file_in_a_writable_folder_gets_no_files_beside_it(
    db_file: Path, tmp_path: Path
) -> None:
    open_workspace(db_file).close()
    folder = db_file.parent
    before = sorted(p.name for p in folder.iterdir())
    db = open_database(db_file, readonly=True)
    assert db.execute("SELECT COUNT(*) FROM plans").fetchone()[0] == 2
    db.close()
    assert sorted(p.name for p in folder.iterdir()) == before  # no -wal, no -shm


def test_a_read_only_database_can_be_backed_up_elsewhere(
    db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backups folder cannot be written (simulated: root writes anywhere): the snapshot goes to the
    program's own data folder, never the system's temp folder, and is gone afterwards."""
    (db_file.parent / "backups").write_text("not a folder")
    db = open_database(db_file, readonly=True)
    out = tmp_path / "out" / "副本.zip"
    out.parent.mkdir()
    assert save_copy(db, db_file, out) == out
    db.close()
    assert out.is_file()
    assert list(leftovers.temporary_folder().glob(".snapshot-*")) == []


def test_a_failed_copy_leaves_neither_part_nor_wal_nor_shm(db_file: Path, tmp_path: Path) -> None:
    db = open_database(db_file)
    target = tmp_path / "b" / "x.db"

    real_connect = sqlite3.connect
    kept: list[sqlite3.Connection] = []

    def failing_backup(*args: object, **kwargs: object) -> sqlite3.Connection:
        con = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE t (a)")  # the copy's -wal and -shm now exist (kept open)
        kept.append(con)
        raise sqlite3.OperationalError("database or disk is full")

    mp = pytest.MonkeyPatch()
    mp.setattr(sqlite3, "connect", failing_backup)
    try:
        with pytest.raises(BackupError, match="磁盘空间已满"):
            copy_database(db, target)
    finally:
        mp.undo()
    assert list(target.parent.iterdir()) == []
    for con in kept:
        con.close()
    db.close()


FULL_TEMP = textwrap.dedent("""
    import resource, signal, sys
    sys.path.insert(0, {root!r})
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    from services import exporting
    from models import store
    from models.db import open_database
    from models.records import Activity
    db = open_database({db!r})
    for i in range(3000):
        store.insert_activity(db, 1, Activity(name=f"活动{{i}}" * 5))
    db.close()
    run = exporting.run_export
    def full_disk(*args, **kwargs):  # openpyxl's sheet file can grow no further, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))
        return run(*args, **kwargs)
    exporting.run_export = full_disk
    from main import main
    sys.exit(main(["export", "--db", {db!r}, "--plan", "1", "--out", {out!r}]))
""")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_in_the_sheet_writer_is_one_message_without_traceback(
    db_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "表.xlsx"
    result = subprocess.run(
        [sys.executable, "-c", FULL_TEMP.format(root=str(ROOT), db=str(db_file), out=str(out))],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )
    assert result.returncode == 2, result.stderr
    assert "磁盘空间已满" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert not out.exists()


def test_openpyxl_temporaries_go_to_the_programs_own_folder(seeded_db: object, tmp_path: Path) -> None:
    from openpyxl.worksheet import _writer

    from exports.atomic import atomic_target

    with atomic_target(tmp_path / "a.xlsx") as tmp:
        name = _writer.create_temporary_file()
        assert Path(name).parent == leftovers.temporary_folder()
        tmp.write_bytes(b"x")
    os.remove(name)
    _writer.ALL_TEMP_FILES.remove(name)


def test_an_export_into_a_missing_folder_says_it_is_missing(tmp_path: Path) -> None:
    from exports.atomic import atomic_target

    with pytest.raises(ExportError, match="不存在"), atomic_target(tmp_path / "无" / "a.xlsx"):
        pass


def test_missing_folder_and_missing_permission_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the user may not enter (simulated: root may enter any folder) is no permission, not
    missing; checked for real as user nobody by hand (issue 18)."""
    from exports.inputs import input_problem
    from models.db import check_file
    from models.errors import DatabaseError

    assert "不存在" in (input_problem(tmp_path / "无" / "t.xlsx", 10**9) or "")
    closed = tmp_path / "closed"
    real_stat = Path.stat

    def stat(self: Path, **kwargs: object) -> os.stat_result:
        if closed in (self, *self.parents):
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat)
    assert "没有权限" in (input_problem(closed / "t.xlsx", 10**9) or "")
    with pytest.raises(DatabaseError, match="没有权限"):
        check_file(closed / "x.db")


def test_a_pdf_flate_bomb_is_refused_before_pdfium_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """300 MB of blanks in one page's content took PDFium 700 MB; the streaming pre-scan keeps none."""
    import pypdfium2 as pdfium

    from exports.plan_sources import SourceError, read_document
    from tests.hostile_inputs import pdf_flate_bomb

    path = tmp_path / "膨胀.pdf"
    pdf_flate_bomb(path)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("PDFium was asked to read the bomb")

    monkeypatch.setattr(pdfium, "PdfDocument", never)
    with pytest.raises(SourceError, match="解压后超过 64 MB"):
        read_document(path)
