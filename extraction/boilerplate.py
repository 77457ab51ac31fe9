"""Recognise web-page boilerplate and bylines left in imported article text.

Used twice: the importer drops such lines from the body (``is_boilerplate_line``), and the
segmenter labels any that remain so they are never proposed as claims (``classify_line``).
Patterns match a whole short line, anchored, so a real sentence that merely mentions a
newsletter or cookies is kept.
"""

# Typographic quotes and dashes are the data these rules read.
# ruff: noqa: RUF001

from __future__ import annotations

import re

__all__ = [
    "classify_line",
    "is_boilerplate_line",
    "is_byline",
    "is_furniture_sentence",
    "own_voice_claimer",
]

# Longer lines are prose: boilerplate lines are short calls to action and labels.
MAX_BOILERPLATE_WORDS = 16
MAX_BYLINE_WORDS = 14

_AGENCIES = r"(?:AFP|AP|Reuters|dpa|DPA|ANSA|EFE|Xinhua|TASS|Interfax|UPI|PA|Bloomberg|CNN|BBC)"

# Each pattern must match the whole line (after stripping), case-insensitively. These are
# safe on any short line: no sentence of news prose has these shapes.
_STRONG_PATTERNS = [
    # newsletters, sign-ups, paywalls
    r"(?:subscribe|sign up|signup)(?: now| today| here)?(?: (?:to|for) (?:our|the|a) .*)?\W*",
    r"(?:get|receive) (?:our|the) .*newsletters?\b.*",
    r"(?:our |the |free |daily |weekly )*newsletters?(?: sign ?-?up| signup)?\W*",
    r"thank(?:s| you) for (?:signing up|sign(?:ing)?[- ]?up|subscribing|registering)\b.*",
    r"(?:please )?wait(?:ing)?\s*(?:\.\.\.|…)?",
    r"loading\s*(?:\.\.\.|…)?",
    r"already (?:a )?(?:subscriber|member|registered)\b.*",
    r"(?:support|donate to|become a member of) (?:our|independent) journalism\b.*",
    r"(?:enter|type) your e-?mail(?: address)?\b.*",
    r"invalid e-?mail\b.*",
    # sharing and social
    r"share (?:this|the) (?:article|story|page|post)\b.*",
    r"share (?:on|via) \w+\W*",
    r"(?:follow|like|find) us on\b.*",
    r"click here\b.*",
    # ads, cookies, legal
    r"(?:advertisement|advertising|sponsored(?: content)?|promoted content|partner content)"
    r"\W*",
    r"scroll (?:down )?to continue\b.*",
    r"(?:accept|reject|manage)(?: all)? (?:cookies|settings|preferences)\b.*",
    r"(?:privacy policy|terms (?:of|and) (?:use|service|conditions)|all rights reserved)\b.*",
    r"(?:©|\(c\)|copyright\s+(?:©\s*)?\d{4}).*",
    r"by continuing to (?:use|browse)\b.*",
    r"skip to (?:main )?content\b.*",
    r"listen to (?:this )?(?:article|story)\b.*",
    r"\d+\s*min(?:ute)?s? read\b.*",
    # page furniture: dates, captions, credits
    r"(?:updated|published|last updated|first published)\s*:?\s*(?:on )?\d.*",
    r"(?:updated|published|last updated)\s*:?\s*(?:on )?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun).*",
    r"(?:image|photo|picture|video)(?: caption| credit| source)?\s*:.*",
    r"(?:getty images|shutterstock|afp via getty images)\b.*",
]
# Strong patterns that may start anywhere in the line: searched for rather than matched
# against the whole line (".*" first backtracked through every short line, ~5 us each, most
# of classify_line's time), and only in a line that has a "(" or the word "cookie".
_STRONG_ANYWHERE_PATTERNS = [
    r"\b(?:we use cookies|(?:web)?site uses cookies|cookie (?:policy|settings|preferences"
    r"|consent|notice)|accept (?:all )?cookies)\b",
    r"\((?:photo|image|picture)s? by [^)]*\)\s*\Z",
]
# Labels and links: only when the line is short and does not end like a sentence, because
# "Also on Tuesday, ..." or "Read the statement." can open or be real prose.
_LABEL_PATTERNS = [
    r"share(?: this)?",
    r"(?:tweet|email|e-mail|print|copy link|copy url|whatsapp|facebook|twitter|linkedin"
    r"|telegram|reddit|pinterest|x)(?:\s*[|/·•,]\s*\w+)*",
    r"(?:read|see|watch|listen)(?: more| also| next| the full (?:story|article))\b.*",
    r"(?:more|also) (?:from|on|in|read)\b.*",
    r"related(?: articles?| stories| news| topics| content| coverage| links| posts)?\W*",
    r"(?:most (?:read|popular|viewed|shared)|trending(?: now)?|top stories|latest(?: news)?"
    r"|recommended(?: for you)?|editor'?s? picks?|you (?:may|might) also like|in other news)"
    r"\b.*",
    r"back to top\b.*",
    r"(?:log|sign) ?in\b.*",
    r"(?:comments?|leave a (?:comment|reply)|join the (?:conversation|discussion)|show comments)"
    r"\s*(?:\(\d+\))?\W*",
    r"(?:tags?|topics?|filed under)\s*:.*",
    r"ad",
]
MAX_LABEL_WORDS = 8
_STRONG = re.compile("|".join(f"(?:{p})" for p in _STRONG_PATTERNS), re.IGNORECASE | re.DOTALL)
_STRONG_ANYWHERE = re.compile(
    "|".join(f"(?:{p})" for p in _STRONG_ANYWHERE_PATTERNS), re.IGNORECASE | re.DOTALL
)
_COOKIE = re.compile("cookie", re.IGNORECASE)
_LABEL = re.compile("|".join(f"(?:{p})" for p in _LABEL_PATTERNS), re.IGNORECASE | re.DOTALL)

