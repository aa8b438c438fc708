"""Distinctive terms: weighted log-odds ratio with an informative Dirichlet prior.

Method
------
Monroe, Colaresi and Quinn (2008), "Fightin' Words: Lexical Feature Selection and Evaluation for
Identifying the Content of Political Conflict", *Political Analysis* 16(4), sec. 3.5, eqs. 16-22.
For each lemma ``w`` with counts ``y_w^c`` in the comments and ``y_w^a`` in the article (totals
``n^c``, ``n^a``) and a Dirichlet prior ``alpha_w`` (total ``alpha_0``):

    delta_w = log((y_w^c + alpha_w) / (n^c + alpha_0 - y_w^c - alpha_w))
            - log((y_w^a + alpha_w) / (n^a + alpha_0 - y_w^a - alpha_w))       (eq. 16)
    var(delta_w) ~= 1 / (y_w^c + alpha_w) + 1 / (y_w^a + alpha_w)              (eq. 20)
    z_w = delta_w / sqrt(var(delta_w))                                         (eq. 22)

Positive ``delta``/``z``: the term is more typical of the comments; negative: of the article.
``|z| > 1.96`` marks a term as distinctive of a side (``side``), otherwise ``neither``.

Prior (the choice the paper leaves to the analyst): informative, proportional to the term's share
of the pooled (article + comments) counts of the same scope, ``alpha_w = alpha_0 * y_w / n`` with
``alpha_0 = n`` by default, i.e. ``alpha_w`` equals the pooled count ``y_w`` (the convention of the
widely used Fightin' Words implementations). A larger ``alpha_0`` shrinks more towards "no
difference"; it is a keyword option of :func:`keyness_table`.

Counts come from the ``lemmas`` column of the sentences of annotated English documents (content
words only: the annotate stage drops stop words, punctuation, numbers and URLs). When one side has
no lemmas at all the counts are reported and delta, variance and z are NaN (nothing to compare).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.tone import concat_conformed, per_thread, scopes, usable_sentences

#: |z| above which a term is reported as distinctive of a side (two-sided 95%).
Z_THRESHOLD = 1.96
SIDE_NEITHER = "neither"


def lemma_counts(sentences: pd.DataFrame) -> tuple[Counter[str], Counter[str]]:
    """``(article_counts, comment_counts)`` of the space-separated lemmas of ``sentences``."""
    counts = {S.ARTICLE: Counter(), S.COMMENT: Counter()}
    for kind, lemmas in zip(sentences[S.DOC_KIND], sentences["lemmas"], strict=True):
        if kind in counts and isinstance(lemmas, str) and lemmas.strip():
            counts[kind].update(lemmas.split())
    return counts[S.ARTICLE], counts[S.COMMENT]


def log_odds_dirichlet(
    article_counts: Counter[str] | dict[str, int],
    comment_counts: Counter[str] | dict[str, int],
    *,
    alpha0: float | None = None,
) -> pd.DataFrame:
    """Weighted log-odds with an informative Dirichlet prior (Monroe et al. 2008, eqs. 16-22).

    Args:
        article_counts: term -> count in the article.
        comment_counts: term -> count in the comments.
        alpha0: total prior mass; ``None`` uses the pooled token count ``n`` (so ``alpha_w`` is the
            term's pooled count).

    Returns:
        One row per term (sorted by z descending, then term): term, article_count,
        comment_count, alpha, log_odds_ratio, variance, z_score, side. NaN statistics when either
        side has no tokens.
    """
    terms = sorted(set(article_counts) | set(comment_counts))
    y_a = np.array([article_counts.get(t, 0) for t in terms], dtype="float64")
    y_c = np.array([comment_counts.get(t, 0) for t in terms], dtype="float64")
    n_a, n_c = y_a.sum(), y_c.sum()
    n = n_a + n_c
    a0 = float(n) if alpha0 is None else float(alpha0)
    alpha = a0 * (y_a + y_c) / n if n else np.zeros_like(y_a)
    if n_a > 0 and n_c > 0:
        delta = np.log((y_c + alpha) / (n_c + a0 - y_c - alpha)) - np.log(
            (y_a + alpha) / (n_a + a0 - y_a - alpha)
        )
        var = 1.0 / (y_c + alpha) + 1.0 / (y_a + alpha)
        z = delta / np.sqrt(var)
    else:
        delta = var = z = np.full_like(y_a, np.nan)
    side = np.where(
        z > Z_THRESHOLD, S.SIDE_COMMENTS, np.where(z < -Z_THRESHOLD, S.SIDE_ARTICLE, SIDE_NEITHER)
    )
    out = pd.DataFrame(
        {
            "term": pd.Series(terms, dtype="string"),
            "article_count": y_a.astype("int64"),
            "comment_count": y_c.astype("int64"),
            "alpha": alpha,
            "log_odds_ratio": delta,
            "variance": var,
            "z_score": z,
            S.SIDE: side,
        }
    )
    order = np.lexsort((out["term"].to_numpy(dtype=object), -np.nan_to_num(z, nan=0.0)))
    return out.iloc[order].reset_index(drop=True)


def keyness_table(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    alpha0: float | None = None,
    pooled: bool = True,
) -> pd.DataFrame:
    """Distinctive lemmas, article against comments, per thread (and pooled).

    Args:
        sentences: the ``sentences`` table (``lemmas`` column).
        documents: the ``documents`` table (only annotated English documents count).
        alpha0: total prior mass (see the module docstring); ``None``: the pooled token count.
        pooled: add rows with ``thread_id == schema.POOLED`` when there are several threads.

    Returns:
        :data:`schema.KEYNESS`: thread_id, term, article_count, comment_count, log_odds_ratio,
        variance, z_score, side. Sorted per thread by z (comments-distinctive first), then term.

    Raises:
        StageInputError: an input lacks a column of its spec.
    """
    S.SENTENCES.check(sentences, stage="compare")
    S.DOCUMENTS.check(documents, stage="compare")
    frames = []
    for scope in scopes(documents, pooled=pooled):
        sents = usable_sentences(per_thread(sentences, scope), per_thread(documents, scope))
        art, com = lemma_counts(sents)
        if not art and not com:
            continue
        table = log_odds_dirichlet(art, com, alpha0=alpha0)
        table.insert(0, S.THREAD_ID, scope)
        frames.append(table)
    return concat_conformed(frames, S.KEYNESS)
