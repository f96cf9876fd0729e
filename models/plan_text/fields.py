"""Fields inside one item: labelled lines ("活动时间：9月") and responsibility brackets ("（X负责，Y配合）")."""

from __future__ import annotations

import functools
import re

from models import vocabulary
from models.textnorm import split_units


def responsibility_bracket() -> re.Pattern[str]:
    """A bracket holding a responsibility note: "（质量发展科负责，各县市区局实施）"."""
    marks = "|".join(map(re.escape, vocabulary.RESPONSIBILITY_MARKS))
    return _compiled(r"（([^（）]{0,80}?(?:" + marks + r")[^（）]{0,60}?)）")


@functools.lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _field_value(text: str) -> str:
    """Cut a labelled value at the end of its clause; a ）closing a （ inside the value (各县（市）局) stays."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "（":
            depth += 1
        elif ch == "）":
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
        if key is not None and value:
            found.setdefault(key, value)
    return found


def responsibilities(text: str) -> tuple[list[str], list[str], bool]:
    """Read "(质量发展科负责，各县市区局实施)"-style notes: (lead units, co-operating units, found)."""
    lead: list[str] = []
    coop: list[str] = []
    found = False
    lead_verbs = "|".join(vocabulary.LEAD_VERBS)
    coop_verbs = "|".join(vocabulary.COOP_VERBS)
    for m in responsibility_bracket().finditer(text):
        found = True
        inner = m[1]
        inner = re.sub(r"^(责任单位|责任部门)[：:]", "", inner)
        for part in re.split(r"[，；;,]", inner):
            part = part.strip()
            if not part:
                continue
            if re.search(f"({coop_verbs})$", part):
                coop += split_units(re.sub(f"({coop_verbs})$", "", part))
            elif re.search(f"({lead_verbs})$", part):
                lead += split_units(re.sub(f"({lead_verbs})$", "", part))
            else:
                lead += split_units(part)
    return dedupe(lead), dedupe([u for u in coop if u not in lead]), found


def dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))
