"""Synthetic threads with replies, likes and dates, built to known answers.

``make_conversation`` takes one dict per comment (``parent`` = 1-based position of the comment
replied to, or any string used as a raw parent doc_id; ``compound`` = VADER compound, ``None`` for
a comment that was not annotated) and returns ``(corpus, documents)`` conforming to the schema.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S


def _label(compound: float | None) -> str | None:
    if compound is None:
        return None
    if compound >= config.VADER_POSITIVE_THRESHOLD:
        return "positive"
    if compound <= config.VADER_NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def make_conversation(
    comments: list[dict], *, thread_id: str = "t1"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(corpus, documents)`` for an article and ``comments`` (see module doc)."""
    corpus, docs = [], []
    rows = [{"text": "Article", "kind": S.ARTICLE}] + [{**c, "kind": S.COMMENT} for c in comments]
    for pos, c in enumerate(rows):
        doc_id = f"{thread_id}/article" if pos == 0 else f"{thread_id}/c{pos}"
        parent = c.get("parent")
        parent_id = f"{thread_id}/c{parent}" if isinstance(parent, int) else parent
        date = c.get("date")
        compound = c.get("compound", 0.0) if pos else 0.0
        corpus.append(
            {
                S.THREAD_ID: thread_id,
                S.DOC_ID: doc_id,
                S.DOC_KIND: c["kind"],
                "position": pos,
                "source_id": None,
                "parent_id": parent_id,
                "is_reply": parent_id is not None,
                "author_id": c.get("author", f"a{pos}") if pos else None,
                "title": "Article" if pos == 0 else None,
                "published_text": None,
                "published_date": pd.Timestamp(date) if date else pd.NaT,
                "is_date_estimated": bool(c.get("estimated", False)),
                "is_edited": False,
                "like_count": c.get("likes"),
                S.TEXT: c.get("text", f"comment {pos}"),
                "text_raw": c.get("text", f"comment {pos}"),
                "is_empty": False,
                "is_duplicate": False,
                "duplicate_of": None,
                "source_file": "synthetic",
                "source_format": "csv",
                "source_record": pos,
            }
        )
        annotated = compound is not None
        docs.append(
            {
                S.THREAD_ID: thread_id,
                S.DOC_ID: doc_id,
                S.DOC_KIND: c["kind"],
                "position": pos,
                "is_empty": False,
                "is_duplicate": False,
                S.LANG: "en",
                "lang_score": 1.0,
                "is_english": True,
                "is_annotated": annotated,
                "skip_reason": None if annotated else "not-english",
                "token_count": 3,
                "word_count": 3,
                "sentence_count": 1,
                "vader_neg": np.nan,
                "vader_neu": np.nan,
                "vader_pos": np.nan,
                "vader_compound": compound if annotated else np.nan,
                "sentence_compound_mean": compound if annotated else np.nan,
                "sentiment_label": _label(compound),
                "mention_count": 0,
            }
        )
    return S.CORPUS.conform(pd.DataFrame(corpus)), S.DOCUMENTS.conform(pd.DataFrame(docs))


def combine(*pairs: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Several threads' ``(corpus, documents)`` as one corpus."""
    return (
        pd.concat([p[0] for p in pairs], ignore_index=True),
        pd.concat([p[1] for p in pairs], ignore_index=True),
    )
