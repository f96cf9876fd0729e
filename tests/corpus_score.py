"""Scores the plan readers on the real-document corpus (tests/plan_texts/real/): field-level precision and
recall, the share of fields right, and documents refused although they hold activities.

Run `python tests/corpus_score.py [--split dev|heldout|fresh|fresh2|fresh3|fresh4|old|all] [--show]`. The splits: "dev"
(the documents the readers were tuned on), "heldout" (labelled before the parser was changed for them),
"fresh" (r46–r56, a later held-out part labelled before any run, since used for development), "fresh2"
(r57–r68, a second held-out part labelled before any run and measured once), "fresh3" (r69–r75, a third
held-out part labelled before any run and measured once), "fresh4" (r76 onwards, a fourth held-out part
labelled before any run and not yet measured), "old" (dev and heldout:
the original 45), "all" (every document). Each document is read the way the program imports it
(services.importing.preview_path on an empty database), and its proposed activities are aligned in order
with the hand labels (the names decide the alignment).

Comparison rules: text is compared after NFKC (full/half width folded), in simplified characters (labels
keep a traditional repost's characters and its injected pinyin glosses "監(jiān)" as written; the program
writes simplified characters without the glosses, and both are the same words), with spaces, quotes,
brackets and trailing punctuation removed; a name counts as right when it is the labelled name or differs from it by
at most one character in ten (difflib ratio ≥ 0.9); units as the set of names.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "plan_texts" / "real"
FIELDS = ("name", "time_text", "lead_units", "coop_units")
SUFFIXES = (".txt", ".docx", ".doc", ".wps", ".pdf", ".ofd", ".xlsx", ".xls", ".et")


def norm(text: str) -> str:
    """Text as compared: width folded, simplified, glosses, spaces, quotes and brackets dropped, end
    punctuation trimmed."""
    from models.plan_text.cleaning import strip_clutter, to_simplified

    text = unicodedata.normalize("NFKC", to_simplified(strip_clutter(text), force=True))
    text = re.sub(r"[\s\"'“”‘’「」『』《》〈〉()（）【】\[\]]", "", text)
    return text.strip("，,。.;；:：、")


def same_name(got: str, expected: str) -> bool:
    """Tell whether a proposed name is the labelled one (one character in ten may differ)."""
    a, b = norm(got), norm(expected)
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


def _similar(got: str, expected: str) -> float:
    a, b = norm(got), norm(expected)
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return max(0.6, min(len(a), len(b)) / max(len(a), len(b)))
    return difflib.SequenceMatcher(None, a, b).ratio()


def _value(value: object) -> object:
    if isinstance(value, list):
        return frozenset(norm(str(v)) for v in value if norm(str(v)))
    return norm(str(value or ""))


def field_right(name: str, got: object, expected: object) -> bool:
    """Tell whether one field's proposed value is the labelled one."""
    if name == "name":
        return same_name(str(got or ""), str(expected or ""))
    return _value(got) == _value(expected)


def align(
    got: list[dict[str, object]], expected: list[dict[str, object]]
) -> list[tuple[int | None, int | None]]:
    """Pair proposals with labels in order (a longest-common-subsequence on name similarity ≥ 0.5)."""
    n, m = len(got), len(expected)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = _similar(str(got[i]["name"]), str(expected[j]["name"]))
            best = max(score[i + 1][j], score[i][j + 1])
            if s >= 0.5:
                best = max(best, s + score[i + 1][j + 1])
            score[i][j] = best
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        s = _similar(str(got[i]["name"]), str(expected[j]["name"]))
        if s >= 0.5 and abs(score[i][j] - (s + score[i + 1][j + 1])) < 1e-9:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i + 1][j] >= score[i][j + 1]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return pairs


@dataclass
class Tally:
    """Counts for one field: right, proposed (non-empty), expected (non-empty)."""

    right: int = 0
    proposed: int = 0
    expected: int = 0


