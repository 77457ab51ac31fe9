"""Harder labelled news for the matcher (issue #18): one-topic stories told by several outlets.

Written for this project; every story, outlet, person and place is invented. Unlike
``tests/matching/corpus.py`` (several unrelated events side by side), every sentence of a story
is about that one story, so all of them share its vocabulary, as real one-topic coverage does.
The labelling rules, counts and baseline figures are in ``tests/matching/CORPUS_NEWS.md``.

Each sentence carries a label string, labels separated by spaces:

``fact``
    A fact (actor, action, object, place, time). Sentences of different articles that share
    it assert the same fact, however reworded.
``kind OP value[unit][@[date]]``
    A figure: ``OP`` is ``=`` (stated plainly), ``~`` (about, some, around, nearly: ±10 %),
    ``>=`` (more than, at least, over) or ``<=`` (up to, fewer than, less than). ``value`` is a
    number (``76_000``) or an ISO date (``2025-08-06``); ``unit`` is letters after the number
    (``ha``, ``km``, ``eur``). ``@date`` marks a running count as of that day (``@`` alone: the
    article's published date), ``@@date`` a level that may also fall (a reservoir); a figure
    without ``@`` is fixed (a cost, a quake's depth, the number of carriages derailed) and any
    two incompatible values of it conflict.
``!span``
    A number in the text that counts nothing and must never become a figure ("one of the
    largest", "first", "second-largest", "225th", a year): the exact text, spaces written
    as ``_``.

Gold relation of a cross-article pair (``pair_gold``), strongest first:

- ``conflict``: a shared figure kind whose values cannot both hold (their ranges, a bound
  open-ended, do not overlap) at one moment (both fixed, or tallies of the same day); or,
  across days, a later count below an earlier one (a count revised down; a ``@@`` level may
  fall);
- ``date``: a shared tally given for different days with different values (bounds read as
  the number they name), the later not lower ("more than 76,000 evacuated" on the 10th vs
  "more than 120,000 have fled" on the 14th): it "differs by date", not a conflict;
- ``same``: a shared fact label, or a shared figure with compatible values (for each figure
  kind, one agreeing pair of values settles it: "1,200; the union says 1,450" vs "1,200");
- ``""``: the rest, hard negatives included (same story, same actors, different fact).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

__all__ = [
    "DEV",
    "HELD_OUT",
    "Article",
    "Figure",
    "Labels",
    "Pair",
    "Story",
    "check",
    "labelled_pairs",
    "pair_gold",
    "parse_labels",
    "shares_fact",
]

_FACT = re.compile(r"[a-z][a-z0-9-]*")
_FIGURE = re.compile(
    r"(?P<kind>[a-z][a-z0-9-]*)(?P<op>>=|<=|=|~)"
    r"(?P<value>\d{4}-\d{2}-\d{2}|[0-9][0-9_]*(?:\.[0-9]+)?)(?P<unit>[a-z%]*)"
    r"(?P<tally>(?P<level>@@)?(?(level)|@)(?P<asof>\d{4}-\d{2}-\d{2})?)?"
)
# "~" is "about": a reporter's round figure within a tenth of the true one.
_ABOUT = 0.1


@dataclass(frozen=True)
class Figure:
    kind: str
    op: str
    value: float
    unit: str
    asof: date | None  # a running tally's day; None for a fixed figure
    level: bool = False  # a tally that may fall as well as rise (a reservoir, a shelter)

    def interval(self) -> tuple[float, float]:
        v = self.value
        return {
            "=": (v, v),
            "~": (v * (1 - _ABOUT), v * (1 + _ABOUT)),
            ">=": (v, math.inf),
            "<=": (-math.inf, v),
        }[self.op]

    def point(self) -> tuple[float, float]:
        """The value itself, bounds read as the number they name."""
        v = self.value
        return (v * (1 - _ABOUT), v * (1 + _ABOUT)) if self.op == "~" else (v, v)


@dataclass(frozen=True)
class Labels:
    facts: frozenset[str]
    figures: tuple[Figure, ...]
    non_counts: tuple[str, ...]  # spans of the text that count nothing


@dataclass(frozen=True)
class Article:
    key: str
    outlet: str
    published: date
    headline: str
    sentences: list[tuple[str, str]]  # (text, label string)

    def labelled(self) -> list[tuple[str, Labels]]:
        return [(text, parse_labels(spec, self.published, text)) for text, spec in self.sentences]


@dataclass(frozen=True)
class Story:
    key: str
    articles: list[Article] = field(default_factory=list)


def _value(raw: str) -> float:
    if "-" in raw:
        return float(date.fromisoformat(raw).toordinal())
    return float(raw)


def parse_labels(spec: str, published: date, text: str) -> Labels:
    """Parse one sentence's label string; a malformed label or a span not in the text raises."""
    facts, figures, spans = set(), [], []
    for label in spec.split():
        if label.startswith("!"):
            span = label[1:].replace("_", " ")
            if span.casefold() not in text.casefold():
                raise ValueError(f"non-count span {span!r} is not in {text!r}")
            spans.append(span)
        elif m := _FIGURE.fullmatch(label):
            asof = None
            if m["tally"]:
                asof = date.fromisoformat(m["asof"]) if m["asof"] else published
            figure = Figure(
                m["kind"], m["op"], _value(m["value"]), m["unit"], asof, bool(m["level"])
            )
            figures.append(figure)
        elif _FACT.fullmatch(label):
            facts.add(label)
        else:
            raise ValueError(f"malformed label {label!r} on {text!r}")
    return Labels(frozenset(facts), tuple(figures), tuple(spans))


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _figure_relation(a: Figure, b: Figure) -> str:
    if a.asof is None or b.asof is None or a.asof == b.asof:
        # One moment: "at least 7,500" and "nearly 9,000" on the same day can both hold.
        return "same" if _overlap(a.interval(), b.interval()) else "conflict"
    # Two days: the figures themselves must agree ("more than 76,000" on the 10th and "more
    # than 120,000" on the 14th are two readings of a growing count, not one figure).
    if _overlap(a.point(), b.point()):
        return "same"
    earlier, later = sorted((a, b), key=lambda f: f.asof)
    # A count grows: a later figure below an earlier one is a revision, i.e. a conflict.
    revised = not a.level and later.point()[1] < earlier.point()[0]
    return "conflict" if revised else "date"


