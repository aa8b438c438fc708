"""Topics: what the article and the commenters write about, guided (lexicon) and exploratory (NMF).

Units
-----
The two sides are compared unit by unit, as everywhere in the compare stage:

- article side: each sentence of the article (title included: it is part of what the article says);
- comments side: each annotated comment as a whole (``documents.is_annotated`` and English), its
  sentences' lemmas taken together; comments are short, and a comment is the commenter's unit of
  speech. Empty and non-English comments are not annotated and so not units (the ``documents``
  table says why each was left out).

Both methods read the annotate stage's ``lemmas`` column (lower-case content lemmas).

Guided topics (``method = "lexicon"``)
--------------------------------------
An editable word list, ``data/lexicons/topics.csv`` (``topic,term``; its header says where it comes
from and how to edit it). A unit's hits per topic are counted (multi-word terms first, longest
match wins, within one sentence); its **main topic** is the topic with most hits, ties going to the
topic listed first in the lexicon. Each unit carries weight 1, split across its topics in proportion
to its hits; a unit without any hit puts its weight on the pseudo-topic ``none``. A topic's
``share`` on a side is its summed weight over the side's units, so a side's shares (``none``
included) sum to 1 and a long comment does not outweigh a short one. ``topic_terms`` lists, per
topic, the terms that were hit with their hit count as ``weight``. Lexicon rows are never
exploratory; they list every lexicon topic on both sides, zeros included.

Exploratory topics (``method = "nmf"``)
---------------------------------------
Non-negative matrix factorisation (Lee and Seung 1999) of the TF-IDF matrix of the units' lemmas
(scikit-learn ``TfidfVectorizer`` with sublinear term frequency, ``NMF(init="nndsvda",
random_state=seed)``: NNDSVD initialisation, Boutsidis and Gallopoulos 2008, whose randomized SVD
takes the seed, so one seed gives identical tables), fit on the article sentences and comments of
one scope together. Number of topics:
``k = min(NMF_MAX_TOPICS, max(NMF_MIN_TOPICS, n // NMF_UNITS_PER_TOPIC))`` where ``n`` is the
number of units with at least one lemma, capped by ``n`` and by the vocabulary size. A topic is
labelled by its three strongest terms. Unit weights are the NMF document-topic weights normalised
to sum to 1 per unit (units with no vocabulary term go to ``none``), then shared out as for the
lexicon. NMF is **skipped** (no rows; the reason is logged and :func:`nmf_skip_reasons` returns
it) when the scope has no comment unit, fewer than :data:`NMF_MIN_UNITS` units with lemmas, or a
vocabulary too small for two topics: with that little text a factorisation is noise. It is flagged
``is_exploratory`` when the scope has fewer than :data:`EXPLORATORY_MIN_COMMENTS` comment units
(the seed thread has 14): then topics are unstable and should be read as a map of the words, not
as findings.

Comment-led topics
------------------
``is_comment_led`` marks a topic whose comments share exceeds its article share by at least
:data:`COMMENT_LED_MARGIN` (10 percentage points) — the topics carried mostly by the commenters.
It is False for ``none`` and whenever a side has no units.

Scopes: every thread on its own, plus pooled rows (``thread_id = schema.POOLED``) computed over all
units of all threads when the input holds more than one thread (for NMF, a separate model fit on
the pooled units, so its topic ids are not those of any thread).
"""

from __future__ import annotations

import csv
import logging
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.errors import InputError, StageInputError

log = logging.getLogger(__name__)

TOPIC_LEXICON_FILE = "topics.csv"
METHOD_LEXICON = "lexicon"
METHOD_NMF = "nmf"

#: Pseudo-topic holding the weight of units without any topic (no lexicon hit / no NMF weight).
NO_TOPIC_ID = "none"
NO_TOPIC_LABEL = "(no topic)"

#: Topic-number rule for NMF: one topic per five units with lemmas, at least 2, at most 8.
NMF_MIN_TOPICS = 2
NMF_MAX_TOPICS = 8
NMF_UNITS_PER_TOPIC = 5
#: Below this many units with lemmas (article sentences + comments) NMF is not run.
NMF_MIN_UNITS = 10
#: Terms listed per NMF topic in ``topic_terms``.
NMF_TOP_TERMS = 10
#: Terms in an NMF topic's label.
NMF_LABEL_TERMS = 3
NMF_MAX_ITER = 1000
#: With fewer comment units than this, NMF rows are flagged ``is_exploratory``.
EXPLORATORY_MIN_COMMENTS = 50
#: A topic is comment-led when comments share - article share >= this margin.
COMMENT_LED_MARGIN = 0.10


# ------------------------------------------------------------------------------------ units


