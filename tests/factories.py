"""Tiny synthetic threads for tests of later stages (annotate, compare, figures).

``make_thread`` builds corpus and paragraph frames conforming to ``analysis.schema`` directly from
already-normalised strings, so stage tests do not depend on any reader.
"""

from __future__ import annotations

import pandas as pd

from analysis import schema as S


def _paragraph_rows(thread_id: str, doc_id: str, text: str, *, has_title: bool) -> list[dict]:
    rows, start, index = [], 0, 0
    for block in text.split("\n\n"):
        if block.strip():
            rows.append(
                {
                    S.THREAD_ID: thread_id,
                    S.DOC_ID: doc_id,
                    S.PARAGRAPH_ID: f"{doc_id}/p{index}",
                    "paragraph_index": index,
                    "is_title": has_title and index == 0,
                    S.START_CHAR: start,
                    S.END_CHAR: start + len(block),
                    S.TEXT: block,
                }
            )
            index += 1
        start += len(block) + 2
    return rows


def make_thread(
    title: str,
    paragraphs: list[str],
    comments: list[str],
    *,
    thread_id: str = "t1",
    parents: dict[int, int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(corpus, paragraphs)`` for an article and its comments.

    Args:
        title: article title (paragraph p0 of the article).
        paragraphs: article body paragraphs.
        comments: comment texts, in order (``""`` makes an empty comment).
        thread_id: the thread id.
        parents: ``{comment position: parent comment position}`` for replies (1-based positions).
    """
    parents = parents or {}
    article_text = "\n\n".join([title, *paragraphs])
    docs = [(f"{thread_id}/article", S.ARTICLE, 0, article_text)]
    docs += [(f"{thread_id}/c{i}", S.COMMENT, i, c) for i, c in enumerate(comments, start=1)]
    seen: dict[str, str] = {}
    rows, para_rows = [], []
    for doc_id, kind, pos, text in docs:
        empty = not text.strip()
        dup_of = seen.get(text) if (kind == S.COMMENT and not empty) else None
        if kind == S.COMMENT and not empty and text not in seen:
            seen[text] = doc_id
        parent = parents.get(pos)
        rows.append(
            {
                S.THREAD_ID: thread_id,
                S.DOC_ID: doc_id,
                S.DOC_KIND: kind,
                "position": pos,
                "source_id": None,
                "parent_id": f"{thread_id}/c{parent}" if parent else None,
                "is_reply": parent is not None,
                "author_id": None if kind == S.ARTICLE else f"a{pos}",
                "title": title if kind == S.ARTICLE else None,
                "published_text": None,
                "published_date": pd.NaT,
                "is_date_estimated": False,
                "is_edited": False,
                "like_count": None,
                S.TEXT: text,
                "text_raw": text,
                "is_empty": empty,
                "is_duplicate": dup_of is not None,
                "duplicate_of": dup_of,
                S.IS_PLACEHOLDER: False,
                "is_duplicate_source_id": False,
                "source_file": "synthetic",
                "source_format": "synthetic",
                "source_record": pos + 1,
            }
        )
        para_rows += _paragraph_rows(thread_id, doc_id, text, has_title=kind == S.ARTICLE)
    corpus = S.CORPUS.conform(pd.DataFrame(rows))
    paras = S.PARAGRAPHS.conform(pd.DataFrame(para_rows)) if para_rows else S.PARAGRAPHS.empty()
    return corpus, paras
