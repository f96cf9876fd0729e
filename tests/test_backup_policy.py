"""The backup before a bulk change is the use case's, with the caller's policy for a backup that failed:
the default stops with nothing written; a policy may say to go on without a backup (Qt-free)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from models import store
from models.backup import backup_dir, list_backups
from models.db import open_database
from models.errors import BackupError, TaizhangError
from models.samples import seed_database
from services import importing, plans, rollup
from services.safety import GoOn, backup_before, stop
from tests.test_rollup import _fill, _plan


def _blocked(path: Path) -> Path:
    """Make every backup of the database at `path` fail: a file stands where the backups folder goes."""
    backup_dir(path).write_text("not a folder")
    return path


def _dump(db: Database) -> list[str]:
    return list(db.conn.iterdump())


class Asked:
    """A policy that records what it was asked and answers as told."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.problems: list[BackupError] = []

    def __call__(self, problem: BackupError) -> bool:
        self.problems.append(problem)
        return self.answer


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    """The sample database as a file whose backups cannot be made."""
    path = tmp_path / "taizhang.db"
    db = open_database(path)
    seed_database(db)
    _blocked(path)
    yield db, path
    db.close()


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    """A workbook of two activities to import."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "活动名称", "活动内容", "活动时间", "牵头单位"])
    ws.append([1, "质量宣传进企业", "走访企业", "9月", "质量发展科"])
    ws.append([2, "计量进社区", "义务检定", "5月", "计量科"])
    path = tmp_path / "活动.xlsx"
    wb.save(path)
    return path


def test_backup_before_stops_by_default_and_goes_on_when_the_policy_says_so(
    office: tuple[Database, Path],
) -> None:
    db, path = office
    with pytest.raises(BackupError, match="无法复制数据库"):
        backup_before(db, path, "import")
    assert stop(BackupError("x")) is False
    went_on = GoOn()
    assert backup_before(db, path, "import", went_on) is None
    assert len(went_on.problems) == 1 and went_on.problems[0].startswith("无法复制数据库")
    assert backup_before(db, None, "import", stop) is None  # an in-memory database has nothing to back up


def test_a_working_backup_never_asks(db_file: Path) -> None:
    db = open_database(db_file)
    try:
        asked = Asked(False)
        made = backup_before(db, db_file, "import", asked)
        assert made is not None and made.is_file() and asked.problems == []
        assert [b.kind for b in list_backups(db_file)] == ["import"]
    finally:
        db.close()


def test_import_stops_when_the_backup_fails_and_writes_nothing(
    office: tuple[Database, Path], sheet: Path
) -> None:
    db, path = office
    before = _dump(db)
    with pytest.raises(BackupError, match="无法复制数据库"):
        importing.import_path(db, sheet, backup_of=path)
    asked = Asked(False)
    with pytest.raises(BackupError):
        importing.import_path(db, sheet, backup_of=path, on_backup_failure=asked)
    preview = importing.preview_path(db, sheet)
    with pytest.raises(BackupError):
        importing.apply_preview(db, preview, backup_of=path)
    with pytest.raises(BackupError):
        importing.apply_preview(db, preview, backup_of=path, on_backup_failure=asked)
    assert len(asked.problems) == 2 and "无法复制数据库" in str(asked.problems[0])
    assert _dump(db) == before


def test_import_goes_on_without_a_backup_when_the_policy_says_so(
    office: tuple[Database, Path], sheet: Path
) -> None:
    db, path = office
    count = len(store.list_plans(db))
    asked = Asked(True)
    outcome = importing.import_path(db, sheet, backup_of=path, on_backup_failure=asked)
    assert [a.name for a in store.list_activities(db, outcome.plan_id)] == ["质量宣传进企业", "计量进社区"]
    outcome = importing.apply_preview(
        db, importing.preview_path(db, sheet), backup_of=path, on_backup_failure=asked
    )
    assert len(store.list_plans(db)) == count + 2 and len(asked.problems) == 2


def test_deleting_a_plan_stops_when_the_backup_fails_unless_told_to_go_on(
    office: tuple[Database, Path],
) -> None:
    db, path = office
    plan_id = int(store.list_plans(db)[0].plan.id or 0)
    before = _dump(db)
    with pytest.raises(BackupError):
        plans.delete_plan(db, plan_id, backup_of=path)
    with pytest.raises(BackupError):
        plans.delete_plan(db, plan_id, backup_of=path, on_backup_failure=Asked(False))
    assert _dump(db) == before
    asked = Asked(True)
    snapshot = plans.delete_plan(db, plan_id, backup_of=path, on_backup_failure=asked)
    assert snapshot.plan.id == plan_id and len(asked.problems) == 1
    assert plan_id not in [s.plan.id for s in store.list_plans(db)]


def test_deleting_a_plan_backs_up_first(db_file: Path) -> None:
    db = open_database(db_file)
    try:
        plans.delete_plan(db, 1, backup_of=db_file)
        assert [b.kind for b in list_backups(db_file)] == ["delete"]
    finally:
        db.close()


@pytest.fixture
def returns(tmp_path: Path) -> Iterator[tuple[Database, Path, int, Path]]:
    """A city office's database (backups blocked) and one office's filled-in return."""
    path = tmp_path / "city.db"
    db = open_database(path)
    plan_id = _plan(db)
    out = tmp_path / "下发"
    out.mkdir()
    template = rollup.rollout(db, plan_id, out, offices=["岳阳县局"])[0].path
    filled = _fill(template, {"企业质量提升": ("已完成", 100, "完成")}, tmp_path / "岳阳.xlsx")
    _blocked(path)
    yield db, path, plan_id, filled
    db.close()


def test_collecting_stops_when_the_backup_fails_and_writes_nothing(
    returns: tuple[Database, Path, int, Path],
) -> None:
    db, path, plan_id, filled = returns
    before = _dump(db)
    with pytest.raises(BackupError):
        rollup.collect(db, plan_id, [filled], None, backup_of=path)
    preview = rollup.preview_returns(db, plan_id, [filled])
    asked = Asked(False)
    with pytest.raises(BackupError):
        rollup.apply_returns(db, preview, None, backup_of=path, on_backup_failure=asked)
    with pytest.raises(BackupError):
        rollup.collect(db, plan_id, [filled], None, backup_of=path, on_backup_failure=asked)
    assert len(asked.problems) == 2
    assert _dump(db) == before


@pytest.mark.parametrize("how", ["collect", "apply_returns"])
def test_collecting_goes_on_without_a_backup_when_the_policy_says_so(
    returns: tuple[Database, Path, int, Path], how: str
) -> None:
    db, path, plan_id, filled = returns
    asked = Asked(True)
    if how == "collect":
        [outcome] = rollup.collect(db, plan_id, [filled], None, backup_of=path, on_backup_failure=asked)
    else:
        preview = rollup.preview_returns(db, plan_id, [filled])
        [outcome] = rollup.apply_returns(db, preview, None, backup_of=path, on_backup_failure=asked)
    assert outcome.changes == 3 and not outcome.refused and outcome.return_id is not None
    assert len(asked.problems) == 1


def test_importing_an_upper_template_stops_when_the_backup_fails_unless_told_to_go_on(
    returns: tuple[Database, Path, int, Path], tmp_path: Path
) -> None:
    db, _path, plan_id, _filled = returns
    template = rollup.rollout(db, plan_id, tmp_path / "下发", offices=["岳阳县局"])[0].path
    county_path = _blocked(tmp_path / "county.db")
    county = open_database(county_path)
    try:
        before = _dump(county)
        with pytest.raises(BackupError):
            rollup.import_upper(county, template, backup_of=county_path)
        with pytest.raises(BackupError):
            rollup.import_upper(county, template, backup_of=county_path, on_backup_failure=Asked(False))
        assert _dump(county) == before
        asked = Asked(True)
        county_plan = rollup.import_upper(county, template, backup_of=county_path, on_backup_failure=asked)
        assert [a.name for a in store.list_activities(county, county_plan)] == [
            "质量月启动仪式",
            "企业质量提升",
        ]
        assert len(asked.problems) == 1
    finally:
        county.close()


def test_a_file_that_is_no_upper_template_is_refused_before_any_backup(
    office: tuple[Database, Path], sheet: Path
) -> None:
    db, path = office
    asked = Asked(True)
    with pytest.raises(TaizhangError):
        rollup.import_upper(db, sheet, backup_of=path, on_backup_failure=asked)
    assert asked.problems == []
