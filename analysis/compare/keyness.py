"""Distinctive terms: weighted log-odds ratio with an informative Dirichlet prior.

Two references, each row labelled by ``reference``: the comments against the thread's **article**
(lemmas), and the comments against **general English** (words as written, ``wordfreq``
frequencies). The first says what the comments add to this article; the second what commenters
say more than English at large, and is the one that finds anything when the article is a title
and a blurb.

Method
------
Monroe, Colaresi and Quinn (2008), "Fightin' Words: Lexical Feature Selection and Evaluation for
Identifying the Content of Political Conflict", *Political Analysis* 16(4), sec. 3.5, eqs. 16-22.
For each term ``w`` with counts ``y_w^c`` in the comments and ``y_w^r`` in the reference (totals
``n^c``, ``n^r``) and a Dirichlet prior ``alpha_w`` (total ``alpha_0``):

    delta_w = log((y_w^c + alpha_w) / (n^c + alpha_0 - y_w^c - alpha_w))
            - log((y_w^r + alpha_w) / (n^r + alpha_0 - y_w^r - alpha_w))       (eq. 16)
    var(delta_w) ~= 1 / (y_w^c + alpha_w) + 1 / (y_w^r + alpha_w)              (eq. 20)
    z_w = delta_w / sqrt(var(delta_w))                                         (eq. 22)

Positive ``delta``/``z``: the term is more typical of the comments; negative: of the reference.
``|z| ≥ 1.96`` marks a term as distinctive of a side (``side``), otherwise ``neither``.

Prior (the choice the paper leaves to the analyst), the same for both references: informative,
proportional to the term's share of the pooled (reference + comments) counts of the same scope,
``alpha_w = alpha_0 * (y_w^c + y_w^r) / (n^c + n^r)``, with the total prior mass scaled to the
data: ``alpha_0 = ALPHA0_FRACTION * min(n^r, n^c)`` (half the smaller side's token count). The
prior is then never heavier than the smaller side's own evidence. An earlier default,
``alpha_0 = n`` (``alpha_w`` = the pooled count, the convention of several Fightin' Words
implementations), gives the short side a prior many times its own size, drawn from the long side:
on a 426-comment thread a lemma used 99 times by commenters and never in the article got
z = 0.39, and no comment-side term on any real thread passed 0.8. ``alpha0=`` overrides it (for
the article reference only).

Reference 1, the article (``reference == "article"``): ``y^r`` are the article's lemma counts.
A term the article never uses needs an article long enough that its absence is evidence: with
``n^a`` article lemmas and a comment-side share ``p``, about ``n^a * p >= 5`` expected uses.
Against an article of a title and a sentence (25 lemmas, as on the Fox News dev threads) no
comment term can be distinctive, and :func:`comment_side_ceiling` says so (``compare_notes``
prints it). Null behaviour: comparing two random halves of one thread's comments puts at most a
few tenths of a percent of terms at ``|z| ≥ 1.96`` (tests and ``bench/eval_keyness.py``).

Reference 2, general English (``reference == "general_english"``): a reference corpus in the
sense of keyness analysis in corpus linguistics (Rayson and Garside 2000, "Comparing corpora
using frequency profiling"), here English word frequencies from ``wordfreq`` (Speer 2022,
wordfreq v3, Zenodo; the pinned 3.1.1, ``'en'`` "best" list: subtitles, Wikipedia, books,
news, web and social text), compared with the comments through the same eqs. 16-22:

* Units: words as written, lower-cased (``sentences.words``), not lemmas, because ``wordfreq``
  counts word forms: a lemma's English frequency would need every inflection summed, and a
  lemmatiser slip ("media" -> "medium") would be scored against the wrong word. The reference is
  put through the same filter as the comments: each listed form goes through spaCy's English
  tokenizer (so "trump's" adds to "trump" and "gonna" to "gon" and "na", as in the comments),
  and only alphabetic non-stop-word tokens are kept, their frequencies renormalised to shares
  ``q_w`` of general-English content words.
* Reference counts: pseudo-counts ``y_w^r = n^r * q_w`` of a reference corpus of
  ``n^r = REFERENCE_SIZE_RATIO * n^c`` words, as long as the comments. Why not the billions of
  words behind the list: corpus frequencies are not random samples (Kilgarriff 2005, "Language
  is never, ever, ever, random"), and a reference treated as exact makes every difference of
  genre significant on a long thread and a word the list lacks certain to pass; an equally long
  reference asks the two-sample question "would the comments differ from as much general
  English?", and is conservative under the null (the pseudo-counts carry no sampling noise).
* Words ``wordfreq`` does not list (names, slang, misspellings) get the floor ``q_w`` = the
  list's smallest frequency (a word it lacks is at most that common). With the pooled prior such
  a word is neither impossible nor automatic: its prior mass comes from its comment count, and a
  word never seen in English needs about 8 uses to pass 1.96 (``z ~ 0.73 * sqrt(y_w^c)``).
* One-off noise: a word is distinctive of the comments only when it is also used in at least
  :data:`MIN_COMMENTS` distinct comments (``comment_doc_count``; comments, not authors: the
  corpus often has no author ids, so one person's three comments count as three); z is
  reported either way. A word used significantly less than in English is
  ``side == "general_english"``, among the words the comments use at all (a word they never
  use has no row).
* Null behaviour: text sampled from the ``wordfreq`` distribution itself puts well under 5% of
  its words past ``|z| ≥ 1.96`` (tests and ``bench/eval_keyness.py``).

What the English reference cannot show: "more than general English" is against a mix of
genres, so words of online political talk in general ("people", "obama") pass beside the
thread's own subject; it compares word forms, so "women" and "woman" are separate rows; and
``wordfreq`` stores frequencies in steps of 0.01 on the Zipf scale (about 2%), fine at
these sample sizes.

Counts come from the sentences of annotated English documents (content words only: the annotate
stage drops stop words, punctuation, numbers and URLs). When one side has no tokens the counts
are reported and delta, variance and z are NaN (nothing to compare); a scope without comment
words has no general-English rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.keyness_counts import TermTable, scope_term_counts
from analysis.compare.scope import analysed_columns, require

#: |z| above which a term is reported as distinctive of a side (two-sided 95%).
Z_THRESHOLD = 1.96
SIDE_NEITHER = "neither"
#: Default total prior mass as a fraction of the smaller side's token count.
ALPHA0_FRACTION = 0.5
#: Size of the general-English reference corpus as a multiple of the comments' word count.
REFERENCE_SIZE_RATIO = 1.0
#: Distinct comments a word must be used in to be distinctive against general English.
MIN_COMMENTS = 3
#: The report's methods paragraph on keyness (plain words; kept beside the method it describes).
METHODS_NOTE = (
    "Weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi and "
    "Quinn 2008) compare the comments with two references, each labelled. Against the "
    "article, on lemmas: |z| ≥ 1.96 counts as distinctive, and an article of a title and "
    "a few lines is too short for any comment term to pass (the notes give the ceiling). "
    "Against general English, on words as written: English word frequencies from "
    "wordfreq (Speer 2022) act as a reference corpus as long as the comments; a word "
    "counts as used more than in general English at z ≥ 1.96 when at least 3 comments "
    "use it. General English mixes genres, so words of online political talk in general "
    "can pass beside the thread's own subject; names and slang the list lacks need about "
    "8 uses."
)


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
    a0 = default_alpha0(n_a, n_c) if alpha0 is None else float(alpha0)
    alpha, delta, var, z = _dirichlet(y_a, y_c, n_a, n_c, a0)
    side = _article_side(z)
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


def _dirichlet(
    y_a: np.ndarray, y_c: np.ndarray, n_a: Any, n_c: Any, a0: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(alpha, delta, variance, z)`` of eqs. 16-22 for counts ``y_a``, ``y_c`` (float64).

    The totals ``n_a``, ``n_c`` and the prior mass ``a0`` are scalars or arrays on the rows
    (each row its scope's), so one call computes one scope or many with the same operations,
    element for element. NaN statistics on rows whose scope has an empty side.
    """
    n = n_a + n_c
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(n > 0, a0 * (y_a + y_c) / n, 0.0) if y_a.size else np.zeros_like(y_a)
        delta = np.log((y_c + alpha) / (n_c + a0 - y_c - alpha)) - np.log(
            (y_a + alpha) / (n_a + a0 - y_a - alpha)
        )
        var = 1.0 / (y_c + alpha) + 1.0 / (y_a + alpha)
        z = delta / np.sqrt(var)
    both = (n_a > 0) & (n_c > 0)
    return alpha, *(np.where(both, x, np.nan) for x in (delta, var, z))


