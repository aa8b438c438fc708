"""The corpus as the engine reads it: validated, grouped by thread, texts kept off the heap.

:func:`prepare` checks the ``corpus`` and ``paragraphs`` tables, orders the corpus by thread
(stably), moves the texts to a :class:`TextStore` (a temporary file read back a few thousand texts
at a time, so the texts of a long thread are never all in memory) and indexes the paragraphs by
(corpus row, start). :func:`thread_bounds` gives each thread's row range; the engine works in
partitions of at most ``chunk_size`` rows inside a thread.
"""

from __future__ import annotations

import os
import tempfile
import threading
from array import array
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis import schema as S
from analysis.errors import StageInputError
from analysis.tables import guard_unreadable

_READ_BATCH_ROWS = 16_384
CORPUS_COLUMNS = [
    S.THREAD_ID,
    S.DOC_ID,
    S.DOC_KIND,
    "position",
    S.TEXT,
    "is_empty",
    "is_duplicate",
]
PARAGRAPH_COLUMNS = [S.DOC_ID, S.PARAGRAPH_ID, S.START_CHAR, S.END_CHAR]
SHIFT = 32  # doc index << 32 | char offset: one sortable int64 key per position


class TextStore:
    """The corpus texts in a temporary file, read back a few thousand at a time.

    Texts are most of a corpus's size; held in memory they made this step grow with the
    thread. Each text is stored UTF-8 encoded (lone surrogates passed through, so every ``str``
    round-trips) with its byte offset in an integer array (8 bytes a document); reads go through
    the operating system's file cache, not this process's heap.
    """

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="discourse-texts-")
        self.offsets = array("q", [0])
        # the worker pool's task thread reads texts while the main thread does: seek + read
        # must not interleave
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def append(self, texts: Iterable[str]) -> None:
        parts, pos = [], self.offsets[-1]
        for text in texts:
            data = text.encode("utf-8", "surrogatepass")
            parts.append(data)
            pos += len(data)
            self.offsets.append(pos)
        with self.lock:
            self.file.seek(0, os.SEEK_END)
            self.file.write(b"".join(parts))
            self.file.flush()

    def take(self, rows: Sequence[int] | np.ndarray) -> list[str]:
        """The texts at ``rows``, in that order (runs of consecutive rows are read at once)."""
        rows = np.asarray(rows, dtype="int64")
        out: list[str] = []
        if not len(rows):
            return out
        breaks = np.flatnonzero(np.diff(rows) != 1) + 1
        offsets = self.offsets
        for run in np.split(rows, breaks):
            lo, hi = int(run[0]), int(run[-1]) + 1
            base = offsets[lo]
            with self.lock:
                self.file.seek(base)
                data = self.file.read(offsets[hi] - base)
            out += [
                data[offsets[i] - base : offsets[i + 1] - base].decode("utf-8", "surrogatepass")
                for i in range(lo, hi)
            ]
        return out

    def close(self) -> None:
        self.file.close()


def _store_texts(texts: pd.Series, store: TextStore) -> np.ndarray:
    """Append ``texts`` (missing -> "") to ``store``; return which are blank (whitespace only)."""
    texts = texts.fillna("").astype("string")
    store.append(texts.tolist())
    return (texts.str.strip() == "").to_numpy(dtype=bool)


