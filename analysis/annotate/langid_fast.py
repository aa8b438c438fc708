"""A faster py3langid ``LanguageIdentifier`` for py3langid 0.4.0 (same results, bit for bit).

Imported only by :func:`analysis.annotate.language.make_identifier` when the installed py3langid
is a version this code was checked against (:data:`FAST_PATH_VERSIONS`), because it overrides the
library's private ``_raw_score``; any other version gets the stock identifier.
``tests/test_language.py`` compares its results with the stock class's.
"""

from __future__ import annotations

import numpy as np
from py3langid.langid import RAW_FLOOR, LanguageIdentifier, visit_counts

#: py3langid versions whose internals this module was checked against.
FAST_PATH_VERSIONS = frozenset({"0.4.0"})


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
