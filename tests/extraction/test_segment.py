"""Sentence segmentation: exact offsets on tricky news text, kinds, paragraphs."""

# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from extraction.segment import is_question, split_sentences

# (body, the sentence texts expected, in order)
SPLIT_TABLE = [
    (
        "The U.S.-based Institute for the Study of War (ISW) noted advances. Russia denied it.",
        [
            "The U.S.-based Institute for the Study of War (ISW) noted advances.",
            "Russia denied it.",
        ],
    ),
    (
        "Mr. Smith met Gen. Jones on Jan. 5 at 3 p.m. in room No. 5. They talked.",
        ["Mr. Smith met Gen. Jones on Jan. 5 at 3 p.m. in room No. 5.", "They talked."],
    ),
    (
        "Gains of one to two kilometers (0.6-1.2 miles) were reported. About 1,500 people "
        "remain. Prices rose 2.5% to $3.4bn. Officials agreed.",
        [
            "Gains of one to two kilometers (0.6-1.2 miles) were reported.",
            "About 1,500 people remain.",
            "Prices rose 2.5% to $3.4bn.",
            "Officials agreed.",
        ],
    ),
    (
        "“Today we have advanced well. We are achieving our\xa0strategic\xa0goal,” Zelensky "
        "said. “Our aim is clear,” he added.",
        [
            "“Today we have advanced well. We are achieving our\xa0strategic\xa0goal,” "
            "Zelensky said.",
            "“Our aim is clear,” he added.",
        ],
    ),
    (
        '"We will win. We must win," he said. She left.',
        ['"We will win. We must win," he said.', "She left."],
    ),
    (
        "She said: “We won the vote.” Then the session ended.",
        ["She said: “We won the vote.”", "Then the session ended."],
    ),
    (
        "It arrived in the U.S. The next day it left. The U.S. Army confirmed the date.",
        ["It arrived in the U.S.", "The next day it left.", "The U.S. Army confirmed the date."],
    ),
    (
        "The talks began at 3 p.m. Monday in Geneva. J. K. Rowling was not there.",
        ["The talks began at 3 p.m. Monday in Geneva.", "J. K. Rowling was not there."],
    ),
    (
        "The war — which began in 2022 — goes on. It cost billions… Nobody knows how many.",
        ["The war — which began in 2022 — goes on.", "It cost billions…", "Nobody knows how many."],
    ),
    (
        "The village is two kilometers from the border...and the road is closed. Troops left.",
        [
            "The village is two kilometers from the border...and the road is closed.",
            "Troops left.",
        ],
    ),
    (
        "The plant—one of the largest in Russia—was shut. Was it safe? Nobody said!",
        ["The plant—one of the largest in Russia—was shut.", "Was it safe?", "Nobody said!"],
    ),
    (
        "He lives on Main St. in Kyiv. He moved there in Dec. 2021 with his family.",
        ["He lives on Main St. in Kyiv.", "He moved there in Dec. 2021 with his family."],
    ),
    (
        "1. The first point is this. 2. The second point follows.",
        ["1. The first point is this.", "2. The second point follows."],
    ),
    # An opening quote that never closes in the paragraph must not swallow it.
    (
        "“The war must end. Russia attacked first. We will defend ourselves.",
        ["“The war must end.", "Russia attacked first.", "We will defend ourselves."],
    ),
]


@pytest.mark.parametrize(("body", "expected"), SPLIT_TABLE)
def test_split_sentences_finds_expected_units_with_exact_offsets(body, expected):
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == expected
    for s in sentences:
        assert body[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_each_line_is_a_paragraph_and_blank_lines_do_not_count():
    body = "First paragraph here. Second sentence.\n\n  Another paragraph follows.  \nThird one."
    sentences = split_sentences(body)
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("First paragraph here.", 0),
        ("Second sentence.", 0),
        ("Another paragraph follows.", 1),
        ("Third one.", 2),
    ]
    assert all(body[s.start : s.end] == s.text for s in sentences)


def test_soft_wrapped_line_joins_the_next_line_into_one_sentence():
    body = (
        "Russian forces shelled the town of Sudzha overnight and\n"
        "damaged two schools, officials said."
    )
    [sentence] = split_sentences(body)
    assert sentence.text == body
    assert sentence.kind == "sentence"


