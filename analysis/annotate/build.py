"""Building the tables of a thread: document and sentence rows per partition, then linking.

A thread is built a partition (``chunk_size`` documents) at a time: sentence rows are written as
they are built, document rows wait in a temporary file (:class:`Spill`), and each English
document's NER spans and candidate tokens are fed to the thread's linking (integer columns, no
text). After the thread's last partition the linker runs its link pass over the thread's texts
(the thread's own names are the gazetteer for its comments) and the mentions are written a
partition at a time, each with the sentence that holds it; then the entities, and the document
rows with their mention counts.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.annotate.cache import AnnotationCache
from analysis.annotate.partitions import SHIFT, TextStore, paragraph_ids
from analysis.annotate.sentiment import sentiment_label
from analysis.annotate.sinks import Sink
from analysis.schema.order import thread_order

SKIP_EMPTY = "empty"
SKIP_NOT_ENGLISH = "not-english"


class Spill:
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
class ThreadState:
    """What a thread needs to keep between its chunks: integer arrays, no spaCy objects."""

    thread_id: str
    lo: int  # its first corpus row
    hi: int  # one past its last
    link_key: str | None
    cached_links: tuple[pd.DataFrame, np.ndarray, int] | None
    linker: Any | None  # fed while the chunks are built (None: linking comes from the cache)
    keeps_candidate: Any = None  # the linker's candidate filter
    docs: Spill = field(default_factory=Spill)
    rows: array = field(default_factory=lambda: array("q"))  # corpus rows of linked documents
    span_count: int = 0
    sent_keys: list[np.ndarray] = field(default_factory=list)
    sent_ends: list[np.ndarray] = field(default_factory=list)
    sent_index: list[np.ndarray] = field(default_factory=list)
    sent_compounds: list[np.ndarray] = field(default_factory=list)


@dataclass
class Stats:
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
    rebuilt: int = 0


_SENTENCE_FIELDS = (
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


class _DocumentColumns:
    """The per-document columns of one partition, filled document by document."""

    def __init__(self, n: int) -> None:
        self.lang, self.lang_score = [None] * n, np.full(n, np.nan)
        self.is_english, self.annotated, self.skip = [None] * n, [False] * n, [None] * n
        self.tokens, self.words = [0] * n, [0] * n
        self.n_sents: list[int | None] = [None] * n
        self.vader = np.full((n, 4), np.nan)
        self.sent_mean = np.full(n, np.nan)

    def fill(self, i: int, rec: dict) -> bool:
        """Take document ``i``'s record; returns whether it is English (to be annotated)."""
        self.lang[i], self.lang_score[i] = rec["lang"], rec["lang_score"]
        self.is_english[i] = rec["lang"] == "en"
        self.tokens[i], self.words[i] = rec["tokens"], rec["words"]
        if not self.is_english[i]:
            self.skip[i] = SKIP_NOT_ENGLISH
            return False
        self.annotated[i] = True
        self.vader[i] = rec["vader"]
        sents = rec["sents"]
        self.n_sents[i] = len(sents)
        if sents:
            self.sent_mean[i] = _mean([s[7] for s in sents])
        return True

    def frame(self, chunk: pd.DataFrame, doc_ids: list, kinds: list) -> pd.DataFrame:
        """The partition's ``documents`` rows (``mention_count`` left missing)."""
        vader = self.vader
        docs = pd.DataFrame(
            {
                S.THREAD_ID: chunk[S.THREAD_ID].to_numpy(),
                S.DOC_ID: doc_ids,
                S.DOC_KIND: kinds,
                "position": chunk["position"].to_numpy(),
                "is_empty": chunk["is_empty"].to_numpy(),
                "is_duplicate": chunk["is_duplicate"].to_numpy(),
                S.LANG: self.lang,
                "lang_score": self.lang_score,
                "is_english": pd.array(self.is_english, dtype="boolean"),
                "is_annotated": self.annotated,
                "skip_reason": self.skip,
                "token_count": self.tokens,
                "word_count": self.words,
                "sentence_count": pd.array(self.n_sents, dtype="Int64"),
                "vader_neg": vader[:, 0],
                "vader_neu": vader[:, 1],
                "vader_pos": vader[:, 2],
                "vader_compound": vader[:, 3],
                "sentence_compound_mean": self.sent_mean,
                "sentiment_label": [sentiment_label(c) for c in vader[:, 3]],
                "mention_count": pd.array([None] * len(doc_ids), dtype="Int64"),
            }
        )
        return S.DOCUMENTS.conform(docs)