def keyness_table(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    alpha0: float | None = None,
    pooled: bool = True,
) -> pd.DataFrame:
    """Distinctive terms of the comments, against the article and against general English.

    Args:
        sentences: the ``sentences`` table (``lemmas`` and ``words`` columns).
        documents: the ``documents`` table (only annotated English documents count).
        alpha0: total prior mass of the article comparison (see the module docstring);
            ``None``: half the smaller side's token count, per scope.
        pooled: add rows with ``thread_id == schema.POOLED`` when there are several threads.

    Returns:
        :data:`schema.KEYNESS`: thread_id, reference, term, article_count, comment_count,
        comment_doc_count, english_per_million, log_odds_ratio, variance, z_score, side. Per
        scope the ``article`` rows (lemmas) come first, then the ``general_english`` rows
        (words), each sorted by z (comments-distinctive first), then term.

    Every scope is counted in one grouped pass (:func:`.keyness_counts.scope_term_counts`)
    and the statistics of all scopes' rows are computed at once, with the operations a
    one-scope call (:func:`log_odds_dirichlet`, :func:`log_odds_english`) uses, element for
    element; a scope without any lemma has no rows.

    Raises:
        StageInputError: an input lacks a column of its spec.
    """
    require(sentences, analysed_columns(S.SENTENCES), table="sentences")
    require(documents, S.DOCUMENTS)
    counts = scope_term_counts(sentences, documents, pooled=pooled)
    lem, wrd = counts.lemmas, counts.words
    k = len(counts.scopes)
    # a scope counts when it has a lemma on either side; its word rows come with it
    kept = np.bincount(lem.scope, minlength=k) > 0
    wrd_rows = np.flatnonzero(kept[wrd.scope])
    parts = [_article_part(lem, k, alpha0), _english_part(wrd, wrd_rows, k)]
    table = pd.concat([pd.DataFrame(p) for p in parts], ignore_index=True)
    if table.empty:
        return S.KEYNESS.empty()
    scope = table.pop("_scope").to_numpy()
    order = np.lexsort(
        (table.pop("_rank").to_numpy(), table.pop("_z").to_numpy(), table.pop("_ref").to_numpy(),
         scope)
    )  # fmt: skip
    table = table.iloc[order]
    table.insert(0, S.THREAD_ID, np.asarray(counts.scopes, dtype=object)[scope[order]])
    return S.KEYNESS.conform(table)


