"""VADER sentiment, with the few input fixes VADER demonstrably needs.

VADER (Hutto and Gilbert 2014, ``vaderSentiment`` 3.3.2) is rule-based: it splits on whitespace,
strips ASCII punctuation from word edges and looks words and single emoji characters up in its
lexicons. Some ordinary Unicode defeats those lookups, so the *input to VADER* (never the stored
text) is normalised in exactly these ways, each proven by a test against the raw analyzer:

* **Variation selectors** U+FE0E/U+FE0F are removed. ``"❤"`` scores +0.64 but ``"❤️"`` (U+2764
  U+FE0F, how phones send the heart) scores 0, because the selector glues to the emoji's
  description ("red heart\\ufe0f") and the lexicon lookup fails. ``"✌️"`` likewise.
* **Skin-tone modifiers** U+1F3FB..U+1F3FF are removed. VADER describes them in words, so
  ``"🙏🏾 thanks"`` scores 0.62 while ``"🙏 thanks"`` scores 0.44, and ``"great 👍🏽"`` has other
  neg/neu/pos proportions than ``"great 👍"``.
* **Typographic quotes and apostrophes** (U+2018, U+2019, U+201A, U+201B, U+201C, U+201D, U+201E,
  U+201F, U+02BC) become ASCII ``'`` and ``"``. VADER strips only ASCII punctuation, so
  ``"It was ‘good’"`` scores 0 against 0.44 for ``"It was 'good'"``; and its negation list spells
  ``isn't``/``doesn't`` with ASCII apostrophes, so ``"isn’t good"`` scores *positive* (+0.44)
  where ``"isn't good"`` scores -0.34.
* **The ellipsis character** U+2026 becomes ``...``: ``"good…"`` scores 0, ``"good..."`` 0.44.

Text without those characters reaches VADER unchanged and scores exactly as plain VADER scores it.
(The analyzer is :class:`FastSentimentIntensityAnalyzer`, which returns the stock analyzer's scores
bit for bit, about twice as fast on comment sentences; ``bench/bench_scoring.py`` times both.)
Not normalised (VADER treats the ASCII equivalents the same way, so it is VADER's design rather
than a Unicode problem): dashes joining words without spaces (``"good—bad"``, ``"good--bad"``).
"""

from __future__ import annotations

import importlib.metadata
import math
import types
from collections.abc import Iterable
from functools import cache, lru_cache

import numpy as np
from vaderSentiment import vaderSentiment as _vader
from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from analysis.config import VADER_NEGATIVE_THRESHOLD, VADER_POSITIVE_THRESHOLD

VADER_VERSION = importlib.metadata.version("vaderSentiment")

#: The score keys, in the order the suite stores them (``vader_neg`` ... ``vader_compound``).
SCORE_KEYS = ("neg", "neu", "pos", "compound")

#: Characters removed before scoring: variation selectors and skin-tone modifiers.
REMOVED_CHARS = "\ufe0e\ufe0f" + "".join(chr(cp) for cp in range(0x1F3FB, 0x1F400))
#: Characters replaced before scoring.
REPLACED_CHARS = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark (also the typographic apostrophe)
    "\u201a": "'",  # single low-9 quotation mark
    "\u201b": "'",  # single high-reversed-9 quotation mark
    "\u02bc": "'",  # modifier letter apostrophe
    "\u201c": '"',  # left double quotation mark
    "\u201d": '"',  # right double quotation mark
    "\u201e": '"',  # double low-9 quotation mark
    "\u201f": '"',  # double high-reversed-9 quotation mark
    "\u2026": "...",  # horizontal ellipsis
}
_TRANSLATION = str.maketrans({**dict.fromkeys(REMOVED_CHARS), **REPLACED_CHARS})
_TOUCHED = frozenset(REMOVED_CHARS) | frozenset(REPLACED_CHARS)


def normalise_for_vader(text: str) -> str:
    """Return ``text`` with the characters VADER mishandles fixed (see the module docstring).

    Pure ASCII text, and any text without those characters, is returned unchanged.
    """
    if text.isascii() or _TOUCHED.isdisjoint(text):
        return text
    return text.translate(_TRANSLATION)


_STOCK = SentimentIntensityAnalyzer


