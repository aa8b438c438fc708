"""Where the annotation tables go: memory (:class:`MemorySink`) or Parquet (:class:`ParquetSink`).

Both take the tables a frame at a time (``write(name, frame)``), in the order the engine builds
them, and conform every frame to its :mod:`analysis.schema` spec.
"""

from __future__ import annotations

import tempfile
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import schema as S
from analysis.tables import stamped_schema

TABLE_SPECS = {
    "sentences": S.SENTENCES,
    "documents": S.DOCUMENTS,
    "mentions": S.MENTIONS,
    "entities": S.ENTITIES,
}


@cache
def _arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of table ``name`` (built once a process: a fixed cost of every run,
    felt most by a fully cached rerun)."""
    return pa.Schema.from_pandas(TABLE_SPECS[name].empty(), preserve_index=False)


class Sink(Protocol):
    """Takes the tables a frame at a time."""

    def write(self, name: str, frame: pd.DataFrame) -> None: ...


class MemorySink:
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


class ParquetSink:
    """Streams the tables to ``<out_dir>/<name>.parquet`` (and ``.csv``), replaced atomically."""

    def __init__(self, out_dir: Path, *, csv: bool, fingerprint: str | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.tmp_dir = Path(tempfile.mkdtemp(prefix=".annotate-", dir=self.out_dir))
        self.csv = csv
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.schemas = {
            name: stamped_schema(_arrow_schema(name), fingerprint) for name in TABLE_SPECS
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
