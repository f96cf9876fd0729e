"""Hostile and unlucky database files: another program's file is never touched, a refused restore changes
nothing, one writer however the file is reached, damage named, nothing left behind."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from main import main
from models import store
from models.backup import evidence_dir_of, list_backups
from models.db import open_database
from models.errors import BackupError, DatabaseError
from models.records import Plan
from models.samples import seed_database
from models.workspace import open_workspace
from services.backups import restore_file, save_copy

ROOT = Path(__file__).resolve().parent.parent


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _foreign(path: Path, tables: str) -> Path:
    con = sqlite3.connect(path)
    con.executescript(tables)
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize(
    "tables",
    [
        "CREATE TABLE settings (key TEXT, value TEXT); INSERT INTO settings VALUES ('a', 'b');",
        "CREATE TABLE plans (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO plans VALUES (1, '别人的');",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY);",
    ],
)
def test_another_programs_database_is_never_modified(tmp_path: Path, tables: str) -> None:
    path = _foreign(tmp_path / "other.db", tables)
    before = _digest(path)
    with pytest.raises(DatabaseError, match="其他程序"):
        open_workspace(path)
    with pytest.raises(DatabaseError, match="其他程序"):
        open_database(path, readonly=True)
    assert main(["plans", "--db", str(path)]) == 2
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no lock, journal or backup beside it


def test_an_empty_file_and_an_empty_sqlite_file_become_new_databases(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    sqlite3.connect(tmp_path / "blank.db").execute("VACUUM").connection.close()
    for path in (empty, tmp_path / "blank.db"):
        workspace = open_workspace(path)
        store.create_plan(workspace.db, Plan(title="新方案"))
        workspace.close()
        assert open_workspace(path).db.execute("PRAGMA application_id").fetchone()[0] == 0x545A4847


def test_restoring_another_programs_file_changes_nothing(db_file: Path, tmp_path: Path) -> None:
    foreign = _foreign(tmp_path / "foreign.db", "CREATE TABLE plans (id INTEGER PRIMARY KEY, x TEXT);")
    workspace = open_workspace(db_file)
    before = [p.plan.title for p in store.list_plans(workspace.db)]
    backups_before = len(list_backups(db_file))
    with pytest.raises(BackupError, match="不是台账"):
        restore_file(workspace.db, db_file, foreign)
    assert [p.plan.title for p in store.list_plans(workspace.db)] == before
    assert len(list_backups(db_file)) == backups_before  # no safety backup pushed an old one out
    workspace.close()


def test_a_refused_full_copy_leaves_no_evidence_behind(db_file: Path, tmp_path: Path) -> None:
    workspace = open_workspace(db_file)
    good = save_copy(workspace.db, db_file, tmp_path / "good.zip")
    bad = tmp_path / "bad.zip"
    payload = os.urandom(3 * 1024 * 1024)
    name = hashlib.sha256(payload).hexdigest()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("taizhang.db", src.read("taizhang.db")[:5000])  # a damaged database
        zf.writestr(f"附件/{name[:2]}/{name}.mp4", payload)
    with pytest.raises(BackupError):
        restore_file(workspace.db, db_file, bad)
    evidence = evidence_dir_of(db_file)
    assert not evidence.exists() or not any(evidence.rglob("*.mp4"))
    assert not list(db_file.parent.glob(".taizhang-restore-*"))
    assert len(store.list_plans(workspace.db)) == 2
    workspace.close()


def test_a_full_copy_whose_evidence_lies_about_its_content_is_refused(db_file: Path, tmp_path: Path) -> None:
    workspace = open_workspace(db_file)
    good = save_copy(workspace.db, db_file, tmp_path / "good.zip")
    bad = tmp_path / "lies.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("taizhang.db", src.read("taizhang.db"))
        zf.writestr(f"附件/ab/{'ab' + '0' * 62}.jpg", b"not what the name says")
    with pytest.raises(BackupError, match="内容已损坏"):
        restore_file(workspace.db, db_file, bad)
    assert not evidence_dir_of(db_file).exists()
    workspace.close()


@pytest.mark.skipif(sys.platform == "win32", reason="links are made the POSIX way here")
@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_one_writer_however_the_file_is_reached(db_file: Path, tmp_path: Path, link: str) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    alias = other / "别名.db"
    (os.link if link == "hard" else os.symlink)(db_file, alias)
    first = open_workspace(db_file)
    second = open_workspace(alias)
    assert not first.readonly and second.readonly and "使用" in second.readonly_reason
    second.close()
    first.close()
    third = open_workspace(alias)  # once released, the other name may write
    assert not third.readonly
    third.close()


def test_a_wal_database_that_cannot_get_its_index_opens_read_only(db_file: Path, tmp_path: Path) -> None:
    """A read-only folder is simulated by making the -shm file impossible to create (a folder of that name):
    root, as CI runs, may write anywhere, so file permissions would prove nothing."""
    workspace = open_workspace(db_file)
    workspace.close()
    assert not db_file.with_name(db_file.name + "-wal").exists()
    db_file.with_name(db_file.name + "-shm").mkdir()
    db = open_database(db_file, readonly=True)
    assert len(store.list_plans(db)) == 2
    db.close()


def test_a_wal_database_with_a_live_log_is_read_from_a_private_copy(db_file: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    writer = open_database(db_file)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    store.create_plan(writer, Plan(title="只在日志里"))
    for suffix in ("", "-wal"):  # the file and its log as a crashed writer left them
        (shared / f"t.db{suffix}").write_bytes(db_file.with_name(db_file.name + suffix).read_bytes())
    writer.close()
    (shared / "t.db-shm").mkdir()
    db = open_database(shared / "t.db", readonly=True)
    assert "只在日志里" in [p.plan.title for p in store.list_plans(db)]
    db.close()
    assert sorted(p.name for p in shared.iterdir()) == [
        "t.db",
        "t.db-shm",
        "t.db-wal",
    ]  # nothing written there


KILLED_EXPORT = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    from exports.atomic import atomic_target
    with atomic_target({out!r}) as tmp:
        tmp.write_bytes(b"half")
        os._exit(9)
""")


