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

Speed. The detector is :class:`FastLanguageIdentifier` (the stock one, scoring against a float32
copy of its float16 table), each text is scored once (the top language and the probability of
English come from the same scores) and letters are counted without the regexes where that is
exact. The results are the stock code's bit for bit (``tests/test_language.py``);
``bench/bench_scoring.py`` times both.
"""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
from py3langid.langid import MODEL_FILE, RAW_FLOOR, LanguageIdentifier, visit_counts

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


class FastLanguageIdentifier(LanguageIdentifier):
    """py3langid's identifier, scoring against a float32 copy of its float16 feature table.

    The stock ``_sparse_score`` computes ``log1p(counts) @ nb_ptc[idx] + nb_pc`` with ``nb_ptc``
    stored as float16. NumPy evaluates a float32-by-float16 ``matmul`` with its float32 loop,
    after casting the float16 operand to float32, and that cast is exact (every float16 value is
    a float32 value); the cast is also most of the call's cost (about 20 us of 60 us for a
    comment), because NumPy converts float16 element by element. This class casts the table once
    (``nb_ptc.astype(float32)``, 57 MB for the shipped model, next to the 28 MB float16 table), so
    the same float32 loop receives the same values and returns the same floats
    (``tests/test_language.py`` checks ``classify`` and ``rank`` against the stock class on many
    texts). The walk over the text's bytes, ``_sparse_score`` itself, the normalisation in
    ``_decide``, ``classify`` and ``rank`` are the stock code. The copy follows ``nb_ptc``: after
    ``set_languages`` it is rebuilt from the new table on the next call.
    """

    __slots__ = ("_ptc32", "_ptc32_source")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._ptc32 = None
        self._ptc32_source = None

    def _score_table(self) -> np.ndarray:
        """``nb_ptc`` as float32 when it is float16 (an exact cast), else ``nb_ptc`` itself."""
        table = self.nb_ptc
        if self._ptc32_source is not table:
            is_half = isinstance(table, np.ndarray) and table.dtype == np.float16
            self._ptc32 = table.astype(np.float32) if is_half else table
            self._ptc32_source = table
        return self._ptc32

    def _raw_score(self, text):
        # The stock _raw_score, but for the table handed to _sparse_score.
        visits = visit_counts(self.tk_nextmove, self._rowbase, self.tk_output, text)
        if visits:
            return self._sparse_score(visits, self._score_table())
        fill = 0.0 if self._norm_probs else RAW_FLOOR
        return np.full(len(self.nb_classes), fill, dtype=np.float32)


@cache
def identifier() -> LanguageIdentifier:
    """The detector, loaded once per process, with probabilities normalised to sum to 1.

    A :class:`FastLanguageIdentifier`: its ``classify`` and ``rank`` return exactly what the
    stock ``LanguageIdentifier`` returns, faster.
    """
    ident = FastLanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident._score_table()  # cast now (about 50 ms), not in the first document's time
    return ident


#: Letters of the Latin script: Basic Latin, Latin-1, Latin Extended-A/B, IPA, Latin Extended
#: Additional and fullwidth Latin.
_LATIN_LETTER = re.compile(
    "[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1e00-\u1eff"
    "\uff21-\uff3a\uff41-\uff5a]"
)
_LETTER = re.compile(r"[^\W\d_]")


def _english_probability(sample: str) -> float:
    return float(dict(identifier().rank(sample)).get(ENGLISH, 0.0))


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
    ident = identifier()
    scores = ident._decide(sample)  # what classify(sample) and rank(sample) each compute
    top, top_p = _top_language(ident, scores)
    top_p = float(top_p)
    if not is_ascii and top not in (ENGLISH, _NO_LANGUAGE):
        latin_share = len(_LATIN_LETTER.findall(sample)) / n_letters
        if latin_share < MIN_LATIN_SHARE:
            return LanguageGuess(top, top_p, "non-latin")
    if top == _NO_LANGUAGE:
        return LanguageGuess(ENGLISH, _english_share(ident, scores), "no-letters")
    if n_letters < MIN_LETTERS or _count_words(sample, is_ascii) < MIN_WORDS:
        score = top_p if top == ENGLISH else _english_share(ident, scores)
        return LanguageGuess(ENGLISH, score, "short")
    if top == ENGLISH:
        return LanguageGuess(ENGLISH, top_p, "detected")
    if top_p >= MIN_PROBABILITY:
        return LanguageGuess(top, top_p, "detected")
    return LanguageGuess(ENGLISH, _english_share(ident, scores), "uncertain")
