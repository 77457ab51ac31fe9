"""The news scorer on project-written news sentences (issue #17), one table per class.

Every sentence here was written for these tests (not taken from the labelled news set or
../shared). Each is scored as a one-sentence article through ``pipeline.propose`` with the
default English scorer, the news head, exactly as the worker scores it.
"""

# Typographic quotes are the data these tests read.

from __future__ import annotations

import json

import numpy as np
import pytest

from extraction import scoring
from extraction.boilerplate import is_furniture_sentence
from extraction.newshead import NEWS_FEATURE_NAMES, NewsHead, NewsScorer
from extraction.pipeline import propose
from extraction.scoring import load_scorer
from extraction.types import ScoringItem
from training.news import choose_threshold, news_card_block, reliability

NOT_CLAIMS = {
    "opinion": [
        "The decision to close the maternity ward is a betrayal of the valley's families.",
        "Voters deserve better than another round of empty promises from the coalition.",
        "“This tax is simply unfair on young people,” said Priya Nandakumar, a student leader.",
    ],
    "analysis": [
        "The reshuffle signals that the prime minister is more worried about her party than "
        "about the opposition.",
        "The vote reflects a broader shift in how rural voters see the governing party.",
    ],
    "speculation": [
        "The strike could spread to other ports if talks stall again next week.",
        "Analysts suggest the central bank might pause its cuts later in the year.",
        "The river may rise further as meltwater arrives from the mountains.",
    ],
    "aim": [
        "The mayor wants the new tram line to become the backbone of the city's transport.",
        "The union hopes to win back the members it lost during the dispute.",
        "The ministry aims to make the licensing process simpler for small farms.",
    ],
    "praise": [
        "The coach praised his players for their courage and determination.",
        "Residents thanked the volunteers who kept the shelter open through the night.",
    ],
    "vague": [
        "Nonetheless, questions remain about the future of the project.",
        "The situation in the region remains difficult.",
    ],
}

CLAIMS = [
    "Unemployment in the region fell to 6.2% in October, the statistics office said.",
    "The city council voted 31 to 9 on Tuesday to raise parking fees by 15%.",
    "Police arrested three men after a warehouse fire in Leeds on Sunday night.",
    "The company reported a net loss of $412 million for the third quarter.",
    "According to the health ministry, 1,240 people were admitted to hospital last week.",
    "The court sentenced the former mayor to six years in prison for bribery.",
]

FURNITURE = [
    "Sign up for our morning briefing to get the day's top stories.",
    "Additional reporting by Tom Okafor in Lagos.",
    "Anyone with information should call 101 or contact Crimestoppers on 0800 555 111.",
    "Priya Shah is a data reporter for the Coastal Tribune, covering housing since 2019.",
    "Dan Reyes can be reached at 555-0142 or by email.",
    "Editor's note: an earlier version of this story misstated the mayor's age.",
]


def _proposed(text: str) -> bool:
    result = propose(text, language="en")
    assert result.scorer.startswith("news-"), result.scorer
    return any(s.checkworthy for s in result.sentences)


@pytest.mark.parametrize(
    ("kind", "text"), [(k, t) for k, texts in NOT_CLAIMS.items() for t in texts]
)
def test_content_non_claims_are_not_proposed(kind, text):
    assert not _proposed(text), kind


@pytest.mark.parametrize("text", CLAIMS)
def test_checkworthy_news_sentences_are_proposed(text):
    assert _proposed(text)


@pytest.mark.parametrize("text", FURNITURE)
def test_furniture_sentences_are_never_proposed(text):
    assert not _proposed(text)


@pytest.mark.parametrize(
    "text",
    [
        "Priya Shah is a former mayor who was jailed for fraud in 2019.",
        "The minister can be reached only through her office, officials said on Monday.",
    ],
)
def test_sentences_like_furniture_are_still_judged_by_the_scorer(text):
    assert not is_furniture_sentence(text)


def test_claims_rank_above_every_non_claim():
    scorer = load_scorer("news")
    non = [t for texts in NOT_CLAIMS.values() for t in texts]
    scores = scorer.score([ScoringItem(text=t) for t in CLAIMS + non])
    assert min(scores[: len(CLAIMS)]) > max(scores[len(CLAIMS) :])


def test_debate_scorer_is_unchanged_by_the_news_head():
    # score_sentences and the debate benchmarks read "default": the news head must not leak in.
    default, news = load_scorer("default"), load_scorer("news")
    assert isinstance(news, NewsScorer) and news.base is default
    assert default.name.startswith("model-")
    assert default.threshold == float(default.meta["threshold"])


def test_news_head_file_names_its_features_and_threshold():
    meta = json.loads((scoring.MODELS_DIR / "news_head.json").read_text(encoding="utf-8"))
    assert tuple(meta["features"]) == NEWS_FEATURE_NAMES
    assert 0.0 < meta["threshold"] < 1.0
    assert meta["cv"]["recall"] >= meta["recall_target"]


def test_news_head_with_other_features_is_a_clear_error():
    meta = json.loads((scoring.MODELS_DIR / "news_head.json").read_text(encoding="utf-8"))
    meta["features"] = [*meta["features"], "extra"]
    with pytest.raises(ValueError, match="retrain with train_claim_model --news"):
        NewsHead(meta)


def test_threshold_keeps_the_recall_target():
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0])
    p = np.array([0.9, 0.8, 0.7, 0.3, 0.6, 0.2, 0.1, 0.05, 0.95, 0.4])
    t = choose_threshold(y, p, recall=0.8)
    assert (p[y == 1] >= t).mean() >= 0.8
    assert t == 0.7  # the next positive down (0.3) is not needed for 80%


def test_model_card_block_has_the_reliability_table():
    y = np.array([0, 0, 1, 1, 1, 0])
    p = np.array([0.05, 0.15, 0.85, 0.95, 0.55, 0.45])
    rows = reliability(y, p)
    assert [r["bin"] for r in rows] == [
        "0.0-0.1",
        "0.1-0.2",
        "0.4-0.5",
        "0.5-0.6",
        "0.8-0.9",
        "0.9-1.0",
    ]
    meta = json.loads((scoring.MODELS_DIR / "news_head.json").read_text(encoding="utf-8"))
    block = news_card_block(meta)
    assert "| score bin | sentences | mean score | share check-worthy |" in block
    card = (scoring.MODELS_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert block in card, "the card's news block is stale: run python -m training --news"
