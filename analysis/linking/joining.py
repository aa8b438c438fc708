"""Joining adjacent mentions that together spell a known name (step 4 of :mod:`analysis.linking`).

Run by :meth:`analysis.linking.linker.ThreadLinker.link` after the gazetteer search, on the
linker's store of mentions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from analysis.linking.names import name_key
from analysis.linking.store import _JOIN_PHASE, GAZETTEER, MODEL

if TYPE_CHECKING:
    from analysis.linking.linker import ThreadLinker


def join_adjacent(linker: ThreadLinker, texts_of: Callable[[int, int], list[str]]) -> None:
    """Two mentions separated only by spaces that together spell a known name become one
    ("Justin" + "trudeau" -> "Justin trudeau" when "Justin Trudeau" is known)."""
    known = set(linker.ctx.groups.parent)
    c, order, bounds = linker._doc_mentions()
    sigs, store = linker._sigs, linker.store
    for lo, texts in linker._chunks(texts_of):
        for d in range(lo, lo + len(texts)):
            rows = order[bounds[d] : bounds[d + 1]]
            if len(rows) < 2:
                continue
            text = texts[d - lo]
            starts, ends = c["start"][rows].tolist(), c["end"][rows].tolist()
            ids, store_rows = c["sig"][rows].tolist(), c["row"][rows].tolist()
            i = 0
            while i + 1 < len(rows):
                a, b = sigs[ids[i]], sigs[ids[i + 1]]
                gap = text[ends[i] : starts[i + 1]]
                joinable = (
                    a.method in (MODEL, GAZETTEER)
                    and b.method in (MODEL, GAZETTEER)
                    and gap.strip(" \t") == ""
                    and 0 < len(gap) <= 2
                )
                surface = text[starts[i] : ends[i + 1]]
                key = name_key(surface) if joinable else ""
                if key not in known:
                    i += 1
                    continue
                method = MODEL if MODEL in (a.method, b.method) else GAZETTEER
                vote = a.vote if a.vote == "PERSON" or b.vote is None else b.vote
                sig = linker._sig(
                    key,
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
