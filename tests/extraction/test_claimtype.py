"""Claim types: one transparent rule per type, first match wins in documented order."""

from __future__ import annotations

import pytest

from extraction.claimtype import classify, is_opinion
from extraction.types import CLAIM_TYPES

TYPE_TABLE = [
    # quantity: a figure that is not just a date
    ("Russian authorities evacuated over 76,000 residents from the Kursk region.", "quantity"),
    ("Unemployment fell to 2.5% last quarter.", "quantity"),
    ("The government spent $3.4bn on drones.", "quantity"),
    ("Ukrainian troops captured dozens of settlements.", "quantity"),
    ("The power plant is situated approximately 60 kilometers from Sudzha.", "quantity"),
    # a date, a year or an ordinal alone is not a quantity
    ("The Ukrainian Army entered the Kursk region on August 6.", "event"),
    ("The 225th Assault Regiment entered Belgorod in 2024.", "event"),
    ("It was the first foreign army on Russian soil since World War II.", "other"),
    # event
    ("Moscow dispatched reinforcements to the border.", "event"),
    ("The regiment released a video on Monday.", "event"),
    # prediction
    ("Ukraine will open humanitarian corridors for civilians.", "prediction"),
    ("Interior Minister Igor Klymenko said Ukraine would create a buffer zone.", "prediction"),
    ("Inflation is expected to fall below 3% next year.", "prediction"),
    ("Putin has vowed to dislodge Ukrainian troops.", "prediction"),
    # causal
    ("The incursions have forced Russia to divert forces away from Donetsk.", "causal"),
    ("Prices rose because of the drought.", "causal"),
    ("Prices rose 5% because of the drought.", "quantity"),  # a figure outranks the cause
    ("Injuries were caused by debris from a downed missile.", "causal"),
    ("The shortage led to protests across the region.", "causal"),
    # quote: a direct quotation carries the sentence
    ("“We continue active operations in the border areas,” Zelensky said.", "quote"),
    # A quote with a figure is a quantity (issue #17: the figure is what gets checked).
    ("“We captured 909 Russian soldiers in six months,” he said.", "quantity"),
    # quote: an attributed statement with nothing more specific
    ("Analysts suggest Ukraine is aiming for leverage in future talks.", "quote"),
    ("According to Russian sources, the situation remains tense.", "quote"),
    # a short quoted phrase does not make the sentence a quote
    ("Biden said the incursion gave Putin a “real dilemma.”", "quote"),
    ("Ukraine seized a “buffer zone” on Tuesday.", "event"),
    ("Independent verification of Russian claims remains elusive.", "other"),
    # other: opinion, praise, description
    ("Well done, guys, I am proud of each and every one of you!", "other"),
    ("This is a truly remarkable achievement for the whole country.", "other"),
    ("", "other"),
]


@pytest.mark.parametrize(("text", "expected"), TYPE_TABLE)
def test_classify_returns_documented_type(text, expected):
    assert classify(text) == expected


def test_every_type_in_the_table_is_a_known_claim_type_and_all_are_covered():
    assert {expected for _, expected in TYPE_TABLE} == set(CLAIM_TYPES)


OPINION_TABLE = [
    ("“Well done, guys! I'm proud of each and every one of you,” he said.", True),
    ("Zelensky also praised the 225th Assault Regiment for its efforts.", True),
    ("The president expressed gratitude to the armed forces.", True),
    ("This is a remarkable moment for the country.", True),
    ("I think we will win this war.", True),
    ("Our soldiers are the bravest in Europe.", True),
    # praise or judgement next to something checkable stays a candidate
    ("He praised the regiment, which was deployed in Belgorod.", False),
    ("The brave soldiers captured 909 Russian troops.", False),
    ("Unemployment fell to 3.5%, a great result.", False),
    ("The mayor thanked residents on Monday for the 1,200 sandbags.", False),
    ("It was the biggest offensive on Russian soil since World War II.", False),
    ("Russia said it had repelled the attacks.", False),
    ("“Thanks to the operation, we are proud to have reduced pressure,” he said.", False),
]


@pytest.mark.parametrize(("text", "opinion"), OPINION_TABLE)
def test_is_opinion_flags_judgement_with_nothing_to_check(text, opinion):
    assert is_opinion(text) is opinion
