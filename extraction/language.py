"""Language detection and the registry of languages the proposer has a model for.

The shipped scorer is for English. An article in any other language is marked unsupported
and gets no scores at all: an English model's guesses on German text look like results but
mean nothing. Adding a language is one ``register_language`` call naming its scorer.
"""

from __future__ import annotations

import threading

__all__ = [
    "SUPPORTED_LANGUAGES",
    "UNDETERMINED",
    "detect_language",
    "is_supported",
    "register_language",
    "scorer_name_for",
]

# ISO 639-1 code -> name passed to scoring.load_scorer() for that language.
_SCORERS: dict[str, str] = {"en": "news"}
SUPPORTED_LANGUAGES: frozenset[str] = frozenset(_SCORERS)

# Returned when the text has too few letters to tell (empty, numbers only).
UNDETERMINED = "und"
# Below this many letters langid's answers are close to chance.
MIN_LETTERS = 12
# langid costs ~2 us a character; the opening of an article decides its language as well
# as the whole of it does, and keeps detection under 2 ms of the 50 ms article budget.
SAMPLE_CHARS = 1000

_identifier = None
_lock = threading.Lock()


def register_language(code: str, scorer_name: str) -> None:
    """Declare that ``scorer_name`` (a ``load_scorer`` name) scores text in ``code``."""
    global SUPPORTED_LANGUAGES
    _SCORERS[code] = scorer_name
    SUPPORTED_LANGUAGES = frozenset(_SCORERS)


def is_supported(code: str) -> bool:
    """True when a scorer is registered for the ISO 639-1 ``code``."""
    return code in _SCORERS


def scorer_name_for(code: str) -> str | None:
    """The ``load_scorer`` name for ``code``, or None when the language is unsupported."""
    return _SCORERS.get(code)


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of ``text`` ("en", "de", ...), or "und" if undecidable."""
    sample = text[:SAMPLE_CHARS]
    if sum(1 for c in sample if c.isalpha()) < MIN_LETTERS:
        return UNDETERMINED
    code, _ = _get_identifier().classify(sample)
    return code


def _get_identifier():
    # py3langid's module-level model loads lazily and is not thread-safe on first use;
    # build one identifier per process under a lock (a Celery worker may use threads).
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    return _identifier
