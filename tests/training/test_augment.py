"""Augmentation tests on hand-written sentences (never the real training data).

The exact strings are pinned on purpose: stored teacher logits are aligned with these variants,
so any change to the seeding or to a rule must show up here as a failing test.
"""

from __future__ import annotations

import re

import pytest

from training.augment import (
    aug_dropout,
    aug_numbers,
    aug_swap,
    aug_truncate,
    augment,
)

ROADS = "The council spent 12 million dollars on roads in 2019."
WAGES = "Unemployment fell to 4.5% last year, but wages did not rise."
THANKS = "Thank you all for coming tonight."
SCHOOLS = "We will build more schools and we will hire more teachers because children deserve it."
CRIME = "Crime is down everywhere in this wonderful city of ours today."
YES = "Yes."
SENTENCES = [ROADS, WAGES, THANKS, SCHOOLS, CRIME, YES]


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(word in it for word in short)


# ----------------------------------------------------------------------------------- dropout


@pytest.mark.parametrize(
    ("text", "k", "expected"),
    [
        (ROADS, 0, "The council spent million dollars on roads"),
        (ROADS, 1, "The council spent million dollars on roads in 2019."),
        (WAGES, 0, "Unemployment fell to last year, wages did not rise."),
        (THANKS, 0, "Thank you all coming tonight."),
        (CRIME, 1, "Crime is down everywhere wonderful city of ours today."),
        (YES, 0, None),
        ("Too short here", 0, None),
    ],
)
def test_dropout_gives_the_pinned_variant(text, k, expected):
    assert aug_dropout(text, k) == expected


@pytest.mark.parametrize("text", [*SENTENCES[:5], "one two three four", "a b c d e f g h i j"])
@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_dropout_keeps_at_least_three_words_in_order_and_drops_one(text, k):
    out = aug_dropout(text, k)
    if out is None:  # only when dropping one word would leave fewer than three
        assert len(text.split()) == 4
        return
    words = out.split()
    assert len(words) >= 3
    assert out != text
    assert len(words) < len(text.split())
    assert _is_subsequence(words, text.split())


# ----------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ROADS, "The council spent 45 million dollars on roads in 6955."),
        (WAGES, "Unemployment fell to 8.2% last year, but wages did not rise."),
        (THANKS, None),
    ],
)
def test_numbers_gives_the_pinned_variant(text, expected):
    assert aug_numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [ROADS, WAGES, "Tax rose from $1,250 to $10,000 (0.5%) in 07 days.", "0 and 00 and 000"],
)
def test_numbers_keep_every_digit_count_and_everything_else(text):
    out = aug_numbers(text)
    runs_in, runs_out = re.findall(r"\d+", text), re.findall(r"\d+", out)
    assert [len(r) for r in runs_out] == [len(r) for r in runs_in]
    assert all(r[0] != "0" for r in runs_out)
    assert re.split(r"\d+", out) == re.split(r"\d+", text)


# ----------------------------------------------------------------------------------- truncate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Clause boundaries: the first clause, or the clauses after a random boundary.
        (WAGES, "Unemployment fell to 4.5% last year"),
        (SCHOOLS, "we will hire more teachers children deserve it."),
        # No boundary, at least 8 words: a prefix of between half and all but one word.
        (ROADS, "The council spent 12 million dollars on roads"),
        (CRIME, "Crime is down everywhere in"),
        # No boundary and fewer than 8 words: nothing.
        (THANKS, None),
        (YES, None),
    ],
)
def test_truncate_gives_the_pinned_variant(text, expected):
    assert aug_truncate(text) == expected


@pytest.mark.parametrize("k", range(6))
def test_truncate_without_clauses_keeps_a_word_prefix(k):
    words = CRIME.split()
    out = aug_truncate(CRIME, k).split()
    assert out == words[: len(out)]
    assert len(words) // 2 <= len(out) < len(words) - 1


# ----------------------------------------------------------------------------------- swap


@pytest.mark.parametrize(
    ("text", "other", "expected"),
    [
        ("one two three four", "five six seven eight nine", "one two seven eight nine"),
        (ROADS, WAGES, "The council spent 12 million year, but wages did not rise."),
        (ROADS, YES, None),
        (YES, ROADS, None),
    ],
)
def test_swap_splices_first_half_with_second_half(text, other, expected):
    assert aug_swap(text, other) == expected


# ----------------------------------------------------------------------------------- augment


def test_augment_gives_the_pinned_variants_in_order():
    assert augment(SENTENCES) == [
        "The council spent million dollars on roads",
        "The council spent million dollars on roads in 2019.",
        "The council spent 45 million dollars on roads in 6955.",
        "The council spent 12 million dollars on roads",
        "The council spent 12 million year, but wages did not rise.",
        "Unemployment fell to last year, wages did not rise.",
        "Unemployment fell to last year, but wages did rise.",
        "Unemployment fell to 8.2% last year, but wages did not rise.",
        "Unemployment fell to 4.5% last year",
        "Unemployment fell to 4.5% last for coming tonight.",
        "Thank you all coming tonight.",
        "Thank you all will hire more teachers because children deserve it.",
        "We will build more schools and we will hire teachers because children deserve it.",
        "We will build more schools and we will hire more teachers because deserve it.",
        "we will hire more teachers children deserve it.",
        "We will build more schools and we this wonderful city of ours today.",
        "Crime is down everywhere in this wonderful city ours today.",
        "Crime is down everywhere wonderful city of ours today.",
        "Crime is down everywhere in",
    ]


def test_augment_is_deterministic():
    assert augment(SENTENCES) == augment(list(SENTENCES))
    assert augment(SENTENCES) == augment(tuple(SENTENCES))


@pytest.mark.parametrize(
    "texts",
    [
        SENTENCES,
        # Repeated inputs and two dropouts that coincide ("Thank you all coming tonight.").
        [THANKS, THANKS, ROADS, ROADS],
        [SCHOOLS],
    ],
)
def test_augment_has_no_duplicates_and_no_originals(texts):
    out = augment(texts)
    assert len(out) == len(set(out))
    assert not set(out) & set(texts)
    assert all(o.strip() for o in out)


@pytest.mark.parametrize(
    ("texts", "n_drop", "expected"),
    [
        ([], 2, []),
        ([YES], 2, []),
        # A single text is spliced with itself, which gives the text back and is dropped.
        (["one two three four five six"], 0, []),
        ([THANKS], 0, []),
        ([THANKS], 1, ["Thank you all coming tonight."]),
    ],
)
def test_augment_edge_cases(texts, n_drop, expected):
    assert augment(texts, n_drop=n_drop) == expected


def test_augment_order_of_inputs_changes_the_swaps():
    forward = augment([ROADS, WAGES, CRIME])
    backward = augment([ROADS, CRIME, WAGES])
    assert "The council spent 12 million year, but wages did not rise." in forward
    assert "The council spent 12 million year, but wages did not rise." not in backward
