"""Tone: toward each actor, and overall, article against comments.

Method
------
Sentiment is VADER's compound score (Hutto and Gilbert 2014), computed by the annotate stage per
sentence and per whole document. VADER's compound saturates towards +-1 on long texts, so a long
article and a short comment are not compared as wholes; instead the comparison units are

- ``article_sentence``: each sentence of the article;
- ``comment_sentence``: each sentence of a comment;
- ``comment``: each whole comment (comments are short, so the whole-text score is meaningful).

Only annotated English documents count; units whose compound is missing (NaN) are left out and
counted (``tone_summary.excluded_count``). A unit is negative at compound <= -0.05, positive at
>= 0.05 and neutral in between (VADER's conventional thresholds, ``config.VADER_*_THRESHOLD``).

``tone_shares`` gives the negative/neutral/positive share of each unit kind with a seeded percentile
bootstrap 95% interval (Efron and Tibshirani 1993, ch. 13; :mod:`analysis.compare.stats`);
``tone_summary`` gives n, mean (with a bootstrap interval), median and quartiles.

Tone toward an actor (``actor_tone``) is the mean compound of the distinct sentences holding at
least one mention of the canonical entity, per side: the sentence-level proxy for entity-targeted
sentiment used in news-analysis work (a sentence mentioning two actors counts for both; VADER does
not attribute sentiment to targets). Each sentence counts once however often it names the actor.
With fewer than :data:`MIN_SENTENCES` sentences on a side the mean is still reported but flagged
``is_too_few`` ("too few to say"), its interval is left NaN and no comparison is drawn from it.

Every interval uses a seed derived from the run's seed and the row's key (thread, entity, side,
unit, label), so results are reproducible with the seed and change with another one.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.scope import ThreadRows, concat_conformed, require, scopes, usable_doc_ids
from analysis.compare.stats import bootstrap_mean_ci, bootstrap_share_ci, derive_seed

#: Minimum distinct sentences on a side before tone toward an actor is compared (below it the row
#: is flagged ``is_too_few``: "too few to say"). Five is a floor, not a power calculation: with
#: fewer sentences a bootstrap interval of a mean in [-1, 1] is too wide to say anything.
MIN_SENTENCES = 5

UNIT_ARTICLE_SENTENCE = "article_sentence"
UNIT_COMMENT_SENTENCE = "comment_sentence"
UNIT_COMMENT = "comment"
UNITS = (UNIT_ARTICLE_SENTENCE, UNIT_COMMENT_SENTENCE, UNIT_COMMENT)

SIDE_OF_KIND = {S.ARTICLE: S.SIDE_ARTICLE, S.COMMENT: S.SIDE_COMMENTS}


# --------------------------------------------------------------------------------------- helpers


def usable_sentences(sentences: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Sentences of annotated English documents (a new frame; NaN compounds kept)."""
    keep = sentences[S.DOC_ID].astype(str).isin(usable_doc_ids(documents))
    return sentences.loc[keep].copy()


def label_of(compound: pd.Series) -> pd.Series:
    """negative | neutral | positive from the compound at VADER's +-0.05 (NaN stays missing)."""
    out = pd.Series(pd.NA, index=compound.index, dtype="string")
    out[compound >= config.VADER_POSITIVE_THRESHOLD] = "positive"
    out[compound <= config.VADER_NEGATIVE_THRESHOLD] = "negative"
    mid = (compound > config.VADER_NEGATIVE_THRESHOLD) & (
        compound < config.VADER_POSITIVE_THRESHOLD
    )
    out[mid] = "neutral"
    return out


def most_frequent(frame: pd.DataFrame, key: str, column: str) -> pd.Series:
    """The most frequent non-missing ``column`` value per ``key`` (ties: alphabetical first)."""
    sub = frame[[key, column]].dropna()
    if sub.empty:
        return pd.Series(dtype="string")
    # Counted in Python (one pass): per-thread calls on small frames would otherwise be
    # dominated by pandas' per-operation overhead. Same order as sorting the pairs.
    counts = Counter(zip(sub[key].tolist(), sub[column].tolist(), strict=True))
    best: dict = {}
    for (k, value), n in sorted(counts.items()):
        if k not in best or n > best[k][0]:
            best[k] = (n, value)
    keys = sorted(best)
    index = pd.Index(keys, dtype=sub[key].dtype, name=key)
    return pd.Series([best[k][1] for k in keys], index=index, dtype=sub[column].dtype, name=column)


# ------------------------------------------------------------------------------------ units


