"""Who makes a claim: the speaker of a quote, the subject of "X said", or the outlet.

Rules, in order; the first that gives a name wins:

1. "according to X" names X;
2. a verb of saying outside quotation marks ("said", "claimed", "told", "reported", ...)
   names the noun phrase before it ("Russia's Ministry of Defense said"), or the one after it
   when inverted ("..., said Zelensky.");
3. a sentence that is only a quotation continues the last speaker;
4. otherwise the article states it in its own voice: the outlet.

Pronouns ("he said") resolve to the last person named in the preceding sentences, and
definite descriptions ("the ministry said") to the last matching organisation or title
("Governor Aleksei Smirnov" for "the governor"). Titles are dropped from person names
("US President Joe Biden" -> "Joe Biden") and a surname seen earlier with its full name
is expanded, so one speaker has one spelling within an article.

``AttributionTracker`` keeps that context while walking an article in order (what the
pipeline uses); ``find_claimer`` is the one-sentence entry point.
"""

# Typographic quotes and apostrophes are the data these rules read.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["AttributionTracker", "find_claimer"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SAY = (
    "said says say stated states claimed claims claim reported reports told tells announced"
    " announces added adds noted notes wrote writes asserted asserts insisted insists warned"
    " warns argued argues confirmed confirms denied denies acknowledged acknowledges"
    " emphasized emphasised emphasizes stressed stresses explained explains maintained"
    " maintains maintain alleged alleges declared declares estimated estimates suggested"
    " suggests suggest indicated indicates indicate revealed reveals admitted admits"
    " reiterated reiterates tweeted posted highlighted recalled observed concluded verified"
    " mentioned commented replied responded answered urged assured testified countered"
    " contended conceded boasted remarked believes believe vowed pledged promised threatened"
    " predicted articulated spoke spoken agreed accused insist blamed blames expects"
)
# These are also nouns ("reports from", "claims of"): a verb only before "that", ",", ":".
_NOUN_LIKE = _words("reports claims states notes estimates claim")
# These also report doings ("Employers added 41,000 jobs", "leaders agreed to create a
# fund"): saying only before "that", punctuation or the end ("..., he added.").
_NEEDS_CLAUSE = _words("added adds spoke spoken agreed")
_CLAUSE_AFTER = re.compile(r"\s*(?:that\b|[,:;.]|$)")
_VERB = re.compile(
    r"(?<![\w-])(?P<verb>" + "|".join(sorted(set(_SAY.split()), key=len, reverse=True)) + r")\b"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<np>[^,;:“”\"—–]+)")

_QUOTE_SPAN = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")
_PAREN_SPAN = re.compile(r"\([^()]*\)")
# Where a subject noun phrase stops, reading leftwards from its verb.
_SUBORDINATORS = _words(
    "after when while before since because although though if once until unless"
)
_LEFT_STOP = re.compile(r"[,;:“”\"—–«»]|\b(?:that|as|but|" + "|".join(_SUBORDINATORS) + r")\b")
_REL_CLAUSE = re.compile(r"\s+(?:who|which|whose|whom|that)\b.*$", re.DOTALL)

_LEADING = re.compile(
    r"^(?:(?:however|meanwhile|but|and|also|separately|still|yet|so|then|now|earlier|later"
    r"|instead|nonetheless|moreover|in turn)\b[\s,]*"
    r"|(?:on|last|this|late|early)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|week|month|year|night|morning|evening)\b\s*)+",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"(?:(?:^|\s+)(?:has|have|had|also|now|again|previously|later|earlier|recently|reportedly"
    r"|repeatedly|then|too|already|once|still|further|separately|subsequently|meanwhile"
    r"|would|could|will|did|does|do|since|first|both|all|yesterday|today|tonight|not|never"
    r"|at the time|(?:on|last|this|late|early)\s+\w+(?:\s+\d{1,2})?|in a \w+(?: \w+)?"
    r"|[a-z]+ly))+$"
)
_DESCRIPTOR = re.compile(r"^(?:[Tt]he\s+)?(?:\S+-(?:based|backed|led|run|born|owned)\s+)+")

_PRONOUNS = _words("he she they it we i")
_POSSESSIVE_START = _words("its his her their this that these those our my your")
# Lower-case heads that can be a speaker on their own ("analysts said", "reports indicate").
_GROUP_NOUNS = _words(
    """officials analysts experts sources witnesses residents authorities police investigators
    researchers scientists critics observers diplomats lawmakers officers troops soldiers
    bloggers media prosecutors doctors medics rescuers activists locals reports reporters
    journalists commanders leaders spokesman spokeswoman spokesperson source officer official
    people studies study survey data"""
)

# Head nouns of descriptions that refer back to a person or a body named earlier.
_PERSON_ROLES = _words(
    """leader president minister governor mayor chief boss head chairman chairwoman chair
    spokesman spokeswoman spokesperson premier chancellor senator executive director
    commander general judge secretary ambassador envoy coach manager founder ceo
    economist official"""
)
_ORG_ROLES = _words(
    """ministry agency company firm bank fund council government court authority regulator
    department commission union group party league board office service institute
    organisation organization operator insurer utility club"""
)

_TITLE_WORDS = (
    "President|Prime Minister|Minister|Governor|Mayor|Secretary|Chancellor|General|Gen\\."
    "|spokesperson|spokesman|spokeswoman|Spokesperson|Spokesman|chief|Chief|Senator|Sen\\."
    "|Rep\\.|Representative|King|Queen|Pope|Commander|commander|Director|director|CEO"
    "|Chairman|Chairwoman|Chair|Ambassador|ambassador|Ombudsman|Prosecutor|Leader|leader"
    "|Colonel|Col\\.|Lt\\.|Admiral|Adm\\.|Marshal|Mr\\.|Mrs\\.|Ms\\.|Dr\\.|Prof\\.|head|Head"
    "|Adviser|adviser|Advisor|advisor|Envoy|envoy|Speaker|Premier|Sheikh|Emir|Crown Prince"
)
_NAME_WORD = r"[A-Z][\w’'-]+"
_PERSON_NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|de|van|von|der|bin|al|el)){{0,2}}"
# "Kursk Governor Aleksei Smirnov", "top military commander, Oleksandr Syrskyi"
_TITLED = re.compile(rf"\b(?P<title>{_TITLE_WORDS}),?\s+(?P<name>{_PERSON_NAME})")
_TITLE_TAIL = re.compile(rf"^(?:.*\s)?(?:{_TITLE_WORDS})\s+(?P<name>{_PERSON_NAME})$")

