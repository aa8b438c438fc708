"""Agenda: whom the article talks about and whom the commenters talk about.

Method
------
Agenda-setting research compares the salience of objects (here: actors, places, groups) in the
news with their salience in the audience (McCombs and Shaw 1972); salience is measured, as in
content-analytic work, by mention frequency. The unit is the canonical entity of the annotate
stage (the ``mentions`` table's ``entity_id``), so "Mr Biden", "Biden" and "Joe Biden" count as one.

Per entity and thread:

- ``article_mention_share`` / ``comment_mention_share``: its mentions over all entity mentions on
  that side (each side's shares sum to 1 when the side has any mention);
- ``mention_share_diff``: comment share minus article share (positive: the commenters give the
  actor more of their attention than the article does);
- ``article_doc_share``: share of the article's paragraphs (title included, as the title is part
  of what the article says) holding at least one mention; a mention belongs to the paragraph of its
  sentence, or, when that is missing, to the paragraph whose character span holds its offset;
- ``comment_doc_share``: share of annotated comments mentioning it;
- ``presence``: ``both``, ``article_only`` or ``comments_only``.

Only annotated English documents count. A share is NaN when its denominator is zero (no article
mentions, no annotated comments), never 0: "nothing to divide" is not "not mentioned".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.scope import ThreadRows, concat_conformed, require, scopes, usable_doc_ids
from analysis.compare.tone import most_frequent


def _mention_paragraphs(
    mentions: pd.DataFrame, sentences: pd.DataFrame, paragraphs: pd.DataFrame
) -> pd.Series:
    """paragraph_id of each mention (index aligned with ``mentions``)."""
    by_sentence = sentences.drop_duplicates(S.SENTENCE_ID).set_index(S.SENTENCE_ID)[S.PARAGRAPH_ID]
    para = mentions[S.SENTENCE_ID].map(by_sentence).astype("string")
    missing = para.isna()
    if missing.any() and not paragraphs.empty:
        for idx in mentions.index[missing]:
            doc_id, start = mentions.loc[idx, S.DOC_ID], mentions.loc[idx, S.START_CHAR]
            if pd.isna(start):
                continue
            hit = paragraphs[
                (paragraphs[S.DOC_ID] == doc_id)
                & (paragraphs[S.START_CHAR] <= start)
                & (paragraphs[S.END_CHAR] > start)
            ]
            if not hit.empty:
                para.loc[idx] = hit[S.PARAGRAPH_ID].iloc[0]
    return para


def _article_paragraph_ids(
    sentences: pd.DataFrame, paragraphs: pd.DataFrame, article_ids: set[str]
) -> set[str]:
    ids = set(
        paragraphs.loc[paragraphs[S.DOC_ID].astype(str).isin(article_ids), S.PARAGRAPH_ID]
        .dropna()
        .astype(str)
    )
    from_sentences = sentences.loc[
        sentences[S.DOC_ID].astype(str).isin(article_ids), S.PARAGRAPH_ID
    ]
    return ids | set(from_sentences.dropna().astype(str))


def _labels(mentions: pd.DataFrame, entities: pd.DataFrame | None) -> dict[str, str]:
    out = most_frequent(mentions, S.ENTITY_ID, S.LABEL).to_dict()
    if entities is not None and not entities.empty:
        known = entities.dropna(subset=[S.LABEL]).drop_duplicates(S.ENTITY_ID)
        out.update(
            dict(zip(known[S.ENTITY_ID].astype(str), known[S.LABEL].astype(str), strict=True))
        )
    return out


def _agenda_one(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    entities: pd.DataFrame | None,
    *,
    thread_id: str,
) -> pd.DataFrame:
    usable = usable_doc_ids(documents)
    ments = mentions.loc[mentions[S.DOC_ID].astype(str).isin(usable)].copy()
    if ments.empty:
        return S.AGENDA.empty()
    ments["_paragraph"] = _mention_paragraphs(ments, sentences, paragraphs)
    docs = documents.loc[documents[S.DOC_ID].astype(str).isin(usable)]
    article_ids = set(docs.loc[docs[S.DOC_KIND] == S.ARTICLE, S.DOC_ID].astype(str))
    n_comments = int((docs[S.DOC_KIND] == S.COMMENT).sum())
    n_paragraphs = len(_article_paragraph_ids(sentences, paragraphs, article_ids))
    is_art = (ments[S.DOC_KIND] == S.ARTICLE).to_numpy(dtype=bool)
    is_com = (ments[S.DOC_KIND] == S.COMMENT).to_numpy(dtype=bool)
    art, com = ments[is_art], ments[is_com]
    total_art, total_com = len(art), len(com)

    out = pd.DataFrame(index=pd.Index(sorted(ments[S.ENTITY_ID].astype(str).unique())))
    counts_art = art.groupby(S.ENTITY_ID).size()
    counts_com = com.groupby(S.ENTITY_ID).size()
    out["article_mention_count"] = counts_art.reindex(out.index, fill_value=0).astype("int64")
    out["comment_mention_count"] = counts_com.reindex(out.index, fill_value=0).astype("int64")
    nan = float("nan")
    out["article_mention_share"] = out["article_mention_count"] / total_art if total_art else nan
    out["comment_mention_share"] = out["comment_mention_count"] / total_com if total_com else nan
    out["mention_share_diff"] = out["comment_mention_share"] - out["article_mention_share"]
    paras_per = art.groupby(S.ENTITY_ID)["_paragraph"].nunique()
    docs_per = com.groupby(S.ENTITY_ID)[S.DOC_ID].nunique()
    out["article_doc_share"] = (
        paras_per.reindex(out.index, fill_value=0) / n_paragraphs if n_paragraphs else nan
    )
    out["comment_doc_share"] = (
        docs_per.reindex(out.index, fill_value=0) / n_comments if n_comments else nan
    )
    a, c = out["article_mention_count"] > 0, out["comment_mention_count"] > 0
    out["presence"] = np.where(a & c, "both", np.where(a, "article_only", "comments_only"))
    out[S.ENTITY_NAME] = most_frequent(ments, S.ENTITY_ID, S.ENTITY_NAME).reindex(out.index)
    labels = _labels(ments, entities)
    out[S.LABEL] = [labels.get(e, pd.NA) for e in out.index]
    out[S.THREAD_ID] = thread_id
    out = out.rename_axis(S.ENTITY_ID).reset_index()
    out["_total"] = out["article_mention_count"] + out["comment_mention_count"]
    out = out.sort_values(["_total", S.ENTITY_ID], ascending=[False, True], kind="mergesort")
    return out.drop(columns="_total")


def agenda_table(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    *,
    entities: pd.DataFrame | None = None,
    pooled: bool = True,
) -> pd.DataFrame:
    """Agenda per canonical entity: shares of mentions and documents on each side.

    Args:
        mentions: the ``mentions`` table (one or several threads).
        sentences: the ``sentences`` table (for each mention's paragraph).
        documents: the ``documents`` table (only annotated English documents count).
        paragraphs: the ``paragraphs`` table (the article's paragraphs are the denominator of
            ``article_doc_share``).
        entities: the ``entities`` table, if available (preferred source of each entity's label).
        pooled: add rows with ``thread_id == schema.POOLED`` when there are several threads.

    Returns:
        :data:`schema.AGENDA`: thread_id, entity_id, entity_name, label, article_mention_count,
        comment_mention_count, article_mention_share, comment_mention_share, mention_share_diff,
        article_doc_share, comment_doc_share, presence. Rows sorted by total mentions (descending),
        then entity_id.

    Raises:
        StageInputError: an input lacks a column of its spec.
    """
    for spec, frame in (
        (S.MENTIONS, mentions),
        (S.SENTENCES, sentences),
        (S.DOCUMENTS, documents),
        (S.PARAGRAPHS, paragraphs),
    ):
        require(frame, spec)
    frames = []
    has_entities = entities is not None and not entities.empty
    split = [ThreadRows(f) for f in (mentions, sentences, documents, paragraphs)]
    entity_rows = ThreadRows(entities) if has_entities else None
    for scope in scopes(documents, pooled=pooled):
        ents = None
        if entity_rows is not None:
            ents = entities if scope == S.POOLED else entity_rows(scope)
        frames.append(_agenda_one(*(rows(scope) for rows in split), ents, thread_id=scope))
    return concat_conformed(frames, S.AGENDA)


def presence_lists(agenda: pd.DataFrame, *, thread_id: str) -> dict[str, list[str]]:
    """Entity names per presence value for one thread, most mentioned first.

    Returns:
        ``{"both": [...], "article_only": [...], "comments_only": [...]}``.
    """
    rows = agenda[agenda[S.THREAD_ID] == thread_id]
    out: dict[str, list[str]] = {}
    for value in S.PRESENCE_VALUES:
        sub = rows[rows["presence"] == value]
        total = sub["article_mention_count"].astype("float64") + sub[
            "comment_mention_count"
        ].astype("float64")
        order = np.lexsort((sub[S.ENTITY_ID].astype(str).to_numpy(), -total.to_numpy()))
        out[value] = [str(sub[S.ENTITY_NAME].iloc[i]) for i in order]
    return out
