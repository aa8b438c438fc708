"""Language policy: clear foreign-language comments are detected; short English stays English."""

from __future__ import annotations

import math

import pytest

from analysis import language
from analysis.language import detect_language, identifier


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Je ne suis pas d'accord avec cette décision du gouvernement français.", "fr"),
        ("Das ist eine schreckliche Entscheidung der Regierung, wirklich schlimm.", "de"),
        ("Esto es una vergüenza para todos nosotros y para el mundo entero.", "es"),
    ],
)
def test_clear_foreign_comments_are_not_english(text: str, lang: str) -> None:
    guess = detect_language(text)
    assert guess.lang == lang
    assert not guess.is_english
    assert guess.score >= language.MIN_PROBABILITY
    assert guess.rule == "detected"


@pytest.mark.parametrize(
    "text",
    [
        "So true!",
        "lol",
        "Free Palestine",
        "Nutnyahoo is a POS!",
        "Talk to hamas Aljazeera",
        "Long Live Palestine🇵🇸❤. Long Live Russia🇷🇺.",
    ],
)
def test_short_or_uncertain_english_stays_english(text: str) -> None:
    guess = detect_language(text)
    assert guess.lang == "en"
    assert guess.rule in {"short", "uncertain", "detected"}


def test_default_records_the_detectors_english_probability() -> None:
    text = "Talk to hamas Aljazeera"
    top, _ = identifier().classify(text)
    assert top != "en"  # the detector alone would call this Estonian or similar
    guess = detect_language(text)
    assert guess.lang == "en"
    assert guess.score == pytest.approx(dict(identifier().rank(text))["en"])


def test_long_english_is_detected_with_high_probability() -> None:
    text = (
        "Russia will always support Israel over Iran. On the surface Russia and China show "
        "solidarity with Palestine, but Israel and friends have more money."
    )
    guess = detect_language(text)
    assert guess.lang == "en"
    assert guess.rule == "detected"
    assert guess.score > 0.9


def test_short_foreign_latin_text_defaults_to_english() -> None:
    # The documented trade-off: under MIN_LETTERS letters the detector is not trusted.
    guess = detect_language("Merci beaucoup")
    assert guess.lang == "en"
    assert guess.rule == "short"


@pytest.mark.parametrize("text", ["Слава Украине", "الله أكبر"])
def test_non_latin_script_is_trusted_even_when_short(text: str) -> None:
    guess = detect_language(text)
    assert guess.lang != "en"
    assert guess.rule == "non-latin"


@pytest.mark.parametrize("text", ["😂😂", "123 !!!", "🇵🇸"])
def test_text_without_letters_is_english_with_missing_score(text: str) -> None:
    guess = detect_language(text)
    assert guess.lang == "en"
    assert guess.rule == "no-letters"
    assert math.isnan(guess.score)


def test_thresholds_are_module_constants_that_drive_the_policy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Danke schön, wirklich"
    assert detect_language(text).lang == "en"  # short under the default policy
    monkeypatch.setattr(language, "MIN_LETTERS", 5)
    monkeypatch.setattr(language, "MIN_WORDS", 2)
    assert detect_language(text).lang == "de"
    monkeypatch.setattr(language, "MIN_PROBABILITY", 1.01)
    assert detect_language(text).lang == "en"
    assert detect_language(text).rule == "uncertain"


def test_policy_settings_are_exported_for_cache_keys() -> None:
    assert language.POLICY["min_letters"] == language.MIN_LETTERS
    assert language.POLICY["min_probability"] == language.MIN_PROBABILITY
