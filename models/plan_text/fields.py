"""Fields inside one item: labelled lines ("活动时间：9月") and responsibility brackets ("（X负责，Y配合）")."""

from __future__ import annotations

import functools
import re

from models import vocabulary
from models.textnorm import split_units


def responsibility_bracket() -> re.Pattern[str]:
    """A bracket holding a responsibility note: "（质量发展科负责，各县市区局实施）"."""
    marks = "|".join(map(re.escape, vocabulary.RESPONSIBILITY_MARKS))
    inner = r"(?:[^（）]|（[^（）]{1,8}）)"  # a unit may hold a short bracket of its own: 各区（市）县局
    return _compiled(r"（(" + inner + r"{0,80}?(?:" + marks + r")" + inner + r"{0,60}?)）")


@functools.lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _field_value(text: str) -> str:
    """Cut a labelled value at the end of its clause; a ）closing a （ inside the value (各县（市）局) stays,
    one closing the bracket the label stood in ("〔责任单位：省局〕") ends it."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "（〔":
            depth += 1
        elif ch in "）〕":
            if depth == 0:
                return text[:i].strip(" ，")
            depth -= 1
        elif ch in "；;。\n\t":
            return text[:i].strip(" ，")
    return text.strip(" ，")


def labelled_fields(text: str) -> dict[str, str]:
    """Return labelled fields found in text ("活动时间：9月 活动地点：全市 …"), by vocabulary field."""
    found: dict[str, str] = {}
    matches = list(vocabulary.label_pattern().finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = _field_value(text[m.end() : end].strip(" ；;。，\n\t"))
        key = vocabulary.labelled_field(m[1])
        if key is not None and value and key in ("lead_units", "coop_units") and key in found:
            found[key] += "、" + value  # "主办：X" then "承办：Y": both lead
        elif key is not None and value:
            found.setdefault(key, value)
    return found


_ROLE = re.compile(
    r"^(?:由|请)?(?P<units>.+?)(?P<duty>按职责分工负责|按职责分工|按职责|分别)?"
    rf"(?P<verb>{vocabulary.verb_pattern((*vocabulary.LEAD_VERBS, *vocabulary.COOP_VERBS))})(?:.{{0,12}})$"
)
_NOTE = re.compile(r"[（(][^（）()]{0,30}(?:牵头单位|下同)[^（）()]{0,10}[）)]")
LEAD_ROLE = vocabulary.LEAD_VERBS
#: A clause of a note that states a rule rather than naming units: "列第一位的为牵头单位", "下同",
#: "以下均需…落实，不再列出".
_RULE_PART = re.compile(
    r"第[一1]位?的?(?:单位|部门)?为牵头|为牵头(?:单位|部门)|^下同$|不再(?:一一)?列出|^以下(?:均|同|各项)"
)
#: A piece that names only administrative levels ("各县市"), left over from "各县市、区政府" split at 、.
_LEVEL = r"(?:自治区|直辖市|自治州|自治县|[省市县区乡镇]{1,3})"
LEVELS_ONLY = re.compile(rf"^各?{_LEVEL}(?:、{_LEVEL})*$")


def join_levels(units: list[str]) -> list[str]:
    """ "各县市、区政府" is one unit written for 各县（市、区）政府, and "各省、自治区、直辖市质监局" one for
    the bureaus of every province-level region: a piece naming only levels is joined to the next piece when
    that one begins with a level."""
    out: list[str] = []
    for unit in units:
        if out and LEVELS_ONLY.match(out[-1]) and re.match(r"^(?:[市县区乡镇]|自治区|直辖市|自治州)", unit):
            out[-1] = f"{out[-1]}、{unit}"
        else:
            out.append(unit)
    return out


def read_roles(inner: str) -> tuple[list[str], list[str]]:
    """One responsibility note: "X牵头，Y配合" / "由X负责组织实施" / "X牵头，Y按职责分工负责"."""
    lead: list[str] = []
    coop: list[str] = []
    shared: list[str] = []
    hosting: list[str] = []
    named_lead = heads = False
    inner = _NOTE.sub("", inner)
    inner = re.sub(r"^(责任单位|责任部门|牵头单位|责任科室)[：:]", "", inner)
    for part in re.split(r"[，；;,。]", inner):
        part = part.strip()
        if not part or _RULE_PART.search(part):
            continue
        m = _ROLE.match(part)
        if m is None:
            lead += join_levels(split_units(part))
            continue
        units = join_levels(split_units(m["units"]))
        if m["duty"]:
            shared += units  # 按职责分工负责: co-operating beside a 牵头 unit, else leading
        elif m["verb"] in ("承办", "执行承办"):
            hosting += units  # 承办: co-operating beside a unit marked 牵头, else leading
        elif m["verb"] in LEAD_ROLE:
            lead += units
            named_lead = True
            heads = heads or "牵头" in m["verb"]
        else:
            coop += units
    if shared:
        if named_lead:  # "X牵头，Y按职责分工负责"; "X，Y按职责分工负责" names no leader: all lead
            coop += shared
        else:
            lead += shared
    if hosting:  # "（责任单位：X牵头，Y、Z承办）"
        (coop if heads else lead).extend(hosting)
    return dedupe(lead), dedupe([u for u in coop if u not in lead])


def responsibilities(text: str) -> tuple[list[str], list[str], bool]:
    """Read "(质量发展科负责，各县市区局实施)"-style notes: (lead units, co-operating units, found)."""
    lead: list[str] = []
    coop: list[str] = []
    found = False
    for m in responsibility_bracket().finditer(_NOTE.sub("", text)):
        found = True
        more_lead, more_coop = read_roles(m[1])
        lead += more_lead
        coop += more_coop
    return dedupe(lead), dedupe([u for u in coop if u not in lead]), found


_DUTY_TAIL = re.compile(
    rf"(?:按职责分工|按职责|分别)?(?:{vocabulary.verb_pattern(vocabulary.LEAD_VERBS)}|落实)$"
)


def labelled_units(value: str) -> list[str]:
    """The units of a labelled value ("责任单位：市发改委、市财政局（第一责任单位为牵头单位，下同）",
    "…、省大数据中心按职责分工负责"): the note and the closing verb are not part of a unit's name."""
    value = _NOTE.sub("", value)
    units: list[str] = []
    for part in re.split(r"[，；;,。]", value):
        part = _DUTY_TAIL.sub("", part.strip())
        if part and not _RULE_PART.search(part):
            units += join_levels(split_units(part))
    return dedupe(units)


def dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))
