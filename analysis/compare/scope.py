"""What every comparison shares: which documents count, per thread and pooled, input checks.

- :func:`usable_doc_ids`: the documents a comparison may use: annotated, English and not a
  platform placeholder. One definition for every table of the stage.
- :func:`scopes` and :func:`per_thread`: the scopes a comparison is computed for, every thread on
  its own and, when the corpus holds several threads, all of them pooled
  (``thread_id == schema.POOLED``), and the rows of one scope.
- :class:`ThreadRows`: a table split by thread once (one grouping pass), so a loop over many
  threads takes each thread's rows by their positions instead of re-filtering the whole table.
- :func:`stacked_scopes`: the rows of every scope stacked in one frame, with a scope code and
  the usable-document flag of each row, for comparisons computed in grouped passes over all
  threads at once instead of a loop over threads.
- :func:`require`: the one input check (a full table spec, or the columns a function needs).
- :func:`with_placeholders`: carries the corpus's ``is_placeholder`` flag onto ``documents``.
- :func:`ids_in`: which rows' ids are in a set of ids (``astype(str).isin``, fast).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.errors import StageInputError

__all__ = [
    "ThreadRows",
    "analysed_columns",
    "concat_conformed",
    "ids_in",
    "placeholder_ids",
    "per_thread",
    "require",
    "scoped",
    "scopes",
    "stacked_scopes",
    "thread_ids",
    "usable_doc_ids",
    "usable_mask",
    "with_placeholders",
]


def require(
    frame: pd.DataFrame,
    columns: S.TableSpec | Sequence[str],
    *,
    stage: str = "compare",
    table: str | None = None,
) -> None:
    """Raise one clear error when ``frame`` lacks columns a comparison needs.

    Args:
        frame: the input table.
        columns: a table spec (all its columns are needed) or the column names needed.
        stage: the stage or function named in the message.
        table: the table's name (default: the spec's name).

    Raises:
        StageInputError: ``"<stage>: expected a '<table>' table; missing columns [...]"``.
    """
    if isinstance(columns, S.TableSpec):
        table = table or columns.name
        columns = columns.names
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise StageInputError(f"{stage}: expected a {table!r} table; missing columns {missing}")


def analysed_columns(spec: S.TableSpec) -> tuple[str, ...]:
    """The columns of an annotate table that the comparisons read: all but its span text
    (``text``), which no comparison uses (they read lemmas, words, scores and ids), so compare
    need not load it (``sentences`` and ``mentions`` texts are a large part of their memory)."""
    return tuple(c for c in spec.names if c != S.TEXT)


def _flag(frame: pd.DataFrame, column: str, *, default: bool) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(default, index=frame.index, dtype=bool)
    return frame[column].astype("boolean").fillna(False).astype(bool)


def ids_in(ids: pd.Series, wanted: Collection[str]) -> np.ndarray:
    """``ids.astype(str).isin(wanted)`` as a boolean array, by one set lookup per row.

    pandas' ``isin`` on Arrow-backed strings builds one pyarrow scalar per wanted value (about
    40 ms for the 10,000 usable ids of a 10,000-comment corpus, at every call); the lookups take
    a tenth of that. A missing id is in ``wanted`` only when ``wanted`` holds a missing value,
    as with ``isin``.
    """
    wanted = wanted if isinstance(wanted, set | frozenset) else set(wanted)
    has_na = any(not isinstance(w, str) and pd.isna(w) for w in wanted)
    values = ids.astype(str).to_numpy(dtype=object)
    return np.fromiter(
        (v in wanted if isinstance(v, str) else has_na for v in values),
        dtype=bool,
        count=len(values),
    )


def placeholder_ids(frame: pd.DataFrame) -> set[str]:
    """Doc ids flagged ``is_placeholder`` (none when the column is absent)."""
    if S.IS_PLACEHOLDER not in frame.columns or frame.empty:
        return set()
    return set(frame.loc[_flag(frame, S.IS_PLACEHOLDER, default=False), S.DOC_ID].astype(str))


def usable_doc_ids(documents: pd.DataFrame) -> set[str]:
    """Ids of the documents every comparison uses: annotated, English, not a placeholder.

    ``is_annotated`` must be true; ``is_english`` must be true when the column is there (a missing
    value is not English; without the column, annotation decides, as the annotate stage only
    annotates English text); a document flagged ``is_placeholder`` (when the column is there,
    see :func:`with_placeholders`) is left out.
    """
    if documents.empty:
        return set()
    return set(documents.loc[usable_mask(documents), S.DOC_ID].astype(str))


def usable_mask(documents: pd.DataFrame) -> pd.Series:
    """Per row of ``documents``: is it a document every comparison uses (:func:`usable_doc_ids`).

    Returns:
        A boolean Series on ``documents``' index.
    """
    ok = _flag(documents, "is_annotated", default=False)
    ok &= _flag(documents, "is_english", default=True)
    ok &= ~_flag(documents, S.IS_PLACEHOLDER, default=False)
    return ok


def with_placeholders(documents: pd.DataFrame, corpus: pd.DataFrame | None) -> pd.DataFrame:
    """``documents`` with the corpus's ``is_placeholder`` flag (by doc id), when it has one.

    Returns ``documents`` unchanged when it already has the column or the corpus lacks it.
    """
    if S.IS_PLACEHOLDER in documents.columns or corpus is None:
        return documents
    if S.IS_PLACEHOLDER not in corpus.columns:
        return documents
    flags = placeholder_ids(corpus)
    out = documents.copy()
    out[S.IS_PLACEHOLDER] = pd.array(ids_in(out[S.DOC_ID], flags), dtype="boolean")
    return out


def thread_ids(frame: pd.DataFrame) -> list[str]:
    """Threads in a table (``__pooled__`` rows excluded), sorted."""
    ids = frame[S.THREAD_ID].dropna().astype(str).unique()
    return sorted(t for t in ids if t != S.POOLED)


def scopes(documents: pd.DataFrame, *, pooled: bool = True) -> list[str]:
    """Thread ids to compute, plus :data:`schema.POOLED` last when there are several threads."""
    ids = thread_ids(documents)
    return [*ids, S.POOLED] if pooled and len(ids) > 1 else ids


def per_thread(frame: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Rows of one thread (all rows when ``scope`` is :data:`schema.POOLED`).

    A table that already carries pooled rows (an output table) gives exactly those for
    ``POOLED``; an input table (no pooled rows) gives all its rows.
    """
    if scope == S.POOLED:
        if S.THREAD_ID in frame.columns and (frame[S.THREAD_ID] == S.POOLED).any():
            return frame.loc[frame[S.THREAD_ID] == S.POOLED]
        return frame
    return frame.loc[frame[S.THREAD_ID].astype(str) == scope]


