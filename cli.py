"""The headless sub-commands of main.py; messages go to standard error, results to standard output."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from models import repository as repo
from models.backup import BackupError, evidence_dir_of, make_backup, restore_backup, save_full_copy
from models.db import DatabaseError
from models.evidence import plan_photos
from models.workspace import Workspace, open_workspace


class CliError(Exception):
    """An expected failure: printed as a message, exit status 2."""


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _open(args: argparse.Namespace, *, write: bool = False) -> Workspace:
    workspace = open_workspace(getattr(args, "db", None))
    if write and workspace.readonly:
        workspace.close()
        raise CliError(workspace.readonly_reason or "数据库只读，不能写入。")
    return workspace


def _plan_id(workspace: Workspace, plan: int | None) -> int:
    if plan is not None:
        try:
            repo.get_plan(workspace.db, plan)
        except KeyError as exc:
            raise CliError(f"没有编号为 {plan} 的方案。用 `python main.py plans` 查看方案编号。") from exc
        return plan
    plans = repo.list_plans(workspace.db)
    if not plans:
        raise CliError("数据库中还没有方案。")
    return int(plans[0].plan.id or 0)


def _date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"日期“{text}”无效，请按 YYYY-MM-DD 填写，例如 2024-09-30。") from exc


def cmd_plans(args: argparse.Namespace) -> int:
    """Print one line per plan: id, title, number of activities."""
    workspace = _open(args)
    for summary in repo.list_plans(workspace.db):
        print(f"{summary.plan.id}\t{summary.plan.title}\t{summary.activities}")
    workspace.close()
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Print a plan's overview: counts per status, overdue activities with their lead units."""
    from models.tracking import compute_overview, format_overview

    workspace = _open(args)
    plan_id = _plan_id(workspace, args.plan)
    plan = repo.get_plan(workspace.db, plan_id)
    days = int(repo.get_setting(workspace.db, "due_soon_days", "7") or 7)
    overview = compute_overview(plan, repo.list_activities(workspace.db, plan_id), _date(args.today), days)
    print(format_overview(overview))
    workspace.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a plan's table, progress report or summary to .xlsx or .pdf."""
    from exports.atomic import ExportError

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise CliError("--out 的文件名须以 .xlsx 或 .pdf 结尾。")
    report = args.report or "table"
    allowed = {".xlsx": ("table", "progress"), ".pdf": ("table", "summary")}[suffix]
    if report not in allowed:
        raise CliError(f"{suffix} 文件可选的 --report 为：{' 或 '.join(allowed)}。")
    workspace = _open(args)
    plan_id = _plan_id(workspace, args.plan)
    plan = repo.get_plan(workspace.db, plan_id)
    activities = repo.list_activities(workspace.db, plan_id)
    today = _date(getattr(args, "today", None))
    days = int(repo.get_setting(workspace.db, "due_soon_days", "7") or 7)
    try:
        if suffix == ".xlsx":
            from exports import xlsx_export

            if report == "table":
                xlsx_export.export_table(out, plan, activities)
            else:
                xlsx_export.export_progress_report(out, plan, activities, today=today, due_soon_days=days)
        else:
            from exports import pdf

            options = pdf.options_from_settings(
                {k: repo.get_setting(workspace.db, k) for k in pdf.PDF_SETTING_KEYS})

            if report == "table":
                result = pdf.export_table_pdf(out, plan, activities, options)
            else:
                from models.tracking import compute_overview

                overview = compute_overview(plan, activities, today, days)
                photos, own = plan_photos(workspace.db, evidence_dir_of(workspace.path), plan_id)
                result = pdf.export_summary_pdf(out, plan, activities, overview, photos, own, options)
            if result.missing_chars:
                _err(f"注意：以下字符在已安装的字体中都没有，可能显示为空白：{''.join(sorted(result.missing_chars))}")
    except ExportError as exc:
        raise CliError(str(exc)) from exc
    finally:
        workspace.close()
    _err(f"已导出到 {out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Create a plan from a spreadsheet or a plan text (.txt/.docx/.pdf); print only its id."""
    from exports.importing import ImportFailed, import_path

    workspace = _open(args, write=True)
    try:
        make_backup(workspace.db, workspace.path, "import")
        result = import_path(workspace.db, Path(args.path), update_plan=args.update)
    except (ImportFailed, BackupError) as exc:
        raise CliError(str(exc)) from exc
    finally:
        workspace.close()
    for warning in result.warnings:
        _err(f"提示：{warning}")
    _err(result.message)
    print(result.plan_id)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Save a consistent copy (database + evidence as .zip, or the database alone as .db)."""
    workspace = _open(args)
    try:
        out = save_full_copy(workspace.db, workspace.path, Path(args.out))
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    finally:
        workspace.close()
    _err(f"已保存备份到 {out}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database's content with a backup, after backing up the current state."""
    source = Path(args.backup)
    if not source.is_file():
        raise CliError(f"找不到备份文件“{source}”。")
    workspace = _open(args, write=True)
    try:
        safety = restore_backup(workspace.db, workspace.path, source)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    finally:
        workspace.close()
    _err(f"已从 {source.name} 恢复。恢复前的数据已备份到 {safety}")
    return 0


COMMANDS = {
    "plans": cmd_plans, "status": cmd_status, "export": cmd_export, "import": cmd_import,
    "backup": cmd_backup, "restore": cmd_restore,
}


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the sub-commands and their options."""

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        # SUPPRESS keeps a --db given before the sub-command instead of overwriting it with None.
        p.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS,
                       help="数据库文件；缺省为用户数据目录下的 taizhang.db")
        return p

    add("plans", "列出方案：每行一个，依次为编号、标题、活动数")
    p = add("status", "打印方案完成情况概况：各状态数量、完成率、逾期活动及牵头单位")
    p.add_argument("--plan", type=int, metavar="ID", help="方案编号（缺省为第一个方案）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="统计日期（缺省为今天）")
    p = add("export", "导出方案：.xlsx（活动安排表 / 进展情况表）或 .pdf（活动安排表 / 完成情况总结）")
    p.add_argument("--plan", type=int, metavar="ID", required=True, help="方案编号")
    p.add_argument("--out", metavar="FILE", required=True, help="输出文件（.xlsx 或 .pdf）")
    p.add_argument("--report", choices=("table", "progress", "summary"),
                   help="table：活动安排表（缺省）；progress：进展情况表（xlsx）；summary：完成情况总结（pdf）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="亮灯与统计所用的日期（缺省为今天）")
    p = add("import", "由表格（.xlsx）或方案文本（.txt/.docx/.pdf）新建方案，标准输出只打印新方案编号")
    p.add_argument("path", metavar="PATH", help="要导入的文件")
    p.add_argument("--update", type=int, metavar="ID",
                   help="导入退回的进展情况表时，更新编号为 ID 的方案中对应活动，而不是新建方案")
    p = add("backup", "保存完整备份：.zip（数据库和附件）或 .db（仅数据库）")
    p.add_argument("--out", metavar="PATH", required=True, help="备份文件路径")
    p = add("restore", "用备份替换当前数据（替换前自动备份当前数据）")
    p.add_argument("backup", metavar="BACKUP", help="备份文件（.db 或 .zip）")


def run_command(args: argparse.Namespace) -> int:
    """Run a sub-command, turning expected failures into a message and a non-zero exit."""
    try:
        return COMMANDS[args.command](args)
    except (CliError, DatabaseError, repo.ValidationError) as exc:
        _err(f"错误：{exc}")
        return 2
    except KeyboardInterrupt:
        _err("已中断。")
        return 130
    except Exception as exc:  # noqa: BLE001 - the command line promises a message, never a traceback
        _err(f"错误：发生意外错误（{type(exc).__name__}：{exc}）。")
        return 1
