"""The article pipeline: gating, context, languages, and the real seed articles."""

from __future__ import annotations

import pytest

from extraction.boilerplate import classify_line
from extraction.pipeline import build_items, propose
from extraction.segment import split_sentences
from extraction.types import CLAIM_TYPES, ScoringItem


class FixedScorer:
    """Gives every sentence the same score and records what it was asked."""

    name = "fixed"

    def __init__(self, score: float = 1.0, threshold: float = 0.5) -> None:
        self.value = score
        self.threshold = threshold
        self.calls: list[list[ScoringItem]] = []

    def score(self, items):
        self.calls.append(list(items))
        return [self.value] * len(items)


class WordScorer(FixedScorer):
    """Scores by the presence of a marker word, to test thresholds."""

    def score(self, items):
        self.calls.append(list(items))
        return [0.9 if "high" in i.text else 0.4 if "mid" in i.text else 0.1 for i in items]


ARTICLE = (
    "Troops enter Kursk\n"
    "By Jane Doe\n"
    "Ukrainian troops entered the Kursk region on August 6, the ministry said. "
    "Was the offensive a surprise? "
    "“We have advanced well,” Zelensky said.\n"
    "Yes.\n"
    "The minister praised the courage of the rescue teams.\n"
    "Subscribe to our newsletter\n"
)


def test_only_full_declarative_sentences_become_claims_even_at_top_score():
    result = propose(ARTICLE, language="en", outlet="Courier", scorer=FixedScorer(1.0))
    by_text = {s.text: s for s in result.sentences}
    assert [s.text for s in result.claims] == [
        "Ukrainian troops entered the Kursk region on August 6, the ministry said.",
        "“We have advanced well,” Zelensky said.",
    ]
    assert by_text["Troops enter Kursk"].kind == "heading"
    assert by_text["By Jane Doe"].kind == "byline"
    assert by_text["Subscribe to our newsletter"].kind == "boilerplate"
    assert by_text["Yes."].kind == "fragment"
    assert not by_text["Was the offensive a surprise?"].checkworthy
    assert not by_text["The minister praised the courage of the rescue teams."].checkworthy
    # every sentence keeps its score, proposed or not
    assert all(s.score == 1.0 for s in result.sentences)


def test_result_offsets_types_and_claimers():
    result = propose(ARTICLE, language="en", outlet="Courier", scorer=FixedScorer(1.0))
    assert result.supported and result.language == "en" and result.scorer == "fixed"
    for s in result.sentences:
        assert ARTICLE[s.start : s.end] == s.text
        assert s.claim_type in CLAIM_TYPES
    claimers = {s.text: s.claimer for s in result.sentences}
    assert claimers["“We have advanced well,” Zelensky said."] == "Zelensky"
    assert claimers["Troops enter Kursk"] == "Courier"


def test_threshold_defaults_to_the_scorers_and_can_be_overridden():
    body = "The high figure was 5%. The mid figure was 3%. The low figure was 1%."
    scorer = WordScorer(threshold=0.5)
    default = propose(body, language="en", scorer=scorer)
    assert [s.text for s in default.claims] == ["The high figure was 5%."]
    lower = propose(body, language="en", scorer=scorer, threshold=0.3)
    assert [s.text for s in lower.claims] == ["The high figure was 5%.", "The mid figure was 3%."]
    assert propose(body, language="en", scorer=scorer, threshold=0.95).claims == []


def test_sentences_are_scored_once_on_their_text_alone_by_default():
    scorer = FixedScorer()
    body = "First sentence is here. Second sentence is here.\nThird sentence is here."
    propose(body, language="en", scorer=scorer)
    [items] = scorer.calls
    assert items == [
        ScoringItem(text="First sentence is here."),
        ScoringItem(text="Second sentence is here."),
        ScoringItem(text="Third sentence is here."),
    ]


