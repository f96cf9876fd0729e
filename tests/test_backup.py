"""Backups: consistent copies, daily at most once, pruning, restore, full copy with evidence."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from models import store as repo
from models.backup import (
    BackupError,
    backup_dir,
    daily_backup_if_due,
    evidence_dir_of,
    list_backups,
    make_backup,
    prune,
)
from models.db import open_database
from models.evidence import attach_file
from services.backups import restore_file, save_copy


def test_backup_is_a_consistent_copy_with_counts(db_file: Path) -> None:
    db = open_database(db_file)
    path = make_backup(db, db_file, "manual")
    assert path.parent == backup_dir(db_file)
    [info] = list_backups(db_file)
    assert (info.kind, info.label, info.plans, info.activities) == ("manual", "手动", 2, 24)
    copy = open_database(path)
    assert len(repo.list_plans(copy)) == 2


def test_backup_list_reads_dates_from_names_and_skips_impossible_ones(db_file: Path) -> None:
    db = open_database(db_file)
    path = make_backup(db, db_file, "manual")
    stray = path.with_name(f"{db_file.stem}-20241399-250000-manual.db")  # month 13, hour 25
    stray.write_bytes(path.read_bytes())
    [info] = list_backups(db_file)
    assert info.path == path
    assert info.when.strftime("%Y%m%d-%H%M%S") in path.name


def test_daily_backup_only_once_a_day(db_file: Path) -> None:
    db = open_database(db_file)
    assert daily_backup_if_due(db, db_file) is not None
    assert daily_backup_if_due(db, db_file) is None
    assert [b.kind for b in list_backups(db_file)] == ["daily"]


def test_prune_keeps_the_configured_numbers(db_file: Path) -> None:
    db = open_database(db_file)
    start = dt.datetime(2024, 1, 1, 8)
    for day in range(5):
        make_backup(db, db_file, "daily", now=start + dt.timedelta(days=day))
    for n in range(4):
        make_backup(db, db_file, "import", now=start + dt.timedelta(hours=n))
    prune(db_file, keep_daily=3, keep_changes=2)
    kinds = [b.kind for b in list_backups(db_file)]
    assert kinds.count("daily") == 3 and kinds.count("import") == 2
    newest_daily = max(b.when for b in list_backups(db_file) if b.kind == "daily")
    assert newest_daily == start + dt.timedelta(days=4)


def test_pruning_never_touches_evidence(db_file: Path, tmp_path: Path) -> None:
    db = open_database(db_file)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8photo")
    activity = repo.list_activities(db, 1)[0]
    attach_file(db, evidence_dir_of(db_file), 1, activity.id, photo)
    for n in range(15):
        make_backup(db, db_file, "delete", now=dt.datetime(2024, 1, 1, 8, n))
    assert [p for p in evidence_dir_of(db_file).rglob("*") if p.is_file()]


def test_restore_brings_back_old_state_after_backing_up_current(db_file: Path) -> None:
    db = open_database(db_file)
    backup = make_backup(db, db_file, "manual")
    repo.delete_plan(db, 1)
    assert len(repo.list_plans(db)) == 1
    safety = restore_file(db, db_file, backup)
    assert len(repo.list_plans(db)) == 2
    assert len(repo.list_plans(open_database(safety))) == 1


def test_restore_refuses_a_bad_backup_and_keeps_data(db_file: Path, tmp_path: Path) -> None:
    db = open_database(db_file)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 20)
    with pytest.raises(BackupError, match="不是台账备份"):
        restore_file(db, db_file, bad)
    assert len(repo.list_plans(db)) == 2


def test_full_copy_zip_holds_database_and_evidence_and_restores(db_file: Path, tmp_path: Path) -> None:
    db = open_database(db_file)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8photo")
    activity = repo.list_activities(db, 1)[0]
    att = attach_file(db, evidence_dir_of(db_file), 1, activity.id, photo)
    out = save_copy(db, db_file, tmp_path / "copy.zip")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert "taizhang.db" in names
    assert any(n.startswith("附件/") and att.sha256 in n for n in names)
    # a fresh place: restoring the zip brings back the plans and the evidence file
    other = tmp_path / "other" / "taizhang.db"
    other.parent.mkdir()
    fresh = open_database(other)
    restore_file(fresh, other, out)
    assert len(repo.list_plans(fresh)) == 2
    assert [p for p in evidence_dir_of(other).rglob("*") if p.is_file()]


def test_full_copy_reports_progress_stores_photos_and_can_be_stopped(db_file: Path, tmp_path: Path) -> None:
    db = open_database(db_file)
    activity = repo.list_activities(db, 1)[0]
    for i in range(3):
        photo = tmp_path / f"p{i}.jpg"
        photo.write_bytes(b"\xff\xd8" + bytes([i]) * 5000)
        attach_file(db, evidence_dir_of(db_file), 1, activity.id, photo)
    calls: list[tuple[int, int]] = []
    out = save_copy(db, db_file, tmp_path / "copy.zip", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    with zipfile.ZipFile(out) as zf:
        kinds = {i.filename.rsplit(".", 1)[-1]: i.compress_type for i in zf.infolist()}
    assert kinds == {"db": zipfile.ZIP_DEFLATED, "jpg": zipfile.ZIP_STORED}  # photos are compressed already

    class Stop(Exception):
        pass

    def stop_at_second(done: int, total: int) -> None:
        if done == 1:
            raise Stop

    target = tmp_path / "stopped.zip"
    with pytest.raises(Stop):
        save_copy(db, db_file, target, progress=stop_at_second)
    assert not target.exists()
    assert not list(tmp_path.glob("*.part"))  # nothing half-written left behind


def test_a_full_copy_with_hostile_names_is_refused_and_writes_nothing(db_file: Path, tmp_path: Path) -> None:
    db = open_database(db_file)
    good = save_copy(db, db_file, tmp_path / "copy.zip")
    evil = tmp_path / "evil.zip"
    outside = tmp_path / "outside.txt"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("taizhang.db", src.read("taizhang.db"))
        zf.writestr("附件/../../outside.txt", "x")
        zf.writestr("附件/" + str(outside), "x")  # an absolute path after the prefix
        zf.writestr("附件/.", "x")  # the evidence folder itself
        zf.writestr("附件/ab/.", "x")
        zf.writestr("附件/..\\outside.txt", "x")  # Windows separators
        zf.writestr("附件/ab/photo.jpg", "ok")
    other = tmp_path / "other" / "taizhang.db"
    other.parent.mkdir()
    fresh = open_database(other)
    with pytest.raises(BackupError, match="名称不符合"):  # a copy Taizhang never wrote is refused whole
        restore_file(fresh, other, evil)
    assert not outside.exists()
    assert not evidence_dir_of(other).exists()  # nothing was unpacked into the evidence folder
    assert repo.list_plans(fresh) == []  # and the live database is as it was
    assert [p.name for p in other.parent.iterdir() if p.name.startswith(".taizhang-restore")] == []


def test_restoring_a_backup_from_an_older_version_upgrades_it(db_file: Path, tmp_path: Path) -> None:
    import sqlite3

    from models.db import KNOWN_MIGRATIONS, migrations

    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.close()
    from sqlite_utils import Database

    legacy = Database(old)
    migrations.apply(legacy, stop_before=KNOWN_MIGRATIONS[1])  # a file from the first version
    legacy.execute("INSERT INTO plans (title, created_at, updated_at) VALUES ('旧方案', 'x', 'x')")
    legacy.conn.commit()
    legacy.close()
    db = open_database(db_file)
    restore_file(db, db_file, old)
    assert [s.plan.title for s in repo.list_plans(db)] == ["旧方案"]
    assert "status" in db["activities"].columns_dict
