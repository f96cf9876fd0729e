"""Roll-up on the command line: `rollout`, `collect`, `reply`; and `status --offices`, `export --report offices`,
and `import` of an upper office's template (its hidden keys kept for `reply`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from cli.common import AddParser, CliError, _err, _plan_id, _workspace

Handler = Callable[[argparse.Namespace], int]


def cmd_rollout(args: argparse.Namespace) -> int:
    """Write one progress template per office into DIR; print one path per line."""
    from services.rollup import empty_groups, rollout

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"“{out}”不是文件夹。--out 须是保存各单位进展情况表的文件夹。")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"无法创建文件夹“{out}”：{exc.strerror or exc}") from exc
    with _workspace(args, write=True) as workspace:
        files = rollout(
            workspace.db, _plan_id(workspace, args.plan), out, offices=args.office, deadline=args.deadline
        )
        notes = empty_groups(workspace.db, _plan_id(workspace, args.plan))
    for f in files:
        _err(f"{f.office}：{f.rows} 项活动")
        print(f.path)
    for note in notes:
        _err(f"注意：{note}")
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    """Collect returned files (and folders of them); one line per file; non-zero if any was refused."""
    from models.backup import evidence_dir_of
    from services.rollup import collect

    with _workspace(args, write=True) as workspace:
        plan_id = _plan_id(workspace, args.plan)
        outcomes = collect(
            workspace.db,
            plan_id,
            args.paths,
            evidence_dir_of(workspace.path),
            office=args.office,
            backup_of=workspace.path,
        )
    if not outcomes:
        raise CliError("没有找到可回收的文件（.xlsx、.xls、.et）。")
    asked = False
    for outcome in outcomes:
        print(outcome.line())
        asked = asked or outcome.needs_office
        for warning in outcome.warnings:
            _err(f"提示：{outcome.path.name}：{warning}")
    if asked:
        _err("提示：填报单位无法从文件确定的，可加 --office 单位名称 指明是哪个单位报送的，再回收这些文件。")
    refused = sum(1 for o in outcomes if o.refused)
    _err(f"已回收 {len(outcomes) - refused} 个文件" + (f"，拒收 {refused} 个。" if refused else "。"))
    return 2 if refused else 0


def cmd_reply(args: argparse.Namespace) -> int:
    """Write this office's part into the upper office's own template."""
    from services.rollup import reply

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CliError("回复文件名须以 .xlsx 结尾。")
    with _workspace(args) as workspace:
        path, rows = reply(
            workspace.db,
            _plan_id(workspace, args.plan),
            out,
            filled_by=args.filler or "",
            phone=args.phone or "",
        )
    _err(f"已按上级模板填写 {rows} 行，保存到 {path}")
    return 0


COMMANDS: dict[str, Handler] = {"rollout": cmd_rollout, "collect": cmd_collect, "reply": cmd_reply}


def register(add: AddParser) -> dict[str, Handler]:
    """Declare `rollout`, `collect` and `reply`; return their handlers."""
    p = add("rollout", "下发：为方案的每个报送单位生成一份进展情况表，每行打印一个文件路径")
    p.add_argument("--plan", type=int, metavar="ID", required=True, help="方案编号")
    p.add_argument("--out", metavar="DIR", required=True, help="保存各单位进展情况表的文件夹")
    p.add_argument("--office", action="append", metavar="NAME", help="只为该单位生成（可重复）；缺省为全部")
    p.add_argument("--deadline", metavar="TEXT", help="报送截止，如“10月12日前”“每月25日前”；缺省为方案的")
    p = add("collect", "回收：读取各单位报回的进展情况表（文件或文件夹），每个文件打印一行结果")
    p.add_argument("--plan", type=int, metavar="ID", required=True, help="方案编号")
    p.add_argument("paths", nargs="+", metavar="PATH", help="报回的文件（.xlsx/.xls/.et）或文件夹")
    p.add_argument(
        "--office",
        metavar="NAME",
        help="文件中看不出填报单位时，按该单位回收（从不覆盖文件标识或填报单位栏中写明的单位）",
    )
    p = add("reply", "回复上级：把本单位的进展填入上级下发的原表（隐藏行键保持不变）")
    p.add_argument("--plan", type=int, metavar="ID", required=True, help="由上级表格导入的方案编号")
    p.add_argument("--out", metavar="FILE", required=True, help="输出文件（.xlsx）")
    p.add_argument("--filler", metavar="NAME", help="填报人")
    p.add_argument("--phone", metavar="TEXT", help="联系电话")
    return COMMANDS


def extend(parsers: dict[str, argparse.ArgumentParser], commands: dict[str, Handler]) -> None:
    """Add `status --offices`, `export --report offices`, and templates to `import`."""
    if "status" in parsers:
        parsers["status"].add_argument(
            "--offices", action="store_true", help="按报送单位列出：单位、returned|missing|late、完成/总数"
        )
        commands["status"] = _status(commands["status"])
    if "export" in parsers:
        for action in parsers["export"]._actions:
            if action.dest == "report" and action.choices is not None:
                action.choices = (*action.choices, "offices")
                action.help = (action.help or "") + "；offices：各单位进展汇总表（xlsx 或 pdf）"
        commands["export"] = _export(commands["export"])
    if "import" in parsers:
        commands["import"] = _import(commands["import"])


def _status(original: Handler) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        if not getattr(args, "offices", False):
            return original(args)
        from services.rollup import board, status_lines

        with _workspace(args) as workspace:
            b = board(workspace.db, _plan_id(workspace, args.plan))
        if not b.offices:
            _err("本方案没有报送单位。")
        for line in status_lines(b):
            print(line)
        return 0

    return handler


def _export(original: Handler) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        if getattr(args, "report", None) != "offices":
            return original(args)
        from services.rollup import export_offices

        out = Path(args.out)
        with _workspace(args) as workspace:
            note = export_offices(workspace.db, _plan_id(workspace, args.plan), out)
        if note:
            _err(f"注意：{note}")
        _err(f"已导出到 {out}")
        return 0

    return handler


def _import(original: Handler) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        from services.rollup import import_upper, is_upper_template

        path = Path(args.path)
        try:
            upper = getattr(args, "update", None) is None and path.is_file() and is_upper_template(path)
        except OSError:  # a folder that cannot be entered: the plain import says so in Chinese
            upper = False
        if not upper:
            return original(args)
        with _workspace(args, write=True) as workspace:
            plan_id = import_upper(workspace.db, path, backup_of=workspace.path)
        _err(f"已由上级下发的表格“{path.name}”创建方案；填好进展后用 reply 按原表回复。")
        print(plan_id)
        return 0

    return handler
