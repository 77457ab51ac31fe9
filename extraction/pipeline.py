"""The article pipeline: segment, score in one batch, gate, type and attribute.

``propose(body)`` is what the Celery task, the demo and ``manage.py propose_claims`` call.
"""

from __future__ import annotations

from collections.abc import Sequence

from .attribution import AttributionTracker
from .boilerplate import is_furniture_sentence
from .claimtype import classify, is_opinion
from .language import detect_language, is_supported, scorer_name_for
from .scoring import load_scorer
from .segment import is_question, split_sentences
from .types import ProposalResult, Scorer, ScoringItem, Sentence, SentenceProposal

__all__ = ["build_items", "propose"]

# The document key the scorer sees for an article: one article is one doc.
ARTICLE_DOC = "article"


def propose(
    body: str,
    *,
    language: str | None = None,
    outlet: str = "",
    threshold: float | None = None,
    scorer: Scorer | None = None,
    context: bool = False,
) -> ProposalResult:
    """Propose the check-worthy claims of one article; every sentence keeps its score.

    ``language`` (ISO 639-1) skips detection; an unsupported language returns
    ``supported=False`` and no sentences, never an English model's guesses. ``outlet`` is
    the claimer of what the article states in its own voice. ``threshold`` defaults to the
    scorer's own, and ``scorer`` to the one registered for the language. ``context=True``
    gives the scorer each sentence's neighbours and position (see ``build_items``).
    """
    # Import metadata says "en-GB" or "EN"; the registry is keyed by ISO 639-1.
    lang = (language or detect_language(body)).strip().lower().replace("_", "-").split("-")[0]
    if not is_supported(lang):
        return ProposalResult(language=lang, supported=False, scorer="")
    if scorer is None:
        scorer = load_scorer(scorer_name_for(lang) or "default")
    cutoff = scorer.threshold if threshold is None else threshold

    sentences = split_sentences(body)
    scores = scorer.score(build_items(sentences, context=context)) if sentences else []
    tracker = AttributionTracker(outlet=outlet)
    proposals = []
    for sentence, raw in zip(sentences, scores, strict=True):
        score = min(1.0, max(0.0, float(raw)))
        proposals.append(
            SentenceProposal(
                start=sentence.start,
                end=sentence.end,
                text=sentence.text,
                score=score,
                checkworthy=score >= cutoff and _can_be_claim(sentence),
                claim_type=classify(sentence.text),
                claimer=tracker.claimer_for(sentence.text),
                kind=sentence.kind,
            )
        )
    return ProposalResult(language=lang, supported=True, scorer=scorer.name, sentences=proposals)


def build_items(
    sentences: Sequence[Sentence], *, context: bool = False, doc: str = ARTICLE_DOC
) -> list[ScoringItem]:
    """ScoringItems for an article's sentences, with neighbours and position if ``context``.

    Off by default for articles: the shipped model learned its context correction on debate
    transcripts, where the last lines are closing remarks. On news it pushes the final
    paragraph's claims to ~0 (seed 001's last sentence, an ISW finding: 0.56 alone, 0.01 with
    context) and most others to ~1.0, which leaves reviewers nothing to rank by. The text
    head alone keeps the spread; ``score_sentences`` still passes debate context through.
    """
    if not context:
        return [ScoringItem(text=s.text) for s in sentences]
    n = len(sentences)
    return [
        ScoringItem(
            text=s.text,
            doc=doc,
            speaker=None,  # news has no speaker turns; attribution is the claimer's job
            prev_text=sentences[i - 1].text if i > 0 else None,
            next_text=sentences[i + 1].text if i + 1 < n else None,
            position=i,
            doc_length=n,
        )
        for i, s in enumerate(sentences)
    ]


def _can_be_claim(sentence: Sentence) -> bool:
    # Headings, bylines, boilerplate and fragments can score high on their words alone
    # ("120,000 evacuated" as a heading); a claim must be a full declarative sentence.
    # Praise and opinion with nothing checkable in it are left out too: a scorer trained on
    # debates rates long news sentences high whatever they say.
    # Furniture phrased as a sentence ("Sign up for ...", "Reporting by ...") is never a claim.
    return (
        sentence.kind == "sentence"
        and not is_question(sentence.text)
        and not is_opinion(sentence.text)
        and not is_furniture_sentence(sentence.text)
    )
