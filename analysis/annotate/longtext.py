"""Long and strange text: texts beyond spaCy's ``max_length``, and long runs without whitespace.

**Texts longer than** ``max_length`` (spaCy refuses them with error E088; the default limit is
1,000,000 characters) are parsed in chunks of at most ``max_length`` characters
(:func:`chunk_bounds`), cut preferably at a paragraph break (a blank line), else after a sentence
end (``.``, ``!`` or ``?`` followed by whitespace), else at whitespace, else (a chunk-long run
without whitespace) anywhere. The chunks' records are joined into one record with offsets into
the whole text, so every span still slices back to it; the language is decided once on the whole
text and VADER scores the whole text. Limits: a cut forces a sentence boundary there, and a
sentence or entity never spans two chunks.

**Runs without whitespace** longer than :data:`MAX_RUN` characters (typically emoji spam:
"😂" * 25,000) make spaCy's tokenizer quadratic: it splits one affix at a time off the rest of the
run and re-matches its patterns against what remains. :class:`LongRunTokenizer` tokenizes such a
run in pieces of at most ``max_run`` characters (:func:`run_pieces`), cut between two characters
that are neither letters nor digits, never before a combining mark, modifier or format character
nor after a zero-width joiner (so emoji sequences stay whole). Emoji and punctuation are split
one character at a time by spaCy anyway, so on such runs the tokens are those of the stock
tokenizer; text without a long run is tokenized by the stock tokenizer unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from spacy.tokens import Doc

#: spaCy's default ``nlp.max_length``: longer texts are parsed in chunks.
DEFAULT_MAX_LENGTH = 1_000_000
#: Runs without whitespace longer than this are tokenized in pieces.
MAX_RUN = 500
#: ``Doc.user_data`` key of the text :class:`LongRunTokenizer` was given (``doc.text``, equal to it
#: as long as no component changes the tokens' text; the suite's components do not).
TEXT_KEY = "discourse_text"

_PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")
_NO_CUT_BEFORE = frozenset(("Mn", "Mc", "Me", "Sk", "Cf"))
_ZWJ = "\u200d"


def chunk_bounds(text: str, max_length: int) -> list[tuple[int, int]]:
    """``(start, end)`` of chunks of at most ``max_length`` characters covering ``text`` in order.

    Raises:
        ValueError: ``max_length`` is below 1.
    """
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1 (got {max_length})")
    bounds, lo, n = [], 0, len(text)
    while n - lo > max_length:
        cut = _cut(text, lo, lo + max_length)
        bounds.append((lo, cut))
        lo = cut
    bounds.append((lo, n))
    return bounds


def _cut(text: str, lo: int, hi: int) -> int:
    """Where to end the chunk starting at ``lo`` (``lo < cut <= hi``)."""
    window = text[lo:hi]
    half = len(window) // 2
    for pattern in (_PARAGRAPH_END, _SENTENCE_END, _SPACE):
        ends = [m.end() for m in pattern.finditer(window) if m.end() < len(window)]
        good = [e for e in ends if e >= half] or (ends if pattern is _SPACE else [])
        if good:
            return lo + good[-1]
    return hi


def _safe_cut(text: str, p: int) -> bool:
    """Whether ``text`` may be cut between ``p - 1`` and ``p`` inside a run (module docstring)."""
    before, after = text[p - 1], text[p]
    if before.isalnum() or after.isalnum() or before == _ZWJ:
        return False
    return unicodedata.category(after) not in _NO_CUT_BEFORE


def doc_text(doc: Doc) -> str:
    """``doc.text``, from :data:`TEXT_KEY` when the tokenizer stored it (no walk over tokens)."""
    text = doc.user_data.get(TEXT_KEY)
    return text if isinstance(text, str) else doc.text


def run_pieces(text: str, *, max_run: int = MAX_RUN) -> list[tuple[int, int]]:
    """``(start, end)`` pieces covering ``text``, none holding a whitespace-free run longer than
    ``max_run`` characters unless it has no safe cut (see the module docstring).

    Pieces end after whitespace or at a safe cut inside a run; each character is looked at a
    bounded number of times, so the work is linear in the length of the text.
    """
    long_run = re.compile(r"\S{" + str(max_run + 1) + ",}")
    pieces, lo = [], 0
    for match in long_run.finditer(text):
        start, end = match.span()
        if start > lo:
            pieces.append((lo, start))
        while end - start > max_run:
            cut = next(
                (p for p in range(start + max_run, start + max_run // 2, -1) if _safe_cut(text, p)),
                start + max_run,
            )
            pieces.append((start, cut))
            start = cut
        if end < len(text) and text[end] == " ":
            end += 1  # spaCy's tokenizer keeps one space as the last token's whitespace
        pieces.append((start, end))
        lo = end
    if lo < len(text) or not pieces:
        pieces.append((lo, len(text)))
    return pieces


class LongRunTokenizer:
    """spaCy's tokenizer, run piece by piece on texts with a long run without whitespace.

    Args:
        tokenizer: the stock tokenizer (``nlp.tokenizer``).
        max_run: runs longer than this are tokenized in pieces (:func:`run_pieces`).
    """

    def __init__(self, tokenizer: Callable[[str], Doc], *, max_run: int = MAX_RUN) -> None:
        self.tokenizer, self.max_run = tokenizer, max_run
        self._long_run = re.compile(r"\S{" + str(max_run + 1) + "}")

    def __call__(self, text: str) -> Doc:
        doc = self._tokenize(text)
        # the text as given, so the suite's components need not rebuild it from the tokens
        # (``Doc.text`` joins every token's text: a Token object per token, three times a doc)
        doc.user_data[TEXT_KEY] = text
        return doc

    def _tokenize(self, text: str) -> Doc:
        if len(text) <= self.max_run or not self._long_run.search(text):
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        vocab = None
        for lo, hi in run_pieces(text, max_run=self.max_run):
            piece = self.tokenizer(text[lo:hi])
            vocab = piece.vocab
            words += [t.text for t in piece]
            spaces += [bool(t.whitespace_) for t in piece]
        doc = Doc(vocab, words=words, spaces=spaces)
        return doc if doc.text == text else self.tokenizer(text)

    def __getattr__(self, name: str):  # rules, vocab, pipe, ...: the stock tokenizer's
        return getattr(self.tokenizer, name)
