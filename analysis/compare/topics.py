"""Topics: what the article and the commenters write about, found in the thread itself (NMF).

Units
-----
The two sides are compared unit by unit: each sentence of the article (title included) and each
annotated comment as a whole (:func:`analysis.compare.units.comparison_units`; comments are short,
and a comment is the commenter's unit of speech). Empty, non-English and placeholder comments are
not units (the ``documents`` table and the coverage headline say why each was left out).

Exploratory topics (``method = "nmf"``)
---------------------------------------
Non-negative matrix factorisation (Lee and Seung 1999) of the TF-IDF matrix of the units' lemmas
(scikit-learn ``TfidfVectorizer`` with sublinear term frequency; with
:data:`NMF_MIN_DF_UNITS` units or more, a lemma must occur in two units; ``NMF(init="nndsvda",
random_state=seed)``, one BLAS thread, so one seed gives identical tables whatever the number of
cores, in one process or in a worker: :func:`fit_nmf`). **One model is fit on the units of
every thread together** and every scope's shares come from it, so a thread gets the same topics
whether it is analysed alone in a corpus or split across workers with others pooled (and
``topic_id`` means the same in every scope).

Number of topics: chosen from the data. Every ``k`` from :data:`NMF_MIN_TOPICS` to
``min(NMF_MAX_TOPICS, units // NMF_UNITS_PER_TOPIC)`` is fit; the ``k`` that explains the units
best wins, ties to fewer topics (``n_topics=`` fixes it). "Explains best": the mean over units of
the coherence of the unit's topics (NPMI of each topic's top :data:`NMF_COHERENCE_TERMS` terms,
Bouma 2009, the measure closest to human judgments in Lau, Newman and Baldwin 2014), a unit no
topic covers counting -1 (:func:`model_coherence`).

Labels: a topic is labelled by its three strongest terms, **as written**: each lemma is shown as
its most frequent surface form in the corpus (the ``words`` column), so "media" stays "media"
(the lemmatiser writes "medium") and "taxes" stays "taxes" (not "taxis"). ``topic_terms.term``
holds those written forms. Unit weights are the NMF document-topic weights normalised to sum to
1 per unit (units with no vocabulary term go to ``none``).

Small threads: NMF is **skipped** (no rows; :func:`nmf_skip_reasons` gives the reason and the
stage's notes print it) when there is no comment unit, fewer than :data:`NMF_MIN_UNITS` units with
lemmas, or a vocabulary too small for two topics: with that little text a factorisation is noise.
Rows of a scope with fewer than :data:`EXPLORATORY_MIN_COMMENTS` comment units (the seed thread
has 14) are flagged ``is_exploratory``: read them as a map of the words, not as findings.
``bench/eval_topics.py`` measures how well the topics recover the source thread on the five
Fox News dev threads pooled (NMI, beside random and keyword-count baselines).

Guided topics (``method = "lexicon"``), only from a lexicon you supply
-----------------------------------------------------------------------
``topic_tables(topic_lexicon=PATH)`` (``discourse compare --topic-lexicon PATH``) reads a
``topic,term`` CSV of your own. The bundled ``data/lexicons/topics.csv`` is the example written
for the seed thread (nuclear programme, atrocities, ...) and is **not** applied by default: a
word list written for one story forces another story's comments into its themes. A unit's hits
per topic are counted (multi-word terms first, longest match wins, within one sentence); its
**main topic** is the topic with most hits, ties going to the topic listed first. Each unit
carries weight 1, split across its topics in proportion to its hits; a unit without any hit puts
its weight on the pseudo-topic ``none``. A topic's ``share`` on a side is its summed weight over
the side's units, so a side's shares (``none`` included) sum to 1 and a long comment does not
outweigh a short one. ``topic_terms`` lists the terms hit, with their hit count as ``weight``.

Comment-led topics
------------------
``is_comment_led`` marks a topic whose comments share exceeds its article share by at least
:data:`COMMENT_LED_MARGIN` (10 percentage points). It is False for ``none`` and whenever a side
has no units.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.units import (
    TermMatcher,
    Unit,
    comparison_units,
    read_lexicon,
    surface_forms,
    unit_scopes,
)

log = logging.getLogger(__name__)

TOPIC_LEXICON_FILE = "topics.csv"
METHOD_LEXICON = "lexicon"
METHOD_NMF = "nmf"

#: Pseudo-topic holding the weight of units without any topic (no lexicon hit / no NMF weight).
NO_TOPIC_ID = "none"
NO_TOPIC_LABEL = "(no topic)"

#: Topics tried by NMF: 2 up to one per five units with lemmas, at most 10.
NMF_MIN_TOPICS = 2
NMF_MAX_TOPICS = 10
NMF_UNITS_PER_TOPIC = 5
#: Below this many units with lemmas (article sentences + comments) NMF is not run.
NMF_MIN_UNITS = 10
#: Terms listed per NMF topic in ``topic_terms``.
NMF_TOP_TERMS = 10
#: Terms in an NMF topic's label.
NMF_LABEL_TERMS = 3
NMF_MAX_ITER = 1000
#: BLAS threads while NMF is fit: one, so the tables do not depend on the cores (see fit_nmf).
NMF_BLAS_THREADS = 1
#: Top terms per topic scored for coherence when choosing the number of topics.
NMF_COHERENCE_TERMS = 10
#: With at least this many units, terms in a single unit are left out of the NMF vocabulary.
NMF_MIN_DF_UNITS = 50
#: With fewer comment units than this, NMF rows are flagged ``is_exploratory``.
EXPLORATORY_MIN_COMMENTS = 50
#: A topic is comment-led when comments share - article share >= this margin.
COMMENT_LED_MARGIN = 0.10


# ---------------------------------------------------------------------------------- lexicons


def topic_label(topic_id: str) -> str:
    """Display label of a lexicon topic id: ``war_and_military`` -> ``war and military``."""
    return topic_id.replace("_", " ")


def read_topic_lexicon(lexicon_dir: Path = config.LEXICON_DIR) -> pd.DataFrame:
    """Read ``<lexicon_dir>/topics.csv`` (columns ``topic``, ``term``, ``line``).

    The bundled file is the example lexicon written for the seed thread; it is applied only when
    passed as ``topic_tables(topic_lexicon=...)``.

    Raises:
        InputError: see :func:`read_lexicon`.
    """
    return read_lexicon(Path(lexicon_dir) / TOPIC_LEXICON_FILE, group_column="topic")


# ----------------------------------------------------------------------------------- shares


def _share_rows(
    scope: str,
    method: str,
    topics: list[tuple[str, str]],
    units: list[Unit],
    weights: list[dict[str, float]],
    *,
    exploratory: bool,
) -> list[dict]:
    """Topic share rows of both sides from per-unit topic weights (each summing to 1 or empty)."""
    rows = []
    stats: dict[str, dict[str, tuple[int, float]]] = {}
    order = {t: k for k, (t, _) in enumerate(topics)}
    for side in S.SIDES:
        idx = [i for i, u in enumerate(units) if u.side == side]
        n = len(idx)
        main = Counter()
        total: Counter[str] = Counter()
        for i in idx:
            w = weights[i]
            if not w:
                main[NO_TOPIC_ID] += 1
                total[NO_TOPIC_ID] += 1.0
                continue
            best = max(w, key=lambda t: (w[t], -order[t]))
            main[best] += 1
            for t, v in w.items():
                total[t] += v
        stats[side] = {
            t: (main[t], total[t] / n if n else float("nan"))
            for t, _ in [*topics, (NO_TOPIC_ID, "")]
        }
    for topic_id, label in [*topics, (NO_TOPIC_ID, NO_TOPIC_LABEL)]:
        a = stats[S.SIDE_ARTICLE][topic_id][1]
        c = stats[S.SIDE_COMMENTS][topic_id][1]
        led = bool(
            topic_id != NO_TOPIC_ID
            and not np.isnan(a)
            and not np.isnan(c)
            and c - a >= COMMENT_LED_MARGIN - 1e-12
        )
        for side in S.SIDES:
            count, share = stats[side][topic_id]
            rows.append(
                {
                    S.THREAD_ID: scope,
                    "method": method,
                    "topic_id": topic_id,
                    "topic_label": label,
                    S.SIDE: side,
                    "unit_count": count,
                    "share": share,
                    "is_comment_led": led,
                    "is_exploratory": exploratory,
                }
            )
    return rows


# ---------------------------------------------------------------------------------- lexicon


def _lexicon_scope(
    scope: str, units: list[Unit], lexicon: pd.DataFrame
) -> tuple[list[dict], list[dict]]:
    matcher = TermMatcher(zip(lexicon["topic"], lexicon["term"], strict=True))
    topic_ids = list(dict.fromkeys(lexicon["topic"]))
    topics = [(t, topic_label(t)) for t in topic_ids]
    weights: list[dict[str, float]] = []
    term_hits: dict[str, Counter[str]] = {t: Counter() for t in topic_ids}
    for unit in units:
        hits = matcher.hits(unit.sentences)
        total = sum(sum(c.values()) for c in hits.values())
        weights.append({t: sum(c.values()) / total for t, c in hits.items()} if total else {})
        for t, c in hits.items():
            term_hits[t].update(c)
    term_rows = []
    for t, label in topics:
        ranked = sorted(term_hits[t].items(), key=lambda kv: (-kv[1], kv[0]))
        for rank, (term, count) in enumerate(ranked, start=1):
            term_rows.append(
                {
                    S.THREAD_ID: scope,
                    "method": METHOD_LEXICON,
                    "topic_id": t,
                    "topic_label": label,
                    "term": term,
                    "weight": float(count),
                    "rank": rank,
                }
            )
    share_rows = _share_rows(scope, METHOD_LEXICON, topics, units, weights, exploratory=False)
    return term_rows, share_rows


# -------------------------------------------------------------------------------------- NMF


def nmf_topic_count(n_units: int, n_terms: int) -> int:
    """Largest number of topics tried: ``min(NMF_MAX_TOPICS, n_units // NMF_UNITS_PER_TOPIC)``.

    At least :data:`NMF_MIN_TOPICS`, capped by ``n_units`` and ``n_terms``; 0 or 1 when the data
    cannot hold two topics (then NMF is skipped).
    """
    k = min(NMF_MAX_TOPICS, max(NMF_MIN_TOPICS, n_units // NMF_UNITS_PER_TOPIC))
    return min(k, n_units, n_terms)


def nmf_skip_reason(n_units: int, n_comment_units: int, n_terms: int) -> str | None:
    """Why NMF is not run, or ``None`` when it is.

    Args:
        n_units: units (article sentences + comments) with at least one lemma.
        n_comment_units: comments with at least one lemma.
        n_terms: distinct lemmas across those units.
    """
    if n_comment_units == 0:
        return "no annotated comment with lemmas: nothing to compare the article with"
    if n_units < NMF_MIN_UNITS:
        return (
            f"{n_units} units with lemmas, fewer than NMF_MIN_UNITS={NMF_MIN_UNITS}: "
            "too little text to find topics"
        )
    if nmf_topic_count(n_units, n_terms) < NMF_MIN_TOPICS:
        return f"vocabulary of {n_terms} lemmas is too small for {NMF_MIN_TOPICS} topics"
    return None


def _nmf_inputs(units: list[Unit]) -> tuple[list[str], list[int], int, set[str]]:
    """Unit texts, indices of units with lemmas, comment units with lemmas, vocabulary."""
    texts = [" ".join(u.tokens) for u in units]
    with_terms = [i for i, t in enumerate(texts) if t]
    n_comments = sum(1 for i in with_terms if units[i].side == S.SIDE_COMMENTS)
    vocabulary = {tok for i in with_terms for tok in texts[i].split()}
    return texts, with_terms, n_comments, vocabulary


def nmf_skip_reasons(sentences: pd.DataFrame, documents: pd.DataFrame) -> dict[str, str]:
    """Why NMF has no rows, per scope (the model is fit once, on all threads' units together).

    Cheap (no model is fit): meant for run summaries that say why a number is missing.

    Returns:
        ``{scope: reason}`` for every scope when :func:`topic_tables` skips NMF; ``{}`` when it
        runs.

    Raises:
        StageInputError: a table lacks a needed column.
    """
    units = comparison_units(sentences, documents, stage="compare.topics")
    _, with_terms, n_comments, vocabulary = _nmf_inputs(units)
    reason = nmf_skip_reason(len(with_terms), n_comments, len(vocabulary))
    if reason is None:
        return {}
    return {scope: reason for scope, _ in unit_scopes(units, documents)}


def coherence_npmi(binary: np.ndarray, terms: Sequence[int]) -> float:
    """Mean normalised PMI of the pairs of ``terms`` over the units (Bouma 2009).

    ``binary`` is the unit-by-term 0/1 matrix, dense or scipy sparse (the counts are exact
    integers either way, so both give the same scores); a pair that never co-occurs scores -1.
    NaN for fewer than two terms.
    """
    n = binary.shape[0]
    cols = binary[:, list(terms)]
    co = cols.T @ cols
    if hasattr(co, "toarray"):  # sparse: only the top terms' co-occurrences are made dense
        co = co.toarray()
    df = np.diag(co)
    scores = []
    for i in range(len(terms)):
        for j in range(i + 1, len(terms)):
            p_ij = co[i, j] / n
            if co[i, j] == 0:
                scores.append(-1.0)
            elif p_ij >= 1.0:
                scores.append(1.0)
            else:
                pmi = np.log(p_ij / ((df[i] / n) * (df[j] / n)))
                scores.append(float(pmi / -np.log(p_ij)))
    return float(np.mean(scores)) if scores else float("nan")


def model_coherence(binary: np.ndarray, w: np.ndarray, h: np.ndarray) -> float:
    """How well a model explains the units: the mean, over units, of their topics' coherence.

    Each topic's coherence is the NPMI of its top :data:`NMF_COHERENCE_TERMS` terms (those with
    a positive weight); a unit counts the coherence of its topics weighted by its topic weights,
    and -1 when no topic explains it. So a ``k`` that leaves a group of units unexplained, or
    joins unrelated words in one topic, scores lower (Lau, Newman and Baldwin 2014 find NPMI the
    coherence measure closest to human judgments).
    """
    topic_scores = []
    for row in h:
        top = [t for t in np.argsort(-row, kind="stable")[:NMF_COHERENCE_TERMS] if row[t] > 0]
        score = coherence_npmi(binary, top)
        topic_scores.append(-1.0 if np.isnan(score) else score)
    totals = w.sum(axis=1)
    per_unit = np.full(w.shape[0], -1.0)
    covered = totals > 0
    per_unit[covered] = (w[covered] @ np.array(topic_scores)) / totals[covered]
    return float(per_unit.mean())


@dataclass(frozen=True)
class NmfFit:
    """One fitted model: unit weights (all units), topic-term matrix, term labels, k tried."""

    weights: np.ndarray
    components: np.ndarray
    terms: list[str]
    coherence: dict[int, float]


def fit_nmf(units: list[Unit], *, seed: int | None, n_topics: int | None = None) -> NmfFit | str:
    """Fit NMF on the TF-IDF of all units; the number of topics by NPMI coherence.

    Every ``k`` from :data:`NMF_MIN_TOPICS` to :func:`nmf_topic_count` is fit (NNDSVDA start,
    ``random_state=seed``); the ``k`` whose topics explain the units best wins
    (:func:`model_coherence`; ties: fewer topics). ``n_topics`` fixes ``k``.

    The fit runs with :data:`NMF_BLAS_THREADS` (one) BLAS thread. OpenBLAS factorises a matrix
    differently with one thread than with several (NNDSVDA's randomised SVD calls LU on the
    tall units-by-``k`` matrix), so with the library's default, one thread per core, the same
    seed gave weights that differed in the last digits (about 1e-14) with the number of cores,
    and between a run in one process and one in a Dask worker (which starts with
    ``OPENBLAS_NUM_THREADS=1``). On a tall, skinny matrix a second thread mostly waits: one
    thread fits in a quarter to a half of the CPU time.

    Returns:
        An :class:`NmfFit`, or the reason NMF is skipped (:func:`nmf_skip_reason`).
    """
    # sklearn (and through it scipy's own BLAS) is imported before the limit is set: threadpoolctl
    # limits only the libraries already loaded.
    import sklearn.decomposition  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    from threadpoolctl import threadpool_limits

    texts, with_terms, n_comments, vocabulary = _nmf_inputs(units)
    reason = nmf_skip_reason(len(with_terms), n_comments, len(vocabulary))
    if reason is not None:
        return reason
    with threadpool_limits(limits=NMF_BLAS_THREADS, user_api="blas"):
        return _fit_nmf(units, [texts[i] for i in with_terms], with_terms, seed, n_topics)


def _fit_nmf(
    units: list[Unit],
    docs: list[str],
    with_terms: list[int],
    seed: int | None,
    n_topics: int | None,
) -> NmfFit | str:
    """:func:`fit_nmf` on the texts ``docs`` of the units ``with_terms`` (BLAS already limited)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    min_df = 2 if len(docs) >= NMF_MIN_DF_UNITS else 1
    vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, min_df=min_df)
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no term in two units: fall back to every term
        vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
        matrix = vectorizer.fit_transform(docs)
    terms = [str(t) for t in vectorizer.get_feature_names_out()]
    k_max = nmf_topic_count(len(docs), len(terms))
    if k_max < NMF_MIN_TOPICS:
        return f"vocabulary of {len(terms)} lemmas is too small for {NMF_MIN_TOPICS} topics"
    candidates = [n_topics] if n_topics else list(range(NMF_MIN_TOPICS, k_max + 1))
    binary = (matrix > 0).astype("float64").tocsc()  # sparse: units x terms grows with the thread
    best: tuple[float, int, np.ndarray, np.ndarray] | None = None
    coherence: dict[int, float] = {}
    for k in candidates:
        w_part, h = _nmf(matrix, k, seed)
        coherence[k] = round(model_coherence(binary, w_part, h), 12)
        if best is None or coherence[k] > best[0]:
            best = (coherence[k], k, w_part, h)
    _, k, w_part, h = best
    w = np.zeros((len(units), k))
    w[with_terms] = w_part
    return NmfFit(w, h, terms, coherence)


