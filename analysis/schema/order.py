"""The one order of documents in a thread: the article first, then by position, then doc_id."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.schema import ARTICLE, DOC_ID


def thread_order(kinds: pd.Series, positions: pd.Series, doc_ids: pd.Series) -> np.ndarray:
    """Positions of the rows in thread order: the article first, then by position, then doc_id."""
    keys = pd.DataFrame(
        {
            "_article": (kinds.astype("string").fillna("") != ARTICLE).astype(int).to_numpy(),
            "_pos": pd.to_numeric(positions, errors="coerce").fillna(0).to_numpy(),
            DOC_ID: doc_ids.to_numpy(),
        }
    )
    return keys.sort_values(["_article", "_pos", DOC_ID], kind="mergesort").index.to_numpy()
