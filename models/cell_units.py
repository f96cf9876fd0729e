"""The units a table's responsibility cell names, by role: "质量科牵头，标准化科配合" → (lead,
co-operating), "主办：X 承办：Y", "Y按职责分工负责" beside a leader; a cell's units are split at 、，；
but not inside brackets, and names of places before a unit of 各… share its ending."""

from __future__ import annotations

import re

from models.textnorm import split_units as _split_units
from models.vocabulary import COOP_VERBS, LEAD_VERBS, UNIT_ENDINGS, verb_pattern

_IN_BRACKETS = re.compile(r"[（(][^（）()]*[)）]")
_KEPT = "\ue000"  # a separator inside brackets, kept while the cell is split


def split_units(text: str | None) -> list[str]:
    """A cell's units: split at 、，；, but not inside brackets (“各市（州、地）食品药品监管局”); names of
    places before a unit of 各… share its ending (“西宁市、海东、各州食品药品监管局” is one entry, not three)."""
    if not text:
        return []
    kept = _IN_BRACKETS.sub(lambda m: re.sub(r"[、，,；;]", _KEPT, m[0]), text)
    units = [u.replace(_KEPT, "、") for u in _split_units(kept)]
    out: list[str] = []
    chained = False  # out[0] is places joined to a unit of 各…
    for unit in reversed(units):
        if (
            out
            and _place_only(unit)
            and (chained or (out[0].startswith("各") and out[0].endswith(UNIT_ENDINGS)))
        ):
            out[0] = f"{unit}、{out[0]}"
            chained = True
        else:
            out.insert(0, unit)
            chained = False
    return [u for u in out if u]


def _place_only(unit: str) -> bool:
    """A short name that is no unit (“海东”, “西宁市”): a place whose unit the next name's ending gives."""
    return len(unit) <= 4 and not unit.startswith("各") and not unit.endswith(UNIT_ENDINGS)


_SPLIT_ROLE = re.compile(r"[，,；;。]")
#: A duty note after units: they act each in its own remit (“各有关部门按照职责分工负责”).
_DUTY = re.compile(r"(?:按照?|根据)(?:各自)?(?:的)?职责(?:分工)?(?:负责|落实|实施|指导)?$")
#: A cell that says how a task is started and, in brackets at its end, by whom.
_WAY_AND_UNITS = re.compile(r"([^（(]+)[（(]([^（）()]+)[)）]")
_UNIT_INSIDE = "(?:" + "|".join(UNIT_ENDINGS) + ")(?:[、，,]|按|$)"
_ROLE_LABEL = re.compile(r"(主办|承办|协办|牵头|负责|组织|配合|参与|支持)(?:单位|部门)?[：:]\s*")


def units_by_role(text: str) -> tuple[list[str], list[str]]:
    """A responsibility cell: "质量科牵头，标准化科配合" → (lead, co-operating); a plain list is all lead."""
    lead: list[str] = []
    coop: list[str] = []
    inner = _WAY_AND_UNITS.fullmatch(text.strip())
    if inner and not inner[1].endswith(UNIT_ENDINGS) and re.search(_UNIT_INSIDE, inner[2]):
        text = inner[2]  # “市级统一组织发起（质量科、标准科按职责分工指导）”: the way, then the units
    labelled = list(_ROLE_LABEL.finditer(text))
    if labelled:  # "主办：北京市质监局 承办：北京标准化协会"
        for i, m in enumerate(labelled):
            end = labelled[i + 1].start() if i + 1 < len(labelled) else len(text)
            units = split_units(re.sub(r"\s+", "、", text[m.end() : end].strip()))
            (lead if m[1] in ("主办", "承办", "牵头", "负责", "组织") else coop).extend(units)
        return list(dict.fromkeys(lead)), [u for u in dict.fromkeys(coop) if u not in lead]
    if not any(v in text for v in (*LEAD_VERBS, *COOP_VERBS)):
        duty = _DUTY.search(text)
        return split_units(text[: duty.start()] if duty and duty.start() > 0 else text), []
    shared: list[str] = []  # “Y按职责分工负责”: co-operating beside a unit that leads, else leading
    named_lead = False
    for part in _SPLIT_ROLE.split(text):
        part = re.sub(r"^(?:由|请)(?=[\u4e00-\u9fff])", "", part.strip())  # “由X负责”
        if not part:
            continue
        duty = _DUTY.search(part)
        if duty and duty.start() > 0:
            shared += split_units(part[: duty.start()])
            continue
        coop_m = re.search(f"({verb_pattern(COOP_VERBS)})$", part)
        lead_m = re.search(f"({verb_pattern(LEAD_VERBS)})$", part)
        if lead_m and (coop_m is None or len(lead_m[1]) > len(coop_m[1])):  # 组织实施 leads, 实施 co-operates
            lead += split_units(part[: lead_m.start()])
            named_lead = True
        elif coop_m:
            coop += split_units(part[: coop_m.start()])
        else:
            (coop if coop and not lead else lead).extend(split_units(part))
    (coop if named_lead else lead).extend(shared)
    return list(dict.fromkeys(lead)), [u for u in dict.fromkeys(coop) if u not in lead]
