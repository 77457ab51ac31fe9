"""The pure matcher: normalisation, quantities, conflicts, similarity, and measured quality."""

from __future__ import annotations

import functools
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest

from extraction.matching import (
    DEFAULT_SAME_THRESHOLD,
    analyse,
    compare,
    corpus_weight,
    find_conflicts,
    normalise,
    similarity,
)
from extraction.segment import split_sentences
from tests.matching.corpus import DEV, HELD_OUT, labelled_pairs

ARCHIVE = [text for arts in (DEV, HELD_OUT) for sents in arts.values() for text, _ in sents]
# IDF over the whole labelled archive, as the service computes it over the database.
WEIGHT = corpus_weight(analyse(t) for t in ARCHIVE)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("It began on 6 August.", "It began on August 6."),
        ("It began on 6th August 2024.", "It began on August 6, 2024."),
        ("They stayed six months.", "They stayed 6 months."),
        ("Over 76,000 people left.", "Over 76000 people left."),
        ("The first since World War II.", "The first since the Second World War."),
        ("The U.S. said so.", "The US said so."),
        ("“Well done,” he said.", '"Well done," he said.'),
        ("Twenty-seven people died.", "27 people died."),
    ],
)
def test_normalise_makes_equivalent_spellings_equal(a, b):
    assert normalise(a).replace(" the ", " ") == normalise(b).replace(" the ", " ")


@pytest.mark.parametrize(
    ("text", "low", "unit", "category"),
    [
        ("The evacuation of over 76,000 residents from the region.", 76000, "count", "evacuees"),
        ("More than 120,000 Russians have fled their homes.", 120000, "count", "evacuees"),
        ("They had captured 909 Russian soldiers.", 909, "count", "prisoners"),
        ("Two firefighters were injured on the road.", 2, "count", "casualties"),
        ("Around 600 firefighters are battling the flames.", 600, "count", "responders"),
        ("About 1,000 troops took part.", 1000, "count", "troops"),
        ("Lusk, a town of 9,000 people, fell.", 9000, "count", "population"),
        ("The epicentre was 12 kilometres north of the town.", 12, "km", "distance"),
        ("It lay about 7.5 miles north of the town.", 12.07, "km", "distance"),
        ("Oil rose 3 percent.", 3, "pct", ""),
        ("Oil rose 3%.", 3, "pct", ""),
        ("The wall cost £12 million.", 12_000_000, "gbp", ""),
        ("It lasted six months.", 182.4, "day", "duration"),
    ],
)
def test_quantities_have_value_unit_and_kind(text, low, unit, category):
    (quantity,) = [q for q in analyse(text).quantities if q.unit != "date"]
    assert quantity.low == pytest.approx(low, rel=0.01)
    assert (quantity.unit, quantity.category) == (unit, category)


@pytest.mark.parametrize(
    "text",
    [
        "A 6.1-magnitude earthquake shook the valley.",  # an adjective, not a count
        "Since the invasion in February 2022, prices rose.",  # a year
        "The 225th Assault Regiment was praised.",  # an ordinal names a unit
    ],
)
def test_figures_that_count_nothing_are_not_quantities(text):
    assert [q for q in analyse(text).quantities if q.unit != "date"] == []


def test_dates_in_either_order_are_one_date():
    (a,) = analyse("They crossed on 6 August.").quantities
    (b,) = analyse("They crossed on August 6.").quantities
    assert a.date == b.date == (0, 8, 6)


@pytest.mark.parametrize(
    ("a", "b", "kinds"),
    [
        # Two lower bounds always agree: "more than 76,000" and "more than 120,000" can both hold.
        (
            "Russian authorities reported the evacuation of over 76,000 residents from Kursk.",
            "More than 120,000 Russians have fled their homes in Kursk's border areas.",
            [],
        ),
        (
            "Around 2,400 residents were evacuated from Eastmoor overnight.",
            "Emergency services moved 3,100 people out of Eastmoor during the night.",
            ["evacuees"],
        ),
        # Same distance in other units; the same figure rounded; a date one side leaves vague.
        ("The epicentre was 12 kilometres north of Polmere.", "It lay 7.5 miles north.", []),
        ("Some 76,000 residents were evacuated.", "About 75,500 residents were evacuated.", []),
        ("The army entered Kursk on August 6.", "The army entered Kursk in August 2024.", []),
        # Different kinds of thing: injured firefighters are not the firefighters deployed.
        ("Two firefighters were injured.", "Around 600 firefighters are battling the fire.", []),
    ],
)
def test_find_conflicts_pairs_only_figures_of_the_same_kind(a, b, kinds):
    conflicts = find_conflicts(analyse(a), analyse(b))
    assert [qa.kind for qa, _ in conflicts] == kinds


