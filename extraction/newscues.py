"""News cue features: what separates a news sentence a checker would list from the rest.

The debate-trained text head rates long, specific-sounding news sentences high whatever
they assert. These counts give the news head (``newshead.NewsHead``) the signals a news
desk triages by: hedges and speculation, aims and wishes, evaluation and praise, analysis
verbs, vague statements, opinion markers, attribution, and specificity (numbers, amounts,
dates, named entities by capitalisation). Each cue list is general English usage, not
words picked from the labelled sentences; the weights are learnt (``training.news``).

Pure Python over compiled regexes: about 10 us a sentence.
"""

# Typographic quotes are the data these rules read.
# ruff: noqa: RUF001

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from .boilerplate import classify_line


def _cue(words: str) -> frozenset[str]:
    """A cue list: words, and phrases written with ``_`` for a space."""
    return frozenset(w.replace("_", " ") for w in words.lower().split())


# Hedged guesses: modal verbs of possibility and epistemic adverbs or verbs.
_HEDGE = _cue(
    """may might could possibly perhaps probably likely unlikely apparently seemingly
    seems seem seemed appears appear appeared potentially potential presumably
    arguably conceivably suggest suggests suggesting speculate speculation whether
    risk risks remains_to_be_seen not_clear unclear uncertain uncertainty expected_to
    set_to poised_to betting bet odds"""
)
# Goals, wishes and intentions: what someone wants, not what is.
_AIM = _cue(
    """want wants wanted wanting aim aims aimed aiming hope hopes hoped hoping plan_to
    plans_to planning_to intend intends intended intention seek seeks seeking sought
    goal goals priority priorities ambition ambitions determined_to committed_to
    commitment_to vow vows vowed strive strives pledge pledges pledged push_for
    pushing_for wish wishes call_for calls_for called_for urged urges urge"""
)
# Evaluation, praise and feeling (any voice).
_EVALUATION = _cue(
    """praise praised praises hailed hail thanked thanks thank congratulated
    congratulate tribute tributes commended applauded lauded welcomed welcome grateful
    proud pride admire admired honour honored honoured celebrate celebrated
    remarkable extraordinary historic landmark clearest clear important significant
    crucial vital key strong weak excellent impressive shameful disgrace disgraceful
    unacceptable outrageous appalling terrible great good bad best worst brave
    courageous heroic tireless outstanding exceptional inspiring disappointing
    disappointment troubling worrying worrisome alarming concerning encouraging
    welcome_step step_forward deserve deserves deserved unfair fair wrong right"""
)
# Interpretation: the writer's or unnamed experts' reading of what facts mean.
_ANALYSIS = _cue(
    """signals signal signalled signaled underscores underscore underlines highlights
    highlight reflects reflect reflecting illustrates indicates indicate implies imply
    means meaning pattern trend shift sign signs symbol symbolic analysts analyst
    observers experts critics commentators seen_as viewed_as regarded_as widely
    interpretation narrative context broader essentially effectively arguably
    testament part_of fits amid"""
)
# Statements too unspecific to test.
_VAGUE = _cue(
    """questions_remain question_remains concerns concern remain remains remained
    situation many some several various numerous certain things much little
    somewhat rather fairly quite challenges challenge issues issue problems
    difficult complex nonetheless nevertheless however still yet"""
)
# Opinion and obligation markers.
_OPINION = _cue(
    """should must ought need_to needs_to have_to believe believes believed think
    thinks thought feel feels felt view opinion convinced insist insists
    insisted argue argues argued claim_that shame disgrace nonsense absurd"""
)
# Someone is named as the source of the statement.
_ATTRIBUTION = _cue(
    """said says told stated announced reported confirmed estimated according_to
    figures_show data_show records_show showed shows found revealed wrote added
    testified ruled declared disclosed published released"""
)
# Things that happened (past-tense event verbs).
_EVENT = _cue(
    """killed died injured wounded arrested charged convicted sentenced jailed fined
    elected voted approved passed signed rejected resigned fired appointed launched
    opened closed cut raised rose fell dropped increased decreased grew declined
    struck hit destroyed evacuated recorded reached won lost sold bought paid
    filed sued banned seized fled crashed collapsed spent received delivered"""
)
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|yen|francs|kroner|rupees)\b"
    r"|\b(?:million|billion|trillion|bn|m)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\d\s?%|\bper ?cent\b|\bpercentage points?\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_NUMBER_WORD = _cue(
    """two three four five six seven eight nine ten eleven twelve dozen dozens hundred
    hundreds thousand thousands half third quarter twice double doubled tripled"""
)
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")
_DATE = _cue(
    """january february march april june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday yesterday
    overnight today tonight last_week last_month last_year this_week this_month"""
)
_SUPERLATIVE = _cue(
    """highest lowest largest smallest biggest most least record first fastest slowest
    worst-ever best-ever deadliest since"""
)
_QUOTE = re.compile(r"[\"“”«»]")
_CAPITAL_WORD = re.compile(r"(?<=[\w,;:)’'] )[A-Z][\w’'-]+")
_QUESTION = re.compile(r"\?\s*[\"”’']?\s*$")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")
_FUTURE = re.compile(r"\b(?:will|would|shall|next|upcoming|forecasts?|projected)\b", re.I)

