"""The command line: sub-commands, messages on stderr, ids on stdout, non-zero exits with Chinese messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from main import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, timeout=120
    )


def test_help_documents_the_sub_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("plans", "export", "import", "status", "backup", "restore", "--screenshot", "--db"):
        assert word in result.stdout
    assert result.stdout.startswith("用法：") and "显示本帮助并退出" in result.stdout
    assert "show this help" not in result.stdout and "usage:" not in result.stdout


def test_wrong_options_are_told_in_chinese() -> None:
    result = run("export", "--plan", "x")
    assert result.returncode == 2
    assert "错误：参数 --plan: 不是整数：'x'" in result.stderr and "error:" not in result.stderr
    result = run("export")
    assert result.returncode == 2 and "错误：缺少必需的参数：--plan, --out" in result.stderr


def test_plans_lists_id_title_and_count(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plans", "--db", str(db_file)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        "1\t岳阳市市场监管系统2024年“质量月”活动方案\t12",
        "2\t共青城市市场监督管理局2024年“质量月”活动方案\t12",
    ]


def test_db_option_before_the_sub_command_is_kept(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_file), "plans"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2


@pytest.mark.parametrize("content", [b"garbage" * 100, b""])
def test_bad_database_gives_message_and_exit_2(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    if not content:
        path = tmp_path / "folder"
        path.mkdir()
    result = run("plans", "--db", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("错误：") and "Traceback" not in result.stderr


def test_status_prints_overview_with_injected_date(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--db", str(db_file), "--plan", "1", "--today", "2024-09-20"]) == 0
    out = capsys.readouterr().out
    assert "岳阳市市场监管系统2024年“质量月”活动方案" in out
    assert "未开始" in out and "深入宣贯《公平竞争审查条例》" in out  # 9月上旬: overdue on 9-20
    assert "反不正当竞争和反垄断科" in out


def test_status_rejects_impossible_date_and_unknown_plan(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--db", str(db_file), "--today", "2024-02-30"]) == 2
    assert "日期" in capsys.readouterr().err
    assert main(["status", "--db", str(db_file), "--plan", "99"]) == 2
    assert "没有编号为 99 的方案" in capsys.readouterr().err


def test_export_rejects_unknown_suffix(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--db", str(db_file), "--plan", "1", "--out", str(tmp_path / "t.doc")]) == 2
    assert ".xlsx 或 .pdf" in capsys.readouterr().err


def test_backup_and_restore_round_trip(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "copy.zip"
    assert main(["backup", "--db", str(db_file), "--out", str(out)]) == 0
    assert out.exists()
    from models import store as repo
    from models.db import open_database

    db = open_database(db_file)
    repo.delete_plan(db, 1)
    db.close()
    assert main(["restore", "--db", str(db_file), str(out)]) == 0
    assert main(["plans", "--db", str(db_file)]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2


def test_restore_of_a_bad_file_fails_cleanly(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK not really")
    assert main(["restore", "--db", str(db_file), str(bad)]) == 2
    assert "错误" in capsys.readouterr().err


def test_screenshot_renders_the_window(db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = run("--db", str(db_file), "--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 728)  # an office laptop less its taskbar


@pytest.mark.parametrize(
    ("name", "report"), [("t.xlsx", None), ("p.xlsx", "progress"), ("t.pdf", None), ("s.pdf", "summary")]
)
def test_export_writes_each_report(
    db_file: Path, tmp_path: Path, name: str, report: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    args = ["export", "--db", str(db_file), "--plan", "2", "--out", str(out), "--today", "2024-09-20"]
    if report:
        args += ["--report", report]
    assert main(args) == 0
    assert out.stat().st_size > 1000
    assert "已导出" in capsys.readouterr().err


def test_export_rejects_report_of_the_other_format(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "export",
                "--db",
                str(db_file),
                "--plan",
                "1",
                "--out",
                str(tmp_path / "x.pdf"),
                "--report",
                "progress",
            ]
        )
        == 2
    )
    assert "table 或 summary" in capsys.readouterr().err


def test_import_prints_only_the_new_plan_id(db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    assert run("export", "--db", str(db_file), "--plan", "2", "--out", str(out)).returncode == 0
    result = run("import", "--db", str(db_file), str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"
    listed = run("plans", "--db", str(db_file)).stdout
    assert "3\t共青城市市场监督管理局2024年“质量月”主要活动安排表" in listed or "\n3\t" in "\n" + listed


def test_import_of_a_bad_file_fails_without_writing(db_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    result = run("import", "--db", str(db_file), str(bad))
    assert result.returncode == 2 and result.stdout == ""
    assert "不是 Excel 工作簿" in result.stderr
    assert len(run("plans", "--db", str(db_file)).stdout.strip().splitlines()) == 2


def test_output_to_a_gbk_pipe_never_crashes(db_file: Path) -> None:
    """A Windows pipe or file gets the ANSI code page (GBK); a title with 𠮷 must not raise."""
    from models import store as repo
    from models.db import open_database

    db = open_database(db_file)
    repo.update_plan(db, 1, title="𠮷林市质量月方案")
    db.close()
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "plans", "--db", str(db_file)],
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "gbk"},
    )
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    assert "林市质量月方案".encode("gbk") in result.stdout and b"Traceback" not in result.stderr


def test_an_unexpected_failure_is_a_message_not_a_traceback(
    db_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import cli

    def broken(*_args: object) -> None:
        raise RuntimeError("磁盘出错")

    monkeypatch.setattr(cli.store, "list_plans", broken)  # the one store module every command uses
    assert main(["plans", "--db", str(db_file)]) == 1
    assert capsys.readouterr().err.startswith("错误：发生意外错误（RuntimeError：磁盘出错）")


def test_a_lone_database_path_opens_it(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dropping a .db file on the program (or 打开方式 in Explorer) passes just its path."""
    import ui.app

    opened: list[object] = []
    monkeypatch.setattr(ui.app, "run_gui", lambda db, *a, **k: opened.append(db) or 0)
    assert main([str(db_file)]) == 0
    assert opened == [str(db_file)]
