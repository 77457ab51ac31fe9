"""Claim type by transparent rules: quantity, event, quote, causal, prediction, other.

One type per sentence, first rule that fires wins, in this order, because the type routes a
claim to the kind of checking it needs:

1. ``quote``: a direct quotation carries most of the sentence (the words were said, check
   the wording and the speaker);
2. ``prediction``: it is about the future and cannot be checked yet ("will", "plans to",
   "said ... would");
3. ``quantity``: a figure that is not just a date ("76,000 residents", "2.5%", "$3bn",
   "dozens of settlements");
4. ``causal``: one thing caused another ("due to", "led to", "forced ... to");
5. ``event``: something happened at a time or was done ("on Monday", "captured", "launched");
6. ``quote``: an attributed statement without a direct quotation ("X said", "according to");
7. ``other``.
"""

# Typographic quotes and dashes are the data these rules read.
# ruff: noqa: RUF001

from __future__ import annotations

import re

__all__ = ["classify"]

_QUOTED = re.compile(r"“([^”]{3,})”|\"([^\"]{3,})\"|«([^»]{3,})»")
QUOTE_MIN_WORDS = 5
QUOTE_MIN_SHARE = 0.4

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

# Dates, times, years and ordinals are removed before looking for quantities.
_NOT_QUANTITY = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?\b"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.m\.|\b\d{1,2}\s*[ap]m\b"
    r"|\b(?:1[89]|20)\d{2}s?\b(?!\s*(?:%|percent|per cent))"
    r"|\b\d+(?:st|nd|rd|th)\b"
    r"|\b(?:world war|covid)[- ](?:i{1,3}|19|1|2)\b",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"\d"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion"
    r"|trillion|dozens?|hundreds|thousands|millions|billions|half|third|quarter|double[sd]?"
    r"|doubling|tripled?|quadrupled?|percent|per cent|majority|minority)\b"
    r"|[%$€£¥]",
    re.IGNORECASE,
)

_PREDICTION = re.compile(
    r"\b(?:will|won['’]t|shall)\s+(?!of\b)\w"
    r"|\b(?:is|are|was|were)\s+(?:expected|likely|unlikely|set|going|due|poised|projected"
    r"|forecast|scheduled|slated|planning)\s+to\b"
    r"|\b(?:plans?|planned|intends?|intended|vow(?:s|ed)?|pledg(?:es|ed)|promis(?:es|ed)"
    r"|threaten(?:s|ed)|aims?|aimed|hopes?|hoped|seeks|sought)\s+to\b"
    r"|\b(?:forecasts?|predicts?|predicted|projects|projected|expects?|expected|anticipates?)\b"
    r"|\b(?:next|coming|upcoming)\s+(?:year|week|month|decade|days|weeks|months|years)\b"
    r"|\b(?:by|in|until)\s+(?:20[3-9]\d|21\d\d)\b"
    r"|\b(?:said|says|announced|stated|warned|told \w+|claimed)\b[^.]*\b(?:would|could)\b",
    re.IGNORECASE,
)

_CAUSAL = re.compile(
    r"\b(?:because|due to|owing to|thanks to|as a result(?: of)?|result(?:ed|s|ing)? in"
    r"|led to|leads? to|leading to|caus(?:e|es|ed|ing)|therefore|hence|consequently"
    r"|contribut(?:ed|es|ing) to|blam(?:e|es|ed|ing) \w+(?: \w+)? for|responsible for"
    r"|(?:driven|fuell?ed|triggered|prompted|sparked|forced) by|(?:triggered|sparked|prompted"
    r"|forced|allow(?:s|ed)|enabl(?:es|ed)|prevent(?:s|ed))\s+\w+(?:\s+\w+)?\s+(?:to|from)\b"
    r"|so that|in response to)\b",
    re.IGNORECASE,
)

# Past-tense verbs of things that happen or are done (not of saying or thinking).
_EVENT_VERBS = """
    captured launched entered attacked killed wounded injured arrested signed released
    announced seized retook retaken destroyed fired struck shelled evacuated deployed invaded
    elected resigned approved passed banned shot hit fled met visited repelled advanced
    occupied liberated withdrew withdrawn retreated bombed exploded crashed collapsed died
    sentenced charged convicted fined sued voted won lost raised cut opened closed started
    began begun ended halted suspended published verified confirmed denied rejected accepted
    awarded granted exchanged delivered downed took taken sent held captures launches enters
    attacked dispatched surrendered freed detained executed imposed lifted sanctioned
    agreed rejected blocked seized crossed reached destroyed damaged burned flooded erupted
    struck hit dropped rose fell increased decreased doubled tripled surged plunged
    introduced unveiled appointed fired hired dismissed sacked ousted reopened shut
"""
_EVENT = re.compile(
    rf"\b(?:on|last|this|since|until|early|late)\s+{_WEEKDAY}\b"
    rf"|\b(?:on|in|since|until|by|from|last|early|late|mid-?)\s*{_MONTH}\b"
    r"|\b(?:in|since|until|from)\s+(?:1[89]|20)\d{2}\b"
    r"|\b(?:yesterday|today|tonight|overnight|earlier this (?:week|month|year)"
    r"|last (?:week|month|year|night)|(?:days|weeks|months|years) (?:ago|after|later))\b"
    rf"|\b(?:{'|'.join(sorted(set(_EVENT_VERBS.split())))})\b",
    re.IGNORECASE,
)

_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|stated|states|claimed|claims|reported|reports|told|tells|announced"
    r"|added|noted|wrote|writes|asserted|insisted|warned|argued|confirmed|denied|acknowledged"
    r"|emphasi[sz]ed|stressed|explained|maintain(?:s|ed)?|alleged|declared|estimated"
    r"|suggest(?:s|ed)?|indicated?|revealed|admitted|reiterated|according to|tweeted|posted)\b",
    re.IGNORECASE,
)


def classify(text: str) -> str:
    """Return the claim type of one sentence, one of ``types.CLAIM_TYPES``."""
    if _is_direct_quote(text):
        return "quote"
    if _PREDICTION.search(text):
        return "prediction"
    if _QUANTITY.search(_NOT_QUANTITY.sub(" ", text)):
        return "quantity"
    if _CAUSAL.search(text):
        return "causal"
    if _EVENT.search(text):
        return "event"
    if _ATTRIBUTION.search(text):
        return "quote"
    return "other"


def _is_direct_quote(text: str) -> bool:
    quoted_words = 0
    for match in _QUOTED.finditer(text):
        quoted_words += len(next(g for g in match.groups() if g is not None).split())
    if quoted_words < QUOTE_MIN_WORDS:
        return False
    return quoted_words >= QUOTE_MIN_SHARE * len(text.split())