CUE_FEATURE_NAMES: tuple[str, ...] = (
    "hedge",
    "aim",
    "evaluation",
    "analysis",
    "vague",
    "opinion",
    "attribution",
    "event",
    "money",
    "percent",
    "number",
    "number_word",
    "year",
    "date",
    "superlative",
    "quote",
    "capitalised",
    "first_person",
    "question",
    "boilerplate",
    "log_words",
    "quote_share",
    "future",
)
# Word and phrase cues, counted in one pass over the sentence's 1- to 4-grams (a regex of
# long alternations per list cost ~150 us a sentence; this is ~15).
_LISTS = {
    "hedge": _HEDGE,
    "aim": _AIM,
    "evaluation": _EVALUATION,
    "analysis": _ANALYSIS,
    "vague": _VAGUE,
    "opinion": _OPINION,
    "attribution": _ATTRIBUTION,
    "event": _EVENT,
    "number_word": _NUMBER_WORD,
    "date": _DATE,
    "superlative": _SUPERLATIVE,
}
_COLUMN = {name: i for i, name in enumerate(CUE_FEATURE_NAMES)}
_CUE_COLUMNS: dict[str, tuple[int, ...]] = {}
for _name, _entries in _LISTS.items():
    for _entry in _entries:
        _CUE_COLUMNS[_entry] = (*_CUE_COLUMNS.get(_entry, ()), _COLUMN[_name])
_MAX_PHRASE = max(len(e.split()) for e in _CUE_COLUMNS)
_PHRASE_STARTS = frozenset(e.split()[0] for e in _CUE_COLUMNS if " " in e)
_REGEX_COLUMNS = (
    (_COLUMN["money"], _MONEY),
    (_COLUMN["percent"], _PERCENT),
    (_COLUMN["number"], _NUMBER),
    (_COLUMN["year"], _YEAR),
    (_COLUMN["quote"], _QUOTE),
    (_COLUMN["capitalised"], _CAPITAL_WORD),
)
_DIGIT = re.compile(r"\d")
_DIGIT_COLUMNS = frozenset((_COLUMN["number"], _COLUMN["year"]))
_MONEY_COLUMN, _PERCENT_COLUMN = _COLUMN["money"], _COLUMN["percent"]
_M_WORD = re.compile(r"\b[mM]\b")
_FUTURE_STEMS = ("will", "would", "shall", "next", "upcoming", "forecast", "projected")
_FIRST_PERSON_WORDS = re.compile(r"\b(?:I|[Ww]e|[Oo]ur|[Uu]s|[Mm]y|[Mm]e)\b")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_LOG1P = [math.log1p(n) for n in range(64)]


def cue_row(text: str) -> list[float]:
    """The cue features of one sentence, in ``CUE_FEATURE_NAMES`` order.

    Counts are squashed with log1p: the second hedge says less than the first.
    """
    counts = [0] * len(CUE_FEATURE_NAMES)
    words = _WORD.findall(text.lower())
    n = len(words)
    get = _CUE_COLUMNS.get
    for i, word in enumerate(words):
        columns = get(word)
        if columns:
            for c in columns:
                counts[c] += 1
        if word in _PHRASE_STARTS:
            for size in range(2, min(_MAX_PHRASE, n - i) + 1):
                columns = get(" ".join(words[i : i + size]))
                if columns:
                    for c in columns:
                        counts[c] += 1
    # Cheap gates before the case-insensitive regexes (each a superset of what they match):
    # most sentences have no figure, no per cent and no future marker.
    lower = text.lower()
    has_digit = _DIGIT.search(text) is not None
    for c, pattern in _REGEX_COLUMNS:
        if c in _DIGIT_COLUMNS and not has_digit:
            continue
        if c == _MONEY_COLUMN and not (
            has_digit or "illion" in lower or "bn" in lower or _M_WORD.search(text)
        ):
            continue
        if c == _PERCENT_COLUMN and not ("%" in text or "per" in lower):
            continue
        counts[c] = len(pattern.findall(text))
    counts[_COLUMN["first_person"]] = len(_FIRST_PERSON_WORDS.findall(text))
    row = [_LOG1P[c] if c < 64 else math.log1p(c) for c in counts[: _COLUMN["question"]]]
    row.append(1.0 if _QUESTION.search(text) else 0.0)
    row.append(1.0 if classify_line(text) else 0.0)
    row.append(math.log1p(len(text.split())))
    # A sentence that is mostly a direct quote is more often a reaction than a finding.
    row.append(sum(map(len, _QUOTED.findall(text))) / max(1, len(text)))
    future = any(w in lower for w in _FUTURE_STEMS)
    row.append(math.log1p(len(_FUTURE.findall(text))) if future else 0.0)
    return row


def cue_matrix(texts: Sequence[str]) -> np.ndarray:
    """Cue features for a batch: one row per text."""
    if not texts:
        return np.zeros((0, len(CUE_FEATURE_NAMES)))
    return np.array([cue_row(t) for t in texts], dtype=np.float64)
