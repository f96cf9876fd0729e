"""A notice that stops inside its last item (one page of a paginated repost, a copy cut short).

The text ends without closing punctuation, inside the last activity item, before that item's name is
complete: its name runs to the very end of the text ("（十二）事故应急救援预", "6，组织新联通，移动公司"). Such an
item is left out (and the clerk told), for its name and units are not all there. An item whose name ended
before the cut ("畅通货币信贷政策传导机制，…提高政策精准") is kept. When the cut falls in the item's last
sub-item, before that sub-item's first sentence ends, and the item holds nothing else (only its heading
over it: "（二）开展“进企业”活动" / "1.9月25日至10月31日，通过线上…"), the item goes with it: what it holds
is not known.
"""

from __future__ import annotations

import re

from models.plan_text.cleaning import squash
from models.plan_text.item_fields import node_activity
from models.plan_text.node import Node
from models.plan_text.outline import is_label

#: What a finished sentence, heading or line of a notice may end with.
_END_MARK = re.compile(r"[。！？!?；;：:”’）)》】」』…\d]$")
#: A sentence ended inside an item's text.
_SENTENCE_END = re.compile(r"[。！？!?；;]")


def _flat(text: str) -> str:
    return re.sub(r"[\s，,、。：:“”\"]", "", squash(text))


def _name_cut(node: Node, known: list[str] | None) -> bool:
    """Tell whether the text stops inside this item's first sentence, before its name ends."""
    text = node.all_text()
    if _SENTENCE_END.search(text):
        return False
    proposal = node_activity(node, known)
    return proposal is None or _flat(text).endswith(_flat(proposal.activity.name))


def cut_last_item(nodes: list[Node], body: list[str], known: list[str] | None = None) -> Node | None:
    """The last activity item when the text stops inside it before its name is complete, else None."""
    last_line = next((x.strip() for x in reversed(body) if x.strip()), "")
    if not nodes or not last_line or _END_MARK.search(last_line):
        return None
    item = nodes[-1]
    chain = [item]
    while True:
        subs = [c for c in chain[-1].children if not is_label(c.head)]
        if not subs:
            break
        chain.append(subs[-1])
    tail = chain[-1].all_text().strip()
    if not tail or not last_line.endswith(tail.split("\n")[-1]):
        return None
    if len(chain) == 1:
        return item if _name_cut(item, known) else None
    # the cut is in a sub-item: the item goes when it is only a heading over that unfinished sub-item
    others = [c for c in item.children if not is_label(c.head) and c is not chain[1]]
    return item if len(chain) == 2 and not others and not _SENTENCE_END.search(item.all_text()) else None