def test_conflict_needs_the_sentences_to_tell_one_story():
    a = analyse("Around 2,400 residents were evacuated from Eastmoor overnight.")
    unrelated = analyse("Some 120,000 people were evacuated after the dam failed in Brackley.")
    related = analyse("Emergency services moved 3,100 people out of Eastmoor during the night.")
    assert compare(a, related, weight=WEIGHT).relation == "conflict"
    decision = compare(a, unrelated, weight=WEIGHT)
    assert decision is None or decision.relation != "conflict"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Zelensky also praised the 225th Assault Regiment for its efforts.",
            "He praised the military, highlighting the 225th Assault Regiment in Belgorod.",
        ),
        (
            "“We were promised this wall would hold for a hundred years,” Varga told reporters.",
            "“They promised us the wall would last a century,” said Mayor Hilde Varga.",
        ),
        (
            "Two firefighters were injured when their truck overturned on a mountain road.",
            "Two firefighters were hurt when their fire engine rolled over on a steep road.",
        ),
    ],
)
def test_reworded_facts_score_above_the_threshold(a, b):
    assert similarity(analyse(a), analyse(b), weight=WEIGHT) >= DEFAULT_SAME_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The port authority called the walkout unlawful.",
            "Union leader Orla Brandt said the workers would not return.",
        ),
        (
            "Mayor Hilde Varga said the town's flood barrier had failed at two points.",
            "Schools in the district will stay closed until Wednesday.",
        ),
    ],
)
def test_different_facts_score_below_the_threshold(a, b):
    assert similarity(analyse(a), analyse(b), weight=WEIGHT) < DEFAULT_SAME_THRESHOLD


def test_similarity_is_symmetric_bounded_and_one_for_the_same_words():
    texts = [t for t, _ in DEV["flood-herald"]] + [t for t, _ in DEV["flood-courier"]]
    for a, b in combinations(texts, 2):
        ab = similarity(analyse(a), analyse(b), weight=WEIGHT)
        assert ab == similarity(analyse(b), analyse(a), weight=WEIGHT)
        assert 0.0 <= ab <= 1.0
    text = texts[0]
    assert similarity(analyse(text), analyse(text.upper().replace(",", ""))) == 1.0


def measure(articles) -> dict[str, float]:
    """Precision and recall of "same", and conflicts found/missed, over every labelled pair."""
    tp = fp = fn = conflicts_found = conflicts_missed = false_conflicts = 0
    for a, b, gold in labelled_pairs(articles):
        decision = compare(analyse(a), analyse(b), weight=WEIGHT)
        relation = decision.relation if decision else ""
        tp += relation == "same" and gold == "same"
        fp += relation == "same" and gold != "same"
        fn += relation != "same" and gold == "same"
        conflicts_found += gold == "conflict" and relation == "conflict"
        conflicts_missed += gold == "conflict" and relation != "conflict"
        false_conflicts += gold != "conflict" and relation == "conflict"
    return {
        "precision": tp / (tp + fp),
        "recall": tp / (tp + fn),
        "conflicts_found": conflicts_found,
        "conflicts_missed": conflicts_missed,
        "false_conflicts": false_conflicts,
    }


@pytest.mark.parametrize("articles", [DEV, HELD_OUT], ids=["dev", "held_out"])
def test_same_fact_precision_and_recall_meet_the_target(articles):
    figures = measure(articles)
    assert figures["precision"] >= 0.9, figures
    assert figures["recall"] >= 0.8, figures


