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
"""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from functools import cache

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


@cache
def identifier() -> LanguageIdentifier:
    """The detector, loaded once per process, with probabilities normalised to sum to 1."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


#: Letters of the Latin script: Basic Latin, Latin-1, Latin Extended-A/B, IPA, Latin Extended
#: Additional and fullwidth Latin.
_LATIN_LETTER = re.compile(
    "[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1e00-\u1eff"
    "\uff21-\uff3a\uff41-\uff5a]"
)
_LETTER = re.compile(r"[^\W\d_]")


def _english_probability(sample: str) -> float:
    return float(dict(identifier().rank(sample)).get(ENGLISH, 0.0))


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of ``text`` under the module's policy.

    Returns:
        A :class:`LanguageGuess`; ``score`` is ``nan`` only for texts without letters.
    """
    sample = text[:MAX_CHARS]
    n_letters = len(_LETTER.findall(sample))
    if not n_letters:
        return LanguageGuess(ENGLISH, float("nan"), "no-letters")
    top, top_p = identifier().classify(sample)
    top_p = float(top_p)
    if not sample.isascii() and top not in (ENGLISH, _NO_LANGUAGE):
        latin_share = len(_LATIN_LETTER.findall(sample)) / n_letters
        if latin_share < MIN_LATIN_SHARE:
            return LanguageGuess(top, top_p, "non-latin")
    if top == _NO_LANGUAGE:
        return LanguageGuess(ENGLISH, _english_probability(sample), "no-letters")
    if n_letters < MIN_LETTERS or len(_WORD.findall(sample)) < MIN_WORDS:
        score = top_p if top == ENGLISH else _english_probability(sample)
        return LanguageGuess(ENGLISH, score, "short")
    if top == ENGLISH:
        return LanguageGuess(ENGLISH, top_p, "detected")
    if top_p >= MIN_PROBABILITY:
        return LanguageGuess(top, top_p, "detected")
    return LanguageGuess(ENGLISH, _english_probability(sample), "uncertain")