_ORG_WORDS = (
    "Ministry|Institute|Agency|Army|Forces|Force|Government|Council|Committee|Department"
    "|Office|Service|Services|Party|Union|Organization|Organisation|Bank|Court|Commission"
    "|Kremlin|Pentagon|Regiment|Brigade|Battalion|Division|Group|Command|Staff|Guard"
    "|University|Center|Centre|Foundation|Bureau|Parliament|Senate|Congress|Assembly"
    "|Authority|Police|Company|Corporation|Times|Post|News|Network|Navy|Military"
)
_ORG_WORD_SET = frozenset(_ORG_WORDS.split("|"))
# An organisation: its head word, the capitalised words before it (one possessive allowed)
# and an "of/for the ..." complement. Matched outwards from the head word: a pattern that
# starts anywhere in the sentence costs ~18 us a sentence, this ~3.
_ORG_HEAD = re.compile(rf"\b(?:{_ORG_WORDS})\b")
_ORG_LEFT = re.compile(
    rf"(?:(?:{_NAME_WORD})[’']s\s+)?(?:(?:{_NAME_WORD}|\d+(?:st|nd|rd|th))\s+){{0,5}}$"
)
_ORG_RIGHT = re.compile(
    rf"(?:\s+(?:of|for)(?:\s+the)?(?:\s+{_NAME_WORD})+)?(?:\s+\([A-Z]{{2,}}\))?"
)
_ORG_WINDOW = 80
_TITLE_TOKENS = frozenset(
    word.split()[0].replace("\\.", "") for word in _TITLE_WORDS.split("|")
) | frozenset(("Prime", "Crown"))
_SAY_TOKENS = _words(_SAY) | {"according", "According"}
_EDGE_CHARS = '.,;:!?"“”‘’()[]—–…'
_NOT_PERSON_FIRST = _words("United North South East West New Saudi Czech Sri Hong Costa El Sierra")
_POSSESSIVE = re.compile(r"[’']s?$")
MAX_SPEAKER_WORDS = 8


