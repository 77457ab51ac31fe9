"""Tests for the check-worthiness scorers (no database needed)."""

from __future__ import annotations

import math

import pytest

from extraction.scoring import (
    MODELS_DIR,
    ModelScorer,
    RuleScorer,
    load_scorer,
    rule_contributions,
)
from extraction.types import ScoringItem

# (sentence, rules that must fire, rules that must not fire)
RULE_TABLE = [
    ("Unemployment fell to 3.5% in 2019.", {"percentage", "year", "number"}, {"opinion"}),
    ("The council approved a $12 million budget.", {"money", "event_verb"}, {"question"}),
    (
        "According to the ministry, 1,200 people were admitted.",
        {"attribution", "named_source"},
        set(),
    ),
    ("The mayor said the bridge would reopen in May.", {"attribution"}, {"number"}),
    ("I think this is a wonderful idea for everyone.", {"opinion"}, {"attribution", "number"}),
    ("Why did nobody tell the voters about it?", {"question"}, {"opinion"}),
    ("Subscribe to our newsletter for more stories.", {"boilerplate"}, set()),
    ("Good evening.", {"short"}, set()),
    ('"We will not back down," she told reporters.', {"quote", "attribution"}, {"short"}),
]


@pytest.mark.parametrize(("text", "fires", "silent"), RULE_TABLE)
def test_rule_contributions_fire_as_documented(text, fires, silent):
    fired = set(rule_contributions(text))
    assert fires <= fired
    assert not (silent & fired)


# Pairs (check-worthy factual, not check-worthy): the first must outrank the second.
RANKING_TABLE = [
    (
        "Unemployment fell to 3.5% in 2019, the lowest rate in fifty years.",
        "I think this is a wonderful idea.",
    ),
    (
        "The city council approved a $12 million budget for road repairs.",
        "What are we going to do about it?",
    ),
    (
        "According to the health ministry, 1,200 people were admitted to hospital.",
        "Subscribe to our newsletter for more stories.",
    ),
    (
        "Police arrested three men after the protest on Friday.",
        "We should be proud of our teachers.",
    ),
    ("The company said it would close two factories in Ohio.", "Thank you all very much."),
]


@pytest.mark.parametrize(("factual", "other"), RANKING_TABLE)
def test_rule_scorer_ranks_factual_above_opinion_question_boilerplate(factual, other):
    scorer = RuleScorer()
    high, low = scorer.score([ScoringItem(factual), ScoringItem(other)])
    assert high > low
    assert high >= scorer.threshold > low


def test_rule_scorer_scores_are_bounded_deterministic_and_order_independent():
    texts = [pair[0] for pair in RANKING_TABLE] + [pair[1] for pair in RANKING_TABLE] + ["", "42"]
    scorer = RuleScorer()
    forward = scorer.score([ScoringItem(t) for t in texts])
    backward = scorer.score([ScoringItem(t) for t in reversed(texts)])
    assert all(0.0 <= s <= 1.0 for s in forward)
    assert forward == list(reversed(backward))
    assert forward == scorer.score([ScoringItem(t) for t in texts])


def test_load_scorer_rules_is_cached_and_named():
    scorer = load_scorer("rules")
    assert scorer is load_scorer("rules")
    assert scorer.name == "rules"
    assert 0.0 < scorer.threshold < 1.0


def test_load_scorer_rejects_unknown_name():
    with pytest.raises(ValueError, match="unknown scorer"):
        load_scorer("no-such-scorer")


# --------------------------------------------------------------------------- shipped model


@pytest.fixture(scope="module")
def model():
    return ModelScorer.from_dir(MODELS_DIR)


def test_default_scorer_is_the_shipped_model(model):
    scorer = load_scorer("default")
    assert isinstance(scorer, ModelScorer)
    assert scorer.name == f"model-{model.meta['version']}"
    assert scorer.threshold == model.meta["threshold"]
    assert 0.0 < scorer.threshold < 1.0


def test_shipped_model_scores_fixture_exactly_as_at_training_time(model):
    fixture = model.meta["fixture"]
    assert len(fixture) >= 10
    items = [ScoringItem(**row["item"]) for row in fixture]
    expected = [row["score"] for row in fixture]
    # float32 embedding sums may differ in the last bits across BLAS/numpy builds.
    assert model.score(items) == pytest.approx(expected, abs=1e-7)


def test_shipped_model_scores_are_bounded_deterministic_and_batch_independent(model):
    items = [ScoringItem(row["item"]["text"]) for row in model.meta["fixture"]]
    items += [ScoringItem(""), ScoringItem("42"), ScoringItem("Écoutez. " * 400)]
    batch = model.score(items)
    assert all(0.0 <= s <= 1.0 for s in batch)
    assert list(reversed(model.score(list(reversed(items))))) == pytest.approx(batch, abs=1e-12)
    singles = [model.score([it])[0] for it in items]
    assert singles == pytest.approx(batch, abs=1e-12)
    assert model.score([]) == []


@pytest.mark.parametrize(("factual", "other"), RANKING_TABLE)
def test_shipped_model_ranks_factual_above_opinion_question_boilerplate(model, factual, other):
    high, low = model.score([ScoringItem(factual), ScoringItem(other)])
    assert high > low


def test_shipped_model_uses_context_only_when_given(model):
    text = "The county spent $3 million on new buses last year."
    plain = model.score([ScoringItem(text)])[0]
    logit = float(model.text.logits([text])[0])
    assert plain == pytest.approx(1.0 / (1.0 + math.exp(-logit)), abs=1e-12)
    with_ctx = ScoringItem(
        text,
        doc="d1",
        speaker="A",
        prev_text="Thank you very much.",
        next_text="That is a fact.",
        position=3,
        doc_length=10,
    )
    # Same item, same context: same score, whatever else is in the batch.
    alone = model.score([with_ctx])[0]
    mixed = model.score([ScoringItem("Good evening."), with_ctx, ScoringItem(text)])
    assert mixed[1] == pytest.approx(alone, abs=1e-12)
    assert mixed[2] == pytest.approx(plain, abs=1e-12)
    assert alone != plain
