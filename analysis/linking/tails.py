"""Ordinary words the model took into a span after a lexicon name: "ITunes Gift" is "ITunes".

The model often runs a name on into the word after it ("ITunes Gift card", "Ebay Etc"). When the
span as a whole is no lexicon name, but it opens with one and every word after that is an
ordinary English word (:func:`~analysis.linking.noise.is_common_word`), the name is the lexicon
name and the rest is the sentence (the gold guide marks "Obama" in "Obama administration").
:func:`lexicon_head` finds that end; :func:`analysis.linking.shapes.shape_verdict` trims to it.

A head that is itself an ordinary word ("Apple", "Fox", "America" by frequency) is never cut
off ("Fox News", "Apple Music" may be names the lexicons do not list), nor is a head of fewer
than :data:`HEAD_MIN_LETTERS` letters. Limits: a name the lexicons do not list whose first
words are a lexicon name and whose last are ordinary words ("Ebay Motors") loses its tail.
"""

from __future__ import annotations

import re

from analysis.linking.names import _LETTERS, name_key
from analysis.linking.noise import is_common_phrase, is_common_word

#: Letters the lexicon name at the head needs.
HEAD_MIN_LETTERS = 3

_TOKEN = re.compile(r"\S+")


def lexicon_head(span: str, curated: frozenset[str] | set[str]) -> int | None:
    """End of the longest lexicon name (a key of ``curated``) that opens ``span`` and is
    followed only by ordinary English words (and tokens without a letter), or None."""
    if not curated or name_key(span) in curated:
        return None
    tokens = list(_TOKEN.finditer(span))
    for i in range(len(tokens) - 1, 0, -1):
        head, tail = span[: tokens[i - 1].end()], span[tokens[i].start() :]
        key = name_key(head)
        if key not in curated or len(key) < HEAD_MIN_LETTERS:
            continue
        words = _LETTERS.findall(tail)
        if words and all(is_common_word(w) for w in words) and not is_common_phrase(head):
            return tokens[i - 1].end()
    return None