def _mean(values: list[float]) -> float:
    """``float(np.mean(values))``, bit for bit, without NumPy's per-call cost for the few values
    of a document: below 8 values NumPy's pairwise sum adds them one by one from 0.0, as this
    loop does; from 8 on it is NumPy's own."""
    if len(values) >= 8:
        return float(np.mean(values))
    total = 0.0
    for value in values:
        total += value
    return total / len(values)


def build_partition(
    chunk: pd.DataFrame,
    corpus_texts: TextStore,
    offset: int,
    keys: list[str | None],
    records: dict[str, dict],
    thread: ThreadState,
    para_index: dict,
    stats: Stats,
) -> pd.DataFrame:
    """Build one partition's document and sentence rows; feed the thread's linking.

    Args:
        chunk: the partition's corpus rows (``offset`` is the first one's corpus row).
        keys: each document's record key (``None`` for empty documents).
        records: the records of those keys.

    Returns:
        The partition's ``sentences`` rows (its ``documents`` rows wait in ``thread.docs``).
    """
    doc_ids = chunk[S.DOC_ID].tolist()
    kinds = chunk[S.DOC_KIND].tolist()
    positions = chunk["position"].tolist()
    texts = corpus_texts.take(chunk["_text_row"].to_numpy())
    columns = _DocumentColumns(len(chunk))
    rows: dict[str, list] = {k: [] for k in _SENTENCE_FIELDS}
    for i, empty in enumerate(chunk["_skip_empty"].tolist()):
        if empty:
            columns.skip[i] = SKIP_EMPTY
            stats.empty += 1
            continue
        rec = records[keys[i]]
        if not columns.fill(i, rec):
            stats.non_english += 1
            continue
        stats.annotated += 1
        _add_sentences(rows, rec["sents"], doc_ids[i], kinds[i], texts[i], offset + i)
        if thread.linker is not None:
            _feed_linking(thread, rec, doc_ids[i], kinds[i], positions[i], texts[i])
            thread.rows.append(offset + i)
    thread.docs.write(columns.frame(chunk, doc_ids, kinds))
    sentences = _sentence_frame(rows, thread.thread_id, para_index)
    stats.sentences += len(sentences)
    doc_idx = np.asarray(rows["doc_idx"], dtype="int64")
    thread.sent_keys.append((doc_idx << SHIFT) | np.asarray(rows["start"], dtype="int64"))
    thread.sent_ends.append(np.asarray(rows["end"], dtype="int64"))
    thread.sent_index.append(np.asarray(rows["index"], dtype="int32"))
    thread.sent_compounds.append(sentences["vader_compound"].to_numpy(dtype="float64"))
    return sentences


def _add_sentences(
    rows: dict[str, list], sents: list, doc_id: str, kind: str, text: str, doc_idx: int
) -> None:
    for j, (start, end, ntok, lemmas, neg, neu, pos, comp, surface) in enumerate(sents):
        rows["doc"].append(doc_id)
        rows["kind"].append(kind)
        rows["index"].append(j)
        rows["start"].append(start)
        rows["end"].append(end)
        rows["text"].append(text[start:end])
        rows["lemmas"].append(lemmas)
        rows["words"].append(surface)
        rows["tokens"].append(ntok)
        rows["neg"].append(neg)
        rows["neu"].append(neu)
        rows["pos"].append(pos)
        rows["compound"].append(comp)
        rows["doc_idx"].append(doc_idx)


