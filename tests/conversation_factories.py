"""Synthetic threads with replies, likes and dates, built to known answers.

``make_conversation`` takes one dict per comment (``parent`` = 1-based position of the comment
replied to, or any string used as a raw parent doc_id; ``placeholder`` = a platform
placeholder; ``orphan`` = a reply whose parent was not captured (``is_reply``, no parent);
``compound`` = VADER compound, ``None`` for a comment that was not annotated)
and returns ``(corpus, documents)`` conforming to the schema.
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
        return S.SENTIMENT_POSITIVE
    if compound <= config.VADER_NEGATIVE_THRESHOLD:
        return S.SENTIMENT_NEGATIVE
    return S.SENTIMENT_NEUTRAL


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
                S.POSITION: pos,
                S.SOURCE_ID: None,
                S.PARENT_ID: parent_id,
                S.IS_REPLY: parent_id is not None or bool(c.get("orphan", False)),
                S.AUTHOR_ID: c.get("author", f"a{pos}") if pos else None,
                S.TITLE: "Article" if pos == 0 else None,
                S.PUBLISHED_TEXT: None,
                S.PUBLISHED_DATE: pd.Timestamp(date) if date else pd.NaT,
                S.IS_DATE_ESTIMATED: bool(c.get("estimated", False)),
                S.IS_EDITED: False,
                S.LIKE_COUNT: c.get("likes"),
                S.TEXT: c.get("text", f"comment {pos}"),
                S.TEXT_RAW: c.get("text", f"comment {pos}"),
                S.IS_EMPTY: False,
                S.IS_DUPLICATE: False,
                S.DUPLICATE_OF: None,
                S.IS_PLACEHOLDER: bool(c.get("placeholder", False)),
                S.IS_DUPLICATE_SOURCE_ID: False,
                S.SOURCE_FILE: "synthetic",
                S.SOURCE_FORMAT: "csv",
                S.SOURCE_RECORD: pos,
            }
        )
        annotated = compound is not None
        docs.append(
            {
                S.THREAD_ID: thread_id,
                S.DOC_ID: doc_id,
                S.DOC_KIND: c["kind"],
                S.POSITION: pos,
                S.IS_EMPTY: False,
                S.IS_DUPLICATE: False,
                S.LANG: "en",
                S.LANG_SCORE: 1.0,
                S.IS_ENGLISH: True,
                S.IS_ANNOTATED: annotated,
                S.SKIP_REASON: None if annotated else S.SKIP_NOT_ENGLISH,
                S.TOKEN_COUNT: 3,
                S.WORD_COUNT: 3,
                S.SENTENCE_COUNT: 1,
                S.VADER_NEG: np.nan,
                S.VADER_NEU: np.nan,
                S.VADER_POS: np.nan,
                S.VADER_COMPOUND: compound if annotated else np.nan,
                S.SENTENCE_COMPOUND_MEAN: compound if annotated else np.nan,
                S.SENTIMENT_LABEL: _label(compound),
                S.MENTION_COUNT: 0,
            }
        )
    return S.CORPUS.conform(pd.DataFrame(corpus)), S.DOCUMENTS.conform(pd.DataFrame(docs))


def combine(*pairs: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Several threads' ``(corpus, documents)`` as one corpus."""
    return (
        pd.concat([p[0] for p in pairs], ignore_index=True),
        pd.concat([p[1] for p in pairs], ignore_index=True),
    )