def _article_part(lem: TermTable, k: int, alpha0: float | None) -> dict[str, object]:
    """Columns of the article-reference rows of every scope (and the sort keys)."""
    y_a = lem.counts["article"].astype("float64")
    y_c = lem.counts["comments"].astype("float64")
    n_a = np.bincount(lem.scope, weights=y_a, minlength=k)[lem.scope]
    n_c = np.bincount(lem.scope, weights=y_c, minlength=k)[lem.scope]
    a0 = ALPHA0_FRACTION * np.minimum(n_a, n_c) if alpha0 is None else float(alpha0)
    _, delta, var, z = _dirichlet(y_a, y_c, n_a, n_c, a0)
    n = len(lem.scope)
    return {
        S.REFERENCE: np.full(n, S.REFERENCE_ARTICLE, dtype=object),
        "term": lem.vocab[lem.term],
        S.ARTICLE_COUNT: pd.array(lem.counts["article"], dtype="Int64"),
        S.COMMENT_COUNT: lem.counts["comments"],
        S.COMMENT_DOC_COUNT: lem.counts["comment_docs"],
        S.ENGLISH_PER_MILLION: np.full(n, np.nan),
        "log_odds_ratio": delta,
        "variance": var,
        "z_score": z,
        S.SIDE: _article_side(z),
        "_scope": lem.scope,
        "_ref": np.zeros(n, dtype=np.int64),
        "_z": -np.nan_to_num(z, nan=0.0),
        "_rank": lem.term,
    }


