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
version change reruns the work. Only the parent process reads and writes the cache (spaCy worker
processes return results to it), and SQLite's locking makes concurrent runs safe.
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
                "delete the file or run with --no-cache"
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
        """Decoded records of those ``keys`` that are present."""
        out: dict[str, dict] = {}
        for batch in _batches(list(dict.fromkeys(keys))):
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(f"SELECT key, value FROM records WHERE key IN ({marks})", batch)
            for key, value in rows:
                out[key] = json.loads(value)
        return out

    def put_many(self, items: Mapping[str, dict]) -> None:
        """Store records (one transaction)."""
        if not items:
            return
        rows = [
            (k, json.dumps(v, separators=(",", ":"), ensure_ascii=False)) for k, v in items.items()
        ]
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

        Only complete entries are returned (:meth:`put_links` is written after every part).
        """
        row = self._db.execute(
            "SELECT entities, counts, parts FROM thread_links WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        entities = pd.read_parquet(io.BytesIO(row[0]))
        return entities, np.frombuffer(row[1], dtype="<i8").astype("int64"), int(row[2])

    def link_parts(self, key: str, parts: int) -> Iterator[pd.DataFrame]:
        """The cached mention rows of a thread, part by part."""
        for part in range(parts):
            row = self._db.execute(
                "SELECT mentions FROM thread_link_parts WHERE key = ? AND part = ?", (key, part)
            ).fetchone()
            if row is None:
                raise DiscourseError(
                    f"{self.path}: cached linking {key[:12]} lacks part {part}; delete the file "
                    "or run with --no-cache"
                )
            yield pd.read_parquet(io.BytesIO(row[0]))

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


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def _batches(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _QUERY_BATCH):
        yield items[i : i + _QUERY_BATCH]