def _nmf(matrix, k: int, seed: int | None) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=NMF_MAX_ITER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        w = model.fit_transform(matrix)
    return w, model.components_


def _nmf_topics(fit: NmfFit, labels: dict[str, str]) -> tuple[list[tuple[str, str]], list[dict]]:
    """Topic ids and labels (by total weight, largest first) and their term rows (no scope)."""
    k = fit.components.shape[0]
    order = sorted(range(k), key=lambda j: (-round(float(fit.weights[:, j].sum()), 12), j))
    topics: list[tuple[str, str]] = []
    rows = []
    h = fit.components
    for new_index, j in enumerate(order, start=1):
        topic_id = f"nmf_{new_index:02d}"
        ranked = sorted(
            (t for t in range(len(fit.terms)) if h[j, t] > 0),
            key=lambda t, j=j: (-h[j, t], fit.terms[t]),
        )[:NMF_TOP_TERMS]
        written = list(dict.fromkeys(labels.get(fit.terms[t], fit.terms[t]) for t in ranked))
        label = " / ".join(written[:NMF_LABEL_TERMS]) or topic_id
        topics.append((topic_id, label))
        for rank, t in enumerate(ranked, start=1):
            rows.append(
                {
                    "method": METHOD_NMF,
                    "topic_id": topic_id,
                    "topic_label": label,
                    "term": labels.get(fit.terms[t], fit.terms[t]),
                    "weight": float(h[j, t]),
                    "rank": rank,
                }
            )
    return topics, rows


