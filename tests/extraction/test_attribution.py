"""Claimer attribution: speakers of quotes, subjects of saying verbs, or the outlet."""

# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from extraction.attribution import AttributionTracker, find_claimer

OUTLET = "Kyiv Courier"

# (sentence, expected claimer) with no context; the outlet is OUTLET.
SINGLE_SENTENCE_TABLE = [
    (
        "Russia's Ministry of Defense said it had shot down 30 drones.",
        "Russia's Ministry of Defense",
    ),
    (
        "On Tuesday, Russia’s Ministry of Defense announced it had retaken a village.",
        "Russia’s Ministry of Defense",
    ),
    (
        "According to the Institute for the Study of War (ISW), Ukrainian forces launched attacks.",
        "Institute for the Study of War (ISW)",
    ),
    (
        "Ukrainian forces advanced 10 km, according to the U.S.-based Institute for the Study of "
        "War (ISW).",
        "Institute for the Study of War (ISW)",
    ),
    ("“We will not stop until the war ends,” Zelensky said.", "Zelensky"),
    ("“We will not stop until the war ends,” said Zelensky.", "Zelensky"),
    ("Ukrainian forces fired long-range drones at four airfields, AFP reported.", "AFP"),
    ("US President Joe Biden said on Tuesday that the incursion was a dilemma.", "Joe Biden"),
    ("Interior Minister Igor Klymenko said Ukraine would create a buffer zone.", "Igor Klymenko"),
    (
        "International Atomic Energy Agency (IAEA) chief Rafael Grossi emphasized the risks.",
        "Rafael Grossi",
    ),
    (
        "The Russian Ministry of Defense at the time said it had repelled the assaults.",
        "Russian Ministry of Defense",
    ),
    (
        "In recent weeks, Russian officials claimed they had repelled the attempts.",
        "Russian officials",
    ),
    ("In its Monday update, the ISW reported that Russian forces had made gains.", "ISW"),
    (
        "Oleksiy Dmytrashkivsky, a spokesperson for the Ukrainian military, noted that 1,500 "
        "people remain.",
        "Oleksiy Dmytrashkivsky",
    ),
    (
        "Zelensky has, for the first time, publicly confirmed that troops are in Belgorod.",
        "Zelensky",
    ),
    (
        "The Russians “didn’t protect the border,” a Ukrainian serviceman told AFP.",
        "a Ukrainian serviceman",
    ),
    ("Putin has vowed to “dislodge” Ukrainian troops from Russian territory.", "Putin"),
    # a saying verb inside a quotation is not the sentence's attribution
    ("“Russia said it would stop,” Zelensky told reporters.", "Zelensky"),
    # a subordinate clause's speaker is not the main clause's
    (
        "The regiment released a video one day after Zelensky confirmed the operation.",
        OUTLET,
    ),
    # nouns that look like verbs
    ("New reports from Russian sources suggest a retreat.", "New reports from Russian sources"),
    # the article's own voice
    ("Russia has captured territory in southern and eastern Ukraine since 2022.", OUTLET),
    ("More than 120,000 Russians have fled their homes in Kursk’s border areas.", OUTLET),
    ("This is a remarkable moment for the country.", OUTLET),
]


@pytest.mark.parametrize(("sentence", "expected"), SINGLE_SENTENCE_TABLE)
def test_find_claimer_in_one_sentence(sentence, expected):
    assert find_claimer(sentence, outlet=OUTLET) == expected


# (preceding sentences, sentence, expected claimer)
CONTEXT_TABLE = [
    (
        ["Ukrainian President Volodymyr Zelensky spoke on Monday."],
        "“Well done, guys!” he said.",
        "Volodymyr Zelensky",
    ),
    (
        [
            "Reports indicate continued fighting, with Kursk Governor Aleksei Smirnov stating "
            "that there were casualties."
        ],
        "He noted that 13 individuals sustained injuries.",
        "Aleksei Smirnov",
    ),
    (
        ["“The war must return to its place of origin,” Zelensky stated."],
        "“Our main goal remains the same,” he added.",
        "Zelensky",
    ),
    (
        ["President Volodymyr Zelensky visited the front."],
        "Zelensky said the operation was a success.",
        "Volodymyr Zelensky",  # the surname expands to the full name seen before
    ),
    (
        ["On Tuesday, Russia’s Ministry of Defense announced it had retaken a settlement."],
        "“Units liberated the settlement of Guyevo,” the ministry said in a statement.",
        "Russia’s Ministry of Defense",
    ),
    (
        ["The footage was published by Ukraine’s 225th Independent Assault Regiment."],
        "“Drone operations followed,” the regiment said.",
        "Ukraine’s 225th Independent Assault Regiment",
    ),
    (
        ["Kursk Governor Aleksei Smirnov toured the district."],
        "The governor said 13 people were injured.",
        "Aleksei Smirnov",
    ),
    (
        ["Zelensky said: “We will continue.”"],
        "“We will not give up a single metre.”",
        "Zelensky",
    ),
]


@pytest.mark.parametrize(("previous", "sentence", "expected"), CONTEXT_TABLE)
def test_find_claimer_resolves_references_from_preceding_sentences(previous, sentence, expected):
    assert find_claimer(sentence, prev_sentences=previous, outlet=OUTLET) == expected


def test_paragraph_text_is_used_when_no_preceding_sentences_are_given():
    paragraph = "Kursk Governor Aleksei Smirnov toured the district. He said 13 people were hurt."
    sentence = "He said 13 people were hurt."
    assert find_claimer(sentence, paragraph_text=paragraph, outlet=OUTLET) == "Aleksei Smirnov"


def test_unresolvable_pronoun_falls_back_to_the_last_speaker_then_the_outlet():
    # Issue #17: no check-worthy sentence without a claimer. With nobody named before, the
    # article's own voice is the best answer a reviewer can correct; after a speaker, the
    # last speaker is the likeliest referent.
    assert find_claimer("“We will win,” he said.", outlet=OUTLET) == OUTLET
    tracker = AttributionTracker(outlet=OUTLET)
    tracker.claimer_for("The fire service said 12 homes burned.")
    assert tracker.claimer_for("It said the blaze was contained.") == "The fire service"


def test_we_or_i_outside_quotation_marks_is_the_outlet_itself():
    assert find_claimer("We reported in May that 40 people died.", outlet=OUTLET) == OUTLET
    tracker = AttributionTracker()
    assert tracker.claimer_for("I said we would cut taxes by 5%.", outlet="SPEAKER") == "SPEAKER"


def test_no_outlet_means_an_empty_claimer_for_the_articles_own_voice():
    assert find_claimer("Prices rose 5% last year.") == ""


def test_tracker_walks_an_article_in_order():
    tracker = AttributionTracker(outlet=OUTLET)
    article = [
        ("US President Joe Biden said the incursion had given Putin a dilemma.", "Joe Biden"),
        ("“It is very worrying,” he added.", "Joe Biden"),
        ("More than 120,000 Russians have fled their homes.", OUTLET),
        ("Russia said it had repelled the attempts.", "Russia"),
    ]
    assert [tracker.claimer_for(text) for text, _ in article] == [c for _, c in article]
