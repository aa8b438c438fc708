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
from analysis.compare.scope import ThreadRows, require, scopes, thread_ids, usable_doc_ids

#: Weights of the two evidence kinds in the combined score (they sum to 1).
ENTITY_WEIGHT = 0.5
LEMMA_WEIGHT = 0.5
#: Below this combined score a comment is off-article.
OFF_ARTICLE_THRESHOLD = 0.10


def _lemma_texts(frame: pd.DataFrame, key: str) -> dict[str, str]:
    """The non-blank ``lemmas`` of ``frame``'s rows joined per ``key`` (rows in order).

    One pass in Python: a pandas aggregation per group costs more than the join on the small
    groups of a thread.
    """
    parts: dict[str, list[str]] = {}
    for k, v in zip(frame[key].tolist(), frame["lemmas"].tolist(), strict=True):
        if pd.isna(k):
            continue
        texts = parts.setdefault(k, [])
        if not pd.isna(v) and str(v).strip():
            texts.append(str(v))
    return {k: " ".join(texts) for k, texts in parts.items()}


def _cosine_matrix(comment_texts: list[str], paragraph_texts: list[str]) -> np.ndarray:
    """TF-IDF cosine of each comment with each paragraph (zeros when there is no vocabulary)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    shape = (len(comment_texts), len(paragraph_texts))
    if not any(comment_texts) or not any(paragraph_texts):
        return np.zeros(shape)
    vectorizer = TfidfVectorizer(analyzer=str.split)
    matrix = vectorizer.fit_transform(paragraph_texts + comment_texts)
    paras = matrix[: len(paragraph_texts)]
    comments = matrix[len(paragraph_texts) :]
    return np.clip((comments @ paras.T).toarray(), 0.0, 1.0)


def _jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _thread_frames(
    sentences: pd.DataFrame, documents: pd.DataFrame, mentions: pd.DataFrame
) -> tuple[set[str], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One thread's usable rows: article ids, comments by position, sentences, linked mentions."""
    usable = usable_doc_ids(documents)
    docs = documents.loc[documents[S.DOC_ID].astype(str).isin(usable)]
    article_ids = set(docs.loc[docs[S.DOC_KIND] == S.ARTICLE, S.DOC_ID].astype(str))
    comments = docs.loc[docs[S.DOC_KIND] == S.COMMENT].sort_values(
        ["position", S.DOC_ID], kind="stable"
    )
    sents = sentences.loc[sentences[S.DOC_ID].astype(str).isin(usable)].sort_values(
        [S.DOC_ID, "sentence_index"], kind="stable"
    )
    ments = mentions.loc[
        mentions[S.ENTITY_ID].notna() & mentions[S.DOC_ID].astype(str).isin(usable)
    ]
    return article_ids, comments, sents, ments


def _paragraph_evidence(
    paragraphs: pd.DataFrame, sents: pd.DataFrame, ments: pd.DataFrame, article_ids: set[str]
) -> tuple[list[str], list[str], dict[str, set[str]]]:
    """Article paragraphs in order, the lemma text of each and the entities named in each.

    A sentence whose paragraph is missing from the paragraphs table adds that paragraph at the
    end; an article mention belongs to the paragraph of its sentence.
    """
    paras = paragraphs.loc[paragraphs[S.DOC_ID].astype(str).isin(article_ids)].sort_values(
        [S.DOC_ID, "paragraph_index"], kind="stable"
    )
    para_ids = [str(p) for p in paras[S.PARAGRAPH_ID]]
    article_sents = sents.loc[sents[S.DOC_ID].astype(str).isin(article_ids)]
    for pid in article_sents[S.PARAGRAPH_ID].dropna().astype(str).unique():
        if pid not in para_ids:  # a sentence's paragraph missing from the paragraphs table
            para_ids.append(pid)
    para_text = _lemma_texts(article_sents, S.PARAGRAPH_ID)
    paragraph_texts = [para_text.get(pid, "") for pid in para_ids]
    paragraph_of_sentence = dict(
        zip(
            article_sents[S.SENTENCE_ID].astype(str),
            article_sents[S.PARAGRAPH_ID].astype("string"),
            strict=True,
        )
    )
    para_entities: dict[str, set[str]] = {pid: set() for pid in para_ids}
    art = ments.loc[ments[S.DOC_ID].astype(str).isin(article_ids)]
    for sid, eid in zip(
        art[S.SENTENCE_ID].astype("string"), art[S.ENTITY_ID].astype(str), strict=True
    ):
        pid = paragraph_of_sentence.get(str(sid)) if pd.notna(sid) else None
        if pid is not None and pd.notna(pid):
            para_entities.setdefault(str(pid), set()).add(eid)
    return para_ids, paragraph_texts, para_entities


