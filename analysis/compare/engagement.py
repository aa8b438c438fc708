"""Engagement: which article paragraph each comment responds to, and which comments respond to none.

Method
------
For every annotated (English) comment and every paragraph of the article **including the title**
(the title is part of what readers respond to, and many comments answer the headline alone):

- ``entity_overlap``: Jaccard overlap of canonical entities, ``|A & B| / |A | B|``, between the
  comment's mentions and the paragraph's mentions (an article mention belongs to the paragraph of
  its sentence); 0 when neither names an entity;
- ``lemma_similarity``: cosine similarity of TF-IDF vectors of lemmas (scikit-learn
  ``TfidfVectorizer``, smoothed idf, l2 norm), fit per thread on the article paragraphs and the
  comments together, so words common to the whole thread weigh less;
- ``score = ENTITY_WEIGHT * entity_overlap + LEMMA_WEIGHT * lemma_similarity`` (0.5 each: shared
  actors and shared vocabulary are equally good evidence), in [0, 1].

The comment anchors to the paragraph with the highest score (ties: the earlier paragraph); the row
carries that paragraph's overlap, similarity and shared entities. A comment is **off-article** when
its best score is below :data:`OFF_ARTICLE_THRESHOLD` (0.10): for example one shared entity out of
five on either side (Jaccard 0.2, half-weighted: 0.10) with no shared vocabulary just reaches it; a
comment sharing nothing with any paragraph scores 0 and has no paragraph. The threshold is a
documented heuristic, not calibrated against human judgments; pass ``threshold=`` to change it.
Comments without lemmas or entities (e.g. "lol") score 0 and are off-article. When the article has
no paragraph with text, nothing can be scored: score, overlap and similarity are NaN and
``is_off_article`` is missing.

``off_article_drivers`` lists the canonical entities named in off-article comments: the number and
share of off-article comments naming each, and whether the article mentions it at all, per thread
and, when the input holds several threads, pooled (``thread_id = schema.POOLED``; ``in_article``
then means "some thread's article mentions it"). :func:`off_article_summary` gives the share of
off-article comments per thread.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.engagement_match import ENTITY_WEIGHT as ENTITY_WEIGHT
from analysis.compare.engagement_match import LEMMA_WEIGHT as LEMMA_WEIGHT
from analysis.compare.engagement_match import engagement_rows
from analysis.compare.scope import ThreadRows, require, scopes, thread_ids, usable_doc_ids

#: Below this combined score a comment is off-article.
OFF_ARTICLE_THRESHOLD = 0.10


def _entity_names(mentions: pd.DataFrame) -> dict[str, str]:
    """Canonical name per entity id (the most frequent; ties: alphabetical).

    One count of every (entity, name) pair, then the best name of each entity in one pass.
    """
    ments = mentions.dropna(subset=[S.ENTITY_ID, S.ENTITY_NAME])
    pairs = ments.groupby(
        [ments[S.ENTITY_ID].astype(str), ments[S.ENTITY_NAME].astype(str)], sort=False
    ).size()
    best: dict[str, tuple[int, str]] = {}
    for (eid, name), n in zip(pairs.index, pairs.tolist(), strict=True):
        if eid not in best or (-n, name) < best[eid]:
            best[eid] = (-n, name)
    return {eid: best[eid][1] for eid in sorted(best)}


def _drivers(
    off: pd.DataFrame,
    mentions: pd.DataFrame,
    keys: list[str],
    names: dict[str, str],
    article: set,
    scope_of: dict,
) -> list[dict]:
    """Driver rows of the scopes whose off-article comments are ``off`` (grouped by ``keys``).

    ``off`` holds the distinct off-article ``keys + [doc_id]``; a mention counts for a scope
    when its ``keys + [doc_id]`` is among them. ``scope_of`` maps a key tuple to the scope name,
    ``article`` holds the ``(*key, entity_id)`` tuples named in that scope's articles.
    """
    n_off = off.groupby(keys, sort=False).size()
    hits = mentions.merge(off, on=[*keys, S.DOC_ID], how="inner")
    counts = hits.groupby([*keys, S.ENTITY_ID], sort=False)[S.DOC_ID].nunique()
    n_of = {k if isinstance(k, tuple) else (k,): n for k, n in n_off.items()}
    rows = []
    for key, n in zip(counts.index, counts.to_numpy(), strict=True):
        *scope_key, eid = key if isinstance(key, tuple) else (key,)
        scope_key = tuple(scope_key)
        rows.append(
            {
                S.THREAD_ID: scope_of[scope_key],
                S.ENTITY_ID: eid,
                S.ENTITY_NAME: names.get(eid, eid),
                "off_article_comment_count": int(n),
                "off_article_comment_share": n / np.int64(n_of[scope_key]),
                "in_article": (*scope_key, eid) in article,
            }
        )
    return rows


_STAGE = "compare.engagement"


def _require_inputs(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    mentions: pd.DataFrame,
) -> None:
    """Raise StageInputError when an input table lacks a column engagement needs."""
    need = {
        "sentences": (
            sentences,
            [S.THREAD_ID, S.DOC_ID, S.SENTENCE_ID, "sentence_index", S.PARAGRAPH_ID, "lemmas"],
        ),
        "documents": (documents, [S.THREAD_ID, S.DOC_ID, S.DOC_KIND, "position", "is_annotated"]),
        "paragraphs": (paragraphs, [S.THREAD_ID, S.DOC_ID, S.PARAGRAPH_ID, "paragraph_index"]),
        "mentions": (
            mentions,
            [S.THREAD_ID, S.DOC_ID, S.DOC_KIND, S.SENTENCE_ID, S.ENTITY_ID, S.ENTITY_NAME],
        ),
    }
    for table, (frame, columns) in need.items():
        require(frame, columns, stage=_STAGE, table=table)


def _engagement_table(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    mentions: pd.DataFrame,
    names: dict[str, str],
    threshold: float,
) -> pd.DataFrame:
    """The ``engagement`` table: every thread's rows, conformed to :data:`schema.ENGAGEMENT`.

    All threads are scored in grouped passes (:func:`.engagement_match.engagement_rows`).
    """
    rows = engagement_rows(
        sentences,
        documents,
        paragraphs,
        mentions,
        threads=thread_ids(documents),
        names=names,
        threshold=threshold,
    )
    return S.ENGAGEMENT.conform(rows) if len(rows) else S.ENGAGEMENT.empty()


def _drivers_table(
    engagement: pd.DataFrame,
    documents: pd.DataFrame,
    mentions: pd.DataFrame,
    names: dict[str, str],
) -> pd.DataFrame:
    """The ``off_article_drivers`` table per thread (and pooled), conformed to its spec.

    Grouped over all threads at once: per thread, the entities named in that thread's
    off-article comments; pooled, those named in any off-article comment (by doc id).
    """
    usable = usable_doc_ids(documents)
    article_ids = set(documents.loc[documents[S.DOC_KIND] == S.ARTICLE, S.DOC_ID].astype(str))
    ments = mentions.loc[
        mentions[S.DOC_ID].astype(str).isin(usable) & mentions[S.ENTITY_ID].notna()
    ]
    ments = pd.DataFrame(
        {
            "_t": ments[S.THREAD_ID].astype(str).to_numpy(object),
            S.DOC_ID: ments[S.DOC_ID].astype(str).to_numpy(object),
            S.ENTITY_ID: ments[S.ENTITY_ID].astype(str).to_numpy(object),
        }
    )
    is_off = engagement["is_off_article"].fillna(False).astype(bool)
    off = pd.DataFrame(
        {
            "_t": engagement.loc[is_off, S.THREAD_ID].astype(str).to_numpy(object),
            S.DOC_ID: engagement.loc[is_off, S.DOC_ID].astype(str).to_numpy(object),
        }
    )
    in_art = ments[S.DOC_ID].isin(article_ids)
    order = scopes(documents)
    threads = [t for t in order if t != S.POOLED]
    rows = _drivers(
        off.drop_duplicates(),
        ments,
        ["_t"],
        names,
        set(zip(ments.loc[in_art, "_t"], ments.loc[in_art, S.ENTITY_ID], strict=True)),
        {(t,): t for t in threads},
    )
    if S.POOLED in order:
        pooled_off = off[[S.DOC_ID]].drop_duplicates().assign(_p=S.POOLED)
        rows += _drivers(
            pooled_off,
            ments.assign(_p=S.POOLED),
            ["_p"],
            names,
            {(S.POOLED, e) for e in ments.loc[in_art, S.ENTITY_ID]},
            {(S.POOLED,): S.POOLED},
        )
    rank = {scope: i for i, scope in enumerate(order)}
    rows = [r for r in rows if r[S.THREAD_ID] in rank]
    rows.sort(
        key=lambda r: (
            rank[r[S.THREAD_ID]],
            -r["off_article_comment_count"],
            r[S.ENTITY_NAME].lower(),
            r[S.ENTITY_ID],
        )
    )
    if not rows:
        return S.OFF_ARTICLE_DRIVERS.empty()
    return S.OFF_ARTICLE_DRIVERS.conform(pd.DataFrame(rows))


def engagement_tables(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    threshold: float = OFF_ARTICLE_THRESHOLD,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Anchor each annotated comment to the article paragraph it engages most, if any.

    Computed per thread (a comment is only compared with its own thread's article);
    ``off_article_drivers`` also has pooled rows (``thread_id = schema.POOLED``) when the input
    holds more than one thread. See the module docstring for the score and the threshold.

    Args:
        sentences: ``sentences`` table (lemmas, paragraph of each sentence).
        documents: ``documents`` table (which documents are annotated).
        paragraphs: ``paragraphs`` table (the article's paragraphs, title included).
        mentions: ``mentions`` table (canonical entity of each mention).
        threshold: combined score below which a comment is off-article, in [0, 1].

    Returns:
        ``(engagement, off_article_drivers)`` conformed to :data:`schema.ENGAGEMENT` (thread_id,
        doc_id, paragraph_id, score, entity_overlap, lemma_similarity, is_off_article,
        shared_entities; one row per annotated comment, by thread and position) and
        :data:`schema.OFF_ARTICLE_DRIVERS` (thread_id, entity_id, entity_name,
        off_article_comment_count, off_article_comment_share, in_article; most frequent first).

    Raises:
        StageInputError: a table lacks a needed column.
        ValueError: ``threshold`` is outside [0, 1].
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold!r}")
    _require_inputs(sentences, documents, paragraphs, mentions)
    names = _entity_names(mentions)
    engagement = _engagement_table(sentences, documents, paragraphs, mentions, names, threshold)
    return engagement, _drivers_table(engagement, documents, mentions, names)


def off_article_summary(engagement: pd.DataFrame) -> pd.DataFrame:
    """Share of off-article comments per thread (and pooled when there are several threads).

    Returns:
        A new frame with columns thread_id, comment_count (rows of ``engagement``), scored_count
        (comments with a score), off_article_count, off_article_share (off_article_count /
        scored_count; NaN when nothing was scored).
    """
    require(engagement, S.ENGAGEMENT, stage="compare.engagement")
    rows = []
    engagement_rows = ThreadRows(engagement)
    for scope in scopes(engagement):
        eng = engagement_rows(scope)
        scored = eng["is_off_article"].dropna()
        off = int(scored.astype(bool).sum())
        rows.append(
            {
                S.THREAD_ID: scope,
                "comment_count": len(eng),
                "scored_count": len(scored),
                "off_article_count": off,
                "off_article_share": off / len(scored) if len(scored) else float("nan"),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            S.THREAD_ID,
            "comment_count",
            "scored_count",
            "off_article_count",
            "off_article_share",
        ],
    )