@pytest.mark.parametrize(
    ("body", "kinds"),
    [
        ("Blindfolded POWs\nTroops crossed the border on Tuesday.", ["heading", "sentence"]),
        ("‘It’s Very Worrying’\nThe governor spoke on Monday.", ["heading", "sentence"]),
        ("# Kursk offensive\nTroops crossed the border.", ["heading", "sentence"]),
        (
            "Troops crossed the border.\nBarbara Wojazer and Jonathan Brown, with AFP",
            ["sentence", "byline"],
        ),
        ("By Jane Doe\nTroops crossed the border.", ["byline", "sentence"]),
        (
            "Troops crossed the border.\nSubscribe to our newsletter\n"
            "Please wait...\nThank you for sign up!",
            ["sentence", "boilerplate", "boilerplate", "boilerplate"],
        ),
        ("Share this article\nRead more\nAdvertisement", ["boilerplate"] * 3),
        ("Yes. The ministry confirmed the strike.", ["fragment", "sentence"]),
        ("— — —\nThe ministry confirmed the strike.", ["fragment", "sentence"]),
    ],
)
def test_units_get_their_kind(body, kinds):
    sentences = split_sentences(body)
    assert [s.kind for s in sentences] == kinds
    assert all(body[s.start : s.end] == s.text for s in sentences)


def test_long_paragraph_without_final_stop_is_a_sentence_not_a_heading():
    body = (
        "Russian authorities reported the evacuation of over 76,000 residents from the "
        "Kursk region and the start of a counter-terror regime in three border areas"
    )
    [sentence] = split_sentences(body)
    assert sentence.kind == "sentence"


@pytest.mark.parametrize("body", ["", "   \n\n\t", "\n"])
def test_blank_body_has_no_sentences(body):
    assert split_sentences(body) == []


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Was it safe?", True),
        ("“Was it safe?”", True),
        ("“Why?” he asked.", False),
        ("It was safe.", False),
    ],
)
def test_is_question(text, question):
    assert is_question(text) is question


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "KYIV, Ukraine (AP) — Ukrainian forces crossed the border. Russia said so.",
            ["Ukrainian forces crossed the border.", "Russia said so."],
        ),
        ("MOSCOW (Reuters) - Russia shot down 30 drones.", ["Russia shot down 30 drones."]),
        ("WASHINGTON — The Senate passed the bill.", ["The Senate passed the bill."]),
        ("NATO said the drills would go on.", ["NATO said the drills would go on."]),
    ],
)
def test_datelines_are_left_out_of_the_first_sentence(body, expected):
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == expected
    assert all(body[s.start : s.end] == s.text for s in sentences)


def test_bullet_items_are_sentences_without_their_marker():
    body = "• Russia has lost 500 tanks since January\n- Ukraine lost 200 in the same period"
    sentences = split_sentences(body)
    assert [(s.text, s.kind) for s in sentences] == [
        ("Russia has lost 500 tanks since January", "sentence"),
        ("Ukraine lost 200 in the same period", "sentence"),
    ]
    assert all(body[s.start : s.end] == s.text for s in sentences)


def test_offsets_hold_on_random_text_made_of_tricky_pieces():
    import random

    rng = random.Random(20240806)
    pieces = [
        "Mr.", "U.S.", "p.m.", "No.", "5", "1,500", "2.5%", "$3.4bn", "0.6-1.2", "said", "the",
        "Kyiv", "“", "”", '"', "‘", "’", "...", "…", "—", "–", "(", ")", ".", "!", "?", ",",
        "\n", "\n\n", " ", "\xa0", "\t", "Subscribe to our newsletter", "By Jane Doe", "•", "# ",
        "KYIV (AP) — ", "e.g.", "J.", "war", "Troops", "advanced",
    ]  # fmt: skip
    for _ in range(400):
        body = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        sentences = split_sentences(body)
        previous_end, previous_paragraph = 0, 0
        for s in sentences:
            assert body[s.start : s.end] == s.text
            assert s.text and s.text == s.text.strip()
            assert s.start >= previous_end
            assert s.paragraph >= previous_paragraph
            previous_end, previous_paragraph = s.end, s.paragraph