def test_what_a_killed_export_leaves_is_removed_at_the_next_start(db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "表.xlsx"
    out.parent.mkdir()
    subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT.format(root=str(ROOT), out=str(out))],
        check=False,
        env={**os.environ},
    )
    assert [p.name for p in out.parent.iterdir()]  # the half-written temporary file is there
    open_workspace(db_file).close()
    assert list(out.parent.iterdir()) == []


def test_exports_get_the_folders_normal_permissions(seeded_db: object, tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX permissions")
    from exports.xlsx_export import export_table

    umask = os.umask(0o022)
    os.umask(umask)
    path = export_table(
        tmp_path / "t.xlsx", store.get_plan(seeded_db, 1), store.list_activities(seeded_db, 1)
    )  # type: ignore[arg-type]
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_damaged_text_is_refused_with_the_damage_named_and_a_good_backup_offered(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_workspace(db_file).close()  # today's backup, made while the file was sound
    con = sqlite3.connect(db_file)
    con.execute(
        "UPDATE activities SET name = CAST(X'E8B4A8E9' AS TEXT) WHERE id = 3"
    )  # cut inside a character
    con.commit()
    con.close()
    for backup in list_backups(db_file):
        if backup.kind == "daily":  # kept, but the next open is then the day's first: the content is read
            backup.path.rename(backup.path.with_name(backup.path.name.replace("-daily", "-manual")))
    assert main(["plans", "--db", str(db_file)]) == 2
    err = capsys.readouterr().err
    assert "已损坏" in err and "活动第 3 条记录" in err and "最近的完好备份" in err
    assert "Traceback" not in err


def test_flipped_bits_never_crash_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "base.db"
    db = open_database(base)
    seed_database(db)
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    data = base.read_bytes()
    rng = random.Random(20261203)
    for i in range(60):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(100, len(damaged))
            damaged[position] ^= 1 << rng.randrange(8)
        path = tmp_path / f"d{i}.db"
        path.write_bytes(bytes(damaged))
        for command in (
            ["plans"],
            ["status", "--plan", "1"],
            ["export", "--plan", "1", "--out", str(tmp_path / f"o{i}.xlsx")],
        ):
            code = main([*command, "--db", str(path)])
            err = capsys.readouterr().err
            assert code in (0, 2), (i, command, err)
            assert "意外错误" not in err and "Traceback" not in err, (i, command, err)


FULL_DISK = textwrap.dedent("""
    import resource, signal, sys
    sys.path.insert(0, {root!r})
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    from services import exporting
    run = exporting.run_export
    def full_disk(*args, **kwargs):  # from here on, writes past 30 kB fail, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))
        return run(*args, **kwargs)
    exporting.run_export = full_disk
    from main import main
    sys.exit(main(["export", "--db", {db!r}, "--plan", "1", "--out", {out!r}, "--report", "summary"]))
""")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_during_an_export_is_one_chinese_message(db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "总结.pdf"
    big = open_database(db_file)
    for a in store.list_activities(big, 1):
        from services.editing import set_activity_fields

        set_activity_fields(big, a.id or 0, {"completion_notes": "完成情况说明。" * 400})
    big.close()
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK.format(root=str(ROOT), db=str(db_file), out=str(out))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "磁盘空间已满" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
