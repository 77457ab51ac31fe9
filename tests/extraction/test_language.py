"""Language detection and the per-language scorer registry."""

from __future__ import annotations

import pytest

from extraction import language
from extraction.language import (
    UNDETERMINED,
    detect_language,
    is_supported,
    register_language,
    scorer_name_for,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ukrainian troops have advanced well in the Kursk region, the president said.", "en"),
        ("Die ukrainischen Truppen sind in der Region Kursk gut vorangekommen.", "de"),
        ("Les troupes ukrainiennes ont bien progressé dans la région de Koursk.", "fr"),
        ("Украинские войска продвинулись в Курской области, заявил президент.", "ru"),
        ("", UNDETERMINED),
        ("12 34 5,600", UNDETERMINED),
    ],
)
def test_detect_language(text, code):
    assert detect_language(text) == code


def test_only_english_is_supported_out_of_the_box():
    assert sorted(language.SUPPORTED_LANGUAGES) == ["en"]
    assert is_supported("en")
    assert not is_supported("de")
    assert not is_supported(UNDETERMINED)
    assert scorer_name_for("en") == "news"
    assert scorer_name_for("de") is None


def test_register_language_adds_a_scorer_for_a_new_language(monkeypatch):
    monkeypatch.setattr(language, "_SCORERS", dict(language._SCORERS))
    monkeypatch.setattr(language, "SUPPORTED_LANGUAGES", language.SUPPORTED_LANGUAGES)
    register_language("de", "german-model")
    assert is_supported("de")
    assert scorer_name_for("de") == "german-model"
    assert "de" in language.SUPPORTED_LANGUAGES
