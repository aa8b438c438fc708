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

import pandas as pd

from analysis import schema as S
from analysis.compare.engagement_match import ENTITY_WEIGHT as ENTITY_WEIGHT
from analysis.compare.engagement_match import LEMMA_WEIGHT as LEMMA_WEIGHT
from analysis.compare.engagement_match import engagement_rows
from analysis.compare.scope import ThreadRows, require, scopes, thread_ids, usable_doc_ids

#: Below this combined score a comment is off-article.
OFF_ARTICLE_THRESHOLD = 0.10


def _entity_names(mentions: pd.DataFrame) -> dict[str, str]:
    """Canonical name per entity id (the most frequent; ties: alphabetical)."""
    ments = mentions.dropna(subset=[S.ENTITY_ID, S.ENTITY_NAME])
    out: dict[str, str] = {}
    for eid, grp in ments.groupby(S.ENTITY_ID, sort=True):
        counts = grp[S.ENTITY_NAME].astype(str).value_counts()
        out[str(eid)] = sorted(counts.index, key=lambda n: (-counts[n], n))[0]
    return out


def _drivers(
    scope: str,
    engagement: pd.DataFrame,
    mentions: pd.DataFrame,
    names: dict[str, str],
    article_entities: set[str],
) -> list[dict]:
    off = engagement.loc[engagement["is_off_article"].fillna(False).astype(bool), S.DOC_ID]
    off_ids = set(off.astype(str))
    if not off_ids:
        return []
    ments = mentions.loc[
        mentions[S.DOC_ID].astype(str).isin(off_ids) & mentions[S.ENTITY_ID].notna()
    ]
    counts = ments.groupby(S.ENTITY_ID)[S.DOC_ID].nunique()
    rows = [
        {
            S.THREAD_ID: scope,
            S.ENTITY_ID: str(eid),
            S.ENTITY_NAME: names.get(str(eid), str(eid)),
            "off_article_comment_count": int(n),
            "off_article_comment_share": n / len(off_ids),
            "in_article": str(eid) in article_entities,
        }
        for eid, n in counts.items()
    ]
    return sorted(
        rows,
        key=lambda r: (-r["off_article_comment_count"], r[S.ENTITY_NAME].lower(), r[S.ENTITY_ID]),
    )


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
    """The ``off_article_drivers`` table per thread (and pooled), conformed to its spec."""
    usable = usable_doc_ids(documents)
    article_ids = set(documents.loc[documents[S.DOC_KIND] == S.ARTICLE, S.DOC_ID].astype(str))
    usable_mentions = mentions.loc[mentions[S.DOC_ID].astype(str).isin(usable)]
    art = usable_mentions.loc[
        usable_mentions[S.DOC_ID].astype(str).isin(article_ids)
        & usable_mentions[S.ENTITY_ID].notna()
    ]
    driver_rows: list[dict] = []
    split = [ThreadRows(frame) for frame in (engagement, usable_mentions, art)]
    for scope in scopes(documents):
        eng, ments, art_scope = (rows(scope) for rows in split)
        driver_rows += _drivers(scope, eng, ments, names, set(art_scope[S.ENTITY_ID].astype(str)))
    return (
        S.OFF_ARTICLE_DRIVERS.conform(pd.DataFrame(driver_rows))
        if driver_rows
        else S.OFF_ARTICLE_DRIVERS.empty()
    )


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
