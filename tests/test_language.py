"""Language policy: clear foreign-language comments are detected; short English stays English."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid.langid import LanguageIdentifier

from analysis.annotate import language
from analysis.annotate.langid_fast import FastLanguageIdentifier
from analysis.annotate.language import (
    ENGLISH,
    MAX_CHARS,
    LanguageGuess,
    detect_language,
    identifier,
)


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


# ------------------------------------------------------ fast detector == stock py3langid + policy
# identifier() is a FastLanguageIdentifier (the stock class scoring against a float32 copy of its
# float16 table) and detect_language scores each text once. These tests prove both give exactly
# what the stock code gives: the stock LanguageIdentifier on the same model, and the policy as it
# was written before (classify, then rank again for the probability of English), below.

ROOT = Path(__file__).resolve().parent.parent
FAST = identifier()
nb_ptc, nb_pc, nb_classes = FAST._full_model
STOCK = LanguageIdentifier(
    nb_ptc, nb_pc, nb_classes, FAST.tk_nextmove, FAST.tk_output, norm_probs=True, tk_row=FAST.tk_row
)
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")


def stock_english_probability(sample: str) -> float:
    return float(dict(STOCK.rank(sample)).get(ENGLISH, 0.0))


def stock_detect_language(text: str) -> LanguageGuess:
    """detect_language as it was, on the stock identifier (classify, and rank when needed)."""
    sample = text[:MAX_CHARS]
    n_letters = len(_LETTER.findall(sample))
    if not n_letters:
        return LanguageGuess(ENGLISH, float("nan"), "no-letters")
    top, top_p = STOCK.classify(sample)
    top_p = float(top_p)
    if not sample.isascii() and top not in (ENGLISH, "zxx"):
        latin_share = len(language._LATIN_LETTER.findall(sample)) / n_letters
        if latin_share < language.MIN_LATIN_SHARE:
            return LanguageGuess(top, top_p, "non-latin")
    if top == "zxx":
        return LanguageGuess(ENGLISH, stock_english_probability(sample), "no-letters")
    if n_letters < language.MIN_LETTERS or len(_WORD.findall(sample)) < language.MIN_WORDS:
        score = top_p if top == ENGLISH else stock_english_probability(sample)
        return LanguageGuess(ENGLISH, score, "short")
    if top == ENGLISH:
        return LanguageGuess(ENGLISH, top_p, "detected")
    if top_p >= language.MIN_PROBABILITY:
        return LanguageGuess(top, top_p, "detected")
    return LanguageGuess(ENGLISH, stock_english_probability(sample), "uncertain")


def bits(guess: LanguageGuess) -> tuple:
    return (guess.lang, type(guess.score), repr(guess.score), guess.rule)


def ranked_bits(ranking: list) -> list:
    return [(lang, type(p), repr(p)) for lang, p in ranking]


def assert_same_as_stock(text: str) -> None:
    assert bits(detect_language(text)) == bits(stock_detect_language(text)), text


def assert_detector_same_as_stock(text: str) -> None:
    lang, p = FAST.classify(text)
    stock_lang, stock_p = STOCK.classify(text)
    assert (lang, type(p), repr(p)) == (stock_lang, type(stock_p), repr(stock_p)), text
    assert ranked_bits(FAST.rank(text)) == ranked_bits(STOCK.rank(text)), text


def seed_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
        whole = path.read_text(encoding="utf-8")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", whole) if p.strip()]
        sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?…])\s+", p) if s]
        texts += [whole, whole.upper(), *paragraphs, *sentences]
    return texts


@pytest.fixture(scope="module")
def synthetic() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_annotate import synthetic_comments
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return synthetic_comments(2000)


def test_fast_identifier_is_a_stock_identifier_on_the_same_model() -> None:
    assert isinstance(FAST, FastLanguageIdentifier)
    assert isinstance(FAST, LanguageIdentifier)
    assert identifier() is FAST  # one per process
    assert FAST.nb_ptc.dtype == np.float16
    table = FAST._score_table()
    assert table.dtype == np.float32
    assert np.array_equal(table, FAST.nb_ptc.astype(np.float32))
    # The float16 -> float32 cast is exact: every value survives the round trip bit for bit.
    assert np.array_equal(table.astype(np.float16).view(np.uint16), FAST.nb_ptc.view(np.uint16))


def test_fast_detector_matches_stock_on_the_seed() -> None:
    texts = seed_texts()
    assert any(len(t) > MAX_CHARS for t in texts)
    for text in texts:
        assert_same_as_stock(text)
        assert_detector_same_as_stock(text[:MAX_CHARS])


def test_fast_detector_matches_stock_on_synthetic_comments(synthetic: list[str]) -> None:
    assert len(synthetic) == 2000
    for text in synthetic:
        assert_same_as_stock(text)
        # rank lists every label's probability, so equal rankings mean equal score vectors.
        assert ranked_bits(FAST.rank(text)) == ranked_bits(STOCK.rank(text)), text


EDGE_CASES = [
    "",
    " ",
    "\t\n \r\n",
    "\u00a0",
    "❤️",
    "I ❤️ it 👍🏽",
    "🇺🇸🇷🇺🇮🇱🇵🇸",
    "Long Live Palestine🇵🇸❤. Long Live Russia🇷🇺.",
    "isn’t it “great”… really",
    "123 456 !!! ???",
    "_____",
    "a",
    "Ω",
    "ＧＯＯＤ ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ ｈｅｒｅ",
    "Слава Украине",
    "Это очень плохое решение правительства, я не согласен.",
    "الله أكبر",
    "我很惊讶地看到VADER是如此有用!",
    "これは日本語の文章です。",
    "Ελληνικά κείμενα εδώ",
    "עברית כאן בבקשה",
    "Je ne suis pas d'accord avec cette décision du gouvernement français.",
    "Das ist eine schreckliche Entscheidung der Regierung, wirklich schlimm.",
    "Esto es una vergüenza para todos nosotros y para el mundo entero.",
    "Danke schön, wirklich",
    "Talk to hamas Aljazeera",
    "Merci beaucoup",
    "I HATE THIS DECISION SO MUCH",  # isupper(): the detector lower-cases it
    "Cafe\u0301 cre\u0300me bru\u0302le\u0301e",  # combining accents: NFC changes the bytes
    "x\ud800y lone surrogate",
    "\x00\x01 control characters \x7f",
    "word " * 600,  # > MAX_CHARS
    "é" * 2500,
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_fast_detector_matches_stock_on_edge_cases(text: str) -> None:
    assert_same_as_stock(text)
    assert_detector_same_as_stock(text)


def test_every_rule_is_exercised_by_the_identity_tests(synthetic: list[str]) -> None:
    rules = {detect_language(t).rule for t in [*EDGE_CASES, *synthetic]}
    assert rules == {"no-letters", "non-latin", "short", "detected", "uncertain"}


FOREIGN_WORDS = (
    "le la les de des et est une pour pas avec cette décision gouvernement français très "
    "der die das und ist nicht eine schreckliche Entscheidung Regierung wirklich schön "
    "el los una para todos nosotros mundo entero vergüenza gracias "
    "Слава Украине это очень плохо الله أكبر 我很 惊讶 日本語 Ελληνικά"
).split()
ENGLISH_WORDS = (
    "Israel Russia Putin Gaza war peace the of and is not good bad support people free "
    "lol so true Hamas Iran Syria meeting"
).split()
mixed_text = st.lists(
    st.sampled_from(FOREIGN_WORDS + ENGLISH_WORDS) | st.text(max_size=5), max_size=25
).map(" ".join)


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=300) | mixed_text)
def test_fast_detector_matches_stock_on_arbitrary_text(text: str) -> None:
    assert_same_as_stock(text)
    assert_detector_same_as_stock(text)


def test_ascii_letters_are_exactly_a_to_z() -> None:
    # Why ASCII text can be counted without the regexes: their letters are A-Z and a-z.
    letters = {chr(c) for c in range(128) if _LETTER.fullmatch(chr(c))}
    assert letters == {chr(c) for c in range(128) if chr(c).isalpha()}
    assert "".join(sorted(letters)).encode() == language._ASCII_LETTERS


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(st.characters(max_codepoint=127), max_size=120) | st.text(max_size=120))
def test_letter_and_word_counts_match_the_regexes(text: str) -> None:
    is_ascii = text.isascii()
    assert language._count_letters(text, is_ascii) == len(_LETTER.findall(text))
    assert language._count_words(text, is_ascii) == len(_WORD.findall(text))


def test_restricted_languages_match_stock() -> None:
    # set_languages swaps nb_ptc: the float32 copy must follow it (on a private instance).
    fast = FastLanguageIdentifier(
        nb_ptc,
        nb_pc,
        nb_classes,
        FAST.tk_nextmove,
        FAST.tk_output,
        norm_probs=True,
        tk_row=FAST.tk_row,
    )
    stock = LanguageIdentifier(
        nb_ptc,
        nb_pc,
        nb_classes,
        FAST.tk_nextmove,
        FAST.tk_output,
        norm_probs=True,
        tk_row=FAST.tk_row,
    )
    texts = ["Danke schön, wirklich", "Je ne suis pas d'accord", "So true!", "Слава Украине"]
    for langs in (["en", "fr", "de"], ["de"], None):
        fast.set_languages(langs)
        stock.set_languages(langs)
        for text in texts:
            assert fast.classify(text) == stock.classify(text)
            assert ranked_bits(fast.rank(text)) == ranked_bits(stock.rank(text))


def test_fast_path_only_on_a_checked_version_else_stock(monkeypatch) -> None:
    """The identifier that overrides py3langid's private scoring is used only on a version it
    was checked against; any other version gets the stock class, and the policy's answers are
    the same with it."""
    from analysis.annotate.language import FAST_PATH_VERSIONS, LANGID_VERSION, make_identifier

    assert LANGID_VERSION in FAST_PATH_VERSIONS
    assert isinstance(make_identifier(), FastLanguageIdentifier)
    stock = make_identifier(version="99.0")
    assert type(stock) is LanguageIdentifier
    texts = [
        "Je ne suis pas d'accord avec cette décision du gouvernement français.",
        "Long Live Russia🇷🇺.",
        "This is plainly an English comment about the meeting in Moscow.",
        "Путин встретился с Беннетом в Сочи",
        "😂😂",
        "ok",
    ]

    def guesses() -> list[tuple]:
        out = [detect_language(t) for t in texts]
        return [(g.lang, g.rule, None if math.isnan(g.score) else g.score) for g in out]

    fast = guesses()
    monkeypatch.setattr(language, "identifier", lambda: stock)  # the public accessor
    assert guesses() == fast
