"""Tests for the check-worthiness features (plain Python, no database)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from claims.extraction import features as F
from claims.extraction.types import ScoringItem

SHAPE_TABLE = [
    ("It cost $12 million.", ["it", "cost", "zmoney", "million"]),
    ("Prices rose 3.5% last year.", ["prices", "rose", "zpct", "last", "year"]),
    ("In 2019 the rate was 40 percent.", ["in", "zyear", "the", "rate", "was", "zpct"]),
    ("About 1,500 people came.", ["about", "znum", "people", "came"]),
    ("Is that true?", ["is", "that", "true", "?"]),
    ("He said “no” twice.", ["he", "said", '"', "no", '"', "twice"]),
]


@pytest.mark.parametrize(("text", "tokens"), SHAPE_TABLE)
def test_word_tokens_replace_numbers_by_their_shape(text, tokens):
    assert F.word_tokens(text) == tokens


def test_char_ngrams_map_digits_to_zero_and_normalise_space():
    grams = F.char_ngrams("Up  12%")
    assert " up" in grams
    assert "00%" in grams
    assert all("1" not in g and "2" not in g for g in grams)
    assert all("  " not in g for g in grams)


PROJECT_TEXTS = [
    "The new bridge cost $40 million and opened in 2021.",
    "Ridership fell 12% after the fare rise, the agency said.",
    "Is this the best we can do?",
    "I believe the council should listen to residents.",
    "The museum welcomed 1,200 visitors on its first day.",
    "The museum welcomed visitors.",
]


@pytest.mark.parametrize("analyzer", ["word", "char"])
def test_tfidf_table_matches_sklearn_vectorizer(analyzer):
    vec = TfidfVectorizer(analyzer=F.ANALYZERS[analyzer], sublinear_tf=True).fit(PROJECT_TEXTS)
    table = F.TfidfTable(vec.get_feature_names_out().tolist(), vec.idf_, analyzer)
    queries = [*PROJECT_TEXTS, "", "zzz qqq"]
    ours = table.transform(queries).toarray()
    theirs = vec.transform(queries).toarray()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


HAND_TABLE = [
    ("Inflation hit 9% in 1980, the report said.", {"pct", "year", "number", "attribution"}),
    ("Why should anyone believe that?", {"question", "question_any", "opinion"}),
    ("Subscribe to our newsletter.", {"boilerplate", "short"}),
    ("The plant will close and 300 jobs will go.", {"future", "number"}),
]


@pytest.mark.parametrize(("text", "on"), HAND_TABLE)
def test_hand_features_flag_expected_markers(text, on):
    values = dict(zip(F.HAND_FEATURE_NAMES, F.hand_features(text), strict=True))
    flagged = {k for k, v in values.items() if v == 1.0 and k != "log_words"}
    assert on <= flagged
    assert F.hand_matrix([text, text]).shape == (2, len(F.HAND_FEATURE_NAMES))


def _tiny_embeddings() -> F.StaticEmbeddings:
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"[UNK]": 0, "cats": 1, "dogs": 2, "run": 3}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    table = np.array([[0, 0], [127, 0], [0, 127], [64, 64]], dtype=np.int8)
    scales = np.array([1.0, 0.5, 0.25, 1.0], dtype=np.float32)
    return F.StaticEmbeddings(table, scales, tok.to_str())


def test_static_embeddings_average_dequantised_tokens_and_normalise():
    emb = _tiny_embeddings()
    out = emb.embed(["cats dogs", "run", ""])
    expected = np.array([127 * 0.5, 127 * 0.25]) / 2
    np.testing.assert_allclose(out[0], expected / np.linalg.norm(expected), rtol=1e-6)
    np.testing.assert_allclose(out[1], [2**-0.5, 2**-0.5], rtol=1e-6)
    np.testing.assert_array_equal(out[2], [0.0, 0.0])
    assert emb.embed([]).shape == (0, 2)


def test_static_embeddings_round_trip_through_npz(tmp_path):
    emb = _tiny_embeddings()
    path = tmp_path / "emb.npz"
    np.savez(
        path,
        table=emb.table,
        scales=emb.scales,
        tokenizer=np.frombuffer(emb.tokenizer.to_str().encode(), dtype=np.uint8),
    )
    loaded = F.StaticEmbeddings.from_npz(path)
    np.testing.assert_array_equal(loaded.embed(["dogs run"]), emb.embed(["dogs run"]))
    assert json.loads(loaded.tokenizer.to_str())["model"]["type"] == "WordLevel"


def test_context_matrix_uses_neighbour_logits_and_neutral_defaults():
    logits = {"a b": 1.5, "c": -2.0, "middle sentence here": 0.3}
    items = [
        ScoringItem(
            "middle sentence here",
            doc="d",
            prev_text="a b",
            next_text="c",
            position=2,
            doc_length=5,
        ),
        ScoringItem("middle sentence here", doc="d"),
        ScoringItem("middle sentence here", doc="d", position=9, doc_length=5),
    ]
    m = F.context_matrix(items, logits, fill_logit=-0.7)
    assert m.shape == (3, len(F.CONTEXT_FEATURE_NAMES))
    np.testing.assert_allclose(m[0, :3], [1.5, -2.0, 0.5])
    np.testing.assert_allclose(m[1, :3], [-0.7, -0.7, 0.5])
    assert m[2, 2] == 1.0  # a position past the end is clipped
    assert m[0, 3] == m[1, 3] > 0


def test_context_head_shift_is_zero_for_an_item_at_the_training_centre():
    head = F.ContextHead(
        weights=np.array([0.2, 0.1, -1.0, 0.5]), center=np.zeros(4), fill_logit=0.0
    )
    centre = F.ContextHead(
        weights=head.weights,
        center=F.context_matrix([ScoringItem("two words", doc="d")], {}, 0.0)[0],
        fill_logit=0.0,
    )
    assert centre.shift([ScoringItem("two words", doc="d")], {}) == pytest.approx([0.0])
    assert head.shift([ScoringItem("two words", doc="d", prev_text="x")], {"x": 1.0})[0] != 0.0
