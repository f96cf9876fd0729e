"""What the plan readers propose: a plan and its activities, each with its source text and unsure fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.records import Activity, Plan


@dataclass
class ProposedActivity:
    """An activity the parser proposes, with the text it came from and the fields it is unsure of."""

    activity: Activity
    source: str
    unsure: set[str] = field(default_factory=set)


@dataclass
class PlanProposal:
    """What the parser found; nothing is written until the clerk accepts it."""

    plan: Plan
    activities: list[ProposedActivity]
    messages: list[str] = field(default_factory=list)