def _english_part(wrd: TermTable, rows: np.ndarray, k: int) -> dict[str, object]:
    """Columns of the general-English rows (``rows`` of ``wrd``) and the sort keys."""
    ref = english_reference() if rows.size else None
    scope, term = wrd.scope[rows], wrd.term[rows]
    y = wrd.counts["uses"][rows].astype("float64")
    docs = wrd.counts["docs"][rows]
    shares = np.array([ref.shares.get(t, ref.floor) for t in wrd.vocab] if ref else [], "float64")
    q = shares[term] if rows.size else np.zeros(0)
    n_c = np.bincount(scope, weights=y, minlength=k)[scope]
    _, delta, var, z = _english(y, q, n_c, REFERENCE_SIZE_RATIO)
    n = len(rows)
    return {
        S.REFERENCE: np.full(n, S.REFERENCE_GENERAL_ENGLISH, dtype=object),
        "term": wrd.vocab[term],
        S.ARTICLE_COUNT: pd.array([pd.NA] * n, dtype="Int64"),
        S.COMMENT_COUNT: wrd.counts["uses"][rows],
        S.COMMENT_DOC_COUNT: docs,
        S.ENGLISH_PER_MILLION: q * 1e6,
        "log_odds_ratio": delta,
        "variance": var,
        "z_score": z,
        S.SIDE: _english_side(z, docs),
        "_scope": scope,
        "_ref": np.ones(n, dtype=np.int64),
        "_z": -z,
        "_rank": term,
    }


def comment_term_counts(
    sentences: pd.DataFrame, column: str = S.WORDS
) -> tuple[Counter[str], Counter[str]]:
    """``(uses, comments using it)`` of the space-separated terms of the comment sentences.

    Args:
        sentences: sentences with ``doc_id``, ``doc_kind`` and ``column``.
        column: ``"words"`` (as written) or ``"lemmas"``.
    """
    uses: Counter[str] = Counter()
    per_doc: dict[str, set[str]] = {}
    comments = sentences[sentences[S.DOC_KIND] == S.COMMENT]
    for doc, text in zip(comments[S.DOC_ID], comments[column], strict=True):
        if isinstance(text, str) and text.strip():
            terms = text.split()
            uses.update(terms)
            per_doc.setdefault(str(doc), set()).update(terms)
    docs: Counter[str] = Counter()
    for terms in per_doc.values():
        docs.update(terms)
    return uses, docs


@dataclass(frozen=True)
class EnglishReference:
    """General-English word shares to compare comments with.

    Attributes:
        shares: word -> share of general-English content words (sums to 1 over the list).
        floor: the share given to a word the list lacks.
        source: where the shares come from (for captions and methods text).
    """

    shares: Mapping[str, float]
    floor: float
    source: str


@lru_cache(maxsize=1)
def english_reference() -> EnglishReference:
    """``wordfreq``'s English list as shares of content words, the way annotate counts words.

    Each listed form goes through spaCy's blank English tokenizer when it is not a plain
    alphabetic word or is a tokenizer special case ("trump's" -> "trump", "gonna" -> "gon",
    "na"); alphabetic tokens that are not spaCy stop words keep the form's frequency. Loaded
    once per process (about 3 s).
    """
    import spacy
    import wordfreq

    nlp = spacy.blank("en")
    stops = nlp.Defaults.stop_words
    special = {str(k).lower() for k in (nlp.tokenizer.rules or {})}
    listed = wordfreq.get_frequency_dict("en", wordlist="best")
    mass: Counter[str] = Counter()
    odd = []
    for word, freq in listed.items():
        if word.isalpha() and word not in special:
            if word not in stops:
                mass[word] += freq
        else:
            odd.append((word, freq))
    for (_, freq), doc in zip(odd, nlp.tokenizer.pipe(w for w, _ in odd), strict=True):
        for tok in doc:
            if tok.is_alpha and tok.lower_ not in stops:
                mass[tok.lower_] += freq
    total = float(sum(mass.values()))
    return EnglishReference(
        shares={w: f / total for w, f in mass.items()},
        floor=min(listed.values()) / total,
        source=f"wordfreq {version('wordfreq')} 'en'",
    )