@dataclass(frozen=True)
class Unit:
    """One comparison unit: an article sentence or a whole comment.

    ``sentences`` holds the lemma tokens of each sentence (one tuple for an article sentence).
    """

    thread_id: str
    unit_id: str
    side: str
    sentences: tuple[tuple[str, ...], ...]

    @property
    def tokens(self) -> list[str]:
        return [tok for sent in self.sentences for tok in sent]


def _require(df: pd.DataFrame, columns: Sequence[str], table: str, stage: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise StageInputError(f"{stage}: expected a {table!r} table; missing columns {missing}")


def usable_doc_ids(documents: pd.DataFrame) -> set[str]:
    """Ids of annotated English documents (the only documents any comparison uses)."""
    if documents.empty:
        return set()
    ok = documents["is_annotated"].fillna(False).astype(bool)
    if "is_english" in documents.columns:
        ok &= documents["is_english"].fillna(False).astype(bool)
    return set(documents.loc[ok, S.DOC_ID].astype(str))


def _split(lemmas: object) -> tuple[str, ...]:
    if lemmas is None or lemmas is pd.NA or (isinstance(lemmas, float) and np.isnan(lemmas)):
        return ()
    return tuple(str(lemmas).split())


def comparison_units(
    sentences: pd.DataFrame, documents: pd.DataFrame, *, stage: str = "compare"
) -> list[Unit]:
    """The units of every thread: article sentences and annotated comments, in a stable order.

    Article sentences come first (by thread, document, sentence index), then comments (by thread,
    position). A comment with no sentence rows is still a unit, with no lemmas.

    Raises:
        StageInputError: a table lacks a column this needs.
    """
    _require(
        sentences,
        [S.THREAD_ID, S.DOC_ID, S.DOC_KIND, S.SENTENCE_ID, "sentence_index", "lemmas"],
        "sentences",
        stage,
    )
    _require(
        documents,
        [S.THREAD_ID, S.DOC_ID, S.DOC_KIND, "position", "is_annotated"],
        "documents",
        stage,
    )
    usable = usable_doc_ids(documents)
    sents = sentences.loc[sentences[S.DOC_ID].astype(str).isin(usable)]
    sents = sents.sort_values(
        [S.THREAD_ID, S.DOC_ID, "sentence_index", S.SENTENCE_ID], kind="stable"
    )
    units: list[Unit] = []
    article = sents.loc[sents[S.DOC_KIND] == S.ARTICLE]
    for thread_id, sentence_id, lemmas in zip(
        article[S.THREAD_ID], article[S.SENTENCE_ID], article["lemmas"], strict=True
    ):
        units.append(Unit(str(thread_id), str(sentence_id), S.SIDE_ARTICLE, (_split(lemmas),)))
    comment_sents = sents.loc[sents[S.DOC_KIND] == S.COMMENT]
    by_doc: dict[str, list[tuple[str, ...]]] = {}
    for doc_id, lemmas in zip(comment_sents[S.DOC_ID], comment_sents["lemmas"], strict=True):
        by_doc.setdefault(str(doc_id), []).append(_split(lemmas))
    docs = documents.loc[
        (documents[S.DOC_KIND] == S.COMMENT) & documents[S.DOC_ID].astype(str).isin(usable)
    ].sort_values([S.THREAD_ID, "position", S.DOC_ID], kind="stable")
    for thread_id, doc_id in zip(docs[S.THREAD_ID], docs[S.DOC_ID], strict=True):
        units.append(
            Unit(str(thread_id), str(doc_id), S.SIDE_COMMENTS, tuple(by_doc.get(str(doc_id), [])))
        )
    return units


def unit_scopes(units: list[Unit], documents: pd.DataFrame) -> list[tuple[str, list[Unit]]]:
    """``(scope id, units)`` per thread of ``documents``, plus ``POOLED`` when there are several."""
    thread_ids = sorted(documents[S.THREAD_ID].dropna().astype(str).unique())
    by_thread: dict[str, list[Unit]] = {t: [] for t in thread_ids}
    for unit in units:
        by_thread.setdefault(unit.thread_id, []).append(unit)
    out = [(t, by_thread[t]) for t in thread_ids]
    if len(thread_ids) > 1:
        out.append((S.POOLED, list(units)))
    return out


# ---------------------------------------------------------------------------------- lexicons


def read_lexicon(
    path: Path, *, group_column: str, allowed_groups: Iterable[str] | None = None
) -> pd.DataFrame:
    """Read a ``<group>,term`` lexicon CSV (lines starting with ``#`` are comments).

    Terms are lower-cased and their whitespace collapsed; exact duplicate rows are dropped.

    Returns:
        Columns ``group_column``, ``term``, ``line`` (1-based line in the file), in file order.

    Raises:
        InputError: the file is missing or empty, the header is not ``<group_column>,term``, a row
            does not have two fields, a field is empty, or a group is not one of
            ``allowed_groups``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, f"lexicon not found (expected a CSV '{group_column},term')")
    allowed = None if allowed_groups is None else set(allowed_groups)
    rows: list[tuple[str, str, int]] = []
    header_seen = False
    seen: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [
            (i, line)
            for i, line in enumerate(fh, start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    for (lineno, _), fields in zip(lines, csv.reader(line for _, line in lines), strict=True):
        fields = [f.strip() for f in fields]
        if not header_seen:
            if fields != [group_column, "term"]:
                raise InputError(
                    path,
                    f"expected the header '{group_column},term', got {','.join(fields)!r}",
                    record=lineno,
                )
            header_seen = True
            continue
        if len(fields) != 2 or not fields[0] or not fields[1]:
            raise InputError(
                path,
                f"expected two non-empty fields '{group_column},term', got {','.join(fields)!r}",
                record=lineno,
            )
        group, term = fields[0], " ".join(fields[1].lower().split())
        if allowed is not None and group not in allowed:
            raise InputError(
                path,
                f"unknown {group_column} {group!r}; expected one of {', '.join(sorted(allowed))}",
                record=lineno,
            )
        if (group, term) in seen:
            continue
        seen.add((group, term))
        rows.append((group, term, lineno))
    if not rows:
        raise InputError(path, f"lexicon has no '{group_column},term' rows")
    return pd.DataFrame(rows, columns=[group_column, "term", "line"])


class TermMatcher:
    """Counts lexicon hits in lemma sequences: longest match first, within one sentence.

    A term listed under several groups counts once for each of them.
    """

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        self.groups_of: dict[tuple[str, ...], list[str]] = {}
        for group, term in terms:
            key = tuple(term.split())
            if key and group not in self.groups_of.setdefault(key, []):
                self.groups_of[key].append(group)
        self.max_len = max((len(k) for k in self.groups_of), default=1)

    def terms_in(self, sentences: Iterable[Sequence[str]]) -> Counter[str]:
        """Matched terms (space-joined) and their counts."""
        found: Counter[str] = Counter()
        for tokens in sentences:
            i = 0
            while i < len(tokens):
                for n in range(min(self.max_len, len(tokens) - i), 0, -1):
                    key = tuple(tokens[i : i + n])
                    if key in self.groups_of:
                        found[" ".join(key)] += 1
                        i += n
                        break
                else:
                    i += 1
        return found

    def hits(self, sentences: Iterable[Sequence[str]]) -> dict[str, Counter[str]]:
        """``{group: Counter(term -> hits)}`` for the groups with at least one hit."""
        out: dict[str, Counter[str]] = {}
        for term, count in self.terms_in(sentences).items():
            for group in self.groups_of[tuple(term.split())]:
                out.setdefault(group, Counter())[term] += count
        return out


def topic_label(topic_id: str) -> str:
    """Display label of a lexicon topic id: ``war_and_military`` -> ``war and military``."""
    return topic_id.replace("_", " ")


def read_topic_lexicon(lexicon_dir: Path = config.LEXICON_DIR) -> pd.DataFrame:
    """Read ``<lexicon_dir>/topics.csv`` (columns ``topic``, ``term``, ``line``).

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
    """Topics for NMF: ``min(8, max(2, n_units // 5))``, capped by ``n_units`` and ``n_terms``.

    Returns 0 or 1 when the data cannot hold two topics (then NMF is skipped).
    """
    k = min(NMF_MAX_TOPICS, max(NMF_MIN_TOPICS, n_units // NMF_UNITS_PER_TOPIC))
    return min(k, n_units, n_terms)


def nmf_skip_reason(n_units: int, n_comment_units: int, n_terms: int) -> str | None:
    """Why NMF is not run on a scope, or ``None`` when it is.

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
            "too little text to factorise"
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
    """Why NMF has no rows, per scope (threads, and ``POOLED`` when there are several).

    Cheap (no model is fit): meant for run summaries that say why a number is missing.

    Returns:
        ``{scope: reason}`` for the scopes where :func:`topic_tables` skips NMF; scopes where NMF
        runs are absent.

    Raises:
        StageInputError: a table lacks a needed column.
    """
    units = comparison_units(sentences, documents, stage="compare.topics")
    out = {}
    for scope, scope_units in unit_scopes(units, documents):
        _, with_terms, n_comments, vocabulary = _nmf_inputs(scope_units)
        reason = nmf_skip_reason(len(with_terms), n_comments, len(vocabulary))
        if reason is not None:
            out[scope] = reason
    return out


def _nmf_scope(scope: str, units: list[Unit], seed: int | None) -> tuple[list[dict], list[dict]]:
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts, with_terms, n_comments, vocabulary = _nmf_inputs(units)
    reason = nmf_skip_reason(len(with_terms), n_comments, len(vocabulary))
    if reason is not None:
        log.info("topics: NMF skipped for %s: %s", scope, reason)
        return [], []
    k = nmf_topic_count(len(with_terms), len(vocabulary))
    vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
    matrix = vectorizer.fit_transform([texts[i] for i in with_terms])
    terms = vectorizer.get_feature_names_out()
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=NMF_MAX_ITER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        w_part = model.fit_transform(matrix)
    h = model.components_
    w = np.zeros((len(units), k))
    w[with_terms] = w_part
    # Order topics by their total weight (largest first) so ids read as a ranking.
    order = sorted(range(k), key=lambda j: (-round(float(w[:, j].sum()), 12), j))
    topics: list[tuple[str, str]] = []
    term_rows = []
    for new_index, j in enumerate(order, start=1):
        topic_id = f"nmf_{new_index:02d}"
        ranked = sorted(
            (t for t in range(len(terms)) if h[j, t] > 0),
            key=lambda t, j=j: (-h[j, t], str(terms[t])),
        )[:NMF_TOP_TERMS]
        label = " / ".join(str(terms[t]) for t in ranked[:NMF_LABEL_TERMS]) or topic_id
        topics.append((topic_id, label))
        for rank, t in enumerate(ranked, start=1):
            term_rows.append(
                {
                    S.THREAD_ID: scope,
                    "method": METHOD_NMF,
                    "topic_id": topic_id,
                    "topic_label": label,
                    "term": str(terms[t]),
                    "weight": float(h[j, t]),
                    "rank": rank,
                }
            )
    weights: list[dict[str, float]] = []
    for i in range(len(units)):
        row = w[i, order]
        total = float(row.sum())
        weights.append(
            {topics[j][0]: float(row[j]) / total for j in range(k) if row[j] > 0}
            if total > 0
            else {}
        )
    exploratory = n_comments < EXPLORATORY_MIN_COMMENTS
    share_rows = _share_rows(scope, METHOD_NMF, topics, units, weights, exploratory=exploratory)
    return term_rows, share_rows


# ----------------------------------------------------------------------------------- public


def _frame(rows: list[dict], spec: S.TableSpec) -> pd.DataFrame:
    return spec.conform(pd.DataFrame(rows)) if rows else spec.empty()


def topic_tables(
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    seed: int | None = config.SEED,
    lexicon_dir: Path = config.LEXICON_DIR,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Guided (lexicon) and exploratory (NMF) topics of the article and the comments.

    Computed per thread; when ``documents`` holds more than one thread, pooled rows
    (``thread_id = schema.POOLED``) are added, computed over all threads' units. See the module
    docstring for units, methods and thresholds.

    Args:
        sentences: the annotate stage's ``sentences`` table (uses ``lemmas``).
        documents: the ``documents`` table (uses ``is_annotated``, ``is_english``, ``position``).
        seed: NMF ``random_state`` (``None``: fresh randomness; results may then vary).
        lexicon_dir: folder holding ``topics.csv``.

    Returns:
        ``(topic_terms, topic_shares)`` conformed to :data:`schema.TOPIC_TERMS` (thread_id, method,
        topic_id, topic_label, term, weight, rank) and :data:`schema.TOPIC_SHARES` (thread_id,
        method, topic_id, topic_label, side, unit_count, share, is_comment_led, is_exploratory).
        Lexicon share rows cover every lexicon topic plus ``none`` on both sides; a side without
        units has share NaN. NMF rows are absent for scopes where :func:`nmf_skip_reason` says so.
        Rows come by thread (sorted; pooled last), method (lexicon, then NMF), topic (lexicon
        order, NMF topics by total weight) and side (article, comments).

    Raises:
        InputError: the lexicon is missing or malformed.
        StageInputError: a table lacks a needed column.
    """
    lexicon = read_topic_lexicon(lexicon_dir)
    units = comparison_units(sentences, documents, stage="compare.topics")
    term_rows: list[dict] = []
    share_rows: list[dict] = []
    for scope, scope_units in unit_scopes(units, documents):
        terms_l, shares_l = _lexicon_scope(scope, scope_units, lexicon)
        terms_n, shares_n = _nmf_scope(scope, scope_units, seed)
        term_rows += terms_l + terms_n
        share_rows += shares_l + shares_n
    return _frame(term_rows, S.TOPIC_TERMS), _frame(share_rows, S.TOPIC_SHARES)