def _unit_weights(fit: NmfFit, topics: list[tuple[str, str]]) -> list[dict[str, float]]:
    k = fit.components.shape[0]
    order = sorted(range(k), key=lambda j: (-round(float(fit.weights[:, j].sum()), 12), j))
    out: list[dict[str, float]] = []
    for row in fit.weights[:, order]:
        total = float(row.sum())
        out.append(
            {topics[j][0]: float(row[j]) / total for j in range(k) if row[j] > 0}
            if total > 0
            else {}
        )
    return out


def _nmf_rows(
    units: list[Unit], documents: pd.DataFrame, seed: int | None, n_topics: int | None
) -> tuple[list[dict], list[dict]]:
    """NMF term and share rows of every scope, from one model fit on all units."""
    fit = fit_nmf(units, seed=seed, n_topics=n_topics)
    if isinstance(fit, str):
        log.info("topics: NMF skipped: %s", fit)
        return [], []
    topics, terms = _nmf_topics(fit, surface_forms(units))
    weight_of = dict(
        zip(((u.thread_id, u.unit_id) for u in units), _unit_weights(fit, topics), strict=True)
    )
    term_rows, share_rows = [], []
    for scope, scope_units in unit_scopes(units, documents):
        term_rows += [{S.THREAD_ID: scope, **row} for row in terms]
        weights = [weight_of[(u.thread_id, u.unit_id)] for u in scope_units]
        n_comments = sum(1 for u in scope_units if u.side == S.SIDE_COMMENTS and u.tokens)
        share_rows += _share_rows(
            scope,
            METHOD_NMF,
            topics,
            scope_units,
            weights,
            exploratory=n_comments < EXPLORATORY_MIN_COMMENTS,
        )
    return term_rows, share_rows


