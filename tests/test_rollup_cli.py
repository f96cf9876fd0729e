"""The roll-up sub-commands end to end: rollout, collect, status --offices, export --report offices, reply."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from main import main
from models.db import open_database
from tests.test_rollup import _fill, city_file


@pytest.fixture
def city(tmp_path: Path) -> Path:
    return city_file(tmp_path / "city.db")


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_rollout_collect_status_and_export(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "下发"
    assert main(["rollout", "--db", str(city), "--plan", "1", "--out", str(out)]) == 0
    paths = [Path(p) for p in _lines(capsys)]
    assert [p.name for p in paths] == [
        "岳阳县局-2024年“质量月”活动方案-进展情况表.xlsx",
        "华容县局-2024年“质量月”活动方案-进展情况表.xlsx",
    ]
    returns = tmp_path / "回收"
    returns.mkdir()
    _fill(paths[0], {"企业质量提升": ("已完成", 100, "完成")}, returns / "岳阳.xlsx")
    (returns / "坏.xlsx").write_bytes(b"PK\x03\x04broken")
    code = main(["collect", "--db", str(city), "--plan", "1", str(returns)])
    lines = _lines(capsys)
    assert code == 2  # one refused; the other still collected
    from models.backup import list_backups

    assert [b.kind for b in list_backups(city)].count("import") == 1  # backed up first, by the use case
    assert lines[0].startswith("坏.xlsx\t拒收\t") and lines[1] == "岳阳.xlsx\t岳阳县局\t匹配 2 行\t变化 3 处"
    assert main(["status", "--db", str(city), "--plan", "1", "--offices", "--today", "2024-09-26"]) == 0
    assert _lines(capsys) == ["岳阳县局\treturned\t1/2", "华容县局\tlate\t0/2"]
    xlsx = tmp_path / "汇总.xlsx"
    assert main(["export", "--db", str(city), "--plan", "1", "--report", "offices", "--out", str(xlsx)]) == 0
    ws = load_workbook(xlsx)["汇总表"]
    assert [c.value for c in ws[3]] == [
        "序号",
        "活动名称",
        "牵头部门",
        "岳阳县局",
        "华容县局",
        "完成情况（汇总）",
    ]
    assert [c.value for c in ws[5]][3:] == ["已完成 100%", None, "岳阳县局：完成"]
    pdf = tmp_path / "汇总.pdf"
    assert main(["export", "--db", str(city), "--plan", "1", "--report", "offices", "--out", str(pdf)]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert (
        "各单位进展汇总表" in flat and "华容县局" in flat and "岳阳县局：完成" in flat and "逾期未报" in flat
    )


def test_county_imports_the_template_and_replies_round_trip(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["rollout", "--db", str(city), "--plan", "1", "--out", str(tmp_path), "--office", "岳阳县局"])
    [template] = [Path(p) for p in _lines(capsys)]
    county = tmp_path / "county.db"
    assert main(["import", "--db", str(county), str(template)]) == 0
    county_plan = _lines(capsys)[-1]
    from models.backup import list_backups

    assert [b.kind for b in list_backups(county)].count("import") == 1  # the template import backed up first
    db = open_database(county)
    from models import store
    from services.editing import set_activity_fields

    for a in store.list_activities(db, int(county_plan)):
        set_activity_fields(
            db, int(a.id or 0), {"status": "已完成", "progress": 100, "completion_notes": "县局已完成"}
        )
    db.close()
    answer = tmp_path / "回复.xlsx"
    assert (
        main(["reply", "--db", str(county), "--plan", county_plan, "--out", str(answer), "--filler", "王五"])
        == 0
    )
    assert main(["collect", "--db", str(city), "--plan", "1", str(answer)]) == 0
    assert _lines(capsys) == ["回复.xlsx\t岳阳县局\t匹配 2 行\t变化 6 处"]
    assert main(["status", "--db", str(city), "--plan", "1", "--offices"]) == 0
    assert _lines(capsys)[0] == "岳阳县局\treturned\t2/2"


def test_unknown_office_in_rollout_is_told(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["rollout", "--db", str(city), "--plan", "1", "--out", str(tmp_path), "--office", "某某局"]) == 2
    )
    assert "“某某局”不是本方案的报送单位。可选：岳阳县局、华容县局" in capsys.readouterr().err
