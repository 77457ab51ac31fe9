"""Claimers and types of news sentences (issue #17), on project-written articles.

Own-voice sentences are the outlet's, or the byline agency's; pronouns and descriptions
refer back to the person or body named earlier; a quote with a figure is a quantity.
"""

# Typographic quotes are the data these tests read.

from __future__ import annotations

import pytest

from extraction.attribution import AttributionTracker
from extraction.boilerplate import own_voice_claimer
from extraction.claimtype import classify
from extraction.pipeline import propose

OUTLET = "Lakeside Gazette"


@pytest.mark.parametrize(
    ("outlet", "byline", "expected"),
    [
        (OUTLET, "Hanna Berg, with AFP", "AFP"),
        (OUTLET, "By Luis Ortega and Mei Chen / Reuters", "Reuters"),
        (OUTLET, "Hanna Berg", OUTLET),
        (OUTLET, "", OUTLET),
        ("", "By Hanna Berg", "Hanna Berg"),
        ("", "PA Media", "PA Media"),
    ],
)
def test_own_voice_claimer_is_the_agency_else_the_outlet(outlet, byline, expected):
    assert own_voice_claimer(outlet, byline) == expected


# (earlier sentences, sentence, expected claimer)
REFERENCE_TABLE = [
    (
        ["Health Minister Tomas Varga visited the hospital in Pecs on Monday."],
        "He said 240 new beds would open by March.",
        "Tomas Varga",
    ),
    (
        ["President Ilse Marwitz met farmers' leaders in Graz on Friday."],
        "The Austrian leader said subsidies had reached €1.1 billion this year.",
        "Ilse Marwitz",
    ),
    (
        ["The National Water Agency said reservoirs were at 41% of capacity."],
        "The agency said rationing would start in 12 towns on June 1.",
        "National Water Agency",
    ),
    (
        ["Finance Minister Rosa Lindqvist presented the budget in parliament."],
        "The minister said the deficit would fall to 2.1% of GDP.",
        "Rosa Lindqvist",
    ),
]


# Verbs that report a doing, not a saying, leave the sentence in the article's own voice.
OWN_VOICE_TABLE = [
    ("Factories added 12,500 jobs in March, the most since 2019.", OUTLET),
    ("Delegates agreed on Friday to cut the levy by a third.", OUTLET),
    ("Dozens of parents spoke at the hearing, most against the closure.", OUTLET),
    ("Factories added 12,500 jobs in March, the ministry added.", "the ministry"),
    ("Brightline blamed the loss on a 14% fall in ticket sales.", "Brightline"),
    ("Norvik expects revenue of between $1.1 billion and $1.3 billion.", "Norvik"),
]


@pytest.mark.parametrize(("sentence", "expected"), OWN_VOICE_TABLE)
def test_doing_verbs_are_not_attribution(sentence, expected):
    assert AttributionTracker(outlet=OUTLET).claimer_for(sentence) == expected


def test_an_org_description_refers_to_the_last_organisation_that_spoke():
    tracker = AttributionTracker(outlet=OUTLET)
    tracker.claimer_for("Norvik expects revenue of between $1.1 billion and $1.3 billion.")
    assert tracker.claimer_for("The company said 300 jobs would go in Bergen.") == "Norvik"


@pytest.mark.parametrize(("before", "sentence", "expected"), REFERENCE_TABLE)
def test_pronouns_and_descriptions_resolve_to_the_one_named_earlier(before, sentence, expected):
    tracker = AttributionTracker(outlet=OUTLET)
    for prev in before:
        tracker.claimer_for(prev)
    assert tracker.claimer_for(sentence) == expected


def test_article_own_voice_is_the_agency_and_no_claim_is_left_without_a_claimer():
    body = (
        "Floods forced 3,400 people from their homes in northern Moldova on Sunday.\n"
        "Interior Minister Dorin Rusu said 14 villages had lost power.\n"
        "He said rescue teams had reached all but two of them by nightfall."
    )
    result = propose(body, language="en", outlet=own_voice_claimer(OUTLET, "Ana Popa, with AFP"))
    claimers = [(s.text, s.claimer) for s in result.sentences]
    assert claimers == [
        ("Floods forced 3,400 people from their homes in northern Moldova on Sunday.", "AFP"),
        ("Interior Minister Dorin Rusu said 14 villages had lost power.", "Dorin Rusu"),
        ("He said rescue teams had reached all but two of them by nightfall.", "Dorin Rusu"),
    ]
    assert all(s.claimer for s in result.claims)


TYPE_TABLE = [
    # A quote with a figure is a quantity: the figure is what gets checked.
    ("“We have hired 1,200 nurses since January,” the health minister said.", "quantity"),
    # A quote whose point is the wording stays a quote.
    ("“The border is closed to all traffic until further notice,” the governor said.", "quote"),
    # A forecast comes first, even inside a quote with a figure.
    ("“Inflation will fall below 3% by the summer,” the governor said.", "prediction"),
    ("The storm destroyed the harbour wall in Portree overnight.", "event"),
]


@pytest.mark.parametrize(("text", "expected"), TYPE_TABLE)
def test_claim_type_precedence(text, expected):
    assert classify(text) == expected