@pytest.mark.parametrize("articles", [DEV, HELD_OUT], ids=["dev", "held_out"])
def test_every_labelled_numeric_conflict_is_flagged(articles):
    figures = measure(articles)
    assert figures["conflicts_found"] > 0
    assert figures["conflicts_missed"] == 0, figures
    assert figures["false_conflicts"] == 0, figures


# --- The seed articles (../shared/seeds, read in place, never copied) ---------------------------


def _seed_sentences(shared_dir) -> dict[str, list[str]]:
    return {
        path.name[:3]: [s.text for s in split_sentences(path.read_text()) if s.kind == "sentence"]
        for path in sorted((shared_dir / "seeds").glob("0*.txt"))
    }


@functools.cache
def _links(shared_dir):
    docs = _seed_sentences(shared_dir)
    archive = [analyse(t) for texts in docs.values() for t in texts]
    weight = corpus_weight(archive + [analyse(t) for t in ARCHIVE])
    found = []
    for (_, a), (_, b) in combinations(docs.items(), 2):
        for ta in a:
            for tb in b:
                decision = compare(analyse(ta), analyse(tb), weight=weight)
                if decision:
                    found.append((ta, tb, decision))
    return found


@pytest.mark.parametrize(
    ("needle_a", "needle_b", "relation"),
    [
        ("225th Assault Regiment currently deployed", "praised the 225th Assault", "same"),
        ("on August 6", "Kursk region in August 2024", "same"),
        ("since World War II, marking", "Russian soil since World War II.", "same"),
        ("including the town of Sudzha", "threatening the town of Sudzha", "same"),
    ],
)
def test_seed_articles_link_the_facts_they_share(shared_dir, needle_a, needle_b, relation):
    found = {
        (decision.relation, a, b)
        for a, b, decision in _links(Path(shared_dir))
        if (needle_a in a and needle_b in b) or (needle_a in b and needle_b in a)
    }
    assert relation in {rel for rel, _, _ in found}, found


def test_seed_lower_bounds_are_no_conflict_and_differ_by_date_across_days(shared_dir):
    # Issue #18: "more than 76,000 evacuated" (Aug 10) vs "more than 120,000 fled" (Aug 14):
    # both lower bounds, so never a plain conflict; four days apart, a tally that grew.
    found = [
        (a, b, decision)
        for a, b, decision in _links(Path(shared_dir))
        if {"over 76,000 residents" in a, "over 76,000 residents" in b} == {True, False}
        and ("More than 120,000 Russians" in a or "More than 120,000 Russians" in b)
    ]
    assert found == [] or all(d.relation != "conflict" for _, _, d in found)
    a = analyse("Russian authorities reported the evacuation of over 76,000 residents from Kursk.")
    b = analyse("More than 120,000 Russians have fled their homes in Kursk's border areas.")
    dated = compare(
        a, b, weight=WEIGHT, story=0.5, published=(date(2024, 8, 10), date(2024, 8, 14))
    )
    assert dated is not None and dated.relation == "differs_by_date"
    assert [(d.mine, d.theirs, d.verdict) for d in dated.evidence.differences] == [
        ("76,000", "120,000", "differs_by_date")
    ]


RIVERTON_4200 = (
    "About 4,200 residents of Riverton were evacuated overnight after the Maren river rose "
    "3.2 metres above its normal level, the regional emergency agency said on Saturday."
)
RIVERTON_6500 = (
    "Officials now say 6,500 people were evacuated from the town at the height of the flood, "
    "up from the first estimate."
)


@pytest.mark.parametrize(
    ("a", "b", "story", "expected"),
    [
        # The figure's sentence no longer names the place: the shared story links them.
        (
            RIVERTON_4200,
            RIVERTON_6500,
            0.27,
            "conflict",
        ),
        # Same sentences, unrelated articles: nothing ties the two figures together.
        (
            RIVERTON_4200,
            RIVERTON_6500,
            0.0,
            None,
        ),
        # A shared story never makes dates conflict on its own.
        (
            "The bridge opened on 3 May 2021.",
            "Council members met on 9 June 2021 to discuss parking.",
            0.9,
            None,
        ),
    ],
)
def test_story_context_stands_in_only_for_specific_figures(a, b, story, expected):
    decision = compare(analyse(a), analyse(b), story=story)
    assert (decision.relation if decision else None) == expected