def _require(df: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise StageInputError(f"annotate: expected a {table!r} table; missing columns {missing}")


def prepare(
    corpus: pd.DataFrame, paragraphs: pd.DataFrame, texts: TextStore
) -> tuple[pd.DataFrame, dict]:
    """Validate the inputs, order the corpus by thread, index the paragraphs.

    The corpus's texts move to ``texts`` (unless :func:`_read_corpus` put them there already:
    then the frame has ``_text_row`` and ``_blank``); the returned frame has ``_text_row`` (the
    text's row in ``texts``) and ``_skip_empty`` instead of ``text``.
    """
    stored = S.TEXT not in corpus.columns and {"_text_row", "_blank"} <= set(corpus.columns)
    _require(corpus, [c for c in CORPUS_COLUMNS if not (stored and c == S.TEXT)], "corpus")
    _require(paragraphs, PARAGRAPH_COLUMNS, "paragraphs")
    if stored:
        text_rows, blank = corpus["_text_row"].to_numpy(), corpus["_blank"].to_numpy(dtype=bool)
    else:
        text_rows = np.arange(len(texts), len(texts) + len(corpus), dtype="int64")
        blank = np.zeros(len(corpus), dtype=bool)
        for lo in range(0, len(corpus), _READ_BATCH_ROWS):  # a slice at a time: no full copy
            part = corpus[S.TEXT].iloc[lo : lo + _READ_BATCH_ROWS]
            blank[lo : lo + len(part)] = _store_texts(part, texts)
    corpus = corpus.loc[:, [c for c in CORPUS_COLUMNS if c != S.TEXT]]
    corpus["_text_row"] = text_rows
    corpus["_blank"] = blank
    # Arrow compute on the doc ids (no Python string, no pandas hash table per row: on long
    # threads those dominated this step's memory)
    doc_ids = _arrow(corpus, S.DOC_ID)
    if pc.count_distinct(doc_ids, mode="all").as_py() < len(corpus):
        dup = corpus[S.DOC_ID].duplicated()
        raise StageInputError(
            f"annotate: corpus doc_id {corpus[S.DOC_ID][dup].iloc[0]!r} occurs more than once; "
            "expected one row per document"
        )
    codes, _ = pd.factorize(corpus[S.THREAD_ID])
    if len(codes) and (np.diff(codes) < 0).any():  # threads interleaved: group them, stably
        order = np.argsort(codes, kind="stable")
        corpus, doc_ids = corpus.iloc[order], doc_ids.take(order)
    corpus = corpus.reset_index(drop=True)
    corpus["_skip_empty"] = corpus["is_empty"].fillna(False).astype(bool) | corpus["_blank"]
    corpus = corpus.drop(columns=["_blank"])

    para_doc = (
        pc.index_in(  # the corpus row of each paragraph's document (-1: none)
            _arrow(paragraphs, S.DOC_ID), value_set=doc_ids.combine_chunks()
        )
        .fill_null(-1)
        .to_numpy()
    )
    keep = para_doc >= 0
    starts = paragraphs[S.START_CHAR].to_numpy(dtype="int64", na_value=0)[keep]
    keys = (para_doc[keep].astype("int64") << SHIFT) | starts
    order = np.argsort(keys, kind="stable")
    para_index = {
        "keys": keys[order],
        "ends": paragraphs[S.END_CHAR].to_numpy(dtype="int64", na_value=0)[keep][order],
        "ids": _arrow(paragraphs, S.PARAGRAPH_ID).take(np.flatnonzero(keep)[order]),
    }
    return corpus, para_index


def paragraph_ids(para_index: dict, doc_idx: np.ndarray, starts: np.ndarray) -> list:
    """Paragraph holding each sentence start (``None`` when the paragraphs table has none)."""
    keys = para_index["keys"]
    if not len(keys) or not len(starts):
        return [None] * len(starts)
    wanted = (doc_idx.astype("int64") << SHIFT) | starts
    pos = np.searchsorted(keys, wanted, side="right") - 1
    safe = np.clip(pos, 0, None)
    ok = (pos >= 0) & ((keys[safe] >> SHIFT) == doc_idx) & (starts < para_index["ends"][safe])
    ids = para_index["ids"].take(safe).to_pylist()
    return [i if good else None for i, good in zip(ids, ok, strict=True)]


def _arrow(frame: pd.DataFrame, column: str) -> pa.ChunkedArray:
    """A column as an Arrow string array (no copy when it is Arrow-backed already)."""
    table = pa.Table.from_pandas(frame[[column]].astype({column: "string"}), preserve_index=False)
    return pc.cast(table.column(0), pa.large_string())


def check_input(in_dir: Path, name: str, columns: list[str]) -> Path:
    path = Path(in_dir) / f"{name}.parquet"
    if not path.is_file():
        raise StageInputError(f"{path}: table {name!r} not found; run `discourse ingest` first")
    available = guard_unreadable(name, path, lambda: pq.read_schema(path)).names
    missing = [c for c in columns if c not in available]
    if missing:
        raise StageInputError(f"{path}: expected a {name!r} table; missing columns {missing}")
    return path


def read_input(in_dir: Path, name: str, columns: list[str]) -> pd.DataFrame:
    """The ``columns`` of table ``name``; a corrupt file is one line naming it (StageInputError)."""
    path = check_input(in_dir, name, columns)
    return guard_unreadable(name, path, lambda: _read_columns(path, columns))


def _read_columns(path: Path, columns: list[str]) -> pd.DataFrame:
    # only the needed columns, in batches: decoding the whole file at once peaked higher, and
    # Arrow's allocator kept the freed buffers (released below)
    parquet = pq.ParquetFile(path)
    parts = [
        batch.to_pandas()
        for batch in parquet.iter_batches(
            batch_size=_READ_BATCH_ROWS, columns=columns, use_threads=False
        )
    ]
    if not parts:
        return pd.read_parquet(path, columns=columns)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    del parts
    release_arrow_memory()
    return frame


def read_corpus(in_dir: Path, texts: TextStore) -> pd.DataFrame:
    """The corpus table without its texts, which go to ``texts`` a batch at a time (so the whole
    text column is never in memory); the frame gets ``_text_row`` and ``_blank`` instead.
    A corrupt file is one line naming it (StageInputError)."""
    path = check_input(in_dir, "corpus", CORPUS_COLUMNS)
    return guard_unreadable("corpus", path, lambda: _read_corpus_batches(path, texts))


def _read_corpus_batches(path: Path, texts: TextStore) -> pd.DataFrame:
    parquet = pq.ParquetFile(path)
    parts = []
    for batch in parquet.iter_batches(
        batch_size=_READ_BATCH_ROWS, columns=CORPUS_COLUMNS, use_threads=False
    ):
        frame = batch.to_pandas()
        first = len(texts)
        blank = _store_texts(frame[S.TEXT], texts)
        frame = frame.drop(columns=[S.TEXT])
        frame["_text_row"] = np.arange(first, len(texts), dtype="int64")
        frame["_blank"] = blank
        parts.append(frame)
        del batch
    if not parts:
        frame = pd.read_parquet(path, columns=CORPUS_COLUMNS)
        return frame.drop(columns=[S.TEXT]).assign(
            _text_row=np.zeros(0, dtype="int64"), _blank=np.zeros(0, dtype=bool)
        )
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    del parts
    release_arrow_memory()
    return frame


def release_arrow_memory() -> None:
    """Hand memory Arrow's allocator holds but no longer uses back to the system."""
    with suppress(Exception):  # an allocator without the call: nothing to release
        pa.default_memory_pool().release_unused()
