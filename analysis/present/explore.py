"""Small summaries the notebooks and the report share (so no notebook repeats logic).

Every function takes tables from :mod:`analysis.schema` and returns a new DataFrame.
"""

from __future__ import annotations

import pandas as pd

from analysis import schema as S


def corpus_overview(corpus: pd.DataFrame) -> pd.DataFrame:
    """Counts per thread.

    Returns:
        Columns: thread_id, documents, comments, empty_comments, duplicate_comments, replies,
        non_empty_comments, earliest_date, latest_date, has_estimated_dates.
    """
    S.CORPUS.check(corpus, stage="corpus_overview")
    comments = corpus[corpus[S.DOC_KIND] == S.COMMENT]
    rows = []
    for thread_id, docs in corpus.groupby(S.THREAD_ID, sort=True):
        com = comments[comments[S.THREAD_ID] == thread_id]
        dates = com["published_date"].dropna()
        rows.append(
            {
                S.THREAD_ID: thread_id,
                "documents": len(docs),
                "comments": len(com),
                "empty_comments": int(com["is_empty"].sum()),
                "duplicate_comments": int(com["is_duplicate"].sum()),
                "replies": int(com["is_reply"].sum()),
                "non_empty_comments": int((~com["is_empty"]).sum()),
                "earliest_date": dates.min() if len(dates) else pd.NaT,
                "latest_date": dates.max() if len(dates) else pd.NaT,
                "has_estimated_dates": bool(com["is_date_estimated"].any()),
            }
        )
    return pd.DataFrame(rows)


def comment_lengths(corpus: pd.DataFrame) -> pd.DataFrame:
    """Length of non-empty comments in words (whitespace-separated), per thread.

    Returns:
        Columns: thread_id, n, min_words, median_words, mean_words, max_words, total_words.
    """
    S.CORPUS.check(corpus, stage="comment_lengths")
    com = corpus[(corpus[S.DOC_KIND] == S.COMMENT) & ~corpus["is_empty"]]
    words = com[S.TEXT].str.split().str.len().astype("Int64")
    frame = pd.DataFrame({S.THREAD_ID: com[S.THREAD_ID], "words": words})
    out = frame.groupby(S.THREAD_ID, sort=True)["words"].agg(
        n="count",
        min_words="min",
        median_words="median",
        mean_words="mean",
        max_words="max",
        total_words="sum",
    )
    return out.reset_index()


def link_method_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """How mentions were found or linked, per side.

    Returns:
        Columns: link_method, article, comment, total (one row per method in LINK_METHODS).
    """
    S.MENTIONS.check(mentions, stage="link_method_counts")
    table = pd.crosstab(mentions["link_method"], mentions[S.DOC_KIND])
    table = table.reindex(index=list(S.LINK_METHODS), columns=list(S.DOC_KINDS), fill_value=0)
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.rename_axis("link_method").reset_index()


def mentions_of(mentions: pd.DataFrame, entity_name: str) -> pd.DataFrame:
    """Every surface form of one canonical entity and how each was linked.

    Returns:
        Columns: text, link_method, doc_kind, mention_count, link_score_min.
    """
    rows = mentions[mentions[S.ENTITY_NAME] == entity_name]
    out = rows.groupby([S.TEXT, "link_method", S.DOC_KIND], sort=True).agg(
        mention_count=(S.MENTION_ID, "count"), link_score_min=("link_score", "min")
    )
    return out.reset_index().sort_values(
        ["mention_count", S.TEXT], ascending=[False, True], ignore_index=True
    )