_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|der|da|di|le|la|bin|al|el)){0,4}"
_NAMES = rf"{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*"
_BYLINE_PATTERNS = [
    # "By Jane Doe", "By Jane Doe and John Roe, Reuters"
    rf"(?i:by)\s+{_NAMES}(?:\s*[,|—–]\s*(?:{_AGENCIES}|{_NAME}))?",
    # "Barbara Wojazer and Jonathan Brown, with AFP"
    rf"{_NAMES}\s*,?\s*(?i:with|for|via)\s+{_AGENCIES}",
    # "Jane Doe / AFP", "— Reuters"
    rf"(?:{_NAMES}\s*)?[/|—–-]\s*{_AGENCIES}",
    # "Reporting by Jane Doe; Editing by John Roe"
    rf"(?i:(?:additional )?(?:reporting|writing|editing|compiled|written|produced) by)\s+"
    rf"{_NAMES}(?:\s*[;,]\s*(?i:[a-z ]+ by)\s+{_NAMES})*",
    rf"\(?{_AGENCIES}(?:\s+contributed(?: to this report)?)?\)?",
]
_BYLINE = re.compile("|".join(f"(?:{p})" for p in _BYLINE_PATTERNS))


def classify_line(line: str) -> str | None:
    """Return "boilerplate", "byline" or None for one stripped line of article text."""
    text = line.strip()
    if not text:
        return None
    words = len(text.split())
    if words <= MAX_BOILERPLATE_WORDS and (
        _STRONG.fullmatch(text)
        or (("(" in text or _COOKIE.search(text)) and _STRONG_ANYWHERE.search(text))
    ):
        return "boilerplate"
    if words <= MAX_LABEL_WORDS and text[-1] not in ".!?" and _LABEL.fullmatch(text):
        return "boilerplate"
    if words <= MAX_BYLINE_WORDS and _BYLINE.fullmatch(text.rstrip(".")):
        return "byline"
    return None


def is_byline(line: str) -> bool:
    """True for a byline or agency credit ("By Jane Doe", "Jane Doe, with AFP")."""
    return classify_line(line) == "byline"


def is_boilerplate_line(line: str) -> bool:
    """True for a line an importer should drop: web boilerplate or a byline."""
    return classify_line(line) is not None


# Furniture written as a full sentence, which the line rules above keep (an importer must not
# drop prose): calls to action, credits and appeals. The proposer never proposes these.
_FURNITURE = re.compile(
    r"^(?:(?:read|see|watch|listen to) (?:more|also|next)\b"
    r"|(?:sign up|subscribe|register)\b"
    r"|(?:follow|like) us\b"
    r"|got a (?:story|tip|news tip)\b"
    r"|(?:contact|email|e-mail|call|text|message) (?:us|the (?:news ?desk|newsroom)|our)\b"
    r"|(?:additional )?(?:reporting|writing|editing) by\b"
    r"|(?:this (?:article|story) was|this report was) (?:updated|amended|corrected)\b)"
    r"|\bcontributed (?:reporting )?to this (?:report|article|story)\b"
    r"|\b(?:is|are) (?:supported|funded|made possible) by (?:readers|donations|members)\b"
    r"|\b(?:call|phone|ring|contact) [^.]{0,60}\bon \+?\d[\d ()-]{6,}\d"
    r"|\b(?:can|may) be (?:reached|contacted) (?:at|on|via)\b"
    r"|^editor'?s note\b"
    r"|^this (?:article|story|report) (?:has been|was) (?:updated|corrected|amended)\b",
    re.IGNORECASE,
)
# Author bios: "Kim Lee is a senior reporter for the Daily Sun." A name, then a newsroom job.
_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3} (?:is|was|has been) (?:a|an|the)"
    r"(?: [\w-]+){0,3} (?:reporter|correspondent|editor|writer|journalist|columnist|"
    r"producer|photographer|contributor|intern|fellow)\b"
)


def is_furniture_sentence(text: str) -> bool:
    """True for page furniture phrased as a sentence ("Sign up for our newsletter.",
    "Reporting by Reuters; editing by ...", "Call 101 or contact X on 0800 555 111.", an
    author bio such as "Kim Lee is a reporter for the Daily Sun.")."""
    text = text.strip()
    return bool(_FURNITURE.search(text) or _BIO.match(text))


# Wire agencies a byline credits ("Marta Kowal, with AFP", "Reuters"): their copy is theirs.
_AGENCY = re.compile(rf"\b(PA Media|Kyodo|Yonhap|{_AGENCIES[3:-1]})\b")
_BY = re.compile(r"^by\s+", re.IGNORECASE)


def own_voice_claimer(outlet: str, byline: str = "") -> str:
    """Who states an article's unattributed sentences: the byline's agency, else the outlet.

    With neither, the byline itself (the writer) rather than nobody.
    """
    match = _AGENCY.search(byline or "")
    if match:
        return match.group(1)
    return (outlet or "").strip() or _BY.sub("", (byline or "").strip())
