"""VADER normalisation: it fixes what VADER demonstrably mishandles and leaves plain text alone."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

from analysis.annotate.sentiment import (
    SCORE_KEYS,
    analyzer,
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


# ------------------------------------------------------------------ fast analyzer == stock VADER
# analysis.sentiment.analyzer() is a FastSentimentIntensityAnalyzer: the stock analyzer minus
# avoidable pure-Python overhead. These tests prove it returns exactly what the stock analyzer
# returns (same keys, same float bits) on the seed, on thousands of synthetic comments, on Unicode
# edge cases and on arbitrary text; and that the two helpers it calls on a window of the words
# answer as the stock helpers do on the whole list, for any arguments.

ROOT = Path(__file__).resolve().parent.parent
FAST = analyzer()


def exact(scores: dict) -> tuple:
    """A dict's items with each value's type and bits (``repr`` tells 0.0 from -0.0)."""
    return tuple((k, type(v), repr(v)) for k, v in scores.items())


def assert_same_as_stock(text: str) -> None:
    """The fast analyzer scores ``text``, and its normalised form, exactly as the stock one."""
    assert exact(FAST.polarity_scores(text)) == exact(RAW.polarity_scores(text)), text
    normalised = normalise_for_vader(text)
    if normalised != text:
        assert exact(FAST.polarity_scores(normalised)) == exact(RAW.polarity_scores(normalised))


def seed_sentences() -> list[str]:
    texts = []
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
        whole = path.read_text(encoding="utf-8")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", whole) if p.strip()]
        texts += paragraphs
        for paragraph in paragraphs:
            texts += [s for s in re.split(r"(?<=[.!?…])\s+", paragraph) if s]
        texts.append(whole)
    return texts


@pytest.fixture(scope="module")
def synthetic() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_annotate import synthetic_comments
    finally:
        sys.path.remove(str(ROOT / "bench"))
    comments = synthetic_comments(2000)
    sentences = [s for c in comments for s in re.split(r"(?<=[.!?])\s+", c) if s]
    return comments + sentences


def test_fast_analyzer_is_a_stock_analyzer_with_the_same_lexicons() -> None:
    assert isinstance(FAST, SentimentIntensityAnalyzer)
    assert FAST.lexicon == RAW.lexicon
    assert FAST.emojis == RAW.emojis
    assert analyzer() is FAST  # one per process


def test_fast_analyzer_matches_stock_on_every_seed_sentence() -> None:
    texts = seed_sentences()
    assert len(texts) > 50
    assert any(len(t) > 2000 for t in texts)
    for text in texts:
        assert_same_as_stock(text)


def test_fast_analyzer_matches_stock_on_synthetic_comments(synthetic: list[str]) -> None:
    assert len(synthetic) > 4000
    for text in synthetic:
        assert_same_as_stock(text)


EDGE_CASES = [
    "",
    " ",
    "\t\n  \r\n",
    "\u00a0\u2003",  # non-breaking and em spaces
    "❤️",
    "❤",
    "I ❤️ it",
    "I❤it",
    "❤❤ ❤ love❤",
    " ❤ ",
    "👍🏽👍🏿 great",
    "🙏🏾 thanks",
    "✌️✌︎",
    "👨‍👩‍👧‍👦 family",  # zero-width joiner sequence
    "🏳️‍🌈 pride",
    "Long Live Palestine🇵🇸❤. Long Live Russia🇷🇺.",
    "🇺🇸🇷🇺🇮🇱🇵🇸",
    "😂😂😂",
    "😂 lol 😭 sad 😡 angry",
    "isn’t good",
    "It was ‘good’ and “great” „fine“",
    "good… bad…",
    "wait...what?!?!",
    "Слава Украине! Отлично",
    "الله أكبر",
    "我很惊讶地看到VADER是如此有用!",
    "Café crème brûlée was not bad",
    "ＧＯＯＤ ｆｕｌｌｗｉｄｔｈ",
    "I HATE this!!! Absolutely terrible :(",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "At least it isn't a horrible book.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "Sentiment analysis has never been this good!",
    "With VADER, sentiment analysis is the shit!",
    "On the other hand, VADER is quite bad ass",
    "Without a doubt, excellent idea.",
    "Not such a badass after all.",
    "no good no bad no or nor great",
    "this is kind of good, sort of bad, kind of",
    "but but but good but bad",
    "never so good, never this bad, without doubt fine",
    "yeah right, kiss of death, to die for, beating heart, the bomb",
    "one two three kiss of death",
    "one two three to die for",
    "one two three yeah right",
    "one two three cut the mustard, kind of sort of",
    "good " * 700,  # > 3000 characters
    ("Israel and Russia are not friends, but good relations matter! " * 40).strip(),
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_fast_analyzer_matches_stock_on_edge_cases(text: str) -> None:
    assert_same_as_stock(text)
    assert vader_scores(text) == raw(normalise_for_vader(text))


def stock_text_without_emoji(text: str) -> str:
    text_no_emoji = ""
    prev_space = True
    for chr in text:  # verbatim from vaderSentiment 3.3.2's polarity_scores
        if chr in RAW.emojis:
            # get the textual description
            description = RAW.emojis[chr]
            if not prev_space:
                text_no_emoji += " "
            text_no_emoji += description
            prev_space = False
        else:
            text_no_emoji += chr
            prev_space = chr == " "
    return text_no_emoji


EMOJI_CHARS = sorted(k for k in RAW.emojis if len(k) == 1)


def test_no_emoji_key_is_ascii() -> None:
    # Why an ASCII text can skip the stock loop: the loop leaves every character of it unchanged.
    assert not FAST._ascii_emoji
    assert not any(k.isascii() for k in RAW.emojis)


@pytest.mark.parametrize("text", ["I❤it", "a ❤ b", "❤❤", "x😂 y", " 😂", "😂 ", "plain", ""])
def test_emoji_conversion_is_the_stock_loop(text: str) -> None:
    assert FAST._text_without_emoji(text) == stock_text_without_emoji(text)


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(st.sampled_from(EMOJI_CHARS[::7]) | st.sampled_from([" ", "a", "\n", "\t", "\ufe0f"]))
)
def test_emoji_conversion_is_the_stock_loop_on_arbitrary_text(chars: list[str]) -> None:
    text = "".join(chars)
    assert FAST._text_without_emoji(text) == stock_text_without_emoji(text)


# Words that trigger VADER's rules: boosters, negations, "but", "least", "kind of", idioms, caps.
RULE_WORDS = sorted(
    set(BOOSTER_DICT)
    | set(NEGATE)
    | {w for phrase in SPECIAL_CASES for w in phrase.split()}
    | {"but", "BUT", "least", "at", "very", "kind", "of", "no", "nor", "or", "never", "so"}
    | {"this", "without", "doubt", "GOOD", "Bad", "LOVE", "hate", "great", "terrible", "ok"}
    | {":)", ":(", ":D", "<3", "lol", "isn't", "isn’t", "‘good’", "“bad”", "…"}
    | {"❤️", "😂", "👍🏽", "🇵🇸", "good!", "bad?", "!!!", "??", "(good)", "-bad-", "n't"}
)
LEXICON_WORDS = sorted(RAW.lexicon)[::40]
word = st.sampled_from(RULE_WORDS) | st.sampled_from(LEXICON_WORDS) | st.text(max_size=6)
separator = st.sampled_from([" ", " ", " ", "  ", ", ", ". ", "! ", "? ", "\n", "", "\t"])
rule_text = st.lists(st.tuples(word, separator), max_size=30).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


@settings(max_examples=400, deadline=None, database=None)
@given(st.text(max_size=200) | rule_text)
def test_fast_analyzer_matches_stock_on_arbitrary_text(text: str) -> None:
    assert_same_as_stock(text)
    assert vader_scores(text) == raw(normalise_for_vader(text))


# The words the two checks compare: idioms, booster n-grams, negations and their neighbours.
WINDOW_WORDS = sorted(
    {w for phrase in [*SPECIAL_CASES, *BOOSTER_DICT] if " " in phrase for w in phrase.split()}
    | {"never", "so", "this", "without", "doubt", "not", "isn't", "n't", "no", "x", "Y", "BAD"}
    | set(list(SPECIAL_CASES)[:4])
)
window_words = st.lists(st.sampled_from(WINDOW_WORDS), max_size=9)


@settings(max_examples=300, deadline=None, database=None)
@given(window_words, st.integers(-2, 4), st.integers(-2, 11), st.floats(-4, 4))
def test_windowed_negation_check_answers_as_stock(
    words: list[str], start_i: int, i: int, valence: float
) -> None:
    assert outcome(FAST._negation_check, valence, words, start_i, i) == outcome(
        SentimentIntensityAnalyzer._negation_check, valence, words, start_i, i
    )


@settings(max_examples=300, deadline=None, database=None)
@given(window_words, st.integers(-2, 11), st.floats(-4, 4))
def test_windowed_idiom_check_answers_as_stock(words: list[str], i: int, valence: float) -> None:
    assert outcome(FAST._special_idioms_check, valence, words, i) == outcome(
        SentimentIntensityAnalyzer._special_idioms_check, valence, words, i
    )


def outcome(function, *args) -> tuple:
    try:
        return ("value", repr(function(*args)))
    except Exception as exc:  # the same failure counts as the same answer
        return ("error", type(exc))


def test_fast_path_only_on_a_checked_version_else_stock() -> None:
    """The analyzer that reuses vaderSentiment's private helpers is used only on a version it
    was checked against; any other installed version gets the stock class, scoring the same."""
    from analysis.annotate.sentiment import FAST_PATH_VERSIONS, VADER_VERSION, make_analyzer

    assert VADER_VERSION in FAST_PATH_VERSIONS  # the pinned version takes the fast path
    assert type(make_analyzer()) is not SentimentIntensityAnalyzer
    stock = make_analyzer(version="99.0")
    assert type(stock) is SentimentIntensityAnalyzer
    for text in ("I ❤ it, but not much!", "isn't good at all", "GREAT movie :)", ""):
        assert stock.polarity_scores(text) == make_analyzer().polarity_scores(text)
