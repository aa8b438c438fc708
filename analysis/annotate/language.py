"""Offline language identification of documents (py3langid, which ships its own model).

Policy. The threads the suite reads are English-language by default (an English news site and the
comments under it), and character n-gram detectors are unreliable on short strings: on the seed,
``"Long Live Russia🇷🇺."`` comes out as Nigerian Pidgin with probability 0.04 and ``"Talk to
hamas Aljazeera"`` as Estonian. So a document is called non-English only when the evidence is
clear; otherwise it stays English and the detector's probability *of English* is recorded, so a
reader can see how sure the call was:

1. No letters at all (emoji, numbers, punctuation): English (VADER can still read emoji).
2. Mostly non-Latin letters (under :data:`MIN_LATIN_SHARE` of the letters are Latin): the
   detector's answer, however short the text, since such text cannot be English.
3. Short Latin-script text (under :data:`MIN_LETTERS` letters or :data:`MIN_WORDS` words):
   English.
4. Otherwise the detector's top language when its probability is at least
   :data:`MIN_PROBABILITY`, else English.

Codes are the detector's: ISO 639-1 where one exists (``en``, ``fr``), ISO 639-3 otherwise
(``pcm``); ``zxx`` (no linguistic content) is treated as rule 1.

Speed. On py3langid 0.4.0 the detector is
:class:`analysis.annotate.langid_fast.FastLanguageIdentifier` (the stock one, scoring against a
float32 copy of its float16 table; any other version gets the stock class), each text is scored
once (the top language and the probability of English come from the same scores) and letters are
counted without the regexes where that is exact. The results are the stock code's bit for bit
(``tests/test_language.py``);
``bench/bench_scoring.py`` times both.
"""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

LANGID_VERSION = importlib.metadata.version("py3langid")

ENGLISH = "en"
#: Texts with fewer letters than this default to English (rule 3).
MIN_LETTERS = 20
#: Texts with fewer words (runs of letters) than this default to English (rule 3).
MIN_WORDS = 3
#: The detector must be at least this sure of a non-English language (rule 4).
MIN_PROBABILITY = 0.5
#: Below this share of Latin-script letters the detector is trusted at any length (rule 2).
MIN_LATIN_SHARE = 0.5
#: The detector reads at most this many characters (accuracy saturates long before).
MAX_CHARS = 2000

#: The policy's settings, for cache keys and provenance.
POLICY = {
    "min_letters": MIN_LETTERS,
    "min_words": MIN_WORDS,
    "min_probability": MIN_PROBABILITY,
    "min_latin_share": MIN_LATIN_SHARE,
    "max_chars": MAX_CHARS,
}

_WORD = re.compile(r"[^\W\d_]+")
_NO_LANGUAGE = "zxx"


@dataclass(frozen=True)
class LanguageGuess:
    """The language of one text.

    Attributes:
        lang: language code (``en`` when the policy defaults to English).
        score: the detector's probability of ``lang``.
        rule: which policy rule decided (``no-letters``, ``non-latin``, ``short``, ``detected``,
            ``uncertain``).
    """

    lang: str
    score: float
    rule: str

    @property
    def is_english(self) -> bool:
        return self.lang == ENGLISH


#: py3langid versions with a checked fast path (:mod:`analysis.annotate.langid_fast`).
FAST_PATH_VERSIONS = frozenset({"0.4.0"})


def make_identifier(version: str = LANGID_VERSION) -> LanguageIdentifier:
    """A new detector with probabilities normalised to sum to 1: the fast one when ``version``
    (the installed py3langid's) is one it was checked against, else the stock class."""
    if version in FAST_PATH_VERSIONS:
        from analysis.annotate.langid_fast import FastLanguageIdentifier

        ident = FastLanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident._score_table()  # cast now (about 50 ms), not in the first document's time
        return ident
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def identifier() -> LanguageIdentifier:
    """The detector of this process (loaded once): :func:`make_identifier`."""
    return make_identifier()


#: Letters of the Latin script: Basic Latin, Latin-1, Latin Extended-A/B, IPA, Latin Extended
#: Additional and fullwidth Latin.
_LATIN_LETTER = re.compile(
    "[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1e00-\u1eff"
    "\uff21-\uff3a\uff41-\uff5a]"
)
_LETTER = re.compile(r"[^\W\d_]")


