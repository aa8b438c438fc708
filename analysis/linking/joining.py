"""Joining adjacent mentions that together spell a known name (step 4 of :mod:`analysis.linking`).

Run by :meth:`analysis.linking.linker.ThreadLinker.link` after the gazetteer search, on the
linker's store of mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from analysis.linking.names import _tokens, name_key
from analysis.linking.noise import is_common_phrase, noise_spans, overlaps
from analysis.linking.store import _JOIN_PHASE, GAZETTEER, MODEL

if TYPE_CHECKING:
    from analysis.linking.linker import ThreadLinker


#: A word after a mention that may complete a known name: one or two spaces, then letters.
_NEXT_WORD = re.compile(r"[ \t]{1,2}[^\W\d_]+\b")


def join_adjacent(linker: ThreadLinker, texts_of: Callable[[int, int], list[str]]) -> None:
    """Two mentions separated only by spaces that together spell a known name become one
    ("Justin" + "trudeau" -> "Justin trudeau" when "Justin Trudeau" is known); so does a mention
    and the next word when they spell a name of two words or more the thread knows ("Zorb" +
    "dance" -> "Zorb dance" beside "Zorb Dance": the model or the search found the name cut
    short, as the case rules keep "dance" from matching in lower case)."""
    known = set(linker.ctx.groups.parent)
    c, order, bounds = linker._doc_mentions()
    for lo, texts in linker._chunks(texts_of):
        for d in range(lo, lo + len(texts)):
            rows = order[bounds[d] : bounds[d + 1]]
            if len(rows):
                _join_doc(linker, d, texts[d - lo], c, rows, known)


def _join_doc(linker: ThreadLinker, d: int, text: str, c: dict, rows, known: set[str]) -> None:
    sigs, store = linker._sigs, linker.store
    starts, ends = c["start"][rows].tolist(), c["end"][rows].tolist()
    ids, store_rows = c["sig"][rows].tolist(), c["row"][rows].tolist()
    i = 0
    while i < len(rows):
        a = sigs[ids[i]]
        if i + 1 < len(rows):
            b = sigs[ids[i + 1]]
            gap = text[ends[i] : starts[i + 1]]
            joinable = (
                a.method in (MODEL, GAZETTEER)
                and b.method in (MODEL, GAZETTEER)
                and gap.strip(" \t") == ""
                and 0 < len(gap) <= 2
            )
            surface = text[starts[i] : ends[i + 1]]
            if joinable and name_key(surface) in known:
                method = MODEL if MODEL in (a.method, b.method) else GAZETTEER
                vote = a.vote if a.vote == "PERSON" or b.vote is None else b.vote
                sig = linker._sig(
                    name_key(surface),
                    method,
                    vote=vote,
                    fallback=a.fallback or b.fallback,
                    form=surface,
                    via=a.via or b.via,
                    surface=surface,
                )
                store.alive[store_rows[i]] = 0
                store.alive[store_rows[i + 1]] = 0
                store.add(d, starts[i], ends[i + 1], sig, _JOIN_PHASE)
                i += 2
                continue
        limit = starts[i + 1] if i + 1 < len(rows) else len(text)
        _extend(linker, d, text, a, (starts[i], ends[i], store_rows[i], limit), known)
        i += 1


def _extend(linker: ThreadLinker, d: int, text: str, a, at: tuple[int, ...], known) -> None:
    """Extend the mention ``a`` at ``(start, end, store row, next mention's start)`` by the next
    word when together they spell a known name of more words than the mention has (never into
    the next mention, a URL, @handle or hashtag). A mention of ordinary words is not extended:
    "Confederate" + "flag" is an adjective before a noun, whatever the thread capitalises."""
    start, end, row, limit = at
    word = _NEXT_WORD.match(text, end, limit)
    if a.method not in (MODEL, GAZETTEER) or word is None or is_common_phrase(a.surface):
        return
    surface = text[start : word.end()]
    key = name_key(surface)
    if key not in known or key == a.key or len(_tokens(surface)) < 2:
        return
    if overlaps(noise_spans(text), end, word.end()):
        return
    sig = linker._sig(key, a.method, fallback=a.fallback, form=surface, via=a.via, surface=surface)
    linker.store.alive[row] = 0
    linker.store.add(d, start, word.end(), sig, _JOIN_PHASE)