def find_claimer(
    sentence: str,
    *,
    paragraph_text: str | None = None,
    prev_sentences: Iterable[str] = (),
    outlet: str | None = None,
) -> str:
    """Return who makes the claim in ``sentence``: a speaker, a source, or ``outlet``.

    ``prev_sentences`` (in document order) or the ``paragraph_text`` around the sentence
    resolve pronouns and "the ministry"; an empty string means no claimer could be named
    (an unresolved "he said" with no outlet given).
    """
    tracker = AttributionTracker(outlet=outlet)
    context = list(prev_sentences)
    if not context and paragraph_text:
        before = paragraph_text.split(sentence, 1)[0] if sentence in paragraph_text else ""
        context = [before] if before.strip() else []
    for prev in context[-8:]:
        tracker.claimer_for(prev)
    return tracker.claimer_for(sentence)


class AttributionTracker:
    """Finds claimers sentence by sentence, remembering the people and sources named."""

    def __init__(self, *, outlet: str | None = None) -> None:
        self.outlet = outlet or ""
        self.full_names: dict[str, str] = {}  # surname -> "First Last"
        self.titles: dict[str, str] = {}  # "governor" -> "Aleksei Smirnov"
        self.orgs: list[str] = []  # most recent last
        self.last_person = ""
        self.last_claimer = ""
        self.last_group = ""
        self.last_org = ""  # the last organisation that was a speaker
        self._own_voice = self.outlet

    def claimer_for(self, sentence: str, *, outlet: str | None = None) -> str:
        """Return the claimer of the next sentence of the document and remember its names."""
        own_voice = self.outlet if outlet is None else outlet
        masked = _mask(sentence)
        # "We said"/"I said" outside quotation marks is the outlet (or debate speaker) itself.
        self._own_voice = own_voice
        # Cheap word-set checks gate the regexes: this runs on every sentence scored.
        tokens = {w.strip(_EDGE_CHARS) for w in masked.split()}
        speaker = self._explicit(sentence, masked) if tokens & _SAY_TOKENS else ""
        self._remember_names(sentence, masked, tokens)
        if speaker:
            speaker = self._canonical(speaker)
            self._remember_speaker(speaker)
            return speaker
        if sentence.lstrip()[:1] in '“"«' and self.last_claimer and _mostly_quote(sentence):
            return self.last_claimer
        if speaker is None:
            # A pronoun or description with nobody to refer back to: the last speaker is the
            # likeliest referent, and a claim is never left without a claimer.
            return self.last_claimer or own_voice
        return own_voice

    # --- finding the speaker in one sentence

    def _explicit(self, sentence: str, masked: str) -> str | None:
        """The named speaker, "" when there is none, None when it could not be resolved."""
        unresolved = False
        match = _ACCORDING.search(masked)
        if match:
            np = _clean(sentence[match.start("np") : match.end("np")])
            resolved = self._resolve(np) if np else ""
            if resolved:
                return resolved
        for match in _VERB.finditer(masked):
            verb = match.group("verb")
            if verb in _NOUN_LIKE and not re.match(r"\s*(?:that\b|[,:])", masked[match.end() :]):
                continue
            if verb in _NEEDS_CLAUSE and not _CLAUSE_AFTER.match(masked, match.end()):
                continue
            np = _left_subject(sentence, masked, match.start())
            if np is None:
                np = _right_subject(sentence, masked, match.end())
            if not np:
                continue
            resolved = self._resolve(np)
            if resolved:
                return resolved
            # Only a reference ("he", "the ministry") names someone we failed to find.
            unresolved = unresolved or _is_reference(np)
        return None if unresolved else ""

    def _resolve(self, np: str) -> str:
        lower = np.lower()
        if lower in _PRONOUNS:
            if lower in ("he", "she"):
                return self.last_person
            if lower == "they":
                return self.last_group or self.last_claimer
            if lower == "it":
                return self.last_org
            return self._own_voice  # "we"/"I" outside quotation marks
        first = lower.split(None, 1)[0]
        if first in _POSSESSIVE_START:
            return ""
        if lower.startswith("the ") and len(lower.split()) == 2:
            noun = lower.split()[1]
            if noun in self.titles:
                return self.titles[noun]
            for org in reversed(self.orgs):
                if noun in org.lower():
                    return org
        described = self._described(np)
        if described:
            return described
        if not _plausible_speaker(np):
            return ""
        return np

    def _described(self, np: str) -> str:
        """ "The Ukrainian leader", "the fund's boss", "the agency": the one named earlier."""
        words = np.lower().replace("’", "'").split()
        if words[0] != "the" or not 2 <= len(words) <= 5:
            return ""
        head = words[-1]
        if head in _PERSON_ROLES:
            return self.titles.get(head) or self.last_person
        # "the state agency", "the fund's board"; a capitalised word names a new body.
        if head in _ORG_ROLES and not any(w[:1].isupper() for w in np.split()[1:]):
            for org in reversed(self.orgs):
                if head in org.lower():
                    return org
            return self.last_org
        return ""

    # --- remembering names across sentences

    def _remember_names(self, sentence: str, masked: str, tokens: set[str]) -> None:
        titled = _TITLED.finditer(masked) if tokens & _TITLE_TOKENS else ()
        for match in titled:
            name = sentence[match.start("name") : match.end("name")]
            name = _trim_name(name)
            if not name or name.split()[0] in _NOT_PERSON_FIRST:
                continue
            self._add_person(name)
            self.titles[match.group("title").lower().rstrip(".")] = self._canonical(name)
            self.last_person = self._canonical(name)
        if self.full_names:
            # The last known person mentioned in the sentence becomes "he"/"she".
            last_pos, last_name = -1, ""
            for surname, full in self.full_names.items():
                pos = masked.rfind(surname)
                if pos > last_pos:
                    last_pos, last_name = pos, full
            if last_name:
                self.last_person = last_name
        if tokens & _ORG_WORD_SET:
            for start, end in _org_spans(masked):
                org = _clean(sentence[start:end])
                if org:
                    self.orgs.append(org)
            del self.orgs[:-20]

    def _remember_speaker(self, speaker: str) -> None:
        self.last_claimer = speaker
        if _looks_like_person(speaker) or speaker in self.full_names.values():
            self._add_person(speaker)
            self.last_person = self._canonical(speaker)
        elif not speaker[:1].isupper() or speaker.endswith("s"):
            self.last_group = speaker
        else:
            self.orgs.append(speaker)
            self.last_org = speaker

    def _add_person(self, name: str) -> None:
        parts = name.split()
        if len(parts) >= 2:
            self.full_names.setdefault(parts[-1], name)

    def _canonical(self, name: str) -> str:
        # A bare surname seen before with a first name becomes the full name.
        if " " not in name and name in self.full_names:
            return self.full_names[name]
        return name