def comment_examples(
    corpus: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    n: int = 5,
    most: str = "negative",
    max_chars: int = 280,
) -> pd.DataFrame:
    """The ``n`` most negative (or positive) annotated comments, text clipped to ``max_chars``.

    Shown text is comment text: display it under the thread's content note
    (:func:`analysis.present.provenance.content_note`).

    Returns:
        Columns: doc_id, vader_compound, sentiment_label, text.
    """
    if most not in {"negative", "positive"}:
        raise ValueError("most must be 'negative' or 'positive'")
    docs = documents[(documents[S.DOC_KIND] == S.COMMENT) & documents["is_annotated"]]
    docs = docs.dropna(subset=[S.VADER_COMPOUND])
    docs = docs.sort_values([S.VADER_COMPOUND, S.DOC_ID], ascending=[most == "negative", True])
    picked = docs.head(n)[[S.DOC_ID, S.VADER_COMPOUND, "sentiment_label"]]
    texts = corpus.set_index(S.DOC_ID)[S.TEXT]
    clipped = (
        picked[S.DOC_ID]
        .map(texts)
        .map(lambda t: t if len(t) <= max_chars else t[: max_chars - 1].rstrip() + "…")
    )
    return picked.assign(text=clipped.to_numpy()).reset_index(drop=True)


def not_scored(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents without a sentiment score and why (empty, not English).

    Returns:
        Columns: skip_reason, lang, documents.
    """
    skipped = documents[~documents["is_annotated"]]
    out = skipped.groupby(["skip_reason", S.LANG], dropna=False, sort=True).size()
    return out.rename("documents").reset_index()


def _clipped(doc_ids: pd.Series, corpus: pd.DataFrame, max_chars: int) -> pd.Series:
    texts = corpus.drop_duplicates(S.DOC_ID).set_index(S.DOC_ID)[S.TEXT]
    return (
        doc_ids.map(texts)
        .fillna("")
        .astype(str)
        .map(lambda t: t if len(t) <= max_chars else t[: max_chars - 1].rstrip() + "…")
    )


def conversation_notes(summary: pd.DataFrame) -> pd.DataFrame:
    """What the data lack or got wrong (no replies, likes or dates; orphans; cycles), per thread.

    Returns:
        Columns: thread_id, note (no rows when nothing is missing).
    """
    from analysis.present.report_conversation import data_notes

    rows = [
        {S.THREAD_ID: str(r.thread_id), "note": note}
        for r in summary.itertuples(index=False)
        for note in data_notes(r)
    ]
    return pd.DataFrame(rows, columns=[S.THREAD_ID, "note"])


def most_liked_examples(
    most_liked: pd.DataFrame, corpus: pd.DataFrame, *, max_chars: int = 280
) -> pd.DataFrame:
    """The ``most_liked`` table with each comment's text, clipped to ``max_chars``.

    Shown text is comment text: display it under the thread's content note.

    Returns:
        Columns: thread_id, sentiment_label, rank, doc_id, like_count, vader_compound, text.
    """
    cols = [S.THREAD_ID, "sentiment_label", "rank", S.DOC_ID, "like_count", S.VADER_COMPOUND]
    picked = most_liked.sort_values([S.THREAD_ID, "sentiment_label", "rank"])[cols]
    text = _clipped(picked[S.DOC_ID], corpus, max_chars)
    return picked.assign(text=text.to_numpy()).reset_index(drop=True)


def hostile_examples(
    hostility: pd.DataFrame, corpus: pd.DataFrame, *, n: int = 5, max_chars: int = 280
) -> pd.DataFrame:
    """The ``n`` comments with the highest hostility score above 0, with the cues they matched.

    Shown text is comment text (and matched cues may be slurs): display it under the thread's
    content note.

    Returns:
        Columns: doc_id, hostility_score, is_hostile, matched_terms, text.
    """
    h = hostility[(hostility[S.DOC_KIND] == S.COMMENT) & (hostility["hostility_score"] > 0)]
    h = h.sort_values(["hostility_score", S.DOC_ID], ascending=[False, True]).head(n)
    picked = h[[S.DOC_ID, "hostility_score", "is_hostile", "matched_terms"]]
    text = _clipped(picked[S.DOC_ID], corpus, max_chars)
    return picked.assign(text=text.to_numpy()).reset_index(drop=True)