def _feed_linking(
    thread: ThreadState, rec: dict, doc_id: str, kind: str, position: Any, text: str
) -> None:
    """The linking's inventory pass for one document: its NER spans and usable candidates."""
    first = thread.span_count
    thread.span_count += len(rec["ents"])
    thread.linker.add_doc(
        doc_id=doc_id,
        is_article=kind == S.ARTICLE,
        position=position,
        spans=[(a, b, label, first + k) for k, (a, b, label) in enumerate(rec["ents"])],
        # only candidates linking can use (ordinary lower-case words are most of them)
        candidates=[
            (a, b, pos_tag, lemma)
            for a, b, pos_tag, lemma in rec["cands"]
            if thread.keeps_candidate(text[a:b], pos_tag)
        ],
    )


def _sentence_frame(rows: dict[str, list], thread_id: str, para_index: dict) -> pd.DataFrame:
    n_s = len(rows["doc"])
    return pd.DataFrame(
        {
            S.THREAD_ID: [thread_id] * n_s,
            S.DOC_ID: rows["doc"],
            S.DOC_KIND: rows["kind"],
            S.SENTENCE_ID: [f"{d}/s{j}" for d, j in zip(rows["doc"], rows["index"], strict=True)],
            "sentence_index": rows["index"],
            S.PARAGRAPH_ID: paragraph_ids(
                para_index,
                np.asarray(rows["doc_idx"], dtype="int64"),
                np.asarray(rows["start"], dtype="int64"),
            ),
            S.START_CHAR: rows["start"],
            S.END_CHAR: rows["end"],
            S.TEXT: rows["text"],
            "lemmas": rows["lemmas"],
            "words": rows["words"],
            "token_count": rows["tokens"],
            "vader_neg": rows["neg"],
            "vader_neu": rows["neu"],
            "vader_pos": rows["pos"],
            "vader_compound": np.asarray(rows["compound"], dtype="float64"),
        }
    )


def finish_thread(
    thread: ThreadState,
    corpus: pd.DataFrame,
    texts: TextStore,
    sink: Sink,
    store: AnnotationCache,
    stats: Stats,
    chunk_size: int,
) -> None:
    """Link the thread, write its mentions (with their sentences), entities and documents.

    The linker reads the texts a partition at a time; mention rows are written a partition of
    documents at a time, and each partition goes to the link cache as one part.
    """
    counts = np.zeros(thread.hi - thread.lo, dtype="int64")
    if thread.cached_links is not None:
        entities, cached_counts, parts = thread.cached_links
        counts[:] = cached_counts
        for mentions in store.link_parts(thread.link_key, parts):
            sink.write("mentions", S.MENTIONS.conform(mentions))
            stats.mentions += len(mentions)
        stats.link_cache_hits += 1
    elif thread.linker is not None and thread.rows:
        entities = _link(thread, corpus, texts, sink, store, stats, chunk_size, counts)
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


def _link(
    thread: ThreadState,
    corpus: pd.DataFrame,
    texts: TextStore,
    sink: Sink,
    store: AnnotationCache,
    stats: Stats,
    chunk_size: int,
    counts: np.ndarray,
) -> pd.DataFrame:
    """The link pass of a thread: write its mentions, fill ``counts``, return its entities."""
    sentences = _SentenceIndex(thread)
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
    return entities


class _SentenceIndex:
    """A thread's sentences by (corpus row, start), to find the sentence holding a mention."""

    def __init__(self, thread: ThreadState) -> None:
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
        wanted = (doc_idx.astype("int64") << SHIFT) | starts
        if len(keys):
            pos = np.searchsorted(keys, wanted, side="right") - 1
            safe = np.clip(pos, 0, None)
            ok = (pos >= 0) & ((keys[safe] >> SHIFT) == doc_idx) & (starts < self.ends[safe])
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