def _org_spans(masked: str):
    """(start, end) of the organisation names in ``masked``, left to right, not overlapping."""
    last_end = 0
    for head in _ORG_HEAD.finditer(masked):
        if head.start() < last_end:
            continue  # "Ministry of Defense Forces": already inside the previous name
        window_start = max(last_end, head.start() - _ORG_WINDOW)
        left = _ORG_LEFT.search(masked, window_start, head.start())
        start = left.start() if left else head.start()
        right = _ORG_RIGHT.match(masked, head.end())
        end = right.end() if right else head.end()
        yield start, end
        last_end = end


def _mask(sentence: str) -> str:
    """Blank out quoted words and parenthesised text, keeping offsets."""

    def blank(match: re.Match[str]) -> str:
        text = match.group()
        return text[0] + "_" * (len(text) - 2) + text[-1]

    masked = _QUOTE_SPAN.sub(blank, sentence)
    return _PAREN_SPAN.sub(blank, masked) if "(" in masked else masked


def _mostly_quote(sentence: str) -> bool:
    quoted = sum(len(m.group()) for m in _QUOTE_SPAN.finditer(sentence))
    return quoted >= 0.6 * len(sentence.strip())


def _left_subject(sentence: str, masked: str, verb_start: int) -> str | None:
    """The noun phrase ending just before the verb, or None when there is none."""
    left_masked = masked[:verb_start]
    stops = list(_LEFT_STOP.finditer(left_masked))
    if stops and stops[-1].group() in _SUBORDINATORS:
        return ""  # "..., just one day after X confirmed": not the main clause's speaker
    begin = stops[-1].end() if stops else 0
    np = _clean(sentence[begin:verb_start])
    if not np and len(stops) >= 2 and left_masked[stops[-1].start()] == ",":
        # "Oleksiy Dmytrashkivsky, a spokesperson for ..., noted": skip the apposition;
        # "Zelensky has, for the first time, publicly confirmed": skip the aside.
        earlier = stops[-3].end() if len(stops) >= 3 else 0
        np = _clean(sentence[earlier : stops[-2].start()])
    return np or None


