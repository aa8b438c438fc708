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
``|z| ≥ 1.96`` marks a term as distinctive of a side (``side``), otherwise ``neither``.

Prior (the choice the paper leaves to the analyst): informative, proportional to the term's share
of the pooled (article + comments) counts of the same scope, ``alpha_w = alpha_0 * y_w / n``, with
the total prior mass scaled to the data: ``alpha_0 = ALPHA0_FRACTION * min(n^a, n^c)`` (half the
smaller side's token count). The prior is then never heavier than the smaller side's own evidence.
An earlier default, ``alpha_0 = n`` (``alpha_w`` = the pooled count, the convention of several
Fightin' Words implementations), gives the short side a prior many times its own size, drawn from
the long side: on a 426-comment thread a lemma used 99 times by commenters and never in the article
got z = 0.39, and no comment-side term on any real thread passed 0.8. ``alpha0=`` overrides.

Why not a general-English background (word frequencies from ``wordfreq``): checked on the five
Fox News dev threads (articles of 24-35 content lemmas), a shared English prior heavy enough to
let any comment term pass 1.96 shrinks the short article almost entirely to general English, so
terms the article itself uses at the comments' rate ("flag": 2 of 35 article lemmas, 5% of the
comments') come out distinctive of the comments; and a word the frequency list lacks (names,
slang, misspellings: what commenters write) gets almost no prior mass and so can never be
distinctive. The pooled prior has neither fault.

What it can and cannot show: ``z`` uses the paper's approximate variance, which is conservative
for a term absent from one side (``var >= 1 / alpha_w``). A term the article never uses needs an
article long enough that its absence is evidence: with ``n^a`` article lemmas and a comment-side
share ``p``, about ``n^a * p >= 5`` expected uses. Against an article of a title and a sentence
(25 lemmas) no comment term can be distinctive, and :func:`comment_side_ceiling` says so
(``compare_notes`` prints it). Null behaviour: comparing two random halves of one thread's
comments puts at most a few tenths of a percent of terms at ``|z| ≥ 1.96`` (tests and
``bench/eval_keyness.py``).

Counts come from the ``lemmas`` column of the sentences of annotated English documents (content
words only: the annotate stage drops stop words, punctuation, numbers and URLs). When one side has
no lemmas at all the counts are reported and delta, variance and z are NaN (nothing to compare).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.scope import ThreadRows, concat_conformed, require, scopes
from analysis.compare.tone import usable_sentences

#: |z| above which a term is reported as distinctive of a side (two-sided 95%).
Z_THRESHOLD = 1.96
SIDE_NEITHER = "neither"
#: Default total prior mass as a fraction of the smaller side's token count.
ALPHA0_FRACTION = 0.5


def default_alpha0(n_article: float, n_comments: float) -> float:
    """``ALPHA0_FRACTION * min(n_article, n_comments)`` (0 when a side is empty)."""
    return ALPHA0_FRACTION * float(min(n_article, n_comments))


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
        alpha0: total prior mass; ``None``: :func:`default_alpha0` (half the smaller side).

    Returns:
        One row per term with a count on either side (sorted by z descending, then term): term,
        article_count, comment_count, alpha, log_odds_ratio, variance, z_score, side. NaN
        statistics when either side has no tokens.
    """
    terms = sorted(
        t
        for t in set(article_counts) | set(comment_counts)
        if article_counts.get(t, 0) + comment_counts.get(t, 0) > 0
    )
    y_a = np.array([article_counts.get(t, 0) for t in terms], dtype="float64")
    y_c = np.array([comment_counts.get(t, 0) for t in terms], dtype="float64")
    n_a, n_c = y_a.sum(), y_c.sum()
    n = n_a + n_c
    a0 = default_alpha0(n_a, n_c) if alpha0 is None else float(alpha0)
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
        z >= Z_THRESHOLD, S.SIDE_COMMENTS, np.where(z <= -Z_THRESHOLD, S.SIDE_ARTICLE, SIDE_NEITHER)
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
        alpha0: total prior mass (see the module docstring); ``None``: half the smaller side's
            token count, per scope.
        pooled: add rows with ``thread_id == schema.POOLED`` when there are several threads.

    Returns:
        :data:`schema.KEYNESS`: thread_id, term, article_count, comment_count, log_odds_ratio,
        variance, z_score, side. Sorted per thread by z (comments-distinctive first), then term.

    Raises:
        StageInputError: an input lacks a column of its spec.
    """
    require(sentences, S.SENTENCES)
    require(documents, S.DOCUMENTS)
    frames = []
    sentence_rows, document_rows = ThreadRows(sentences), ThreadRows(documents)
    for scope in scopes(documents, pooled=pooled):
        sents = usable_sentences(sentence_rows(scope), document_rows(scope))
        art, com = lemma_counts(sents)
        if not art and not com:
            continue
        table = log_odds_dirichlet(art, com, alpha0=alpha0)
        table.insert(0, S.THREAD_ID, scope)
        frames.append(table)
    return concat_conformed(frames, S.KEYNESS)


def comment_side_ceiling(keyness: pd.DataFrame) -> float:
    """The largest z any comment-side term could reach in one scope's keyness rows.

    That is the z of a term holding the most frequent comment lemma's count and absent from the
    article, with the default prior: when it is below :data:`Z_THRESHOLD`, the article is too
    short for any comment term to be distinctive. NaN when a side has no tokens.
    """
    n_a = float(keyness["article_count"].sum())
    n_c = float(keyness["comment_count"].sum())
    if n_a == 0 or n_c == 0:
        return float("nan")
    top = float(keyness["comment_count"].max())
    a0 = default_alpha0(n_a, n_c)
    a_w = a0 * top / (n_a + n_c)
    delta = np.log((top + a_w) / (n_c + a0 - top - a_w)) - np.log(a_w / (n_a + a0 - a_w))
    return float(delta / np.sqrt(1.0 / (top + a_w) + 1.0 / a_w))
