"""Parts of a notice that are not its items although they are numbered: the list of annexes sent along,
and requests a letter makes of its readers."""

from __future__ import annotations

import re

#: The list of a notice's annexes at its end: "附件：1、活动主题建议反馈表" then "2、活动安排反馈表".
_ANNEX_LIST = re.compile(r"^附\s*件\s*[：:]\s*\d{1,2}\s*[、.．]\s*\S")
_ANNEX_NAME = re.compile(r"^\d{1,2}\s*[、.．]\s*[^。；;，,！？!?]{2,50}$")


def without_annex_list(lines: list[str]) -> list[str]:
    """The lines without the annex list ("附件：1、…" and the numbered annex names under it): the names of
    forms and tables sent along are not items of the notice."""
    out: list[str] = []
    in_list = False
    for line in lines:
        if _ANNEX_LIST.match(line):
            in_list = True
            continue
        if in_list and _ANNEX_NAME.match(line):
            continue
        in_list = in_list and not line.strip()  # a blank line may stand between the annex names
        out.append(line)
    return out


#: An item that asks the reader for something ("请提供你单位拟开展的活动安排", "请于3月27日前报送"): a
#: request of a letter or a notice, not an activity the plan schedules.
_REQUEST = re.compile(r"^请(?!示)")


def is_request(head: str) -> bool:
    """Tell whether an item's heading is a request to the reader rather than an activity."""
    return bool(_REQUEST.match(re.sub(r"\s+", "", head)))
