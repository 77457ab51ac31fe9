"""Claim type by transparent rules: quantity, event, quote, causal, prediction, other.

One type per sentence, first rule that fires wins, in this order, because the type routes a
claim to the kind of checking it needs:

1. ``prediction``: it is about the future and cannot be checked yet ("will", "plans to",
   "said ... would");
2. ``quantity``: a figure that is not just a date ("76,000 residents", "2.5%", "$3bn",
   "dozens of settlements"), quoted or not: a quote with a figure is checked against the
   figure's source, so it is a quantity (the news desk's precedence, issue #17);
3. ``quote``: a direct quotation carries most of the sentence (the words were said, check
   the wording and the speaker);
4. ``causal``: one thing caused another ("due to", "led to", "forced ... to");
5. ``event``: something happened at a time or was done ("on Monday", "captured", "launched");
6. ``quote``: an attributed statement without a direct quotation ("X said", "according to");
7. ``other``.

``is_opinion`` is the pipeline's other gate: praise, evaluation or a stated belief with
nothing checkable in it (no figure, no date, no event) is not a claim, however a scorer
trained on debate transcripts rates it.
"""

# Typographic quotes and dashes are the data these rules read.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["classify", "is_opinion"]

_QUOTED = re.compile(r"“([^”]{3,})”|\"([^\"]{3,})\"|«([^»]{3,})»")
QUOTE_MIN_WORDS = 5
QUOTE_MIN_SHARE = 0.4


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PUNCT = ".,;:!?\"“”‘’'()[]—–…"