_RANK = {"conflict": 3, "date": 2, "same": 1, "": 0}


def pair_gold(a: Labels, b: Labels) -> str:
    """The gold relation of two sentences from different articles of one story."""
    found = "same" if a.facts & b.facts else ""
    for kind in {f.kind for f in a.figures} & {f.kind for f in b.figures}:
        relations = {
            _figure_relation(fa, fb)
            for fa in a.figures
            if fa.kind == kind
            for fb in b.figures
            if fb.kind == kind
        }
        # One agreeing value settles a kind: "1,200, the union says 1,450" vs "1,200".
        rel = "same" if "same" in relations else max(relations, key=_RANK.__getitem__)
        found = max(found, rel, key=_RANK.__getitem__)
    return found


def shares_fact(a: Labels, b: Labels) -> bool:
    """Whether the two sentences assert one fact: a shared fact, or one figure agreeing."""
    return bool(a.facts & b.facts) or any(
        fa.kind == fb.kind and _figure_relation(fa, fb) == "same"
        for fa in a.figures
        for fb in b.figures
    )


@dataclass(frozen=True)
class Pair:
    story: str
    article_a: Article
    article_b: Article
    text_a: str
    text_b: str
    labels_a: Labels
    labels_b: Labels
    gold: str


def labelled_pairs(stories: list[Story]) -> list[Pair]:
    """Every pair of sentences from two different articles of one story, with its gold."""
    pairs = []
    for story in stories:
        for art_a, art_b in combinations(story.articles, 2):
            for text_a, la in art_a.labelled():
                for text_b, lb in art_b.labelled():
                    gold = pair_gold(la, lb)
                    pairs.append(Pair(story.key, art_a, art_b, text_a, text_b, la, lb, gold))
    return pairs


def check(stories: list[Story]) -> list[str]:
    """What breaks the corpus's own rules (empty when it is sound)."""
    problems = []
    keys = set()
    for story in stories:
        if not 3 <= len(story.articles) <= 5:
            problems.append(f"{story.key}: {len(story.articles)} articles, not 3-5")
        kinds: dict[str, tuple[str, bool]] = {}
        facts: dict[str, set[str]] = {}
        for article in story.articles:
            if article.key in keys:
                problems.append(f"{article.key}: article key used twice")
            keys.add(article.key)
            if not 10 <= len(article.sentences) <= 18:
                problems.append(f"{article.key}: {len(article.sentences)} sentences, not 10-18")
            try:
                labelled = article.labelled()
            except ValueError as exc:
                problems.append(f"{article.key}: {exc}")
                continue
            for _, labels in labelled:
                for fact in labels.facts:
                    facts.setdefault(fact, set()).add(article.key)
                for fig in labels.figures:
                    shape = (fig.unit, fig.asof is not None, fig.level)
                    if kinds.setdefault(fig.kind, shape) != shape:
                        problems.append(
                            f"{story.key}: figure {fig.kind!r} mixes units or tally/fixed"
                        )
                    if fig.kind in facts:
                        problems.append(f"{story.key}: {fig.kind!r} is both a fact and a figure")
        problems.extend(
            f"{story.key}: fact {fact!r} is also a figure kind" for fact in facts if fact in kinds
        )
    return problems


_MODULES = ("dev_wildfire", "dev_quake", "dev_plant", "dev_minister", "dev_derail", "dev_rates")
_HELD_OUT_MODULES = ("held_water", "held_swap", "held_cyber", "held_avalanche")


def _load(names: tuple[str, ...]) -> list[Story]:
    import importlib

    return [importlib.import_module(f"{__name__}.{name}").STORY for name in names]


DEV = _load(_MODULES)
HELD_OUT = _load(_HELD_OUT_MODULES)
