"""A faster ``SentimentIntensityAnalyzer`` for ``vaderSentiment`` 3.3.2 (same scores, bit for bit).

Imported only by :func:`analysis.annotate.sentiment.make_analyzer` when the installed
vaderSentiment is a version this code was checked against (:data:`FAST_PATH_VERSIONS`), because
it reuses the library's private helpers; any other version gets the stock analyzer.
``tests/test_sentiment.py`` compares its scores with the stock analyzer's.
"""

from __future__ import annotations

import types
from functools import lru_cache

from vaderSentiment import vaderSentiment as _vader
from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

#: vaderSentiment versions whose internals this module was checked against.
FAST_PATH_VERSIONS = frozenset({"3.3.2"})

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