def log_odds_english(
    comment_counts: Mapping[str, int],
    comment_doc_counts: Mapping[str, int],
    *,
    reference: EnglishReference | None = None,
    ratio: float = REFERENCE_SIZE_RATIO,
) -> pd.DataFrame:
    """The comments' words against general English (eqs. 16-22 with a reference corpus).

    The reference is ``ratio * n^c`` words of general English with pseudo-counts
    ``n^r * q_w``; the prior is the pooled one with ``alpha_0`` half the smaller side (module
    docstring).

    Args:
        comment_counts: word -> uses in the comments.
        comment_doc_counts: word -> comments using it (a word needs :data:`MIN_COMMENTS`).
        reference: the English shares; ``None``: :func:`english_reference`.
        ratio: reference size as a multiple of the comments' word count.

    Returns:
        One row per word used (sorted by z descending, then term): term, article_count (NA),
        comment_count, comment_doc_count, english_per_million, alpha, log_odds_ratio,
        variance, z_score, side (comments | general_english | neither).
    """
    ref = english_reference() if reference is None else reference
    terms = sorted(t for t, c in comment_counts.items() if c > 0)
    y = np.array([comment_counts[t] for t in terms], dtype="float64")
    q = np.array([ref.shares.get(t, ref.floor) for t in terms], dtype="float64")
    docs = np.array([comment_doc_counts.get(t, 0) for t in terms], dtype="int64")
    alpha, delta, var, z = _english(y, q, y.sum(), ratio)
    side = _english_side(z, docs)
    out = pd.DataFrame(
        {
            "term": pd.Series(terms, dtype="string"),
            S.ARTICLE_COUNT: pd.array([pd.NA] * len(terms), dtype="Int64"),
            S.COMMENT_COUNT: y.astype("int64"),
            S.COMMENT_DOC_COUNT: docs,
            S.ENGLISH_PER_MILLION: q * 1e6,
            "alpha": alpha,
            "log_odds_ratio": delta,
            "variance": var,
            "z_score": z,
            S.SIDE: side,
        }
    )
    order = np.lexsort((out["term"].to_numpy(dtype=object), -z))
    return out.iloc[order].reset_index(drop=True)


def comment_side_ceiling(keyness: pd.DataFrame) -> float:
    """The largest z any comment-side term could reach against the article, in one scope.

    That is the z of a term holding the most frequent comment lemma's count and absent from the
    article, with the default prior: when it is below :data:`Z_THRESHOLD`, the article is too
    short for any comment term to be distinctive. NaN when a side has no tokens.
    """
    if S.REFERENCE in keyness.columns:
        keyness = keyness[keyness[S.REFERENCE] == S.REFERENCE_ARTICLE]
    n_a = float(keyness["article_count"].sum())
    n_c = float(keyness["comment_count"].sum())
    if n_a == 0 or n_c == 0:
        return float("nan")
    return ceiling_from_counts(n_a, n_c, float(keyness["comment_count"].max()))


def ceiling_from_counts(n_a: float, n_c: float, top: float) -> float:
    """:func:`comment_side_ceiling` from a scope's totals: article and comment lemma counts
    (both non-zero) and the most frequent comment lemma's count."""
    a0 = default_alpha0(n_a, n_c)
    a_w = a0 * top / (n_a + n_c)
    delta = np.log((top + a_w) / (n_c + a0 - top - a_w)) - np.log(a_w / (n_a + a0 - a_w))
    return float(delta / np.sqrt(1.0 / (top + a_w) + 1.0 / a_w))


def _article_side(z: np.ndarray) -> np.ndarray:
    return np.where(
        z >= Z_THRESHOLD, S.SIDE_COMMENTS, np.where(z <= -Z_THRESHOLD, S.SIDE_ARTICLE, SIDE_NEITHER)
    )


def _english_side(z: np.ndarray, docs: np.ndarray) -> np.ndarray:
    comments = (z >= Z_THRESHOLD) & (docs >= MIN_COMMENTS)
    return np.where(
        comments, S.SIDE_COMMENTS, np.where(z <= -Z_THRESHOLD, S.SIDE_GENERAL_ENGLISH, SIDE_NEITHER)
    )


def _english(
    y: np.ndarray, q: np.ndarray, n_c: Any, ratio: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(alpha, delta, variance, z)`` of the comments' word counts ``y`` (float64) against a
    general-English reference of ``ratio * n_c`` words with shares ``q``; ``n_c`` is a scalar
    or each row's scope total (the same operations, element for element)."""
    n_r = ratio * n_c
    y_r = n_r * q
    a0 = ALPHA0_FRACTION * np.minimum(n_c, n_r)
    alpha = a0 * (y + y_r) / (n_c + n_r) if y.size else np.zeros_like(y)
    delta = np.log((y + alpha) / (n_c + a0 - y - alpha)) - np.log(
        (y_r + alpha) / (n_r + a0 - y_r - alpha)
    )
    var = 1.0 / (y + alpha) + 1.0 / (y_r + alpha)
    return alpha, delta, var, delta / np.sqrt(var)
