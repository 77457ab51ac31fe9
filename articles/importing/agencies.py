"""The news agency an article credits (byline, author, dateline), as its source."""

from __future__ import annotations

import re

# News agencies as credited in bylines and datelines -> the source name stored.
AGENCIES = {
    "AFP": "AFP",
    "Agence France-Presse": "AFP",
    "Agence France Presse": "AFP",
    "AP": "AP",
    "Associated Press": "AP",
    "The Associated Press": "AP",
    "Reuters": "Reuters",
    "Thomson Reuters": "Reuters",
    "dpa": "dpa",
    "DPA": "dpa",
    "ANSA": "ANSA",
    "EFE": "EFE",
    "Xinhua": "Xinhua",
    "TASS": "TASS",
    "Interfax": "Interfax",
    "UPI": "UPI",
    "PA Media": "PA Media",
    "Press Association": "PA Media",
    "Kyodo": "Kyodo",
    "Yonhap": "Yonhap",
    "AAP": "AAP",
    "Anadolu": "Anadolu",
    "Bloomberg": "Bloomberg",
}
# Case-sensitive: "AP" and "PA" are agencies, "ap" is not.
_AGENCY = "|".join(re.escape(name) for name in sorted(AGENCIES, key=len, reverse=True))
_AGENCY_CREDIT = re.compile(
    rf"\bwith\s+(?:the\s+)?(?P<a1>{_AGENCY})\b"  # "Jane Doe with AFP"
    rf"|\((?P<a2>{_AGENCY})\)"  # "LONDON (Reuters) -", "Jane Doe (AP)"
    # "By Jane Doe — AP", "Jane Doe, Reuters", "Jane Doe for Bloomberg", "AFP"
    rf"|(?:^|[,/|\u2014\u2013-]\s*|\bfor\s+|\bvia\s+)(?P<a3>{_AGENCY})\s*\.?\s*$"
)
# A dateline opens the text: "WASHINGTON (AP) — ...", "LONDON, March 4 (Reuters) - ...".
DATELINE_CHARS = 120
_DATELINE = re.compile(rf"[A-Z][^.!?\n]{{0,60}}?\((?P<a>{_AGENCY})\)\s*[\u2014\u2013-]")


def agency_from_credits(*credits: str, body: str = "") -> str:
    """The news agency credited in a byline or author ("…with AFP", "— AP") or the body's
    dateline ("LONDON (Reuters) -"), as a source name; "" when none is."""
    for credit in credits:
        match = _AGENCY_CREDIT.search(credit or "")
        if match:
            return AGENCIES[match.group("a1") or match.group("a2") or match.group("a3")]
    match = _DATELINE.match(body[:DATELINE_CHARS])
    return AGENCIES[match.group("a")] if match else ""