# ----------------------------------------------------------------------------------- public


def _frame(rows: list[dict], spec: S.TableSpec) -> pd.DataFrame:
    return spec.conform(pd.DataFrame(rows)) if rows else spec.empty()


def topic_tables(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    seed: int | None = config.SEED,
    topic_lexicon: Path | None = None,
    n_topics: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Exploratory (NMF) topics, and guided topics from a lexicon you supply, by side.

    One NMF model is fit on the units of every thread together, so every scope (each thread and,
    when there are several, ``thread_id = schema.POOLED``) shares the same topics however the
    work is split. See the module docstring for units, methods and thresholds.

    Args:
        sentences: the annotate stage's ``sentences`` table (``lemmas``; ``words`` for labels).
        documents: the ``documents`` table (uses ``is_annotated``, ``is_english``, ``position``).
        seed: NMF ``random_state`` (``None``: fresh randomness; results may then vary).
        topic_lexicon: a ``topic,term`` CSV of your own topics; ``None``: no guided topics.
        n_topics: fix the number of NMF topics instead of choosing it by coherence.

    Returns:
        ``(topic_terms, topic_shares)`` conformed to :data:`schema.TOPIC_TERMS` (thread_id, method,
        topic_id, topic_label, term, weight, rank) and :data:`schema.TOPIC_SHARES` (thread_id,
        method, topic_id, topic_label, side, unit_count, share, is_comment_led, is_exploratory).
        Lexicon share rows cover every lexicon topic plus ``none`` on both sides; a side without
        units has share NaN. NMF rows are absent when :func:`nmf_skip_reasons` says so. Rows
        come by thread (sorted; pooled last), method (lexicon, then NMF), topic (lexicon order,
        NMF topics by total weight) and side (article, comments).

    Raises:
        InputError: the lexicon is missing or malformed.
        StageInputError: a table lacks a needed column.
    """
    units = comparison_units(sentences, documents, stage="compare.topics")
    scoped = unit_scopes(units, documents)
    terms_by: dict[str, list[dict]] = {scope: [] for scope, _ in scoped}
    shares_by: dict[str, list[dict]] = {scope: [] for scope, _ in scoped}
    if topic_lexicon is not None:
        lexicon = read_lexicon(Path(topic_lexicon), group_column="topic")
        for scope, scope_units in scoped:
            terms_l, shares_l = _lexicon_scope(scope, scope_units, lexicon)
            terms_by[scope] += terms_l
            shares_by[scope] += shares_l
    terms_n, shares_n = _nmf_rows(units, documents, seed, n_topics)
    for row in terms_n:
        terms_by[row[S.THREAD_ID]].append(row)
    for row in shares_n:
        shares_by[row[S.THREAD_ID]].append(row)
    term_rows = [row for scope, _ in scoped for row in terms_by[scope]]
    share_rows = [row for scope, _ in scoped for row in shares_by[scope]]
    return _frame(term_rows, S.TOPIC_TERMS), _frame(share_rows, S.TOPIC_SHARES)
