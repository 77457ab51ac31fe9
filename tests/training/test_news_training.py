"""The news head's training command and the debate-grouped CV, on project-written data."""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from extraction.newshead import NEWS_META_NAME, NewsHead
from extraction.scoring import MODEL_META_NAME, MODEL_NPZ_NAME, MODELS_DIR
from training import newsdata
from training.card import CARD_NAME
from training.debate_cv import match_debates
from training.news import NEWS_CARD_END, NEWS_CARD_START

TOWNS = ["Ashby", "Brill", "Colne", "Dunmore", "Elstow", "Frome", "Garth"]


def _article(i: int, town: str, split: str = "dev") -> dict:
    def s(text, checkworthy, cls):
        return {"text": text, "checkworthy": checkworthy, "class": cls}

    return {
        "id": f"t-{i}",
        "split": split,
        "source": f"{town} Echo",
        "byline": "Staff",
        "paragraphs": [
            [
                s(f"{town} council raised parking fees by {10 + i}% on Monday.", True, "figure"),
                s(f"Police arrested {i + 2} men after a fire at a {town} depot.", True, "event"),
                s(
                    f"The rise could hurt shops in {town} if footfall keeps falling.",
                    False,
                    "speculation",
                ),
                s(f"The council wants {town} to become a greener town.", False, "aim"),
                s(
                    f"Residents praised the volunteers of {town} for their courage.",
                    False,
                    "praise",
                ),
            ]
        ],
    }


@pytest.fixture
def model_dir(tmp_path):
    out = tmp_path / "model"
    out.mkdir()
    for name in (MODEL_META_NAME, MODEL_NPZ_NAME, "static_minilm_l6.npz", CARD_NAME):
        shutil.copy(MODELS_DIR / name, out / name)
    return out


def test_train_claim_model_news_writes_the_head_and_the_card_reliability_table(tmp_path, model_dir):
    data = tmp_path / "articles.jsonl"
    articles = [_article(i, t) for i, t in enumerate(TOWNS)] + [_article(9, "Hale", "test")]
    data.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    stdout = io.StringIO()

    call_command(
        "train_claim_model",
        "--news",
        "--news-data",
        str(data),
        "--out",
        str(model_dir),
        "--subjectivity",
        str(tmp_path / "missing.jsonl"),
        stdout=stdout,
    )

    meta = json.loads((model_dir / NEWS_META_NAME).read_text(encoding="utf-8"))
    head = NewsHead(meta)
    assert 0.0 < head.threshold < 1.0
    # Only the dev articles were read: 7 articles of 5 sentences, none of the test one.
    assert (meta["cv"]["sentences"], meta["cv"]["articles"]) == (35, 7)
    assert meta["subjectivity_rows"] == 0
    assert sum(r["n"] for r in meta["cv"]["reliability"]) == 35
    card = (model_dir / CARD_NAME).read_text(encoding="utf-8")
    assert card.count(NEWS_CARD_START) == card.count(NEWS_CARD_END) == 1
    assert "| score bin | sentences | mean score | share check-worthy |" in card
    assert f"news threshold: **{meta['threshold']}**" in card


def test_train_claim_model_news_without_data_names_the_missing_file(tmp_path, model_dir):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(CommandError, match="training failed"):
        call_command(
            "train_claim_model",
            "--news",
            "--news-data",
            str(missing),
            "--out",
            str(model_dir),
            stdout=(out := io.StringIO()),
        )
    assert f"news data not found: {missing}" in out.getvalue()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "articles.jsonl:1: not JSON"),
        (
            '{"id": "a", "split": "dev", "source": "X"}',
            "articles.jsonl:1: missing field 'paragraphs'",
        ),
        (
            '{"id": "a", "split": "dev", "source": "X", "paragraphs": [[{"text": "Hi there."}]]}',
            "'checkworthy' must be true or false",
        ),
    ],
)
def test_bad_article_lines_are_errors_naming_line_and_field(tmp_path, line, message):
    path = tmp_path / "articles.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(newsdata.NewsDataError, match=re.escape(message)):
        newsdata.load_articles(path)


def test_bad_subjectivity_label_is_an_error(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text('{"id": "1", "text": "Rain fell.", "label": "MAYBE"}\n', encoding="utf-8")
    with pytest.raises(
        newsdata.NewsDataError, match=re.escape("train.jsonl:1: needs text and label")
    ):
        newsdata.load_subjectivity(path)


def test_build_body_offsets_point_at_each_labelled_sentence():
    body, spans = newsdata.build_body(_article(0, "Ashby"))
    assert [body[a:b] for a, b, _ in spans] == [
        s["text"] for s in _article(0, "Ashby")["paragraphs"][0]
    ]


def test_claimbuster_rows_are_matched_to_the_debate_that_repeats_them():
    clef = [
        {
            "group": "debate-a",
            "text": "We have lost 70,000 manufacturing jobs in this state alone.",
        },
        {"group": "debate-b", "text": "Thank you all for coming tonight, it is great to be here."},
    ]
    cb = [
        {"text": "We have lost 70,000 manufacturing jobs in this state alone."},
        {"text": "Well, we have lost 70,000 manufacturing jobs in this state alone, folks."},
        {"text": "Taxes on the middle class went up by 3% last year."},
    ]
    assert match_debates(cb, clef) == ["debate-a", "debate-a", None]