def _comment_evidence(
    comments: pd.DataFrame, sents: pd.DataFrame, ments: pd.DataFrame
) -> tuple[list[str], list[str], dict[str, set[str]]]:
    """Comment ids by position, the lemma text of each and the entities each names."""
    comment_ids = [str(d) for d in comments[S.DOC_ID]]
    comment_text = _lemma_texts(sents, S.DOC_ID)
    comment_texts = [comment_text.get(cid, "") for cid in comment_ids]
    comment_entities: dict[str, set[str]] = {cid: set() for cid in comment_ids}
    com = ments.loc[ments[S.DOC_ID].astype(str).isin(comment_entities)]
    for did, eid in zip(com[S.DOC_ID].astype(str), com[S.ENTITY_ID].astype(str), strict=True):
        comment_entities[did].add(eid)
    return comment_ids, comment_texts, comment_entities


def _unscored_rows(thread_id: str, comment_ids: list[str]) -> list[dict]:
    """Rows for a thread whose article has no scorable paragraph: NaN scores, no verdict."""
    return [
        {
            S.THREAD_ID: thread_id,
            S.DOC_ID: cid,
            S.PARAGRAPH_ID: pd.NA,
            "score": float("nan"),
            "entity_overlap": float("nan"),
            "lemma_similarity": float("nan"),
            "is_off_article": pd.NA,
            "shared_entities": pd.NA,
        }
        for cid in comment_ids
    ]


def _anchor_row(
    thread_id: str,
    cid: str,
    ents: set[str],
    cosine_row: np.ndarray,
    para_ids: list[str],
    para_entities: dict[str, set[str]],
    names: dict[str, str],
    threshold: float,
) -> dict:
    """One comment's row: its best paragraph (ties: the earlier), score and shared entities."""
    overlaps = np.array([_jaccard(ents, para_entities.get(pid, set())) for pid in para_ids])
    scores = ENTITY_WEIGHT * overlaps + LEMMA_WEIGHT * cosine_row
    best = int(np.argmax(scores))  # first maximum: ties go to the earlier paragraph
    score = float(scores[best])
    anchored = score > 0
    shared = sorted(
        (names.get(e, e) for e in ents & para_entities.get(para_ids[best], set())),
        key=lambda n: (n.lower(), n),
    )
    return {
        S.THREAD_ID: thread_id,
        S.DOC_ID: cid,
        S.PARAGRAPH_ID: para_ids[best] if anchored else pd.NA,
        "score": score,
        "entity_overlap": float(overlaps[best]) if anchored else 0.0,
        "lemma_similarity": float(cosine_row[best]) if anchored else 0.0,
        "is_off_article": score < threshold,
        "shared_entities": " | ".join(shared) if shared else pd.NA,
    }


def _thread_engagement(
    thread_id: str,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    mentions: pd.DataFrame,
    names: dict[str, str],
    threshold: float,
) -> list[dict]:
    """Engagement rows of one thread's comments (see the module docstring for the score)."""
    article_ids, comments, sents, ments = _thread_frames(sentences, documents, mentions)
    if comments.empty:
        return []
    para_ids, paragraph_texts, para_entities = _paragraph_evidence(
        paragraphs, sents, ments, article_ids
    )
    comment_ids, comment_texts, comment_entities = _comment_evidence(comments, sents, ments)
    scorable = [
        i for i, text in enumerate(paragraph_texts) if text or para_entities.get(para_ids[i])
    ]
    if not scorable:
        return _unscored_rows(thread_id, comment_ids)
    para_ids = [para_ids[i] for i in scorable]
    paragraph_texts = [paragraph_texts[i] for i in scorable]
    cosine = _cosine_matrix(comment_texts, paragraph_texts)
    return [
        _anchor_row(
            thread_id,
            cid,
            comment_entities[cid],
            cosine[ci],
            para_ids,
            para_entities,
            names,
            threshold,
        )
        for ci, cid in enumerate(comment_ids)
    ]


def _by_thread(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rows of ``df`` per thread id (one pass, not one filter per thread)."""
    if df.empty:
        return {}
    return {str(tid): grp for tid, grp in df.groupby(S.THREAD_ID, sort=False, dropna=True)}


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
    """The ``engagement`` table: every thread's rows, conformed to :data:`schema.ENGAGEMENT`."""
    tables = (sentences, documents, paragraphs, mentions)
    by_thread = [_by_thread(df) for df in tables]
    eng_rows: list[dict] = []
    for tid in thread_ids(documents):
        parts = [
            groups.get(tid, df.iloc[0:0]) for groups, df in zip(by_thread, tables, strict=True)
        ]
        eng_rows += _thread_engagement(tid, *parts, names, threshold)
    return S.ENGAGEMENT.conform(pd.DataFrame(eng_rows)) if eng_rows else S.ENGAGEMENT.empty()


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
