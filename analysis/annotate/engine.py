"""Annotate every document: language, sentences, sentiment, entities (linked across the thread).

Reads the ``corpus`` and ``paragraphs`` tables and produces four tidy tables (see
:mod:`analysis.schema`): ``sentences``, ``documents``, ``mentions`` and ``entities``.

How it works, in three passes that keep per-document state off the heap on long threads:

0. **Texts.** As the corpus is read (a batch at a time), its texts go to a temporary file with
   an integer offset per document (:class:`_TextStore`); every later pass reads back the few
   thousand it needs, so the texts of a long thread are never all in memory.
1. **Plan.** Every non-empty text is hashed (with the model and library versions, see
   :mod:`analysis.cache`); texts already in the cache, and repeats of a text within the run, are not
   parsed again.
2. **Parse.** The remaining texts go through ``nlp.pipe`` (``batch_size`` documents per batch; with
   ``workers`` > 1, a pool of processes each piping slices of the texts) running only
   ``tok2vec``, ``tagger``, ``attribute_ruler``, ``lemmatizer``, ``ner`` and ``senter`` (the
   dependency parser is not loaded), plus three small components of the suite: flag emoji
   (regional-indicator pairs such as 🇵🇸) are merged into one token before the models run; a
   sentence always starts after a blank line, so sentences never cross paragraphs; and a last
   component condenses each parsed document into a small record
   (language, counts, sentence offsets, lemmas and VADER scores, NER spans, candidate tokens), so
   worker processes send back records rather than full parses. Records go to the on-disk cache in
   chunks as they arrive.
3. **Build.** The corpus is walked thread by thread in chunks of ``chunk_size`` documents; sentence
   rows are written as they are built, document rows wait in a temporary file, and each English
   document's NER spans and candidate tokens are fed to the thread's
   :class:`analysis.linking.ThreadLinker` (integer columns, no text). After a thread's last chunk
   the linker runs its passes over the thread's texts (the thread's own names are the gazetteer
   for its comments) and the mentions are written a chunk of documents at a time, each with the
   sentence that holds it; then the entities, and the document rows with their mention counts.
   Only the candidate tokens linking can use (:func:`analysis.linking.candidate_is_used`:
   proper-noun-like or capitalised) are fed; the tables are the same as with all of them, and on
   long threads most candidates are ordinary lower-case words.

Language: see :mod:`analysis.language` (short or uncertain texts default to English). Documents
that are empty or not English keep their ``documents`` row with ``is_annotated`` false and a
``skip_reason``; their sentiment is missing (NaN), never 0, and they get no sentences or mentions.
Sentiment: VADER per sentence and on the whole text, after :mod:`analysis.sentiment`'s
normalisation of the few characters VADER mishandles.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import re
import sys
import tempfile
import threading
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import spacy
from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_SPACE, IS_STOP, LEMMA, LENGTH, POS, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from analysis import config
from analysis import schema as S
from analysis.annotate.cache import AnnotationCache, namespace
from analysis.annotate.language import LANGID_VERSION, POLICY, detect_language
from analysis.annotate.language import identifier as _langid_identifier
from analysis.annotate.nlp import fresh_pipeline, model_location
from analysis.annotate.protocol import Linker
from analysis.annotate.sentiment import (
    REMOVED_CHARS,
    REPLACED_CHARS,
    VADER_VERSION,
    sentiment_label,
    vader_scores,
)
from analysis.annotate.sentiment import analyzer as _vader_analyzer
from analysis.errors import DiscourseError, StageInputError
from analysis.schema.order import thread_order
from analysis.tables import read_fingerprint, stamped_schema

#: The model components run (the parser is excluded; en_core_web_sm ships ``senter`` disabled).
MODEL_COMPONENTS = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "ner", "senter")
EXCLUDED_COMPONENTS = ("parser",)
#: Shipped disabled by the model; the sentence recogniser replaces the excluded parser.
SWITCHED_ON_COMPONENTS = ("senter",)
FLAG_COMPONENT = "discourse_merge_flags"
BREAK_COMPONENT = "discourse_paragraph_breaks"
RECORD_COMPONENT = "discourse_record"
#: ``Doc.user_data`` key holding a parsed document's record.
RECORD_KEY = "discourse_record"

#: Candidate tokens for linking: alphabetic, not a stop word, at least this long, outside NER spans.
CANDIDATE_MIN_LENGTH = 3
#: Documents per chunk of the build pass and per cache transaction.
DEFAULT_CHUNK_SIZE = 2000
#: Rows per batch when reading the input tables, and per write of a thread's tables.
_READ_BATCH_ROWS = 16_384
_WRITE_ROWS = 16_384
#: A progress bar is shown (when stderr is a terminal) once this many documents need parsing.
PROGRESS_MIN_DOCS = 500
SKIP_EMPTY = "empty"
SKIP_NOT_ENGLISH = "not-english"
TABLE_SPECS = {
    "sentences": S.SENTENCES,
    "documents": S.DOCUMENTS,
    "mentions": S.MENTIONS,
    "entities": S.ENTITIES,
}

_CORPUS_COLUMNS = [
    S.THREAD_ID,
    S.DOC_ID,
    S.DOC_KIND,
    "position",
    S.TEXT,
    "is_empty",
    "is_duplicate",
]
_PARAGRAPH_COLUMNS = [S.DOC_ID, S.PARAGRAPH_ID, S.START_CHAR, S.END_CHAR]
_REGIONAL_INDICATOR = re.compile("[\U0001f1e6-\U0001f1ff]")
_TOKEN_ATTRS = [IDX, LENGTH, IS_SPACE, IS_ALPHA, IS_STOP, ENT_TYPE, SENT_START, LEMMA, POS]
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_THREAD_ENV_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
_SHIFT = 32  # doc index << 32 | char offset: one sortable int64 key per position


# ============================================================================ pipeline components


def _is_regional_indicator(token: Any) -> bool:
    text = token.text
    return len(text) == 1 and 0x1F1E6 <= ord(text) <= 0x1F1FF


@Language.component(FLAG_COMPONENT)
def merge_flag_emoji(doc: Doc) -> Doc:
    """Merge each pair of adjacent regional-indicator tokens (a flag emoji) into one token.

    Pairs are taken from the start of each run of indicators, as Unicode reads flags, so
    ``🇺🇸🇮🇱`` becomes two tokens. Runs before the statistical components, which see one token.
    """
    if not _REGIONAL_INDICATOR.search(doc.text):
        return doc
    spans, i, n = [], 0, len(doc)
    while i < n - 1:
        token = doc[i]
        if _is_regional_indicator(token):
            if not token.whitespace_ and _is_regional_indicator(doc[i + 1]):
                spans.append(doc[i : i + 2])
                i += 2
                continue
        i += 1
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span)
    return doc


@Language.component(BREAK_COMPONENT)
def break_at_blank_lines(doc: Doc) -> Doc:
    """Start a sentence at the first token after every blank line (paragraph break)."""
    text = doc.text
    if "\n" not in text:
        return doc
    starts = [t.idx for t in doc]
    for match in _BLANK_LINE.finditer(text):
        i = bisect_left(starts, match.end())
        while i < len(doc) and doc[i].is_space:
            i += 1
        if i < len(doc):
            doc[i].is_sent_start = True
    return doc


def doc_record(doc: Doc) -> dict:
    """Condense a parsed document into the record the cache stores.

    Token attributes are read in one ``Doc.to_array`` call rather than through ``Token`` objects.

    Returns:
        ``{"lang", "lang_score", "lang_rule", "tokens", "words", "vader", "sents", "ents",
        "cands"}``: ``tokens`` counts non-whitespace tokens and ``words`` alphabetic ones;
        ``vader`` is ``[neg, neu, pos, compound]`` of the whole text (``None`` when not
        English); ``sents`` rows are ``[start, end, token_count, lemmas, neg, neu, pos,
        compound, words]`` (``words``: the lemmatised words as written, lower-cased), a
        sentence running from its first to its last non-whitespace token;
        ``ents`` rows ``[start, end, label]``; ``cands`` rows ``[start, end, pos, lemma]``.
        Sentences, spans and candidates are empty for non-English texts.
    """
    text = doc.text
    guess = detect_language(text)
    rows = doc.to_array(_TOKEN_ATTRS).tolist()
    record: dict[str, Any] = {
        "lang": guess.lang,
        "lang_score": guess.score,
        "lang_rule": guess.rule,
        "tokens": sum(1 for r in rows if not r[2]),
        "words": sum(1 for r in rows if r[3] and not r[2]),
        "vader": None,
        "sents": [],
        "ents": [],
        "cands": [],
    }
    if not guess.is_english:
        return record
    strings = doc.vocab.strings
    bounds: list[list] = []  # [start, end, token_count, lemmas, words]
    current: list | None = None
    cands = []
    for idx, length, space, alpha, stop, ent_type, sent_start, lemma, pos in rows:
        if sent_start == 1 or current is None:
            current = [None, None, 0, [], []]
            bounds.append(current)
        if space:
            continue
        if current[0] is None:
            current[0] = idx
        current[1] = idx + length
        current[2] += 1
        if alpha and not stop:
            lemma_text = strings[lemma]
            current[3].append(lemma_text.lower())
            current[4].append(text[idx : idx + length].lower())
            if ent_type == 0 and length >= CANDIDATE_MIN_LENGTH:
                cands.append([idx, idx + length, strings[pos], lemma_text])
    sents = [
        [start, end, n, " ".join(lemmas), *vader_scores(text[start:end]), " ".join(words)]
        for start, end, n, lemmas, words in bounds
        if start is not None
    ]
    if len(sents) == 1 and sents[0][1] - sents[0][0] == len(text.strip()):
        record["vader"] = sents[0][4:8]  # VADER strips the text itself: same input, same scores
    else:
        record["vader"] = list(vader_scores(text))
    record["sents"] = sents
    record["ents"] = [[e.start_char, e.end_char, e.label_] for e in doc.ents]
    record["cands"] = cands
    return record


@Language.component(RECORD_COMPONENT)
def attach_record(doc: Doc) -> Doc:
    """Store :func:`doc_record` in ``doc.user_data``."""
    doc.user_data[RECORD_KEY] = doc_record(doc)
    return doc


@lru_cache(maxsize=1)
def annotation_pipeline() -> Language:
    """The pipeline this step runs, loaded once per process.

    ``en_core_web_sm`` ships ``senter`` disabled and a config that disables it again whatever
    ``enable=`` says, so the pipeline is loaded without the parser and ``senter`` is switched on
    afterwards. The suite's components are added to this private copy only.

    Raises:
        ModelNotFoundError: no English pipeline is installed.
    """
    nlp = fresh_pipeline(exclude=EXCLUDED_COMPONENTS, switch_on=SWITCHED_ON_COMPONENTS)
    nlp.add_pipe(FLAG_COMPONENT, first=True)
    nlp.add_pipe(BREAK_COMPONENT, after="senter")
    nlp.add_pipe(RECORD_COMPONENT, last=True)
    return nlp


@lru_cache(maxsize=1)
def cache_settings() -> dict[str, Any]:
    """Everything that changes a cached record: model, library versions, policies.

    Reads the model's ``meta.json`` without loading the pipeline, so a fully cached rerun does not
    load spaCy's models at all.
    """
    _, path = model_location()
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    return {
        "model_name": f"{meta.get('lang', 'en')}_{meta.get('name', '?')}",
        "model_version": meta.get("version", "?"),
        "spacy_version": spacy.__version__,
        "vader_version": VADER_VERSION,
        "langid_version": LANGID_VERSION,
        "components": [FLAG_COMPONENT, *MODEL_COMPONENTS, BREAK_COMPONENT, RECORD_COMPONENT],
        "excluded": list(EXCLUDED_COMPONENTS),
        "language_policy": POLICY,
        "vader_removed": REMOVED_CHARS,
        "vader_replaced": REPLACED_CHARS,
        "candidate_min_length": CANDIDATE_MIN_LENGTH,
    }


# =================================================================================== sinks


class _MemorySink:
    """Collects the tables in memory (for :func:`annotate_corpus`)."""

    def __init__(self) -> None:
        self.frames: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_SPECS}

    def write(self, name: str, frame: pd.DataFrame) -> None:
        if len(frame):
            self.frames[name].append(frame)

    def finish(self) -> dict[str, pd.DataFrame]:
        out = {}
        for name, spec in TABLE_SPECS.items():
            frames = self.frames[name]
            out[name] = (
                spec.conform(pd.concat(frames, ignore_index=True)) if frames else spec.empty()
            )
        return out

    def abort(self) -> None:
        self.frames.clear()


class _ParquetSink:
    """Streams the tables to ``<out_dir>/<name>.parquet`` (and ``.csv``), replaced atomically."""

    def __init__(self, out_dir: Path, *, csv: bool, fingerprint: str | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.tmp_dir = Path(tempfile.mkdtemp(prefix=".annotate-", dir=self.out_dir))
        self.csv = csv
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.schemas = {
            name: stamped_schema(
                pa.Schema.from_pandas(spec.empty(), preserve_index=False), fingerprint
            )
            for name, spec in TABLE_SPECS.items()
        }
        self.csv_started: set[str] = set()

    def _writer(self, name: str) -> pq.ParquetWriter:
        if name not in self.writers:
            self.writers[name] = pq.ParquetWriter(
                self.tmp_dir / f"{name}.parquet", self.schemas[name]
            )
        return self.writers[name]

    def write(self, name: str, frame: pd.DataFrame) -> None:
        if not len(frame):
            return
        table = TABLE_SPECS[name].conform(frame)
        self._writer(name).write_table(
            pa.Table.from_pandas(table, schema=self.schemas[name], preserve_index=False)
        )
        if self.csv:
            first = name not in self.csv_started
            table.to_csv(
                self.tmp_dir / f"{name}.csv",
                mode="w" if first else "a",
                header=first,
                index=False,
                lineterminator="\n",
            )
            self.csv_started.add(name)

    def finish(self) -> dict[str, Path]:
        paths = {}
        for name, spec in TABLE_SPECS.items():
            writer = self._writer(name)  # creates an empty table when nothing was written
            writer.close()
            if self.csv and name not in self.csv_started:
                spec.empty().to_csv(self.tmp_dir / f"{name}.csv", index=False, lineterminator="\n")
            suffixes = (".parquet", ".csv") if self.csv else (".parquet",)
            for suffix in suffixes:
                (self.tmp_dir / f"{name}{suffix}").replace(self.out_dir / f"{name}{suffix}")
            paths[name] = self.out_dir / f"{name}.parquet"
        self.tmp_dir.rmdir()
        return paths

    def abort(self) -> None:
        for writer in self.writers.values():
            with suppress(Exception):
                writer.close()
        for path in self.tmp_dir.glob("*"):
            path.unlink()
        with suppress(OSError):
            self.tmp_dir.rmdir()


# ================================================================================ the step


class _TextStore:
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


def _store_texts(texts: pd.Series, store: _TextStore) -> np.ndarray:
    """Append ``texts`` (missing -> "") to ``store``; return which are blank (whitespace only)."""
    texts = texts.fillna("").astype("string")
    store.append(texts.tolist())
    return (texts.str.strip() == "").to_numpy(dtype=bool)


class _Spill:
    """Frames pickled to a temporary file and read back in order: a thread's document rows wait
    there (off the heap) until its mention counts are known."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="discourse-annotate-")
        self.count = 0

    def write(self, frame: pd.DataFrame) -> None:
        pickle.dump(frame, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def read(self) -> Iterator[pd.DataFrame]:
        self.file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.file)  # noqa: S301 (this process wrote the file)

    def close(self) -> None:
        self.file.close()