def tone_units(sentences: pd.DataFrame, documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The three comparison units of one scope, each with ``unit_id`` and ``compound`` columns.

    Only annotated English documents are used; rows with a NaN compound are kept here (the callers
    exclude and count them).
    """
    sents = usable_sentences(sentences, documents)
    docs = documents.loc[documents[S.DOC_ID].astype(str).isin(usable_doc_ids(documents))]

    def frame(ids: pd.Series, values: pd.Series) -> pd.DataFrame:
        return pd.DataFrame(
            {"unit_id": ids.astype(str).to_numpy(), "compound": values.astype("float64").to_numpy()}
        )

    art = sents[S.DOC_KIND] == S.ARTICLE
    com = sents[S.DOC_KIND] == S.COMMENT
    comments = docs[docs[S.DOC_KIND] == S.COMMENT]
    return {
        UNIT_ARTICLE_SENTENCE: frame(
            sents.loc[art, S.SENTENCE_ID], sents.loc[art, "vader_compound"]
        ),
        UNIT_COMMENT_SENTENCE: frame(
            sents.loc[com, S.SENTENCE_ID], sents.loc[com, "vader_compound"]
        ),
        UNIT_COMMENT: frame(comments[S.DOC_ID], comments["vader_compound"]),
    }


def _excluded_counts(sentences: pd.DataFrame, documents: pd.DataFrame) -> dict[str, int]:
    """Units of each kind present in the input but left out (not annotated, not English, NaN)."""
    usable = usable_doc_ids(documents)
    sent_ok = sentences[S.DOC_ID].astype(str).isin(usable) & sentences["vader_compound"].notna()
    comments = documents[documents[S.DOC_KIND] == S.COMMENT]
    com_ok = comments[S.DOC_ID].astype(str).isin(usable) & comments["vader_compound"].notna()
    return {
        UNIT_ARTICLE_SENTENCE: int(((sentences[S.DOC_KIND] == S.ARTICLE) & ~sent_ok).sum()),
        UNIT_COMMENT_SENTENCE: int(((sentences[S.DOC_KIND] == S.COMMENT) & ~sent_ok).sum()),
        UNIT_COMMENT: int((~com_ok).sum()),
    }


# ------------------------------------------------------------------------------ overall tone


def _tone_one(
    sentences: pd.DataFrame, documents: pd.DataFrame, *, thread_id: str, seed: int | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    units = tone_units(sentences, documents)
    excluded = _excluded_counts(sentences, documents)
    share_rows, summary_rows = [], []
    for unit, frame in units.items():
        values = frame["compound"].dropna().to_numpy(dtype="float64")
        n = int(values.size)
        labels = label_of(pd.Series(values, dtype="float64"))
        for label in S.SENTIMENT_LABELS:
            flags = (labels == label).to_numpy(dtype=bool)
            count = int(flags.sum())
            low, high = bootstrap_share_ci(flags, seed=derive_seed(seed, thread_id, unit, label))
            share_rows.append(
                {
                    S.THREAD_ID: thread_id,
                    "unit": unit,
                    "sentiment_label": label,
                    "count": count,
                    "n": n,
                    "share": count / n if n else float("nan"),
                    "ci_low": low,
                    "ci_high": high,
                }
            )
        low, high = bootstrap_mean_ci(values, seed=derive_seed(seed, thread_id, unit, "mean"))
        q1, med, q3 = np.quantile(values, [0.25, 0.5, 0.75]) if n else [float("nan")] * 3
        summary_rows.append(
            {
                S.THREAD_ID: thread_id,
                "unit": unit,
                "n": n,
                "excluded_count": excluded[unit],
                "compound_mean": float(values.mean()) if n else float("nan"),
                "ci_low": low,
                "ci_high": high,
                "compound_median": float(med),
                "compound_q1": float(q1),
                "compound_q3": float(q3),
            }
        )
    return pd.DataFrame(share_rows), pd.DataFrame(summary_rows)


def tone_tables(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    seed: int | None = config.SEED,
    pooled: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Overall tone of article sentences, comment sentences and whole comments.

    Args:
        sentences: the ``sentences`` table (one or several threads).
        documents: the ``documents`` table.
        seed: bootstrap seed (``None``: fresh randomness).
        pooled: add rows with ``thread_id == schema.POOLED`` when there are several threads.

    Returns:
        ``(tone_shares, tone_summary)``. tone_shares (:data:`schema.TONE_SHARES`): thread_id, unit,
        sentiment_label, count, n, share, ci_low, ci_high; three rows per unit even when the unit
        is absent (n = 0, share NaN). tone_summary (:data:`schema.TONE_SUMMARY`): thread_id, unit,
        n, excluded_count, compound_mean, ci_low, ci_high, compound_median, compound_q1,
        compound_q3. Intervals are NaN with fewer than two units.

    Raises:
        StageInputError: an input lacks a column of its spec.
    """
    require(sentences, S.SENTENCES)
    require(documents, S.DOCUMENTS)
    shares, summaries = [], []
    sentence_rows, document_rows = ThreadRows(sentences), ThreadRows(documents)
    for scope in scopes(documents, pooled=pooled):
        sh, su = _tone_one(sentence_rows(scope), document_rows(scope), thread_id=scope, seed=seed)
        shares.append(sh)
        summaries.append(su)
    return concat_conformed(shares, S.TONE_SHARES), concat_conformed(summaries, S.TONE_SUMMARY)


# ------------------------------------------------------------------------------ actor tone


def _actor_one(
    mentions: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    thread_id: str,
    seed: int | None,
    min_sentences: int,
) -> pd.DataFrame:
    usable = usable_doc_ids(documents)
    ments = mentions.loc[mentions[S.DOC_ID].astype(str).isin(usable)]
    ments = ments[ments[S.DOC_KIND].isin(S.DOC_KINDS)]
    if ments.empty:
        return S.ACTOR_TONE.empty()
    names = most_frequent(ments, S.ENTITY_ID, S.ENTITY_NAME).to_dict()
    keys = [S.ENTITY_ID, S.DOC_KIND]
    mention_counts = ments.groupby(keys).size().to_dict()
    # One value per distinct sentence: a sentence naming the actor twice counts once.
    sentences = ments.drop_duplicates([*keys, S.SENTENCE_ID]).dropna(subset=["sentence_compound"])
    values_of = {
        (str(e), str(k)): grp.to_numpy(dtype="float64")
        for (e, k), grp in sentences.groupby(keys, sort=True)["sentence_compound"]
    }
    empty = np.array([], dtype="float64")
    rows = []
    for entity_id in sorted(names):
        for kind in S.DOC_KINDS:
            side = SIDE_OF_KIND[kind]
            values = values_of.get((entity_id, kind), empty)
            n = int(values.size)
            too_few = n < min_sentences
            if too_few:
                low, high = float("nan"), float("nan")
            else:
                low, high = bootstrap_mean_ci(
                    values, seed=derive_seed(seed, thread_id, entity_id, side)
                )
            rows.append(
                {
                    S.THREAD_ID: thread_id,
                    S.ENTITY_ID: entity_id,
                    S.ENTITY_NAME: names[entity_id],
                    S.SIDE: side,
                    "mention_count": int(mention_counts.get((entity_id, kind), 0)),
                    "sentence_count": n,
                    "compound_mean": float(values.mean()) if n else float("nan"),
                    "ci_low": low,
                    "ci_high": high,
                    "is_too_few": too_few,
                }
            )
    return pd.DataFrame(rows)


def actor_tone_table(
    mentions: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    seed: int | None = config.SEED,
    min_sentences: int = MIN_SENTENCES,
    pooled: bool = True,
) -> pd.DataFrame:
    """Tone toward each canonical entity, per side (see the module docstring for the method).

    Args:
        mentions: the ``mentions`` table (``sentence_compound`` is the sentence's VADER compound).
        documents: the ``documents`` table (only annotated English documents count).
        seed: bootstrap seed (``None``: fresh randomness).
        min_sentences: below this many distinct sentences a row is ``is_too_few``.
        pooled: add rows with ``thread_id == schema.POOLED`` when there are several threads.

    Returns:
        :data:`schema.ACTOR_TONE`: thread_id, entity_id, entity_name, side, mention_count,
        sentence_count, compound_mean, ci_low, ci_high, is_too_few. One row per entity and side
        (both sides, also when a side never mentions the entity: counts 0, mean NaN). The mean is
        reported even when ``is_too_few``; the interval is then NaN.

    Raises:
        StageInputError: an input lacks a column of its spec.
    """
    require(mentions, S.MENTIONS)
    require(documents, S.DOCUMENTS)
    mention_rows, document_rows = ThreadRows(mentions), ThreadRows(documents)
    frames = [
        _actor_one(
            mention_rows(scope),
            document_rows(scope),
            thread_id=scope,
            seed=seed,
            min_sentences=min_sentences,
        )
        for scope in scopes(documents, pooled=pooled)
    ]
    return concat_conformed(frames, S.ACTOR_TONE)
