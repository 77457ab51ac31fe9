"""The labelled news set (training/data/news) and its evaluation script (issue #17)."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "training" / "evaluate_news.py"


def _load_script():
    # training/ is not a package here; load the script the way `python training/...` runs it.
    spec = importlib.util.spec_from_file_location("evaluate_news", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # Registered first: its dataclass looks its module up while being created.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


E = _load_script()


class DigitScorer:
    """A stand-in scorer: sentences with a digit are check-worthy."""

    name = "digits"
    threshold = 0.5

    def score(self, items):
        return [0.9 if any(ch.isdigit() for ch in it.text) else 0.1 for it in items]


def _sentence(text, cls, **extra):
    cw = cls in E.CHECKWORTHY_CLASSES
    return {"text": text, "checkworthy": cw, "class": cls, **extra}


def _article(paragraphs, **extra):
    return {
        "id": "t-1",
        "split": "dev",
        "source": "Test Gazette",
        "byline": "A. Writer",
        "title": "t",
        "published": "2026-01-01",
        "paragraphs": paragraphs,
        **extra,
    }


def test_dataset_loads_and_meets_the_brief():
    articles = E.load_articles(E.DATA)
    sentences = [(a["split"], s) for a in articles for p in a["paragraphs"] for s in p]
    classes = Counter(s["class"] for _, s in sentences)
    share = sum(s["checkworthy"] for _, s in sentences) / len(sentences)

    assert len(articles) >= 60
    assert len(sentences) >= 900
    assert len({a["id"] for a in articles}) == len(articles)
    assert {a["split"] for a in articles} == {"dev", "test"}
    assert 0.40 <= share <= 0.55
    assert all(classes[c] >= 40 for c in E.CONTENT_CLASSES), classes


def test_body_offsets_point_at_each_labelled_sentence():
    article = E.load_articles(E.DATA)[0]
    body, spans = E.build_body(article)
    assert [body[start:end] for start, end, _ in spans] == [
        s["text"] for p in article["paragraphs"] for s in p
    ]
    assert body.count("\n") == len(article["paragraphs"]) - 1


def test_alignment_takes_each_labelled_sentence_from_the_pipeline():
    article = _article(
        [
            [
                _sentence(
                    "Prices rose 4% in May, the office said.",
                    "figure",
                    claimer="office",
                    claim_type="quantity",
                ),
                _sentence("That is a worrying sign for everyone.", "opinion"),
            ],
            [_sentence("Sign up for our newsletter.", "boilerplate")],
        ]
    )
    rows = E.evaluate_article(article, scorer=DigitScorer())
    assert [(r.proposed, r.score, r.pieces) for r in rows] == [
        (True, 0.9, 1),
        (False, 0.1, 1),
        (False, 0.1, 1),
    ]
    assert rows[0].claimer == "the office"


def test_split_metrics_counts_recall_content_share_and_boilerplate():
    article = _article(
        [
            [
                _sentence(
                    "Sales fell 12% in 2025, the company said.",
                    "figure",
                    claimer="x",
                    claim_type="quantity",
                ),
                _sentence("Analysts think 2026 could be worse.", "speculation"),
                _sentence("The mood was gloomy.", "vague"),
            ]
        ]
    )
    m = E.split_metrics(E.evaluate_article(article, scorer=DigitScorer()))
    assert m["recall"] == (1, 1, 1.0)
    assert m["content_proposed"] == (1, 2, 0.5)
    assert m["boilerplate_proposed"] == 0
    assert m["proposed_without_claimer"] == 0
    # The speculation ties with the figure at 0.9: half of the top-scored pair is wrong.
    assert m["ap"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ("Andriy Kovalenko", "Andriy Kovalenko", (True, True)),
        ("Andriy Kovalenko", "Kovalenko", (False, True)),
        ("Andriy Kovalenko", "President Andriy Kovalenko", (False, True)),
        ("United Nations", "UN", (False, True)),
        ("Office for National Statistics", "ONS", (False, True)),
        ("AFP", "Northern Ledger", (False, False)),
        ("Veritron", "", (False, False)),
    ],
)
def test_claimer_matching(gold, predicted, expected):
    assert E.claimer_matches(gold, predicted) == expected


def test_own_voice_claimer_is_the_bylines_agency_else_the_outlet():
    assert E.own_voice_claimer(_article([], byline="Jane Roe, with AFP")) == "AFP"
    assert E.own_voice_claimer(_article([], byline="Jane Roe")) == "Test Gazette"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "articles.jsonl:1: not JSON"),
        (json.dumps({"id": "a"}), "missing field 'split'"),
        (
            json.dumps(_article([[{"text": "x", "checkworthy": True, "class": "opinion"}]])),
            "checkworthy does not match class 'opinion'",
        ),
        (
            json.dumps(_article([[{"text": "x", "checkworthy": True, "class": "figure"}]])),
            "bad claim_type None",
        ),
    ],
)
def test_bad_lines_are_rejected_with_the_line_and_field(tmp_path, line, message):
    path = tmp_path / "articles.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(E.DataError, match=message):
        E.load_articles(path)


def test_main_exits_2_with_a_message_for_a_missing_file(tmp_path, capsys):
    assert E.main(["--data", str(tmp_path / "missing.jsonl")]) == 2
    assert "error:" in capsys.readouterr().err
