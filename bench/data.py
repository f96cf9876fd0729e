"""Building large benchmark databases and record lists."""

from __future__ import annotations

import random
from pathlib import Path

from models import store as repo
from models.db import open_database
from models.records import Activity, Plan

UNITS = [
    "质量发展科",
    "计量科",
    "认证认可科",
    "产品质量科",
    "特种设备安全监察科",
    "信用监管科",
    "抽检科",
    "质监股",
    "食药股",
    "市场秩序股",
    "知识产权股",
    "办公室",
    "各分局",
    "各县市区局",
]
TIMES = [
    "9月",
    "5-12月",
    "8月下旬",
    "9月上旬",
    "10月12日前",
    "第三季度",
    "全年",
    "2024年9月1日至9月30日",
    "长期坚持",
]


def make_activities(n: int, seed: int = 1) -> list[Activity]:
    """Return n realistic activities."""
    rng = random.Random(seed)
    return [
        Activity(
            position=i + 1,
            name=f"开展第{i + 1}项“质量月”专项活动",
            content="围绕商场、社区、学校等区域，组织开展形式多样、内容丰富的质量宣传、咨询、服务活动。"
            * rng.randint(1, 3),
            time_text=rng.choice(TIMES),
            location="全市",
            lead_units=[rng.choice(UNITS)],
            coop_units=rng.sample(UNITS, rng.randint(0, 3)),
            remarks="" if rng.random() < 0.7 else "展板宣传，企业培训",
        )
        for i in range(n)
    ]


def make_database(path: Path, plans: int = 50, activities: int = 10_000) -> Path:
    """Create a database with `plans` plans holding `activities` activities in all."""
    if path.exists():
        path.unlink()
    db = open_database(path)
    per_plan = activities // plans
    with db.atomic():
        for p in range(plans):
            repo.create_plan_with_activities(
                db,
                Plan(title=f"某市市场监管系统{2000 + p}年“质量月”活动方案", year=2000 + p),
                make_activities(per_plan + (activities % plans if p == plans - 1 else 0), seed=p),
            )
    db.close()
    return path
