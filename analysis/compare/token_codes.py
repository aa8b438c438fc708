"""Whitespace tokens coded by a vocabulary, a chunk of texts at a time.

Splitting every text of a large thread at once keeps all its token strings alive together
(several hundred MB at 100,000 comments); :func:`code_tokens` holds one chunk's strings at a time
and keeps only integer codes.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

#: Texts split per chunk: only this many texts' token strings are alive at once.
CHUNK_ROWS = 20_000


def code_tokens(
    texts: list, vocab: dict[str, int], keep: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The whitespace tokens of ``texts`` as codes of ``vocab`` (term -> code, extended with each
    new term in order of first appearance).

    Args:
        texts: strings; anything else counts as a text without tokens.
        vocab: the vocabulary, extended in place.
        keep: per text, whether to split it (False: no tokens); all when None.

    Returns:
        The number of tokens of each text (int64) and the code of every token, in text order.
    """
    sizes, codes = [], []
    for start in range(0, len(texts), CHUNK_ROWS):
        chunk = texts[start : start + CHUNK_ROWS]
        wanted = keep[start : start + CHUNK_ROWS] if keep is not None else None
        parts = [
            t.split() if isinstance(t, str) and (wanted is None or wanted[i]) else []
            for i, t in enumerate(chunk)
        ]
        size = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        terms = chain.from_iterable(parts)
        codes.append(
            np.fromiter(
                (vocab.setdefault(t, len(vocab)) for t in terms),
                dtype=np.int64,
                count=int(size.sum()),
            )
        )
        sizes.append(size)
    if not sizes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(sizes), np.concatenate(codes)