@lru_cache(maxsize=1 << 16)
def _word_is_negation(word: str) -> bool:
    """The stock ``negated([word])``: a pure function of one word (and VADER's constant list)."""
    return _vader.negated([word])


def _negated(input_words, include_nt=True):
    """The stock ``negated``, with its one-word calls (all the negation check makes) cached."""
    if include_nt is True and type(input_words) is list and len(input_words) == 1:
        word = input_words[0]
        if type(word) is str:
            return _word_is_negation(word)
    return _vader.negated(input_words, include_nt)


def _with_negated(function: types.FunctionType) -> types.FunctionType:
    """``function``'s own code, with the module-level name ``negated`` bound to :func:`_negated`.

    The stock code runs unchanged; only its calls to the pure helper ``negated`` are cached.
    """
    namespace = dict(vars(_vader))
    namespace["negated"] = _negated
    return types.FunctionType(
        function.__code__,
        namespace,
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )


#: The stock ``SentimentIntensityAnalyzer._negation_check``, calling the cached ``negated``.
_stock_negation_check = _with_negated(_STOCK._negation_check)


class _SentiText(SentiText):
    """The stock ``SentiText``, with its per-token punctuation strip (a pure function) cached."""

    _strip_punc_if_word = staticmethod(lru_cache(maxsize=1 << 16)(SentiText._strip_punc_if_word))


