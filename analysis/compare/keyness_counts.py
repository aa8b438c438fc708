"""Keyness term counts of every scope in one grouped pass (threads and pooled at once).

:func:`scope_term_counts` gives, for every scope of :func:`analysis.compare.scope.scopes`, the
integer counts :mod:`analysis.compare.keyness` compares: lemma uses in the article and in the
comments, the comments using each lemma, word uses in the comments and the comments using each
word. The usable sentences of all threads are split into tokens once; the counts are grouped
by (scope, term) with sorted integer keys, so the cost grows with the tokens, not with the
number of threads. Each scope's counts equal those of :func:`~analysis.compare.keyness.
lemma_counts` and :func:`~analysis.compare.keyness.comment_term_counts` on that scope's usable
sentences alone (:func:`analysis.compare.tone.usable_sentences`): a row counts when its
``doc_kind`` is article or comment and its text is a string; terms are split on whitespace.

The pooled scope is counted from the threads' tokens, relabelled, when its usable rows are
exactly the threads' usable rows and document ids are unique (a comment counted in one thread
only); otherwise its rows are tokenised on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.scope import ThreadRows, stacked_scopes, usable_doc_ids
from analysis.compare.token_codes import code_tokens

_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.DOC_KIND, S.LEMMAS, S.WORDS)


@dataclass(frozen=True)
class TermTable:
    """Counts per (scope, term), one row per term used in the scope, sorted by scope then term.

    Attributes:
        scope: index into :attr:`ScopeCounts.scopes` (int64).
        term: index into ``vocab`` (int64); ``vocab`` is sorted, so the order of ``term`` is
            the order of the term strings.
        vocab: the distinct terms, sorted (object array of str).
        counts: named int64 columns on the rows.
    """

    scope: np.ndarray
    term: np.ndarray
    vocab: np.ndarray
    counts: dict[str, np.ndarray]


@dataclass(frozen=True)
class ScopeCounts:
    """The keyness counts of every scope.

    Attributes:
        scopes: the scopes, in :func:`~analysis.compare.scope.scopes` order.
        lemmas: lemma rows (``article``, ``comments``, ``comment_docs``): every lemma with a
            use on either side of the scope.
        words: word rows (``uses``, ``docs``): every word the scope's comments use.
    """

    scopes: list[str]
    lemmas: TermTable
    words: TermTable


@dataclass(frozen=True)
class _Tokens:
    """Tokens of usable rows: their scope, document code, side (article 0, comment 1) and term
    code (an index into the column's vocabulary, in first-seen order)."""

    scope: np.ndarray
    doc: np.ndarray
    kind: np.ndarray
    code: np.ndarray


def _tokens(
    texts: list, scope: np.ndarray, doc: np.ndarray, kind: np.ndarray, vocab: dict[str, int]
) -> _Tokens:
    """Split ``texts`` on whitespace and code each token by ``vocab`` (term -> code, extended
    with new terms), a chunk of rows at a time
    (:func:`~analysis.compare.token_codes.code_tokens`)."""
    length, codes = code_tokens(texts, vocab)
    return _Tokens(
        scope=np.repeat(scope, length),
        doc=np.repeat(doc, length),
        kind=np.repeat(kind, length),
        code=codes,
    )


def _concat(parts: list[_Tokens]) -> _Tokens:
    return _Tokens(
        scope=np.concatenate([p.scope for p in parts]),
        doc=np.concatenate([p.doc for p in parts]),
        kind=np.concatenate([p.kind for p in parts]),
        code=np.concatenate([p.code for p in parts]),
    )


def _rows_tokens(
    rows: pd.DataFrame,
    scope: np.ndarray,
    column: str,
    doc_offset: int,
    vocab: dict[str, int],
    *,
    lemmas: bool,
) -> tuple[_Tokens, int]:
    """Tokens of ``column`` of the article and comment ``rows`` (comments only unless
    ``lemmas``), coded by ``vocab``; document codes from ``doc_offset`` on, one per (scope, doc
    id). Returns the tokens and the next free document code."""
    kinds = rows[S.DOC_KIND].astype(str).to_numpy(dtype=object)
    comment = kinds == S.COMMENT
    keep = np.flatnonzero((comment | (kinds == S.ARTICLE)) if lemmas else comment)
    ids, id_uniques = pd.factorize(rows[S.DOC_ID].astype(str).to_numpy(dtype=object))
    doc_codes, uniques = pd.factorize(scope.astype(np.int64) * max(len(id_uniques), 1) + ids)
    tokens = _tokens(
        rows[column].to_numpy(dtype=object)[keep].tolist(),
        scope[keep].astype(np.int64),
        doc_codes[keep].astype(np.int64) + doc_offset,
        comment[keep].astype(np.int64),
        vocab,
    )
    return tokens, doc_offset + len(uniques)


def _table(tokens: _Tokens, terms: dict[str, int], *, lemmas: bool) -> TermTable:
    """Group ``tokens`` (coded by ``terms``) by (scope, term): lemma rows (both sides) or word
    rows (comments)."""
    seen = np.fromiter(terms, dtype=object, count=len(terms))  # in code order
    order = np.argsort(seen, kind="stable")
    vocab = seen[order]  # sorted, as a sorted factorize of the token strings gives
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    codes = rank[tokens.code]
    width = np.int64(max(len(vocab), 1))
    key = tokens.scope.astype(np.int64) * width + codes
    keys = _sorted_unique(key)
    row = np.searchsorted(keys, key)
    comment = tokens.kind == 1
    # a comment's terms count once per comment: distinct (document, term) pairs
    pairs = _sorted_unique(tokens.doc[comment] * width + codes[comment])
    pair_rows = np.searchsorted(keys, _doc_scope(tokens)[pairs // width] * width + pairs % width)
    docs = np.bincount(pair_rows, minlength=len(keys)).astype(np.int64)
    if lemmas:
        counts = {
            "article": np.bincount(row[~comment], minlength=len(keys)).astype(np.int64),
            "comments": np.bincount(row[comment], minlength=len(keys)).astype(np.int64),
            "comment_docs": docs,
        }
    else:
        counts = {"uses": np.bincount(row, minlength=len(keys)).astype(np.int64), "docs": docs}
    return TermTable(
        scope=keys // width,
        term=keys % width,
        vocab=np.asarray(vocab, dtype=object),
        counts=counts,
    )


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending (``np.unique`` by one sort: faster on int64 keys)."""
    ordered = np.sort(values, kind="stable")
    if ordered.size:
        ordered = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    return ordered


def _doc_scope(tokens: _Tokens) -> np.ndarray:
    """The scope of each document code of ``tokens`` (codes are dense from 0)."""
    out = np.zeros(int(tokens.doc.max()) + 1 if tokens.doc.size else 0, dtype=np.int64)
    out[tokens.doc] = tokens.scope
    return out


def scope_term_counts(
    sentences: pd.DataFrame, documents: pd.DataFrame, *, pooled: bool = True
) -> ScopeCounts:
    """Lemma and word counts of every scope (module docstring), in one grouped pass.

    Args:
        sentences: the ``sentences`` table (``lemmas`` and ``words``).
        documents: the ``documents`` table (it decides the scopes and the usable documents).
        pooled: count the :data:`schema.POOLED` scope too when there are several threads.

    Returns:
        A :class:`ScopeCounts`.
    """
    cols = [c for c in _COLUMNS if c in sentences.columns]
    stacked = stacked_scopes(sentences[cols], documents, pooled=False)
    scope_list = [*stacked.scopes]
    rows = stacked.frame.loc[stacked.usable]
    scope = stacked.code[stacked.usable]
    # the pooled rows: None when they are exactly the threads' rows (their tokens relabelled)
    pooling = pooled and len(scope_list) > 1
    own = _pooled_rows(sentences[cols], documents, len(rows)) if pooling else None
    out = {}
    for column in (S.LEMMAS, S.WORDS):  # one column's tokens at a time
        lemmas = column == S.LEMMAS
        vocab: dict[str, int] = {}
        tokens, next_doc = _rows_tokens(rows, scope, column, 0, vocab, lemmas=lemmas)
        if pooling:
            code = len(scope_list)
            if own is None:
                extra = _Tokens(np.full(len(tokens.code), code), tokens.doc + next_doc,
                                tokens.kind, tokens.code)  # fmt: skip
            else:
                code_of = np.full(len(own), code, dtype=np.int64)
                extra, _ = _rows_tokens(own, code_of, column, next_doc, vocab, lemmas=lemmas)
            tokens = _concat([tokens, extra])
        out[column] = _table(tokens, vocab, lemmas=lemmas)
        del tokens, vocab
    if pooling:
        scope_list.append(S.POOLED)
    return ScopeCounts(scopes=scope_list, lemmas=out[S.LEMMAS], words=out[S.WORDS])


def _pooled_rows(
    sentences: pd.DataFrame, documents: pd.DataFrame, n_thread_rows: int
) -> pd.DataFrame | None:
    """The pooled scope's usable rows, or None when they are the threads' usable rows (as many)
    and document ids are unique, so that every comment is counted in one thread only."""
    rows = ThreadRows(sentences)(S.POOLED)
    usable = usable_doc_ids(ThreadRows(documents)(S.POOLED))
    ids = rows[S.DOC_ID].astype(str).tolist()
    rows = rows.loc[np.fromiter((i in usable for i in ids), dtype=bool, count=len(ids))]
    if len(rows) == n_thread_rows and documents[S.DOC_ID].astype(str).is_unique:
        return None
    return rows
