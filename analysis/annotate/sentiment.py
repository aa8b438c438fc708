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
(On vaderSentiment 3.3.2 the analyzer is
:class:`analysis.annotate.vader_fast.FastSentimentIntensityAnalyzer`, which returns the stock
analyzer's scores bit for bit, about twice as fast on comment sentences and linear rather than
quadratic in a sentence's length; on any other version it is the stock analyzer.
``bench/bench_scoring.py`` times both.)
Not normalised (VADER treats the ASCII equivalents the same way, so it is VADER's design rather
than a Unicode problem): dashes joining words without spaces (``"good—bad"``, ``"good--bad"``).
"""

from __future__ import annotations

import importlib.metadata
import math
from collections.abc import Iterable
from functools import cache

import numpy as np
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

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


#: vaderSentiment versions with a checked fast path (:mod:`analysis.annotate.vader_fast`).
FAST_PATH_VERSIONS = frozenset({"3.3.2"})


def make_analyzer(version: str = VADER_VERSION) -> SentimentIntensityAnalyzer:
    """A new VADER analyzer: the fast one when ``version`` (the installed vaderSentiment's) is
    one it was checked against, else the stock ``SentimentIntensityAnalyzer``. Both return the
    same scores; the fast one reuses private helpers of the library, so it is used only there.
    """
    if version in FAST_PATH_VERSIONS:
        from analysis.annotate.vader_fast import FastSentimentIntensityAnalyzer

        return FastSentimentIntensityAnalyzer()
    return SentimentIntensityAnalyzer()


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    """The one VADER analyzer of this process (its lexicons load once): :func:`make_analyzer`."""
    return make_analyzer()


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