class ThreadRows:
    """One table split by thread once; ``rows(scope)`` is :func:`per_thread` ``(frame, scope)``.

    The split is one stable sort by thread id (as a string, as :func:`per_thread` compares
    them) and one row selection; each thread's rows are then a contiguous slice of the sorted
    copy, in table order and with the table's index, so ``rows(scope)`` equals
    ``per_thread(frame, scope)`` row for row. A loop over T threads costs one pass instead of
    T full-table filters.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        codes, uniques = pd.factorize(frame[S.THREAD_ID].astype(str))  # missing ids: -1
        order = np.argsort(codes, kind="stable")
        self._sorted = frame.iloc[order]
        bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        self._spans = {
            str(key): (int(bounds[i]), int(bounds[i + 1])) for i, key in enumerate(uniques)
        }

    def __call__(self, scope: str) -> pd.DataFrame:
        """The rows of ``scope`` (see :func:`per_thread`)."""
        if scope == S.POOLED and S.POOLED not in self._spans:
            return self.frame
        return self.only(scope)

    def only(self, thread_id: str) -> pd.DataFrame:
        """The rows whose thread id is ``thread_id`` (``__pooled__`` included: no fallback)."""
        a, b = self._spans.get(thread_id, (0, 0))
        return self._sorted.iloc[a:b].copy(deep=False)


def scoped(
    documents: pd.DataFrame, *frames: pd.DataFrame, pooled: bool = True
) -> Iterator[tuple[str, list[pd.DataFrame]]]:
    """``(scope, [rows of each frame in that scope])`` for every scope of ``documents``.

    Each frame is split by thread once (:class:`ThreadRows`).
    """
    split = [ThreadRows(frame) for frame in frames]
    for scope in scopes(documents, pooled=pooled):
        yield scope, [rows(scope) for rows in split]


def concat_conformed(frames: Iterable[pd.DataFrame], spec: S.TableSpec) -> pd.DataFrame:
    """Concatenate the non-empty frames and conform them to ``spec`` (empty spec frame if none)."""
    frames = [f for f in frames if not f.empty]
    if not frames:
        return spec.empty()
    return spec.conform(pd.concat(frames, ignore_index=True))


@dataclass(frozen=True)
class Stacked:
    """The rows of every scope of a comparison, stacked (see :func:`stacked_scopes`).

    Attributes:
        scopes: the scopes, in :func:`scopes` order; ``code[i]`` indexes this list.
        frame: the stacked rows (a fresh RangeIndex): each thread's rows in table order, the
            threads in ``scopes`` order, then every row again for :data:`schema.POOLED`.
        code: the scope of each stacked row (int64).
        usable: the row's document is one :func:`usable_doc_ids` admits in that scope.
    """

    scopes: list[str]
    frame: pd.DataFrame
    code: np.ndarray
    usable: np.ndarray

    def bounds(self, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(positions, starts)``: the stacked rows kept by ``mask`` (all when None) and where
        each scope's run of them starts (``starts[k]:starts[k + 1]`` for scope ``k``)."""
        positions = np.arange(len(self.code)) if mask is None else np.flatnonzero(mask)
        starts = np.searchsorted(self.code[positions], np.arange(len(self.scopes) + 1))
        return positions, starts


