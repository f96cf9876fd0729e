"""The readers on the real-document corpus (tests/plan_texts/real/): a floor under the measured figures, so
that a change that makes real documents read worse fails the suite. The figures themselves are printed by
`python tests/corpus_score.py` and recorded in the README; raise the floors when they rise.

Only the parts the readers were developed on are checked here: the newest batch of documents stays unread
until it is measured once, by hand (README, "Reading notices: measured quality")."""

import corpus_score

#: Share of fields right per developed part, a little under what was measured.
FLOORS = {"dev": 0.95, "heldout": 0.95, "fresh": 0.85, "fresh2": 0.95, "fresh3": 0.95}


def test_every_developed_part_stays_above_its_floor() -> None:
    for split, floor in FLOORS.items():
        result = corpus_score.score(split)
        assert result.documents >= 6
        assert result.accuracy >= floor, corpus_score.report(result, split)


def test_no_document_with_activities_is_refused_and_none_without_gives_any() -> None:
    for split in FLOORS:
        result = corpus_score.score(split)
        assert result.refused == [], result.refused
        assert result.spurious_documents == [], result.spurious_documents