def test_context_gives_the_scorer_neighbours_and_position_in_one_batch():
    scorer = FixedScorer()
    body = "First sentence is here. Second sentence is here.\nThird sentence is here."
    propose(body, language="en", scorer=scorer, context=True)
    [items] = scorer.calls
    assert [(i.prev_text, i.next_text, i.position, i.doc_length) for i in items] == [
        (None, "Second sentence is here.", 0, 3),
        ("First sentence is here.", "Third sentence is here.", 1, 3),
        ("Second sentence is here.", None, 2, 3),
    ]
    assert {i.doc for i in items} == {"article"}
    assert all(i.speaker is None for i in items)


def test_build_items_for_no_sentences_is_empty():
    assert build_items([]) == []


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Die ukrainischen Truppen sind in der Region Kursk gut vorangekommen. " * 3, None),
        ("Les troupes ukrainiennes ont bien progressé dans la région de Koursk. " * 3, None),
        ("Ukrainian troops advanced 10 km on Monday.", "de"),  # the caller's word wins
    ],
)
def test_unsupported_language_gets_no_scores_at_all(body, language):
    scorer = FixedScorer()
    result = propose(body, language=language, scorer=scorer)
    assert not result.supported
    assert result.language != "en"
    assert result.sentences == [] and result.claims == []
    assert scorer.calls == []


@pytest.mark.parametrize("language", ["en", "EN", "en-GB", "en_US"])
def test_language_tags_are_reduced_to_their_iso_639_1_code(language):
    result = propose("Troops advanced 10 km on Monday.", language=language, scorer=FixedScorer())
    assert result.supported and result.language == "en"


def test_english_is_detected_when_no_language_is_given():
    scorer = FixedScorer()
    result = propose(
        "Ukrainian troops advanced ten kilometres into the Kursk region.", scorer=scorer
    )
    assert result.supported and result.language == "en"


def test_default_scorer_is_loaded_when_none_is_given():
    result = propose("Russian authorities evacuated 76,000 residents on Monday.", language="en")
    assert result.supported
    assert result.scorer
    [sentence] = result.sentences
    assert 0.0 <= sentence.score <= 1.0


# --- the real seed articles (third-party text read from ../shared, never copied)


def test_seed_article_offsets_are_exact(shared_dir):
    paths = sorted((shared_dir / "seeds").glob("*.txt"))
    assert paths
    for path in paths:
        body = path.read_text(encoding="utf-8")
        sentences = split_sentences(body)
        assert len(sentences) > 10, path.name
        for s in sentences:
            assert body[s.start : s.end] == s.text, path.name
            assert s.text == s.text.strip(), path.name
        result = propose(body, outlet="Seed", scorer=FixedScorer(0.0))
        got = [(p.start, p.end) for p in result.sentences]
        assert got == [(s.start, s.end) for s in sentences], path.name


def test_seed_004_boilerplate_tail_is_never_proposed(shared_dir):
    [path] = (shared_dir / "seeds").glob("004_*.txt")
    body = path.read_text(encoding="utf-8")
    tail = [line.strip() for line in body.splitlines() if classify_line(line)]
    # The seed README lists these: a byline and three lines of newsletter furniture.
    assert len(tail) >= 4
    # Even a scorer that rates everything 1.0 must not propose them.
    result = propose(body, outlet="Seed", scorer=FixedScorer(1.0))
    proposed = {s.text for s in result.claims}
    assert not proposed & set(tail)
    kinds = {s.text: s.kind for s in result.sentences}
    assert all(kinds[line] in ("boilerplate", "byline") for line in tail)


def test_seed_quotations_stay_one_unit(shared_dir):
    [path] = (shared_dir / "seeds").glob("004_*.txt")
    body = path.read_text(encoding="utf-8")
    texts = [s.text for s in split_sentences(body)]
    assert not any(t.startswith("We are achieving") for t in texts)
    assert any(
        t.startswith("“Today we have advanced well") and t.endswith("said in his evening address.")
        for t in texts
    )