def _pair_codes(
    threads: pd.Series, docs: pd.Series, other_threads: pd.Series, other_docs: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One int64 code per (thread, doc_id) pair, the same code for the same pair in both
    tables (ids compared as strings), then one code per doc_id alone, likewise."""
    t_codes, _ = pd.factorize(pd.concat([threads, other_threads], ignore_index=True).astype(str))
    d_codes, d_uniques = pd.factorize(pd.concat([docs, other_docs], ignore_index=True).astype(str))
    pair = t_codes.astype("int64") * (len(d_uniques) + 1) + d_codes
    n = len(threads)
    return pair[:n], pair[n:], d_codes[:n], d_codes[n:]


def stacked_scopes(frame: pd.DataFrame, documents: pd.DataFrame, *, pooled: bool = True) -> Stacked:
    """Every scope's rows of ``frame`` in one frame, for grouped passes over all threads.

    The rows of scope ``s`` are exactly ``ThreadRows(frame)(s)`` (:func:`per_thread`), in the
    same order, and a row is ``usable`` when its document is in
    ``usable_doc_ids(ThreadRows(documents)(s))``, so a grouped computation over the stacked rows
    gives what a loop over scopes gives, in one pass.

    Args:
        frame: a table with ``thread_id`` and ``doc_id``.
        documents: the ``documents`` table (it decides the scopes and the usable documents).
        pooled: add the :data:`schema.POOLED` scope when there are several threads.

    Returns:
        A :class:`Stacked`.
    """
    scope_list = scopes(documents, pooled=pooled)
    threads = [s for s in scope_list if s != S.POOLED]
    tids = frame[S.THREAD_ID].astype(str)
    codes = tids.map({t: i for i, t in enumerate(threads)})
    known = np.flatnonzero(codes.notna().to_numpy())
    order = known[np.argsort(codes.to_numpy()[known], kind="stable")]
    parts, code_parts = [order], [codes.to_numpy()[order].astype("int64")]
    ok = usable_mask(documents).to_numpy(dtype=bool) if not documents.empty else np.zeros(0, bool)
    keys, doc_keys, ids, doc_ids = _pair_codes(
        frame[S.THREAD_ID], frame[S.DOC_ID], documents[S.THREAD_ID], documents[S.DOC_ID]
    )
    usable_parts = [np.isin(keys[order], doc_keys[ok])]
    if S.POOLED in scope_list:
        everything = np.arange(len(frame))
        parts.append(everything)
        code_parts.append(np.full(len(frame), len(threads), dtype="int64"))
        # usable_doc_ids(documents) as doc codes (ids compared as strings, as ids_in does)
        usable_parts.append(np.isin(ids, doc_ids[ok]))
    positions = np.concatenate(parts)
    return Stacked(
        scopes=scope_list,
        frame=frame.iloc[positions].reset_index(drop=True),
        code=np.concatenate(code_parts),
        usable=np.concatenate(usable_parts),
    )