@dataclass
class _Thread:
    """What a thread needs to keep between its chunks: integer arrays, no spaCy objects."""

    thread_id: str
    lo: int  # its first corpus row
    hi: int  # one past its last
    link_key: str | None
    cached_links: tuple[pd.DataFrame, np.ndarray, int] | None
    linker: Any | None  # fed while the chunks are built (None: linking comes from the cache)
    keeps_candidate: Any = None  # the linker's candidate filter
    docs: _Spill = field(default_factory=_Spill)
    rows: array = field(default_factory=lambda: array("q"))  # corpus rows of linked documents
    span_count: int = 0
    sent_keys: list[np.ndarray] = field(default_factory=list)
    sent_ends: list[np.ndarray] = field(default_factory=list)
    sent_index: list[np.ndarray] = field(default_factory=list)
    sent_compounds: list[np.ndarray] = field(default_factory=list)


@dataclass
class _Stats:
    documents: int = 0
    annotated: int = 0
    empty: int = 0
    non_english: int = 0
    sentences: int = 0
    mentions: int = 0
    entities: int = 0
    threads: int = 0
    parsed: int = 0
    cache_hits: int = 0
    link_cache_hits: int = 0


def _require(df: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise StageInputError(f"annotate: expected a {table!r} table; missing columns {missing}")


@contextmanager
def _single_threaded_workers(active: bool) -> Iterator[None]:
    """Ask numerical libraries in worker processes for one thread each (restored afterwards)."""
    saved = {name: os.environ.get(name) for name in _THREAD_ENV_VARS}
    if active:
        for name in _THREAD_ENV_VARS:
            os.environ[name] = "1"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _show_progress(progress: bool | None, n: int) -> bool:
    if progress is not None:
        return progress
    return n >= PROGRESS_MIN_DOCS and sys.stderr.isatty()


def _batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _init_worker() -> None:
    """Worker process start: load the pipeline, detector and VADER (no-ops when forked)."""
    annotation_pipeline()
    _langid_identifier()
    _vader_analyzer()


def _parse_task(task: tuple[list[str], int]) -> list[dict]:
    """Worker process: parse one slice of texts, return their records."""
    texts, batch_size = task
    return [
        doc.user_data[RECORD_KEY]
        for doc in annotation_pipeline().pipe(texts, batch_size=batch_size)
    ]


def _parse_records(texts: Iterable[str], *, workers: int, batch_size: int) -> Iterator[dict]:
    """Records of ``texts``, in order, from ``workers`` processes.

    One process runs ``nlp.pipe`` in place. Several processes each run ``nlp.pipe`` over slices
    of ``batch_size`` texts (one batch) and send back only the records. (spaCy's own
    ``nlp.pipe(n_process=...)`` ships every ``Doc`` back to the parent through srsly's msgpack,
    whose registry lookup costs about a millisecond per document here, so two processes ran
    slower than one.) Slices start at multiples of ``batch_size``, so batches are the same as in
    one process.
    """
    _init_worker()
    if workers == 1:
        for doc in annotation_pipeline().pipe(texts, batch_size=batch_size):
            yield doc.user_data[RECORD_KEY]
        return
    step = batch_size
    tasks = ((batch, batch_size) for batch in _batched(texts, step))
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with _single_threaded_workers(True):
        pool = context.Pool(workers, initializer=_init_worker)
    try:
        for records in pool.imap(_parse_task, tasks):
            yield from records
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _parse_missing(
    texts: Callable[[np.ndarray], list[str]],
    rows: np.ndarray,
    store: AnnotationCache,
    *,
    workers: int,
    batch_size: int,
    chunk_size: int,
    progress: bool | None,
) -> None:
    """Parse the texts at positions ``rows`` and store their records (pass 2).

    Texts are fetched from the (Arrow-backed) column a chunk at a time, so the parse queue never
    holds the whole corpus as Python strings.
    """
    if not len(rows):
        return

    def fetch() -> Iterator[str]:
        for lo in range(0, len(rows), chunk_size):
            yield from texts(rows[lo : lo + chunk_size])

    bar = None
    if _show_progress(progress, len(rows)):
        from tqdm import tqdm

        bar = tqdm(total=len(rows), unit="doc", desc="annotate", file=sys.stderr)
    pending: dict[str, dict] = {}
    records = _parse_records(fetch(), workers=workers, batch_size=batch_size)
    try:
        for record, text in zip(records, fetch(), strict=True):
            pending[store.key(text)] = record
            if len(pending) >= chunk_size:
                store.put_many(pending)
                if bar is not None:
                    bar.update(len(pending))
                pending = {}
        store.put_many(pending)
        if bar is not None:
            bar.update(len(pending))
    finally:
        records.close()
        if bar is not None:
            bar.close()


def _prepare(
    corpus: pd.DataFrame, paragraphs: pd.DataFrame, texts: _TextStore
) -> tuple[pd.DataFrame, dict]:
    """Validate the inputs, order the corpus by thread, index the paragraphs.

    The corpus's texts move to ``texts`` (unless :func:`_read_corpus` put them there already:
    then the frame has ``_text_row`` and ``_blank``); the returned frame has ``_text_row`` (the
    text's row in ``texts``) and ``_skip_empty`` instead of ``text``.
    """
    stored = S.TEXT not in corpus.columns and {"_text_row", "_blank"} <= set(corpus.columns)
    _require(corpus, [c for c in _CORPUS_COLUMNS if not (stored and c == S.TEXT)], "corpus")
    _require(paragraphs, _PARAGRAPH_COLUMNS, "paragraphs")
    if stored:
        text_rows, blank = corpus["_text_row"].to_numpy(), corpus["_blank"].to_numpy(dtype=bool)
    else:
        text_rows = np.arange(len(texts), len(texts) + len(corpus), dtype="int64")
        blank = np.zeros(len(corpus), dtype=bool)
        for lo in range(0, len(corpus), _READ_BATCH_ROWS):  # a slice at a time: no full copy
            part = corpus[S.TEXT].iloc[lo : lo + _READ_BATCH_ROWS]
            blank[lo : lo + len(part)] = _store_texts(part, texts)
    corpus = corpus.loc[:, [c for c in _CORPUS_COLUMNS if c != S.TEXT]]
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
    keys = (para_doc[keep].astype("int64") << _SHIFT) | starts
    order = np.argsort(keys, kind="stable")
    para_index = {
        "keys": keys[order],
        "ends": paragraphs[S.END_CHAR].to_numpy(dtype="int64", na_value=0)[keep][order],
        "ids": _arrow(paragraphs, S.PARAGRAPH_ID).take(np.flatnonzero(keep)[order]),
    }
    return corpus, para_index


def _paragraph_ids(para_index: dict, doc_idx: np.ndarray, starts: np.ndarray) -> list:
    """Paragraph holding each sentence start (``None`` when the paragraphs table has none)."""
    keys = para_index["keys"]
    if not len(keys) or not len(starts):
        return [None] * len(starts)
    wanted = (doc_idx.astype("int64") << _SHIFT) | starts
    pos = np.searchsorted(keys, wanted, side="right") - 1
    safe = np.clip(pos, 0, None)
    ok = (pos >= 0) & ((keys[safe] >> _SHIFT) == doc_idx) & (starts < para_index["ends"][safe])
    ids = para_index["ids"].take(safe).to_pylist()
    return [i if good else None for i, good in zip(ids, ok, strict=True)]


def _arrow(frame: pd.DataFrame, column: str) -> pa.ChunkedArray:
    """A column as an Arrow string array (no copy when it is Arrow-backed already)."""
    table = pa.Table.from_pandas(frame[[column]].astype({column: "string"}), preserve_index=False)
    return pc.cast(table.column(0), pa.large_string())


def _build_chunk(
    chunk: pd.DataFrame,
    corpus_texts: _TextStore,
    offset: int,
    keys: list[str | None],
    records: dict[str, dict],
    thread: _Thread,
    para_index: dict,
    stats: _Stats,
) -> pd.DataFrame:
    """Build one chunk's document and sentence rows; collect what linking needs."""
    doc_ids = chunk[S.DOC_ID].tolist()
    kinds = chunk[S.DOC_KIND].tolist()
    positions = chunk["position"].tolist()
    texts = corpus_texts.take(chunk["_text_row"].to_numpy())
    empty = chunk["_skip_empty"].tolist()
    n = len(chunk)
    lang, lang_score = [None] * n, np.full(n, np.nan)
    is_english, annotated, skip = [None] * n, [False] * n, [None] * n
    tokens, words = [0] * n, [0] * n
    n_sents = [None] * n
    vader = np.full((n, 4), np.nan)
    sent_mean = np.full(n, np.nan)
    s_rows: dict[str, list] = {
        k: []
        for k in (
            "doc",
            "kind",
            "index",
            "start",
            "end",
            "text",
            "lemmas",
            "words",
            "tokens",
            "neg",
            "neu",
            "pos",
            "compound",
            "doc_idx",
        )
    }
    linker = thread.linker
    for i in range(n):
        if empty[i]:
            skip[i] = SKIP_EMPTY
            stats.empty += 1
            continue
        rec = records[keys[i]]
        lang[i], lang_score[i] = rec["lang"], rec["lang_score"]
        is_english[i] = rec["lang"] == "en"
        tokens[i], words[i] = rec["tokens"], rec["words"]
        if not is_english[i]:
            skip[i] = SKIP_NOT_ENGLISH
            stats.non_english += 1
            continue
        annotated[i] = True
        stats.annotated += 1
        doc_id, text = doc_ids[i], texts[i]
        vader[i] = rec["vader"]
        sents = rec["sents"]
        n_sents[i] = len(sents)
        if sents:
            sent_mean[i] = float(np.mean([s[7] for s in sents]))
        for j, (start, end, ntok, lemmas, neg, neu, pos, comp, surface) in enumerate(sents):
            s_rows["doc"].append(doc_id)
            s_rows["kind"].append(kinds[i])
            s_rows["index"].append(j)
            s_rows["start"].append(start)
            s_rows["end"].append(end)
            s_rows["text"].append(text[start:end])
            s_rows["lemmas"].append(lemmas)
            s_rows["words"].append(surface)
            s_rows["tokens"].append(ntok)
            s_rows["neg"].append(neg)
            s_rows["neu"].append(neu)
            s_rows["pos"].append(pos)
            s_rows["compound"].append(comp)
            s_rows["doc_idx"].append(offset + i)
        if linker is not None:
            first = thread.span_count
            thread.span_count += len(rec["ents"])
            linker.add_doc(
                doc_id=doc_id,
                is_article=kinds[i] == S.ARTICLE,
                position=positions[i],
                spans=[(a, b, label, first + k) for k, (a, b, label) in enumerate(rec["ents"])],
                # only candidates linking can use (ordinary lower-case words are most of them)
                candidates=[
                    (a, b, pos_tag, lemma)
                    for a, b, pos_tag, lemma in rec["cands"]
                    if thread.keeps_candidate(text[a:b], pos_tag)
                ],
            )
            thread.rows.append(offset + i)

    docs = pd.DataFrame(
        {
            S.THREAD_ID: chunk[S.THREAD_ID].to_numpy(),
            S.DOC_ID: doc_ids,
            S.DOC_KIND: kinds,
            "position": chunk["position"].to_numpy(),
            "is_empty": chunk["is_empty"].to_numpy(),
            "is_duplicate": chunk["is_duplicate"].to_numpy(),
            S.LANG: lang,
            "lang_score": lang_score,
            "is_english": pd.array(is_english, dtype="boolean"),
            "is_annotated": annotated,
            "skip_reason": skip,
            "token_count": tokens,
            "word_count": words,
            "sentence_count": pd.array(n_sents, dtype="Int64"),
            "vader_neg": vader[:, 0],
            "vader_neu": vader[:, 1],
            "vader_pos": vader[:, 2],
            "vader_compound": vader[:, 3],
            "sentence_compound_mean": sent_mean,
            "sentiment_label": [sentiment_label(c) for c in vader[:, 3]],
            "mention_count": pd.array([None] * n, dtype="Int64"),
        }
    )
    thread.docs.write(S.DOCUMENTS.conform(docs))

    n_s = len(s_rows["doc"])
    stats.sentences += n_s
    sentences = pd.DataFrame(
        {
            S.THREAD_ID: [thread.thread_id] * n_s,
            S.DOC_ID: s_rows["doc"],
            S.DOC_KIND: s_rows["kind"],
            S.SENTENCE_ID: [
                f"{d}/s{j}" for d, j in zip(s_rows["doc"], s_rows["index"], strict=True)
            ],
            "sentence_index": s_rows["index"],
            S.PARAGRAPH_ID: _paragraph_ids(
                para_index,
                np.asarray(s_rows["doc_idx"], dtype="int64"),
                np.asarray(s_rows["start"], dtype="int64"),
            ),
            S.START_CHAR: s_rows["start"],
            S.END_CHAR: s_rows["end"],
            S.TEXT: s_rows["text"],
            "lemmas": s_rows["lemmas"],
            "words": s_rows["words"],
            "token_count": s_rows["tokens"],
            "vader_neg": s_rows["neg"],
            "vader_neu": s_rows["neu"],
            "vader_pos": s_rows["pos"],
            "vader_compound": np.asarray(s_rows["compound"], dtype="float64"),
        }
    )
    doc_idx = np.asarray(s_rows["doc_idx"], dtype="int64")
    thread.sent_keys.append((doc_idx << _SHIFT) | np.asarray(s_rows["start"], dtype="int64"))
    thread.sent_ends.append(np.asarray(s_rows["end"], dtype="int64"))
    thread.sent_index.append(np.asarray(s_rows["index"], dtype="int32"))
    thread.sent_compounds.append(sentences["vader_compound"].to_numpy(dtype="float64"))

    return sentences


def _finish_thread(
    thread: _Thread,
    corpus: pd.DataFrame,
    texts: _TextStore,
    sink: _MemorySink | _ParquetSink,
    store: AnnotationCache,
    stats: _Stats,
    chunk_size: int,
) -> None:
    """Link the thread, write its mentions (with their sentences), entities and documents.

    The linker reads the texts a chunk at a time; mention rows are written a chunk of documents
    at a time, and each chunk goes to the link cache as one part.
    """
    counts = np.zeros(thread.hi - thread.lo, dtype="int64")
    sentences = _SentenceIndex(thread)
    if thread.cached_links is not None:
        entities, cached_counts, parts = thread.cached_links
        counts[:] = cached_counts
        for mentions in store.link_parts(thread.link_key, parts):
            sink.write("mentions", S.MENTIONS.conform(mentions))
            stats.mentions += len(mentions)
        stats.link_cache_hits += 1
    elif thread.linker is not None and thread.rows:
        linker = thread.linker
        rows = np.array(thread.rows, dtype="int64")
        thread.rows = array("q")
        text_rows = corpus["_text_row"].to_numpy()
        doc_ids, kinds = corpus[S.DOC_ID], corpus[S.DOC_KIND]
        keys = corpus[[S.DOC_KIND, "position", S.DOC_ID]].iloc[rows]
        order = thread_order(keys[S.DOC_KIND], keys["position"], keys[S.DOC_ID])
        del keys
        rank = np.empty(len(rows), dtype="int64")
        rank[order] = np.arange(len(rows))
        linker.link(lambda lo, hi: texts.take(text_rows[rows[lo:hi]]), rank)
        per_doc = np.asarray(linker.mention_counts(), dtype="int64")
        counts[rows - thread.lo] = per_doc
        entities = linker.entities()
        parts = 0
        for lo in range(0, len(rows), chunk_size):
            part_rows = rows[lo : lo + chunk_size]
            hi = lo + len(part_rows)
            mentions = linker.mention_rows(
                lo, hi, doc_ids.iloc[part_rows].tolist(), kinds.iloc[part_rows].tolist()
            )
            if not len(mentions):
                continue
            mentions = sentences.attach(mentions, np.repeat(part_rows, per_doc[lo:hi]))
            sink.write("mentions", mentions)
            stats.mentions += len(mentions)
            if thread.link_key is not None:
                store.put_link_part(thread.link_key, parts, mentions)
            parts += 1
        if thread.link_key is not None:
            store.put_links(thread.link_key, entities, counts, parts)
    else:
        entities = S.ENTITIES.empty()
        if thread.link_key is not None:
            store.put_links(thread.link_key, entities, counts, 0)
    thread.linker = None
    entities = S.ENTITIES.conform(entities)
    stats.entities += len(entities)
    sink.write("entities", entities)
    row = 0
    for docs in thread.docs.read():
        n = len(docs)
        annotated = docs["is_annotated"].to_numpy(dtype=bool)
        docs["mention_count"] = pd.Series(counts[row : row + n], dtype="Int64").where(annotated)
        row += n
        sink.write("documents", docs)


class _SentenceIndex:
    """A thread's sentences by (corpus row, start), to find the sentence holding a mention."""

    def __init__(self, thread: _Thread) -> None:
        def join(parts: list[np.ndarray], dtype: str) -> np.ndarray:
            out = np.concatenate(parts) if parts else np.zeros(0, dtype)
            parts.clear()
            return out

        self.keys = join(thread.sent_keys, "int64")
        self.ends = join(thread.sent_ends, "int64")
        self.indexes = join(thread.sent_index, "int32")
        self.compounds = join(thread.sent_compounds, "float64")

    def attach(self, mentions: pd.DataFrame, doc_idx: np.ndarray) -> pd.DataFrame:
        """Add ``sentence_id`` and ``sentence_compound`` (``doc_idx``: each mention's corpus
        row); the sentence is the one holding the mention's start."""
        mentions = mentions.copy(deep=False)  # copy-on-write: new columns never touch the input
        keys = self.keys
        starts = mentions[S.START_CHAR].to_numpy(dtype="int64")
        wanted = (doc_idx.astype("int64") << _SHIFT) | starts
        if len(keys):
            pos = np.searchsorted(keys, wanted, side="right") - 1
            safe = np.clip(pos, 0, None)
            ok = (pos >= 0) & ((keys[safe] >> _SHIFT) == doc_idx) & (starts < self.ends[safe])
        else:
            safe = np.zeros(len(mentions), dtype="int64")
            ok = np.zeros(len(mentions), dtype=bool)
        indexes = self.indexes
        mentions[S.SENTENCE_ID] = pd.array(
            [
                f"{d}/s{indexes[p]}" if good else None
                for d, p, good in zip(mentions[S.DOC_ID].tolist(), safe, ok, strict=True)
            ],
            dtype="string",
        )
        mentions["sentence_compound"] = np.where(
            ok, self.compounds[safe] if len(keys) else np.nan, np.nan
        )
        return S.MENTIONS.conform(mentions)


def _plan_prefix(key: str) -> int:
    """The first 64 bits of a record key (planning tells texts apart by these; a shared prefix
    only means a text is parsed later, in the build pass)."""
    return int(key[:16], 16)


def _chunk_keys(
    corpus: pd.DataFrame,
    corpus_texts: _TextStore,
    store: AnnotationCache,
    lo: int,
    hi: int,
    chunk_size: int,
) -> Iterator[tuple[int, int, list[str | None]]]:
    """``(start, stop, keys)`` of each chunk of rows ``lo:hi`` (``None`` for empty documents)."""
    for c_lo in range(lo, hi, chunk_size):
        c_hi = min(c_lo + chunk_size, hi)
        texts = corpus_texts.take(corpus["_text_row"].iloc[c_lo:c_hi].to_numpy())
        empty = corpus["_skip_empty"].iloc[c_lo:c_hi].tolist()
        yield c_lo, c_hi, [None if e else store.key(t) for t, e in zip(texts, empty, strict=True)]


def _run(
    corpus: pd.DataFrame,
    paragraphs: pd.DataFrame,
    sink: _MemorySink | _ParquetSink,
    texts: _TextStore,
    *,
    linker: Linker,
    workers: int,
    batch_size: int,
    cache_dir: Path | None,
    use_cache: bool,
    chunk_size: int,
    progress: bool | None,
) -> _Stats:
    if workers < 1:
        raise DiscourseError(f"annotate: workers must be at least 1 (got {workers})")
    if batch_size < 1:
        raise DiscourseError(f"annotate: batch size must be at least 1 (got {batch_size})")
    if chunk_size < 1:
        raise DiscourseError(f"annotate: chunk size must be at least 1 (got {chunk_size})")
    corpus, para_index = _prepare(corpus, paragraphs, texts)
    del paragraphs
    _release_arrow_memory()
    stats = _Stats(documents=len(corpus))
    ns = namespace(cache_settings())
    scratch = None
    if use_cache:
        store_dir = (
            Path(cache_dir)
            if cache_dir is not None
            else (config.PROCESSED_DIR / ".cache" / "annotate")
        )
    else:
        scratch = tempfile.TemporaryDirectory(prefix="discourse-annotate-")
        store_dir = Path(scratch.name)
    try:
        with AnnotationCache(store_dir, namespace=ns) as store:
            thread_codes, thread_names = pd.factorize(corpus[S.THREAD_ID], use_na_sentinel=False)
            bounds = np.flatnonzero(thread_codes[1:] != thread_codes[:-1]) + 1
            starts = [0, *bounds.tolist()] if len(corpus) else []
            stops = [*bounds.tolist(), len(corpus)] if len(corpus) else []
            link_version = linker.version() if use_cache and len(corpus) else ""

            # pass 1: plan (keys are recomputed later rather than held for the whole corpus;
            # texts to parse are told apart by the first 64 bits of their key, in an integer array)
            plan_rows, plan_prefixes = array("q"), array("Q")
            link_keys: list[str | None] = []
            for lo, hi in zip(starts, stops, strict=True):
                thread_id = str(thread_names[thread_codes[lo]])
                link_hash = hashlib.sha256(f"{ns}\0{link_version}\0{thread_id}".encode())
                for c_lo, c_hi, chunk_keys in _chunk_keys(corpus, texts, store, lo, hi, chunk_size):
                    present = {k for k in chunk_keys if k is not None}
                    hits = store.contains(present) if use_cache else set()
                    part = corpus.iloc[c_lo:c_hi]
                    columns = (part[S.DOC_ID], part[S.DOC_KIND], part["position"])
                    for i, (key, doc_id, kind, pos) in enumerate(
                        zip(chunk_keys, *columns, strict=True)
                    ):
                        if key is None:
                            continue
                        link_hash.update(f"\0{doc_id}|{kind}|{pos}|{key}".encode())
                        if key in hits:
                            stats.cache_hits += 1
                        else:
                            plan_rows.append(c_lo + i)
                            plan_prefixes.append(_plan_prefix(key))
                link_keys.append(link_hash.hexdigest() if use_cache else None)
            # the first occurrence of each text to parse (repeats are parsed once)
            _, first = np.unique(np.array(plan_prefixes, dtype="uint64"), return_index=True)
            parse_rows = np.sort(np.array(plan_rows, dtype="int64")[first])
            del plan_rows, plan_prefixes, first
            stats.parsed = len(parse_rows)

            # pass 2: parse
            text_rows = corpus["_text_row"].to_numpy()
            _parse_missing(
                lambda rows: texts.take(text_rows[rows]),
                parse_rows,
                store,
                workers=workers,
                batch_size=batch_size,
                chunk_size=chunk_size,
                progress=progress,
            )
            del parse_rows

            # pass 3: build, thread by thread, chunk by chunk; then link the thread
            for lo, hi, link_key in zip(starts, stops, link_keys, strict=True):
                stats.threads += 1
                thread_id = str(thread_names[thread_codes[lo]])
                cached = store.get_links(link_key) if link_key is not None else None
                if cached is not None and len(cached[1]) != hi - lo:
                    cached = None  # not this thread's shape: link again
                linking = linker.thread(thread_id) if cached is None else None
                thread = _Thread(
                    thread_id, lo, hi, link_key, cached, linking, linker.keeps_candidate
                )
                try:
                    for c_lo, c_hi, chunk_keys in _chunk_keys(
                        corpus, texts, store, lo, hi, chunk_size
                    ):
                        records = store.get_many(k for k in chunk_keys if k is not None)
                        missing = [
                            c_lo + i
                            for i, k in enumerate(chunk_keys)
                            if k is not None and k not in records
                        ]
                        if missing:  # two texts shared a 64-bit key prefix in planning
                            _parse_missing(
                                lambda rows: texts.take(text_rows[rows]),
                                np.asarray(missing, dtype="int64"),
                                store,
                                workers=1,
                                batch_size=batch_size,
                                chunk_size=chunk_size,
                                progress=False,
                            )
                            stats.parsed += len(missing)
                            records = store.get_many(k for k in chunk_keys if k is not None)
                        sentences = _build_chunk(
                            corpus.iloc[c_lo:c_hi],
                            texts,
                            c_lo,
                            chunk_keys,
                            records,
                            thread,
                            para_index,
                            stats,
                        )
                        del records
                        sink.write("sentences", sentences)
                    _finish_thread(thread, corpus, texts, sink, store, stats, chunk_size)
                finally:
                    thread.docs.close()
                del thread
                _release_arrow_memory()
    finally:
        if scratch is not None:
            scratch.cleanup()
    return stats


def annotate_corpus(
    corpus: pd.DataFrame,
    paragraphs: pd.DataFrame,
    *,
    linker: Linker,
    workers: int = 1,
    batch_size: int = 64,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool | None = None,
) -> dict[str, pd.DataFrame]:
    """Annotate a corpus in memory (for notebooks and tests).

    Args:
        corpus: the ``corpus`` table (needs thread_id, doc_id, doc_kind, position, text, is_empty,
            is_duplicate). Not modified.
        paragraphs: the ``paragraphs`` table (doc_id, paragraph_id, start_char, end_char).
        linker: links each thread's mentions (:class:`analysis.annotate.protocol.Linker`; the
            pipeline passes :class:`analysis.linking.RuleLinker`).
        workers: processes that parse (each runs ``nlp.pipe`` over slices of the texts).
        batch_size: documents per ``nlp.pipe`` batch.
        cache_dir: cache folder (default ``data/processed/.cache/annotate``).
        use_cache: read and write the cache; ``False`` parses everything and writes nothing.
        chunk_size: documents per build chunk and per cache transaction.
        progress: show a progress bar (``None``: only on a terminal and for long runs).

    Returns:
        ``{"sentences", "documents", "mentions", "entities"}``, each conformed to its
        :mod:`analysis.schema` spec. ``sentences``: thread_id, doc_id, doc_kind, sentence_id,
        sentence_index, paragraph_id, start_char, end_char, text, lemmas, token_count,
        vader_neg/neu/pos/compound. ``documents``: one row per corpus document with language,
        is_annotated/skip_reason, counts, VADER on the whole text, sentence_compound_mean,
        sentiment_label, mention_count (counts that were not computed, e.g. sentences of a
        non-English document, are missing). ``mentions`` and ``entities``: see
        :func:`analysis.linking.link_thread`, plus each mention's sentence_id and
        sentence_compound.

    Raises:
        StageInputError: a required column is missing, or a doc_id occurs twice.
        ModelNotFoundError: texts need parsing and no English pipeline is installed.
        DiscourseError: an option is out of range, or the cache file is unreadable.
    """
    sink, texts = _MemorySink(), _TextStore()
    try:
        _run(
            corpus,
            paragraphs,
            sink,
            texts,
            linker=linker,
            workers=workers,
            batch_size=batch_size,
            cache_dir=cache_dir,
            use_cache=use_cache,
            chunk_size=chunk_size,
            progress=progress,
        )
    finally:
        texts.close()
    return sink.finish()


def _check_input(in_dir: Path, name: str, columns: list[str]) -> Path:
    path = Path(in_dir) / f"{name}.parquet"
    if not path.is_file():
        raise StageInputError(f"{path}: table {name!r} not found; run `discourse ingest` first")
    available = pq.read_schema(path).names
    missing = [c for c in columns if c not in available]
    if missing:
        raise StageInputError(f"{path}: expected a {name!r} table; missing columns {missing}")
    return path


def _read_input(in_dir: Path, name: str, columns: list[str]) -> pd.DataFrame:
    path = _check_input(in_dir, name, columns)
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
    _release_arrow_memory()
    return frame


def _read_corpus(in_dir: Path, texts: _TextStore) -> pd.DataFrame:
    """The corpus table without its texts, which go to ``texts`` a batch at a time (so the whole
    text column is never in memory); the frame gets ``_text_row`` and ``_blank`` instead."""
    path = _check_input(in_dir, "corpus", _CORPUS_COLUMNS)
    parquet = pq.ParquetFile(path)
    parts = []
    for batch in parquet.iter_batches(
        batch_size=_READ_BATCH_ROWS, columns=_CORPUS_COLUMNS, use_threads=False
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
        frame = pd.read_parquet(path, columns=_CORPUS_COLUMNS)
        return frame.drop(columns=[S.TEXT]).assign(
            _text_row=np.zeros(0, dtype="int64"), _blank=np.zeros(0, dtype=bool)
        )
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    del parts
    _release_arrow_memory()
    return frame


def _release_arrow_memory() -> None:
    """Hand memory Arrow's allocator holds but no longer uses back to the system."""
    with suppress(Exception):  # an allocator without the call: nothing to release
        pa.default_memory_pool().release_unused()


def annotate_dir(
    in_dir: Path,
    out_dir: Path | None = None,
    *,
    linker: Linker,
    workers: int = 1,
    batch_size: int = 64,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool | None = None,
    csv: bool = False,
) -> dict[str, Any]:
    """Annotate ``<in_dir>/corpus.parquet``, streaming the four tables to ``out_dir``.

    Only the columns needed are read; tables are written chunk by chunk to a temporary folder and
    moved into place when complete, so a failed run never leaves half-written tables.

    Args:
        in_dir: folder holding ``corpus.parquet`` and ``paragraphs.parquet``.
        linker: links each thread's mentions (see :func:`annotate_corpus`).
        out_dir: output folder (default ``in_dir``).
        cache_dir: cache folder (default ``<out_dir>/.cache/annotate``).
        csv: also write CSV copies.
        workers, batch_size, use_cache, chunk_size, progress: as in :func:`annotate_corpus`.

    Returns:
        A summary: counts of ``documents``, ``annotated``, ``empty``, ``non_english``,
        ``sentences``, ``mentions``, ``entities``, ``threads``, ``parsed`` (texts spaCy parsed
        this run), ``cache_hits`` (documents whose record came from the cache),
        ``link_cache_hits`` (threads whose linking came from the cache), ``seconds`` and
        ``paths`` (table name -> Parquet path).

    Raises:
        StageInputError: an input table is missing or lacks a column.
        ModelNotFoundError, DiscourseError: as in :func:`annotate_corpus`.
    """
    started = time.perf_counter()
    in_dir = Path(in_dir)
    out_dir = Path(out_dir) if out_dir is not None else in_dir
    for name, columns in (("corpus", _CORPUS_COLUMNS), ("paragraphs", _PARAGRAPH_COLUMNS)):
        _check_input(in_dir, name, columns)
    if cache_dir is None:
        cache_dir = out_dir / ".cache" / "annotate"
    sink = _ParquetSink(out_dir, csv=csv, fingerprint=read_fingerprint(in_dir))
    texts = _TextStore()
    try:
        stats = _run(  # the inputs are not held here: _run keeps only what it needs of them
            _read_corpus(in_dir, texts),
            _read_input(in_dir, "paragraphs", _PARAGRAPH_COLUMNS),
            sink,
            texts,
            linker=linker,
            workers=workers,
            batch_size=batch_size,
            cache_dir=cache_dir,
            use_cache=use_cache,
            chunk_size=chunk_size,
            progress=progress,
        )
        paths = sink.finish()
    except BaseException:
        sink.abort()
        raise
    finally:
        texts.close()
    summary: dict[str, Any] = dict(stats.__dict__)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    summary["paths"] = paths
    return summary


def format_summary(summary: dict[str, Any]) -> str:
    """The short summary ``discourse annotate`` prints."""
    s = summary
    return "\n".join(
        [
            f"annotated {s['annotated']} of {s['documents']} documents in {s['threads']} thread(s) "
            f"({s['empty']} empty, {s['non_english']} not English)",
            f"{s['sentences']} sentences, {s['mentions']} mentions of {s['entities']} entities",
            f"cache: {s['cache_hits']} documents from cache, {s['parsed']} parsed; "
            f"{s['link_cache_hits']} thread(s) linking from cache; {s['seconds']:.1f} s",
        ]
    )
