"""The headless sub-commands of main.py; messages go to standard error, results to standard output."""

from __future__ import annotations

import argparse
import sys

from models import repository as repo
from models.db import DatabaseError
from models.workspace import open_workspace


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_plans(args: argparse.Namespace) -> int:
    """Print one line per plan: id, title, number of activities."""
    workspace = open_workspace(args.db, readonly=False)
    for summary in repo.list_plans(workspace.db):
        print(f"{summary.plan.id}\t{summary.plan.title}\t{summary.activities}")
    return 0


COMMANDS = {"plans": cmd_plans}


def run_command(args: argparse.Namespace) -> int:
    """Run a sub-command, turning expected failures into a message and a non-zero exit."""
    try:
        return COMMANDS[args.command](args)
    except DatabaseError as exc:
        _err(f"错误：{exc}")
        return 2
    except repo.ValidationError as exc:
        _err(f"错误：{exc}")
        return 2
    except KeyboardInterrupt:
        _err("已中断。")
        return 130
