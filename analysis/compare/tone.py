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

``tone_shares`` gives the negative/neutral/positive share of each unit kind with a Wilson score
95% interval (Wilson 1927; Brown, Cai and DasGupta 2001; :mod:`analysis.compare.stats`);
``tone_summary`` gives n, mean (with a seeded percentile bootstrap 95% interval: Efron and
Tibshirani 1993, ch. 13), median and quartiles.

Tone toward an actor (``actor_tone``) is the mean compound of the distinct sentences holding at
least one mention of the canonical entity, per side: the sentence-level proxy for entity-targeted
sentiment used in news-analysis work (a sentence mentioning two actors counts for both; VADER does
not attribute sentiment to targets). Each sentence counts once however often it names the actor.
With fewer than :data:`MIN_SENTENCES` sentences on a side the mean is still reported but flagged
``is_too_few`` ("too few to say"), its interval is left NaN and no comparison is drawn from it.

Every bootstrap interval (of a mean) uses a seed derived from the run's seed and the row's key
(thread, entity, side, unit), so results are reproducible with the seed and change with another
one; the Wilson intervals of shares are closed form and need no seed.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.scope import (
    Stacked,
    analysed_columns,
    ids_in,
    require,
    stacked_scopes,
    usable_doc_ids,
)
from analysis.compare.stats import (
    bootstrap_mean_cis,
    derive_seed,
    wilson_share_cis,
)

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
    keep = ids_in(sentences[S.DOC_ID], usable_doc_ids(documents))
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
    docs = documents.loc[ids_in(documents[S.DOC_ID], usable_doc_ids(documents))]

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


