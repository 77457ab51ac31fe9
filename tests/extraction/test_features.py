"""Tests for the check-worthiness features (plain Python, no database)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from extraction import features as F
from extraction.features import hand
from extraction.types import ScoringItem

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


# --------------------------------------------------------------------------- fast paths
#
# Scoring counts grams with numpy indexes, decides most hand features by word lookups and
# tokenises each space-separated chunk once. Each must give exactly what the definitions
# (one string per gram looked up in a dict, every regex run, the whole text tokenised) give:
# the shipped model was trained on those, and retraining must reproduce it byte for byte.

TRICKY_PIECES = [
    *PROJECT_TEXTS,
    "",
    " ",
    "  \t\n ",
    "\x00",
    "a\x00b",
    "\x0b\x0c\x1c\x1f\x85\xa0\u2003\u3000",
    "٣٤ ۱۲ ๓ \uff11\uff12",  # non-ASCII decimal digits: \d, so "0" for the char grams
    "Ⅻ ½ ²",  # numeric but not decimal
    "İstanbul ΣΑΣ ὈΔΥΣΣΕΎΣ ß ﬁ",  # lower() changes the length or depends on context
    "e\u0301 \u0301x",  # combining marks
    "中文字 ﾊﾞｶ",
    "\ud800 lone surrogate",
    "😀 emoji €5 ¥3 £2.5 $ 4",
    '“Quoted,” he said. "Again" \u2018single\u2019',
    "US NATO U.S. I think we must; In my view, Ok.",
    "1999s 2024 1600 1599 20000 3.5% 12 per cent 40 percent",
    "congratulations CONGRATULATIONS thank you ©",
    "x" * 130,
    "sign up, click here, follow us, read more, all rights reserved",
    "used bred aged seed tired 3ed x_ed abc1ed éteinted SIGNED signé",
    "according to officials, who found that spokeswomen reported it",
]


def tricky_texts(n: int, seed: int = 4) -> list[str]:
    """Deterministic adversarial texts: the pieces above and every pattern word, spliced."""
    import random
    import re

    rng = random.Random(seed)
    words = sorted({w for _, p in hand._PATTERNS for w in re.findall(r"[A-Za-z]{2,}", p.pattern)})
    joiners = [" ", "", "_", "-", "'", ".", ",", "?", '"', "“", "”", "1", "é", "İ", "\n"]
    texts = list(TRICKY_PIECES)
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 10)):
            if rng.random() < 0.3:
                piece = rng.choice(TRICKY_PIECES)
                start = rng.randint(0, len(piece))
                parts.append(piece[start : start + rng.randint(1, 30)])
            else:
                word = rng.choice(words)
                parts.append(rng.choice([word, word.upper(), word.capitalize()]))
            parts.append(rng.choice(joiners))
        texts.append("".join(parts))
    return texts


@pytest.fixture(scope="module")
def shipped():
    from extraction.scoring import MODELS_DIR, ModelScorer

    return ModelScorer.from_dir(MODELS_DIR).text.linear


@pytest.mark.parametrize("analyzer", ["word", "char"])
def test_gram_index_counts_exactly_what_the_dict_lookup_counts(shipped, analyzer):
    table = getattr(shipped, analyzer)
    assert table._grams is not None  # the shipped vocabularies use the fast path
    texts = tricky_texts(3000)
    for batch in (texts, texts[:1], texts[1:2], []):
        keys, counts = table.count(batch)
        ref_keys, ref_counts = table.count_by_dict(batch)
        np.testing.assert_array_equal(keys, ref_keys)
        np.testing.assert_array_equal(counts, ref_counts)


def test_dot_is_the_matrix_product_bit_for_bit(shipped):
    texts = tricky_texts(500)
    n_word = len(shipped.word.terms)
    coef = shipped.coef[n_word : n_word + len(shipped.char.terms)]
    assert np.array_equal(shipped.char.dot(texts, coef), shipped.char.transform(texts) @ coef)


def test_char_index_counts_a_blank_text_as_two_spaces():
    # Fitted on a blank text, the vocabulary holds "  ", which only a blank text produces.
    texts = ["", "a b", " \t "]
    vec = TfidfVectorizer(analyzer=F.char_ngrams).fit(texts)
    terms = vec.get_feature_names_out().tolist()
    assert "  " in terms
    index = F.CharGramIndex.build(terms, F.CHAR_NGRAM_RANGE)
    assert index is not None
    table = F.TfidfTable(terms, vec.idf_, "char")
    queries = [*texts, "\n", "x", "a  b "]
    keys, counts = index.count(queries)
    ref_keys, ref_counts = table.count_by_dict(queries)
    np.testing.assert_array_equal(keys, ref_keys)
    np.testing.assert_array_equal(counts, ref_counts)


@pytest.mark.parametrize(
    "terms",
    [
        ["ab", "a\tb"],  # whitespace char_ngrams never makes
        ["ab", "12"],  # digits other than 0
        ["a", "ab"],  # a 1-gram, outside the range
    ],
)
def test_vocabularies_the_char_index_cannot_hold_fall_back_to_the_dict(terms):
    assert F.CharGramIndex.build(terms, F.CHAR_NGRAM_RANGE) is None
    table = F.TfidfTable(terms, np.ones(len(terms)), "char")
    assert table._grams is None
    assert table.transform(["ab a\tb 12"]).shape == (1, len(terms))


def test_char_index_declines_a_vocabulary_too_large_for_its_tables(monkeypatch):
    monkeypatch.setattr(F.CharGramIndex, "MAX_CELLS", 10)
    assert F.CharGramIndex.build([" ab", "abc"], F.CHAR_NGRAM_RANGE) is None


def test_word_index_declines_terms_that_are_not_uni_or_bigrams():
    assert F.WordGramIndex.build(["a b c"]) is None
    assert F.WordGramIndex.build(["a  b"]) is None
    assert F.WordGramIndex.build(["a", "a b"]) is not None


def test_hand_matrix_equals_every_regex_run_on_every_text():
    texts = tricky_texts(20_000)
    expected = np.array([F.hand_features_by_regex(t) for t in texts])
    np.testing.assert_array_equal(F.hand_matrix(texts), expected)
    assert F.hand_features(texts[0]) == F.hand_features_by_regex(texts[0])


def test_lower_casing_keeps_word_and_decimal_characters_apart_from_the_rest():
    # hand_matrix relies on it: it gates a case-sensitive pattern by the lower-cased text's
    # runs and finds the "number" feature's \d in the lower-cased text.
    import re

    every = "".join(map(chr, range(0x110000)))
    assert re.search(r"\w", re.sub(r"\w", "", every).lower()) is None
    assert re.search(r"\d", re.sub(r"\d", "", every).lower()) is None
    assert re.fullmatch(r"\d*", re.sub(r"\D", "", every).lower())


def test_number_shapes_equals_one_regex_substitution():
    texts = tricky_texts(3000)
    texts += ["a1990", "x 2024s and 1,500.25 $ 3 €4 50 per cent", "٣%", "$$1", "1990S"]
    assert [F.number_shapes(t) for t in texts] == [F.number_shapes_by_sub(t) for t in texts]


def test_chunk_cache_gives_the_tokenizer_s_own_ids(shipped, monkeypatch):
    emb = shipped.emb
    assert emb._chunk_ids is not None  # the shipped tokenizer splits at spaces
    # The tokenizer refuses lone surrogates (score_sentences reports them as bad lines).
    texts = [t for t in tricky_texts(2000) if "\ud800" not in t]
    encs = emb.tokenizer.encode_batch(texts, add_special_tokens=False)
    expected = [i for e in encs for i in e.ids]
    # A tiny cache is emptied over and over on the way: same ids.
    monkeypatch.setattr(F.StaticEmbeddings, "CHUNK_CACHE_SIZE", 50)
    for _ in range(2):  # cold, then warm
        lengths, flat = emb.token_ids(texts)
        assert flat.tolist() == expected
        assert lengths.tolist() == [len(e.ids) for e in encs]


def test_tokenizers_that_may_join_across_a_space_are_not_cached():
    from tokenizers import Tokenizer, models, pre_tokenizers

    tok = Tokenizer(models.WordLevel(vocab={"[UNK]": 0, "a": 1}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    assert F.splits_at_spaces(tok.to_str())
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    assert not F.splits_at_spaces(tok.to_str())
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel()
    assert not F.splits_at_spaces(bpe.to_str())


def _tiny_blend(emb: F.StaticEmbeddings) -> F.BlendedHead:
    from extraction.conv import ConvHead

    rng = np.random.default_rng(3)
    word = F.TfidfTable(["cats", "dogs"], np.array([1.0, 2.0], dtype=np.float32), "word")
    char = F.TfidfTable(["ca", "ru"], np.array([1.5, 1.0], dtype=np.float32), "char")
    n = 2 + 2 + len(F.HAND_FEATURE_NAMES) + emb.dim
    linear = F.TextHead(word, char, emb, rng.normal(size=n), intercept=-0.2)
    conv = ConvHead(
        weights=rng.normal(size=(emb.dim, 6 * 4)).astype(np.float32),
        bias=rng.normal(size=3 * 4).astype(np.float32),
        out_w=rng.normal(size=3 * 4).astype(np.float32),
        out_b=0.1,
    )
    return F.BlendedHead(linear, conv, (0.3, 1.2, 0.7))


def test_blended_head_is_the_blend_of_its_two_heads_on_one_tokenisation():
    emb = _tiny_embeddings()
    head = _tiny_blend(emb)
    texts = ["cats dogs run", "run", "", "dogs dogs cats"]
    tokens = emb.token_ids(texts)
    linear = head.linear.logits(texts)
    conv = head.conv.logits(*tokens, emb.vectors)
    np.testing.assert_allclose(head.logits(texts), 0.3 + 1.2 * linear + 0.7 * conv, rtol=1e-6)
    np.testing.assert_array_equal(head.linear.logits(texts, tokens), linear)
    np.testing.assert_array_equal(emb.embed(texts, tokens), emb.embed(texts))
    assert head.logits([]).shape == (0,)


def test_blended_head_round_trips_through_npz(tmp_path):
    emb = _tiny_embeddings()
    head = _tiny_blend(emb)
    np.savez(tmp_path / "m.npz", **head.to_arrays())
    with np.load(tmp_path / "m.npz") as z:
        loaded = F.BlendedHead.from_arrays(z, emb)
    texts = ["cats run", "dogs"]
    np.testing.assert_allclose(loaded.logits(texts), head.logits(texts), rtol=1e-6)