_MONTHS = _words(
    """january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)

# Dates, times, years and ordinals are removed before looking for digits (on lower case).
_NOT_QUANTITY = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?\b"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.m\.|\b\d{1,2}\s*[ap]m\b"
    r"|\b(?:1[89]|20)\d{2}s?\b(?!\s*(?:%|percent|per cent))"
    r"|\b\d+(?:st|nd|rd|th)\b"
    r"|\bcovid-19\b"
)
_NUMBER_WORDS = _words(
    """two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
    fifty sixty seventy eighty ninety hundred thousand million billion trillion dozen dozens
    hundreds thousands millions billions half third quarter double doubled doubles doubling
    triple tripled quadrupled percent majority minority"""
)
_CURRENCY = re.compile(r"[%$€£¥]")
_DIGIT = re.compile(r"\d")
_QUOTE_MARK = re.compile(r"[“\"«]")

# Single words that make a sentence about the future.
_PREDICTION_WORDS = _words(
    """will shall won't won’t forecast forecasts predict predicts predicted projects
    projected expects expected anticipate anticipates"""
)
# Phrases that do so, each checked only when one of its cue words is present.
_PREDICTION_PHRASES = (
    (
        _words("likely unlikely set going due poised scheduled slated planning"),
        re.compile(
            r"\b(?:is|are|was|were)\s+(?:likely|unlikely|set|going|due|poised|scheduled"
            r"|slated|planning)\s+to\b"
        ),
    ),
    (
        _words(
            """plan plans planned intend intends intended vow vows vowed pledge pledges
            pledged promise promises promised threaten threatens threatened aim aims aimed
            hope hopes hoped seeks sought"""
        ),
        re.compile(
            r"\b(?:plans?|planned|intends?|intended|vow(?:s|ed)?|pledge[sd]?|promise[sd]?"
            r"|threaten(?:s|ed)?|aims?|aimed|hopes?|hoped|seeks|sought)\s+to\b"
        ),
    ),
    (
        _words("next coming upcoming"),
        re.compile(
            r"\b(?:next|coming|upcoming)\s+(?:year|week|month|decade|days|weeks|months|years)\b"
        ),
    ),
    (
        frozenset(f"20{d}{u}" for d in range(3, 10) for u in range(10)),
        re.compile(r"\b(?:by|in|until)\s+20[3-9]\d\b"),
    ),
    (
        _words("would could"),
        re.compile(
            r"\b(?:said|says|announced|stated|warned|told|claimed)\b[^.]*\b(?:would|could)\b"
        ),
    ),
)

_CAUSAL_WORDS = _words("because therefore hence consequently caused causes causing")
_CAUSAL_CUES = _words(
    """due owing thanks result resulted results resulting led leads lead leading cause
    contributed contributes contributing blame blames blamed blaming responsible driven
    fueled fuelled triggered prompted sparked forced allows allowed enables enabled prevents
    prevented response so"""
)
_CAUSAL_PHRASE = re.compile(
    r"\b(?:due to|owing to|thanks to|as a result(?: of)?|result(?:ed|s|ing)? in"
    r"|led to|leads? to|leading to|cause|contribut(?:ed|es|ing) to"
    r"|blam(?:e|es|ed|ing) \w+(?: \w+)? for|responsible for"
    r"|(?:driven|fuell?ed|triggered|prompted|sparked|forced) by"
    r"|(?:triggered|sparked|prompted|forced|allow(?:s|ed)|enabl(?:es|ed)|prevent(?:s|ed))"
    r"(?:\s+\w+){1,4}\s+(?:to|from)|so that|in response to)\b"
)

# Past-tense verbs of things that happen or are done (not of saying or thinking).
_EVENT_WORDS = _words(
    """captured launched entered attacked killed wounded injured arrested signed released
    announced seized retook retaken destroyed fired struck shelled evacuated deployed invaded
    elected resigned approved passed banned shot hit fled met visited repelled advanced
    occupied liberated withdrew withdrawn retreated bombed exploded crashed collapsed died
    sentenced charged convicted fined sued voted won lost raised cut opened closed started
    began begun ended halted suspended published verified confirmed denied rejected accepted
    awarded granted exchanged delivered downed took taken sent held dispatched surrendered
    freed detained executed imposed lifted sanctioned agreed blocked crossed reached damaged
    burned flooded erupted dropped rose fell increased decreased doubled tripled surged
    plunged introduced unveiled appointed hired dismissed sacked ousted reopened shut
    monday tuesday wednesday thursday friday saturday sunday yesterday today tonight
    overnight ago"""
)
_EVENT_PHRASE = re.compile(
    rf"\b(?:on|in|since|until|by|from|last|early|late|mid-?)\s*{_MONTH}(?!\w)"
    r"|\b(?:in|since|until|from)\s+(?:1[89]|20)\d{2}\b"
    r"|\b(?:earlier this (?:week|month|year)|last (?:week|month|year|night)"
    r"|(?:days|weeks|months|years) (?:after|later))\b"
)

# "claims", "reports" and "states" are left out: as nouns they attribute nothing.
_SAY_WORDS = _words(
    """said says say stated claimed reported told tells announced
    added noted wrote writes asserted insisted warned argued confirmed denied acknowledged
    emphasized emphasised stressed explained maintain maintains maintained alleged declared
    estimated suggest suggests suggested indicate indicates indicated revealed admitted
    reiterated tweeted posted"""
)


def classify(text: str) -> str:
    """Return the claim type of one sentence, one of ``types.CLAIM_TYPES``."""
    # Word sets first and phrase regexes only when a cue word is present: this runs on every
    # sentence of every article and of score_sentences' input, so it must stay in microseconds.
    lower, words = _lower_and_words(text)
    if words & _PREDICTION_WORDS and not ("will" in words and "will of" in lower):
        return "prediction"
    for cues, phrase in _PREDICTION_PHRASES:
        if words & cues and phrase.search(lower):
            return "prediction"
    if _has_quantity(text):
        return "quantity"
    if _QUOTE_MARK.search(text) and _is_direct_quote(text):
        return "quote"
    if words & _CAUSAL_WORDS or (words & _CAUSAL_CUES and _CAUSAL_PHRASE.search(lower)):
        return "causal"
    if words & _EVENT_WORDS:
        return "event"
    dated = words & _MONTHS or "may" in words or _DIGIT.search(text)
    if dated and _EVENT_PHRASE.search(lower):
        return "event"
    if words & _SAY_WORDS or "according to" in lower:
        return "quote"
    return "other"


# Reporting praise ("Zelensky praised the regiment") states nothing worth checking. "thanks"
# is left out: "thanks to the operation" states a cause.
_PRAISE_WORDS = _words(
    """praised praises praising thanked thanking congratulated congratulates commended
    hailed hails lauded applauded saluted honoured honored gratitude tribute"""
)
# Evaluative words: praise, blame and superlatives of judgement.
_EVALUATIVE_WORDS = _words(
    """great wonderful remarkable tremendous proud shameful disgraceful disgrace
    terrible horrible amazing fantastic incredible brave bravest heroic heroes beautiful
    awful excellent outstanding magnificent glorious courageous shame outrageous pathetic
    disastrous brilliant superb unacceptable appalling"""
)
_BELIEF = re.compile(
    r"\b(?:i|we) (?:think|believe|feel|hope)\b|\bin (?:my|our) (?:view|opinion)\b|\bwell done\b"
)


def is_opinion(text: str) -> bool:
    """True for praise, evaluation or belief with no figure, date or event to check."""
    lower, words = _lower_and_words(text)
    judged = words & _PRAISE_WORDS or words & _EVALUATIVE_WORDS or _BELIEF.search(lower)
    if not judged:
        return False
    # A figure that is not a date is covered by _has_quantity (digits left after the dates
    # are removed count as one).
    anchored = (
        _has_quantity(text)
        or words & _EVENT_WORDS
        or words & _MONTHS
        or "since" in words  # a comparison over time: "the biggest since World War II"
        or words & _CAUSAL_WORDS
        or (words & _CAUSAL_CUES and _CAUSAL_PHRASE.search(lower))
    )
    return not anchored


# The pipeline asks classify() and then is_opinion() about the same sentence: both read its
# words and its figures once (the two together were ~13 us a sentence, a third of that twice).
@lru_cache(maxsize=256)
def _lower_and_words(text: str) -> tuple[str, frozenset[str]]:
    lower = text.lower()
    return lower, frozenset({w.strip(_PUNCT) for w in lower.split()})


@lru_cache(maxsize=256)
def _has_quantity(text: str) -> bool:
    lower, words = _lower_and_words(text)
    if words & _NUMBER_WORDS or "per cent" in lower or _CURRENCY.search(text):
        return True
    if not _DIGIT.search(text):
        return False
    return _DIGIT.search(_NOT_QUANTITY.sub(" ", lower)) is not None


def _is_direct_quote(text: str) -> bool:
    quoted_words = 0
    for match in _QUOTED.finditer(text):
        quoted_words += len(next(g for g in match.groups() if g is not None).split())
    if quoted_words < QUOTE_MIN_WORDS:
        return False
    return quoted_words >= QUOTE_MIN_SHARE * len(text.split())
