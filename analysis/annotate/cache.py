"""On-disk cache of annotation results, keyed by content and versions.

One SQLite file (``annotate.sqlite``) per cache folder holds:

* ``records``: the per-document parse result (language, counts, sentences with offsets, lemmas and
  VADER scores, NER spans, candidate tokens), JSON-encoded (safe to read, unlike pickle), keyed by
  ``sha256(namespace + text)``. The same text in any thread or file is parsed once.
* ``thread_links`` and ``thread_link_parts``: a thread's entity-linking output (entities and the
  mention rows, in parts of a few thousand documents, as Parquet bytes; mentions per document),
  keyed by a hash of the thread's documents, the linking code and the lexicon files.

The *namespace* is a hash of everything that changes a result: :data:`ANNOTATION_VERSION`, the
model name and version, the spaCy, vaderSentiment and py3langid versions, the components run and
the language and sentiment-normalisation settings. Entries of other namespaces are never read, so a
version change reruns the work. Only the parent process reads and writes the cache (worker
processes and Dask workers return records to it), and SQLite's locking makes concurrent runs safe.

A run's plan (the texts to parse, one per distinct key) is a temporary table of the same
connection, on disk. Damaged entries never stop a run with a traceback: a record that is not JSON
or not shaped like a record (:func:`is_record`) reads as missing and is parsed again and replaced;
a thread's cached entities that cannot be decoded are dropped and the thread is linked again; a
cached part of mention rows that cannot be decoded, or a file that is not a database, is one
error naming the file and the command that clears it (``rm <file>*``).
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import DiscourseError

#: Bump when the content or meaning of a cached record changes.
ANNOTATION_VERSION = "2"
CACHE_FILE = "annotate.sqlite"
#: SQLite's limit on parameters per statement is 32766 in current builds; stay far below.
_QUERY_BATCH = 900
_RECORD_KEYS = frozenset(
    ("lang", "lang_score", "lang_rule", "tokens", "words", "vader", "sents", "ents", "cands")
)


def digest(*parts: str) -> str:
    """Hex sha256 of ``parts`` joined by NUL characters."""
    h = hashlib.sha256()
    for i, part in enumerate(parts):
        if i:
            h.update(b"\0")
        h.update(part.encode("utf-8", errors="surrogatepass"))
    return h.hexdigest()


def namespace(settings: Mapping[str, Any]) -> str:
    """Hash of the settings that determine a cached result (plus :data:`ANNOTATION_VERSION`)."""
    payload = json.dumps(
        {"annotation_version": ANNOTATION_VERSION, **settings}, sort_keys=True, default=str
    )
    return digest(payload)[:32]


class AnnotationCache:
    """A key-value store of annotation records in ``<cache_dir>/annotate.sqlite``.

    Use as a context manager, or call :meth:`close`.

    Raises:
        DiscourseError: the cache file exists but is not a readable SQLite database (the message
            names the file; delete it or run with ``--no-cache``).
    """

    def __init__(self, cache_dir: Path, *, namespace: str) -> None:
        self.path = Path(cache_dir) / CACHE_FILE
        self.namespace = namespace
        #: Records found unreadable or malformed (and parsed again) by :meth:`get_many`.
        self.bad_records = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, timeout=120, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS thread_links (key TEXT PRIMARY KEY,"
                " entities BLOB NOT NULL, counts BLOB NOT NULL, parts INTEGER NOT NULL)"
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS thread_link_parts (key TEXT NOT NULL,"
                " part INTEGER NOT NULL, mentions BLOB NOT NULL, PRIMARY KEY (key, part))"
            )
        except sqlite3.DatabaseError as exc:
            raise DiscourseError(
                f"{self.path}: the annotation cache is not a readable SQLite database ({exc}); "
                f"clear it with `rm {self.path}*` (or run with --no-cache)"
            ) from exc

    def __enter__(self) -> AnnotationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self._db.close()

    # ----------------------------------------------------------------------------- records
    def key(self, text: str) -> str:
        """The record key of ``text`` in this namespace."""
        return digest(self.namespace, text)

    def contains(self, keys: Iterable[str]) -> set[str]:
        """The subset of ``keys`` that have a record."""
        found: set[str] = set()
        for batch in _batches(list(keys)):
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(f"SELECT key FROM records WHERE key IN ({marks})", batch)
            found.update(r[0] for r in rows)
        return found

    def get_many(self, keys: Iterable[str]) -> dict[str, dict]:
        """Decoded records of those ``keys`` that are present and well-formed.

        A record that is not valid JSON or not shaped like a record (:func:`is_record`) is left
        out, as if missing, so the caller parses its text again and replaces it; the number left
        out is counted in :attr:`bad_records`.
        """
        out: dict[str, dict] = {}
        for batch in _batches(list(dict.fromkeys(keys))):
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(f"SELECT key, value FROM records WHERE key IN ({marks})", batch)
            for key, value in rows:
                try:
                    record = json.loads(value)
                except (TypeError, ValueError):
                    record = None
                if is_record(record):
                    out[key] = record
                else:
                    self.bad_records += 1
        return out

    # ------------------------------------------------------------------------------ planning
    def start_plan(self) -> None:
        """Start a run's plan: an empty temporary table of (key, first corpus row) on disk."""
        self._db.execute("PRAGMA temp_store=FILE")
        self._db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS plan (key TEXT PRIMARY KEY, row INTEGER NOT NULL)"
        )
        self._db.execute("DELETE FROM plan")

    def plan(self, items: Iterable[tuple[str, int]]) -> None:
        """Add ``(key, row)`` pairs to the plan; a key already planned keeps its first row."""
        self._db.execute("BEGIN")
        try:
            self._db.executemany("INSERT OR IGNORE INTO plan (key, row) VALUES (?, ?)", items)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def planned_rows(self) -> np.ndarray:
        """The planned rows in increasing order (one per distinct key: its first row)."""
        rows = self._db.execute("SELECT row FROM plan ORDER BY row")
        return np.fromiter((r[0] for r in rows), dtype="int64")

    def put_many(self, items: Mapping[str, dict]) -> None:
        """Store records (one transaction)."""
        self.put_encoded({k: encode_record(v) for k, v in items.items()})

    def put_encoded(self, items: Mapping[str, str]) -> None:
        """Store records already encoded by :func:`encode_record` (one transaction): worker
        processes encode their records, so the parent only stores the strings."""
        if not items:
            return
        rows = list(items.items())
        self._db.execute("BEGIN")
        try:
            self._db.executemany("INSERT OR REPLACE INTO records (key, value) VALUES (?, ?)", rows)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------------------- links
    def get_links(self, key: str) -> tuple[pd.DataFrame, np.ndarray, int] | None:
        """A thread's cached linking: ``(entities, mentions per document, parts)``, or ``None``.

        Only complete entries are returned (:meth:`put_links` is written after every part); an
        entry whose entities or counts cannot be read is dropped (``None``: linked again).
        """
        row = self._db.execute(
            "SELECT entities, counts, parts FROM thread_links WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        try:
            entities = pd.read_parquet(io.BytesIO(row[0]))
            counts = np.frombuffer(row[1], dtype="<i8").astype("int64")
        except Exception:  # noqa: BLE001 (any undecodable blob: link the thread again)
            self._db.execute("DELETE FROM thread_links WHERE key = ?", (key,))
            self.bad_records += 1
            return None
        return entities, counts, int(row[2])

    def link_parts(self, key: str, parts: int) -> Iterator[pd.DataFrame]:
        """The cached mention rows of a thread, part by part.

        Raises:
            DiscourseError: a part is missing or unreadable (the message names the file and the
                command that clears it).
        """
        for part in range(parts):
            row = self._db.execute(
                "SELECT mentions FROM thread_link_parts WHERE key = ? AND part = ?", (key, part)
            ).fetchone()
            try:
                if row is None:
                    raise ValueError("missing")
                frame = pd.read_parquet(io.BytesIO(row[0]))
            except Exception as exc:  # noqa: BLE001 (any undecodable blob)
                raise DiscourseError(
                    f"{self.path}: cached linking {key[:12]} part {part} is unreadable ({exc}); "
                    f"clear the cache with `rm {self.path}*` (or run with --no-cache)"
                ) from None
            yield frame

    def put_link_part(self, key: str, part: int, mentions: pd.DataFrame) -> None:
        """Store one part of a thread's mention rows."""
        self._db.execute(
            "INSERT OR REPLACE INTO thread_link_parts (key, part, mentions) VALUES (?, ?, ?)",
            (key, part, _parquet_bytes(mentions)),
        )

    def put_links(self, key: str, entities: pd.DataFrame, counts: np.ndarray, parts: int) -> None:
        """Store a thread's entities and mention counts, completing its entry."""
        self._db.execute(
            "INSERT OR REPLACE INTO thread_links (key, entities, counts, parts)"
            " VALUES (?, ?, ?, ?)",
            (key, _parquet_bytes(entities), np.asarray(counts, dtype="<i8").tobytes(), parts),
        )


def encode_record(record: dict) -> str:
    """The JSON text the cache stores for ``record`` (compact, non-ASCII kept as is)."""
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def is_record(record: Any) -> bool:
    """Whether ``record`` has the shape of a parse record (see
    :func:`analysis.annotate.components.doc_record`): the keys, their types, and rows of the
    right length in ``sents`` (9), ``ents`` (3) and ``cands`` (4)."""
    if not isinstance(record, dict) or not _RECORD_KEYS <= record.keys():
        return False
    if not isinstance(record["lang"], str) or not isinstance(record["tokens"], int):
        return False
    vader = record["vader"]
    if vader is not None and not (isinstance(vader, list) and len(vader) == 4):
        return False
    for name, width in (("sents", 9), ("ents", 3), ("cands", 4)):
        rows = record[name]
        if not isinstance(rows, list):
            return False
        if any(not isinstance(r, list) or len(r) != width for r in rows):
            return False
    return record["lang"] != "en" or vader is not None


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def _batches(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _QUERY_BATCH):
        yield items[i : i + _QUERY_BATCH]