def _unit_runs(stacked: Stacked, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One unit kind of every scope: ``(values, starts, excluded)``.

    ``values`` are the compounds of the usable rows of ``kind`` with a score, scope after scope
    in table order (``values[starts[k]:starts[k + 1]]`` is scope ``k``'s); ``excluded`` counts,
    per scope, the rows of ``kind`` left out (not usable, or no score).
    """
    frame = stacked.frame
    is_kind = (frame[S.DOC_KIND] == kind).fillna(False).to_numpy(dtype=bool)
    compound = frame["vader_compound"]
    scored = compound.astype("float64").to_numpy()
    ok = stacked.usable & compound.notna().to_numpy(dtype=bool)
    excluded = np.bincount(stacked.code[is_kind & ~ok], minlength=len(stacked.scopes))
    positions, starts = stacked.bounds(is_kind & stacked.usable & ~np.isnan(scored))
    return scored[positions], starts, excluded


def _label_counts(values: np.ndarray) -> dict[str, int]:
    """Units per sentiment label (:func:`label_of`'s thresholds; ``values`` has no NaN)."""
    pos = values >= config.VADER_POSITIVE_THRESHOLD
    neg = values <= config.VADER_NEGATIVE_THRESHOLD
    return {
        "negative": int(neg.sum()),
        "neutral": int((~pos & ~neg).sum()),
        "positive": int(pos.sum()),
    }


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
        seed: seed of the mean's bootstrap (``None``: fresh randomness); the shares' Wilson
            intervals need none.
        pooled: add rows with ``thread_id == schema.POOLED`` when there are several threads.

    Returns:
        ``(tone_shares, tone_summary)``. tone_shares (:data:`schema.TONE_SHARES`): thread_id, unit,
        sentiment_label, count, n, share, ci_low, ci_high; three rows per unit even when the unit
        is absent (n = 0, share NaN). tone_summary (:data:`schema.TONE_SUMMARY`): thread_id, unit,
        n, excluded_count, compound_mean, ci_low, ci_high, compound_median, compound_q1,
        compound_q3. Intervals (Wilson score of the shares, seeded percentile bootstrap of the
        mean) are NaN with fewer than two units.

    Raises:
        StageInputError: an input lacks a column of its spec.
    """
    require(sentences, analysed_columns(S.SENTENCES), table="sentences")
    require(documents, S.DOCUMENTS)
    sents = stacked_scopes(sentences, documents, pooled=pooled)
    runs = {
        UNIT_ARTICLE_SENTENCE: _unit_runs(sents, S.ARTICLE),
        UNIT_COMMENT_SENTENCE: _unit_runs(sents, S.COMMENT),
        UNIT_COMMENT: _unit_runs(stacked_scopes(documents, documents, pooled=pooled), S.COMMENT),
    }
    share_rows, summary_rows, groups, mean_seeds = [], [], [], []
    for k, scope in enumerate(sents.scopes):
        for unit, (values_all, starts, excluded) in runs.items():
            values = values_all[starts[k] : starts[k + 1]]
            n = int(values.size)
            counts = _label_counts(values)
            for label in S.SENTIMENT_LABELS:
                count = counts[label]
                share = count / n if n else float("nan")
                share_rows.append((scope, unit, label, count, n, share))
            q1, med, q3 = np.quantile(values, [0.25, 0.5, 0.75]) if n else [float("nan")] * 3
            mean = float(values.mean()) if n else float("nan")
            summary_rows.append(
                (scope, unit, n, int(excluded[k]), mean, float(med), float(q1), float(q3))
            )
            groups.append(values)
            mean_seeds.append(derive_seed(seed, scope, unit, "mean"))
    if not share_rows:
        return S.TONE_SHARES.empty(), S.TONE_SUMMARY.empty()
    shares = pd.DataFrame(
        share_rows, columns=[S.THREAD_ID, "unit", "sentiment_label", "count", "n", "share"]
    )
    shares["ci_low"], shares["ci_high"] = wilson_share_cis(shares["count"], shares["n"])
    summary = pd.DataFrame(
        summary_rows,
        columns=[
            S.THREAD_ID,
            "unit",
            "n",
            "excluded_count",
            "compound_mean",
            "compound_median",
            "compound_q1",
            "compound_q3",
        ],
    )
    summary["ci_low"], summary["ci_high"] = bootstrap_mean_cis(groups, mean_seeds)
    return S.TONE_SHARES.conform(shares), S.TONE_SUMMARY.conform(summary)


# ------------------------------------------------------------------------------ actor tone


def most_frequent_by(code: np.ndarray, keys: object, values: object) -> dict[tuple, object]:
    """:func:`most_frequent` per scope: ``{(code, key): its most frequent non-missing value}``.

    ``code``, ``keys`` and ``values`` are aligned sequences (the scope code, the key and the
    value of each row). Ties go to the alphabetically first value, as in :func:`most_frequent`;
    rows with a missing key or value are skipped.
    """
    keys = np.asarray(keys, dtype=object)
    values = np.asarray(values, dtype=object)
    keep = ~(pd.isna(keys) | pd.isna(values))
    if not keep.any():
        return {}
    # Counted on integer codes; the codes of keys and values follow their sorted order, so
    # sorting the codes sorts the (code, key, value) triples as the rule needs.
    k_codes, k_uniques = pd.factorize(keys[keep], sort=True)
    v_codes, v_uniques = pd.factorize(values[keep], sort=True)
    n_keys, n_values = len(k_uniques), len(v_uniques)
    group = np.asarray(code)[keep].astype("int64") * n_keys + k_codes
    triples, counts = np.unique(group * n_values + v_codes, return_counts=True)
    group, value = triples // n_values, triples % n_values
    order = np.lexsort((value, -counts, group))  # per group: most frequent, then first value
    first = order[np.r_[True, np.diff(group[order]) != 0]]
    return {
        (int(g // n_keys), k_uniques[g % n_keys]): v_uniques[v]
        for g, v in zip(group[first].tolist(), value[first].tolist(), strict=True)
    }


def _codes_of(values: np.ndarray) -> np.ndarray:
    """Integer codes equal exactly where the values are (missing values: one code of their own)."""
    codes, uniques = pd.factorize(values)
    return np.where(codes < 0, len(uniques), codes).astype("int64")


def _actor_samples(
    stacked: Stacked, positions: np.ndarray
) -> tuple[dict[tuple, object], Counter, dict[tuple, np.ndarray]]:
    """``(names, mention_counts, values)`` of the stacked mention rows at ``positions``.

    Keys are ``(scope code, entity_id)`` for names, ``(scope code, entity_id, doc_kind)`` for
    the rest; ``values`` holds one compound per distinct sentence (its first mention's; a
    sentence naming the actor twice counts once), in table order, NaN compounds left out.
    """
    frame = stacked.frame
    code = stacked.code[positions]
    entity = frame[S.ENTITY_ID].to_numpy(dtype=object)[positions]
    kind = frame[S.DOC_KIND].to_numpy(dtype=object)[positions]
    name = frame[S.ENTITY_NAME].to_numpy(dtype=object)[positions]
    sentence = frame[S.SENTENCE_ID].to_numpy(dtype=object)[positions]
    compound = frame["sentence_compound"].astype("float64").to_numpy()[positions]
    names = most_frequent_by(code, entity, name)
    valid = ~pd.isna(entity)
    code, entity, kind = code[valid], entity[valid], kind[valid]
    sentence, compound = sentence[valid], compound[valid]
    counts = Counter(zip(code.tolist(), entity.tolist(), kind.tolist(), strict=True))
    e_codes, k_codes, s_codes = _codes_of(entity), _codes_of(kind), _codes_of(sentence)
    group = (code * (e_codes.max(initial=0) + 1) + e_codes) * (k_codes.max(initial=0) + 1)
    group = group + k_codes
    _, first = np.unique(group * (s_codes.max(initial=0) + 1) + s_codes, return_index=True)
    first = np.sort(first)
    first = first[~np.isnan(compound[first])]
    order = first[np.argsort(group[first], kind="stable")]
    starts = np.flatnonzero(np.r_[len(order) > 0, np.diff(group[order]) != 0])
    ends = np.r_[starts[1:], len(order)][: len(starts)]
    values = {
        (int(code[order[a]]), str(entity[order[a]]), str(kind[order[a]])): compound[order[a:b]]
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    }
    return names, counts, values


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
    require(mentions, analysed_columns(S.MENTIONS), table="mentions")
    require(documents, S.DOCUMENTS)
    read = [S.THREAD_ID, S.DOC_ID, S.DOC_KIND, S.ENTITY_ID, S.ENTITY_NAME, S.SENTENCE_ID]
    stacked = stacked_scopes(mentions[[*read, "sentence_compound"]], documents, pooled=pooled)
    kinds = stacked.frame[S.DOC_KIND].isin(S.DOC_KINDS).to_numpy(dtype=bool)
    positions, _ = stacked.bounds(stacked.usable & kinds)
    names, counts, values_of = _actor_samples(stacked, positions)
    entities: dict[int, list] = {}
    for c, e in sorted(names):
        entities.setdefault(c, []).append(e)
    rows, groups, seeds = [], [], []
    empty = np.array([], dtype="float64")
    for k, scope in enumerate(stacked.scopes):
        for entity_id in entities.get(k, []):
            for kind in S.DOC_KINDS:
                side = SIDE_OF_KIND[kind]
                values = values_of.get((k, str(entity_id), kind), empty)
                n = int(values.size)
                # the sum and division of ndarray.mean, without its per-call overhead
                mean = float(np.add.reduce(values) / n) if n else float("nan")
                rows.append(
                    (
                        scope,
                        entity_id,
                        names[k, entity_id],
                        side,
                        int(counts.get((k, entity_id, kind), 0)),
                        n,
                        mean,
                        n < min_sentences,
                    )
                )
                if n >= min_sentences:
                    groups.append(values)
                    seeds.append(derive_seed(seed, scope, entity_id, side))
    if not rows:
        return S.ACTOR_TONE.empty()
    out = pd.DataFrame(
        rows,
        columns=[
            S.THREAD_ID,
            S.ENTITY_ID,
            S.ENTITY_NAME,
            S.SIDE,
            "mention_count",
            "sentence_count",
            "compound_mean",
            "is_too_few",
        ],
    )
    low, high = bootstrap_mean_cis(groups, seeds)
    out["ci_low"], out["ci_high"] = float("nan"), float("nan")
    compared = ~out["is_too_few"].to_numpy(dtype=bool)
    out.loc[compared, "ci_low"], out.loc[compared, "ci_high"] = low, high
    return S.ACTOR_TONE.conform(out)