def _right_subject(sentence: str, masked: str, verb_end: int) -> str:
    """The inverted subject: '“...,” said Zelensky.'."""
    before = masked[:verb_end].rstrip()
    if not re.search(r"[”\"»],?\s*\w+$", before):
        return ""
    match = re.match(
        rf"\s+((?:the\s+)?(?:{_NAME_WORD}|\d+\w*)(?:\s+(?:{_NAME_WORD}|of|for|the|\([A-Z]+\)))*)",
        sentence[verb_end:],
    )
    return _clean(match.group(1)) if match else ""


def _clean(np: str) -> str:
    np = _REL_CLAUSE.sub("", np.strip())
    np = _LEADING.sub("", np).strip()
    previous = None
    while previous != np:
        previous = np
        np = _TRAILING.sub("", np).strip()
    np = _DESCRIPTOR.sub("", np)
    # "The Kremlin" -> "Kremlin", but "The Ukrainian leader" stays a description to resolve.
    if np[:4] in ("The ", "the ") and np[4:5].isupper() and np.split()[-1] not in _PERSON_ROLES:
        np = np[4:]
    np = np.strip(" ,;:").rstrip(".") if not np.endswith(".S.") else np.strip(" ,;:")
    if not np or len(np.split()) > MAX_SPEAKER_WORDS:
        return ""
    title = _TITLE_TAIL.match(np)
    if title and not any(w in _ORG_WORD_SET for w in title.group("name").split()):
        return _trim_name(title.group("name"))
    return np


def _trim_name(name: str) -> str:
    # A name runs until the first word that is not capitalised or is an organisation word.
    words = []
    for word in name.split():
        if not word[:1].isupper() or word in _ORG_WORD_SET:
            break
        words.append(word)
    return _POSSESSIVE.sub("", " ".join(words))


def _plausible_speaker(np: str) -> bool:
    if np[:1].isupper() or np[:1].isdigit():
        return True
    words = np.lower().split()
    if words[0] in ("the", "a", "an") and len(words) >= 2:
        return True
    return any(w in _GROUP_NOUNS for w in words)


def _is_reference(np: str) -> bool:
    lower = np.lower()
    return lower in _PRONOUNS or (lower.startswith("the ") and len(lower.split()) == 2)


def _looks_like_person(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4 or words[0] in _NOT_PERSON_FIRST:
        return False
    return all(w[:1].isupper() for w in words) and not any(w in _ORG_WORD_SET for w in words)
