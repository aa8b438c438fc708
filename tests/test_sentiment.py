"""VADER normalisation: it fixes what VADER demonstrably mishandles and leaves plain text alone."""

from __future__ import annotations

import math

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.sentiment import (
    SCORE_KEYS,
    normalise_for_vader,
    sentiment_label,
    vader_frame_scores,
    vader_scores,
)

RAW = SentimentIntensityAnalyzer()


def raw(text: str) -> tuple[float, ...]:
    scores = RAW.polarity_scores(text)
    return tuple(scores[k] for k in SCORE_KEYS)


# (text VADER mishandles, the equivalent text VADER reads correctly)
FIXED_PAIRS = [
    ("❤️", "❤"),  # U+2764 U+FE0F: the variation selector hides the heart
    ("I love it ❤️", "I love it ❤"),
    ("✌️", "✌"),
    ("🙏🏾 thanks", "🙏 thanks"),  # skin-tone modifier read as words
    ("great 👍🏽", "great 👍"),
    ("isn’t good", "isn't good"),  # curly apostrophe breaks the negation list
    ("doesn’t help", "doesn't help"),
    ("It was ‘good’", "It was 'good'"),  # curly quotes are not stripped from the word
    ("It was “good”", 'It was "good"'),
    ("It was „good“", 'It was "good"'),
    ("good…", "good..."),  # ellipsis character glued to the word
]


@pytest.mark.parametrize(("broken", "plain"), FIXED_PAIRS)
def test_plain_vader_mishandles_the_character(broken: str, plain: str) -> None:
    # The premise of each fix, checked against the unmodified analyzer.
    assert raw(broken) != raw(plain)


@pytest.mark.parametrize(("broken", "plain"), FIXED_PAIRS)
def test_normalisation_makes_it_score_like_the_plain_form(broken: str, plain: str) -> None:
    assert vader_scores(broken) == raw(plain)


def test_heart_with_variation_selector_scores_like_the_bare_heart() -> None:
    assert raw("❤️")[3] == 0.0
    assert vader_scores("❤️")[3] == pytest.approx(0.6369)
    assert vader_scores("❤️") == raw("❤")


def test_curly_negation_no_longer_flips_the_sign() -> None:
    assert raw("isn’t good")[3] > 0  # plain VADER misses the negation
    assert vader_scores("isn’t good")[3] < 0


PLAIN_TEXTS = [
    "Putin started the war in Israel and Gaza. Why would Israel be happy with Putin?",
    "Sense of impunity will have to give, sooner or later.",
    "Like if Putin is even giving a single fu//ck about Netanyahu😂",
    "Long Live Palestine🇵🇸❤. Long Live Russia🇷🇺.",
    "I HATE this!!! Absolutely terrible :(",
    "Café owners were not happy, but the food was great 😍",
    "Russia's support isn't enough",
    "",
]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_text_without_those_characters_scores_exactly_as_plain_vader(text: str) -> None:
    assert normalise_for_vader(text) == text
    assert vader_scores(text) == raw(text)


def test_exact_values_of_plain_sentences() -> None:
    # VADER is rule-based: exact values are stable for a pinned version (3.3.2).
    assert vader_scores("netanyahu is like the jewish version of Hitler") == (
        0.0,
        0.737,
        0.263,
        0.3612,
    )
    assert vader_scores("That would be stupid.") == (0.531, 0.469, 0.0, -0.5267)


def test_normalisation_changes_only_the_listed_characters() -> None:
    text = "He said “no” — it isn’t over… ❤️ 👍🏽 ok"
    out = normalise_for_vader(text)
    assert out == 'He said "no" — it isn\'t over... ❤ 👍 ok'
    assert normalise_for_vader(out) == out  # idempotent


def test_frame_scores_shape_and_values() -> None:
    arr = vader_frame_scores(["good", "bad", ""])
    assert arr.shape == (3, 4)
    assert tuple(arr[0]) == raw("good")
    assert vader_frame_scores([]).shape == (0, 4)


@pytest.mark.parametrize(
    ("compound", "label"),
    [
        (0.05, "positive"),
        (0.9, "positive"),
        (0.0499, "neutral"),
        (0.0, "neutral"),
        (-0.0499, "neutral"),
        (-0.05, "negative"),
        (-1.0, "negative"),
        (float("nan"), None),
        (None, None),
    ],
)
def test_sentiment_label_thresholds(compound: float | None, label: str | None) -> None:
    assert sentiment_label(compound) == label


def test_label_of_missing_compound_is_missing_not_neutral() -> None:
    assert sentiment_label(math.nan) is None