def _english_probability(sample: str) -> float:
    return float(dict(identifier().rank(sample)).get(ENGLISH, 0.0))


def _judge(ident: LanguageIdentifier, sample: str) -> tuple[str, float, float]:
    """``(top language, its probability, probability of English)`` from one scoring of ``sample``.

    The fast identifier (a checked py3langid version) is asked for its score vector once (what
    ``classify`` and ``rank`` each compute); the stock one through its public ``rank``, whose
    first entry is what ``classify`` returns.
    """
    if ident.__class__.__name__ == "FastLanguageIdentifier":
        scores = ident._decide(sample)
        top, top_p = _top_language(ident, scores)
        return top, float(top_p), _english_share(ident, scores)
    ranked = ident.rank(sample)
    top, top_p = ranked[0]
    if ident.min_confidence is not None and top_p < ident.min_confidence:
        top = "und"
    return top, float(top_p), float(dict(ranked).get(ENGLISH, 0.0))


def _top_language(ident: LanguageIdentifier, scores: np.ndarray) -> tuple[str, float]:
    """What ``ident.classify`` returns when its ``_decide`` returned ``scores``."""
    i = int(scores.argmax())
    conf = float(scores[i])
    if ident.min_confidence is not None and conf < ident.min_confidence:
        return "und", conf
    return ident.nb_classes[i], conf


def _english_share(ident: LanguageIdentifier, scores: np.ndarray) -> float:
    """What ``dict(ident.rank(...)).get("en", 0.0)`` is when its ``_decide`` returned ``scores``.

    ``rank`` keeps, for each label, the score of the label's first column.
    """
    try:
        column = ident.nb_classes.index(ENGLISH)
    except ValueError:
        return 0.0
    return float(scores[column])


# _LETTER is one character class, so it counts each character on its own. Among ASCII characters
# its letters are exactly A-Z and a-z (tests check all 128), which bytes.translate counts by
# deleting them, without building a list of one-letter strings; the rest of the text (its
# non-ASCII characters) still goes through _LETTER.
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
# In ASCII text a word (a run of letters) is a run of bytes that this table keeps.
_ASCII_WORDS = bytes(c if c in _ASCII_LETTERS else ord(" ") for c in range(256))
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _count_letters(sample: str, is_ascii: bool) -> int:
    """``len(_LETTER.findall(sample))``; ``is_ascii`` is ``sample.isascii()``."""
    ascii_part = sample.encode("ascii") if is_ascii else sample.encode("ascii", "ignore")
    n_letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    if not is_ascii:
        n_letters += len(_LETTER.findall("".join(_NON_ASCII.findall(sample))))
    return n_letters


def _count_words(sample: str, is_ascii: bool) -> int:
    """``len(_WORD.findall(sample))``; ``is_ascii`` is ``sample.isascii()``."""
    if is_ascii:
        return len(sample.encode("ascii").translate(_ASCII_WORDS).split())
    return len(_WORD.findall(sample))


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of ``text`` under the module's policy.

    The detector scores the text once; its top language and its probability of English both come
    from that one score vector, exactly as ``classify`` and ``rank`` would compute them.

    Returns:
        A :class:`LanguageGuess`; ``score`` is ``nan`` only for texts without letters.
    """
    sample = text[:MAX_CHARS]
    is_ascii = sample.isascii()
    n_letters = _count_letters(sample, is_ascii)
    if not n_letters:
        return LanguageGuess(ENGLISH, float("nan"), "no-letters")
    top, top_p, english = _judge(identifier(), sample)
    if not is_ascii and top not in (ENGLISH, _NO_LANGUAGE):
        latin_share = len(_LATIN_LETTER.findall(sample)) / n_letters
        if latin_share < MIN_LATIN_SHARE:
            return LanguageGuess(top, top_p, "non-latin")
    if top == _NO_LANGUAGE:
        return LanguageGuess(ENGLISH, english, "no-letters")
    if n_letters < MIN_LETTERS or _count_words(sample, is_ascii) < MIN_WORDS:
        score = top_p if top == ENGLISH else english
        return LanguageGuess(ENGLISH, score, "short")
    if top == ENGLISH:
        return LanguageGuess(ENGLISH, top_p, "detected")
    if top_p >= MIN_PROBABILITY:
        return LanguageGuess(top, top_p, "detected")
    return LanguageGuess(ENGLISH, english, "uncertain")