class FastSentimentIntensityAnalyzer(SentimentIntensityAnalyzer):
    """``vaderSentiment`` 3.3.2's analyzer without its avoidable pure-Python overhead.

    ``polarity_scores`` returns exactly the stock analyzer's dict (``tests/test_sentiment.py``
    compares the two on the seed's sentences, thousands of synthetic comments, Unicode edge cases
    and arbitrary text). No scoring rule is rewritten; what differs from the stock code:

    * **Emoji conversion.** The stock ``polarity_scores`` first rebuilds the text one character
      at a time, replacing each character that is a key of ``self.emojis`` by its description.
      Only single characters can match, so when no character of the text is such a key the
      rebuilt string equals the text, and the text is used as is: decided by ``str.isascii`` (no
      key is ASCII, checked at construction) or a C-level set test. Text with an emoji goes
      through the same character loop (building a list, then joining it).
    * **Words outside the lexicon.** For such a word the stock ``sentiment_valence`` only
      appends the ``valence`` it was given (its whole body is under ``if item_lowercase in
      self.lexicon``); the driver loop appends it without the call.
    * **Negation check.** The stock ``_negation_check(valence, words, start_i, i)`` lower-cases
      *every* word of the text on each call (up to three calls per lexicon word: quadratic in
      the text's length) and reads only ``words[i - 3 .. i - 1]``. It is called with ``words``
      cut to ``words[i - 3 : i + 1]`` (``i`` shifted to match), which holds every word it reads
      at the same relative position. Its helper ``negated`` is, for the one-word lists it is
      given there, a pure function of that word, and is cached per word (the stock code of
      ``_negation_check`` runs with the module name ``negated`` bound to the cached one).
    * **Idiom check.** ``_special_idioms_check(valence, words, i)`` likewise lower-cases every
      word and reads ``words[i - 3 .. i + 2]``, looking at ``i + 1`` and ``i + 2`` only when they
      exist; it is called with ``words[i - 3 : i + 3]`` (``i`` becomes 3), which keeps both the
      words and those existence tests.
    * **Tokens.** ``SentiText``'s punctuation strip, a pure function of one token, is cached.

    Both checks fall back to the full word list for arguments the stock analyzer never passes
    (an ``i`` too small for the look-back, where negative indexing would wrap around). The
    "but", "least", capitals, booster, punctuation and normalisation code is the stock code. The
    caches hold words, never texts (at most 65,536 each). The emoji lexicon is read once, at
    construction: to change ``emojis`` or ``lexicon``, use a stock analyzer.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Keys the stock loop can match: it compares one character at a time.
        self._emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)
        self._ascii_emoji = any(k.isascii() for k in self._emoji_chars)

    def _text_without_emoji(self, text: str) -> str:
        """Exactly the string the stock :meth:`polarity_scores` builds before ``.strip()``."""
        if (not self._ascii_emoji and text.isascii()) or self._emoji_chars.isdisjoint(text):
            return text  # the stock loop appends every character unchanged
        emojis = self.emojis
        parts = []
        prev_space = True
        for char in text:
            if char in emojis:
                if not prev_space:
                    parts.append(" ")
                parts.append(emojis[char])
                prev_space = False
            else:
                parts.append(char)
                prev_space = char == " "
        return "".join(parts)

    def polarity_scores(self, text):
        """The stock ``polarity_scores`` (the same dict), faster: see the class docstring."""
        if not isinstance(text, str):
            return super().polarity_scores(text)
        # From here on the stock method's code, line for line, after its emoji loop.
        text = self._text_without_emoji(text).strip()

        sentitext = _SentiText(text)

        sentiments = []
        words_and_emoticons = sentitext.words_and_emoticons
        lexicon = self.lexicon
        for i, item in enumerate(words_and_emoticons):
            valence = 0
            item_lowercase = item.lower()  # the stock code calls item.lower() for each test
            # check for vader_lexicon words that may be used as modifiers or negations
            if item_lowercase in BOOSTER_DICT:
                sentiments.append(valence)
                continue
            if (
                i < len(words_and_emoticons) - 1
                and item_lowercase == "kind"
                and words_and_emoticons[i + 1].lower() == "of"
            ):
                sentiments.append(valence)
                continue
            if item_lowercase not in lexicon:
                # What the stock sentiment_valence does for a word outside the lexicon: its
                # whole body is under `if item_lowercase in self.lexicon`, then it appends.
                sentiments.append(valence)
                continue

            sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)

        sentiments = self._but_check(words_and_emoticons, sentiments)

        valence_dict = self.score_valence(sentiments, text)

        return valence_dict

    @staticmethod
    def _negation_check(valence, words_and_emoticons, start_i, i):
        # The stock check reads words i - start_i - 1 .. i - 1 (start_i in 0..2), never i - 4 or
        # before, never i or after. Called with i > start_i, as the stock analyzer calls it, none
        # of those indices is negative, so a window from i - 3 holds all of them.
        if 0 <= start_i <= 2 and start_i < i < len(words_and_emoticons):
            lo = i - 3 if i > 3 else 0
            window = words_and_emoticons[lo : i + 1]
            return _stock_negation_check(valence, window, start_i, i - lo)
        return _stock_negation_check(valence, words_and_emoticons, start_i, i)

    @staticmethod
    def _special_idioms_check(valence, words_and_emoticons, i):
        # The stock check reads words i - 3 .. i always, i + 1 when len - 1 > i and i + 2 when
        # len - 1 > i + 1. With i >= 3 (the stock analyzer calls it from i = 3 on) the window
        # i - 3 .. i + 2 holds all of them, and its own length tests give the same answers.
        if 3 <= i < len(words_and_emoticons):
            return _STOCK._special_idioms_check(valence, words_and_emoticons[i - 3 : i + 3], 3)
        return _STOCK._special_idioms_check(valence, words_and_emoticons, i)


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    """The one VADER analyzer of this process (its lexicons load once).

    A :class:`FastSentimentIntensityAnalyzer`: a ``SentimentIntensityAnalyzer`` whose
    ``polarity_scores`` returns exactly the stock analyzer's dict, faster.
    """
    return FastSentimentIntensityAnalyzer()


def vader_scores(text: str) -> tuple[float, float, float, float]:
    """VADER ``(neg, neu, pos, compound)`` of ``text`` after :func:`normalise_for_vader`."""
    scores = analyzer().polarity_scores(normalise_for_vader(text))
    return (scores["neg"], scores["neu"], scores["pos"], scores["compound"])


def vader_frame_scores(texts: Iterable[str]) -> np.ndarray:
    """VADER scores of many texts as an ``(n, 4)`` float array (columns as :data:`SCORE_KEYS`)."""
    rows = [vader_scores(t) for t in texts]
    return np.asarray(rows, dtype="float64").reshape(len(rows), len(SCORE_KEYS))


def sentiment_label(compound: float | None) -> str | None:
    """``positive`` / ``neutral`` / ``negative`` at the conventional +-0.05 thresholds.

    Returns:
        The label, or ``None`` when ``compound`` is missing (non-English or empty documents).
    """
    if compound is None or (isinstance(compound, float) and math.isnan(compound)):
        return None
    if compound >= VADER_POSITIVE_THRESHOLD:
        return "positive"
    if compound <= VADER_NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"