@dataclass
class Score:
    """Field-level figures over a set of documents."""

    tallies: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    fields_right: int = 0
    fields_total: int = 0
    documents: int = 0
    refused: list[str] = field(default_factory=list)  # documents with activities where none came out
    spurious_documents: list[str] = field(default_factory=list)  # documents without activities where some did
    details: list[str] = field(default_factory=list)

    def add(self, name: str, got: list[dict[str, object]], expected: list[dict[str, object]]) -> None:
        """Count one document."""
        self.documents += 1
        if expected and not got:
            self.refused.append(name)
        if got and not expected:
            self.spurious_documents.append(name)
        for gi, ei in align(got, expected):
            g = got[gi] if gi is not None else None
            e = expected[ei] if ei is not None else None
            for f in FIELDS:
                gv = g[f] if g is not None else ""
                ev = e[f] if e is not None else ""
                t = self.tallies[f]
                t.proposed += bool(_value(gv))
                t.expected += bool(_value(ev))
                ok = bool(_value(ev)) and g is not None and field_right(f, gv, ev)
                t.right += ok
                self.fields_total += 1
                both_empty = g is not None and e is not None and not _value(gv) and not _value(ev)
                self.fields_right += ok or both_empty
                if not (ok or both_empty):
                    self.details.append(f"{name}  {f}: got {gv!r}  expected {ev!r}")

    def rows(self) -> list[tuple[str, float, float]]:
        """(field, precision, recall) per field."""
        return [
            (f, t.right / t.proposed if t.proposed else 1.0, t.right / t.expected if t.expected else 1.0)
            for f, t in self.tallies.items()
        ]

    @property
    def accuracy(self) -> float:
        """The share of fields right (a field of an activity missed or made up counts as wrong)."""
        return self.fields_right / self.fields_total if self.fields_total else 1.0


SPLITS = ("dev", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "old", "all")
OLD_SPLITS = ("dev", "heldout")  # the original corpus (r01–r45), before the fresh part was added


def in_split(label_split: object, split: str) -> bool:
    """Tell whether a document whose label says `label_split` belongs to the chosen split."""
    if split == "all":
        return True
    if split == "old":
        return label_split in OLD_SPLITS
    return label_split == split


def documents(split: str = "all") -> list[tuple[Path, dict[str, object]]]:
    """The corpus's documents (every format present for a label file) with their labels."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; one of {', '.join(SPLITS)}")
    result = []
    for label in sorted(CORPUS.glob("r*.json")):
        data = json.loads(label.read_text(encoding="utf-8"))
        if not in_split(data.get("split"), split):
            continue
        for suffix in SUFFIXES:
            source = label.with_suffix(suffix)
            if source.exists():
                result.append((source, data))
    return result


def read(path: Path) -> list[dict[str, object]]:
    """Read a document as the program imports it: the proposed activities' fields."""
    from models.db import open_database
    from models.errors import ReadError
    from services.importing import preview_path

    db = open_database(None)
    try:
        preview = preview_path(db, path)
    except ReadError:
        return []
    finally:
        db.close()
    return [{f: getattr(a, f) for f in FIELDS} for a in preview.activities]


def score(split: str = "all") -> Score:
    """Score the readers on the corpus's documents of a split."""
    result = Score()
    for path, data in documents(split):
        result.add(path.name, read(path), list(data["activities"]))  # type: ignore[call-overload]
    return result


def report(result: Score, title: str) -> str:
    """The figures as a Markdown table."""
    lines = [
        f"{title}: {result.documents} documents, {result.fields_right}/{result.fields_total} fields right "
        f"({result.accuracy:.1%}); refused although they hold activities: {len(result.refused)}",
        "",
        "| field | precision | recall |",
        "|---|---:|---:|",
    ]
    lines += [f"| {f} | {p:.1%} | {r:.1%} |" for f, p, r in result.rows()]
    if result.refused:
        lines.append(f"\nrefused: {', '.join(result.refused)}")
    return "\n".join(lines)


def main() -> int:
    """Print the figures (and with --show every wrong field)."""
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument("--show", action="store_true", help="list every wrong field")
    args = parser.parse_args()
    result = score(args.split)
    print(report(result, args.split))
    if args.show:
        print("\n".join(result.details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
