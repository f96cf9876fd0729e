"""Crash safety: a process killed (SIGKILL) at random moments leaves a sound database, all-or-nothing."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from models import store as repo
from models.db import open_database

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from models import store as repo
    from services import editing
    from models.db import open_database
    from models.records import Activity, Plan
    db = open_database({db!r})
    plan = repo.list_plans(db)[0].plan
    a = repo.list_activities(db, plan.id)[0]
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        # a multi-field edit: both fields carry the same token, or neither changed
        editing.set_activity_fields(db, a.id, {{"remarks": f"token{{i}}", "completion_notes": f"token{{i}}"}})
        if i % 3 == 0:
            # an import-like bulk write: a plan with exactly i activities, or no plan at all
            repo.create_plan_with_activities(db, Plan(title=f"批量{{i}}"),
                                             [Activity(name=f"活动{{k}}") for k in range(i % 40 + 1)])
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_writer_leaves_sound_all_or_nothing_database(db_file: Path) -> None:
    rng = random.Random(20240901)
    for _ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER.format(root=str(ROOT), db=str(db_file))],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        db = open_database(db_file)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(repo.list_activities(db, 1)) == 12  # the sample plan is intact
        for summary in repo.list_plans(db):
            if summary.plan.title.startswith("批量"):
                n = int(summary.plan.title.removeprefix("批量"))
                assert summary.activities == n % 40 + 1
        a = repo.list_activities(db, 1)[0]
        assert a.remarks == a.completion_notes
        db.close()
