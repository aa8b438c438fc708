"""The one table I/O API: every stage reads and writes its tables through these functions.

- :func:`write_table` writes ``<dir>/<name>.parquet`` (and a CSV copy on request) atomically: to a
  temporary file in the same folder, then renamed, so a failed run never leaves half a table.
- Every table is stamped with the fingerprint of the corpus it was built from (Parquet schema
  metadata, key :data:`FINGERPRINT_KEY`); :func:`read_table` with ``fingerprint=`` refuses a table
  stamped with another corpus (a stale table from an earlier run) with one clear error naming the
  command that rebuilds it, and ``required=`` says whether a missing table is an error.
- :func:`open_dataset` reads a table lazily as a ``pyarrow.dataset.Dataset``, whether it is one
  Parquet file or a folder of partition files (``<dir>/<name>/part-*.parquet``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.errors import StageInputError, output_error
from analysis.schema import ALL_TABLES, CONVERSATION_TABLES, DOC_ID, TEXT, THREAD_ID, TableSpec

#: Parquet schema metadata key holding the corpus fingerprint a table was built from.
FINGERPRINT_KEY = b"discourse.corpus_fingerprint"

#: The command that (re)writes each table.
REBUILD = {
    **dict.fromkeys(("corpus", "paragraphs", "rejects"), "discourse ingest"),
    **dict.fromkeys(("sentences", "documents", "mentions", "entities"), "discourse annotate"),
    **dict.fromkeys(
        (t.name for t in CONVERSATION_TABLES if t.name not in ("labels", "label_shares")),
        "discourse conversation",
    ),
    **dict.fromkeys(("labels", "label_shares"), "discourse classify --labels CSV --label NAME"),
}


def rebuild_command(name: str) -> str:
    """The command that writes table ``name`` (``discourse compare`` for the comparison tables)."""
    return REBUILD.get(name, "discourse compare")


def corpus_fingerprint(corpus: pd.DataFrame) -> str:
    """sha256 over the thread ids, doc ids and texts of a corpus (what later tables rest on)."""
    digest = hashlib.sha256()
    for column in (THREAD_ID, DOC_ID, TEXT):
        values = corpus[column].astype("string").fillna("\0<NA>") if column in corpus else []
        for value in values:
            digest.update(value.encode("utf-8", errors="surrogatepass"))
            digest.update(b"\0")
        digest.update(b"\1")
    return digest.hexdigest()


def stamped_schema(schema: pa.Schema, fingerprint: str | None) -> pa.Schema:
    """``schema`` with the corpus fingerprint in its metadata (unchanged when ``None``)."""
    if fingerprint is None:
        return schema
    return schema.with_metadata({**(schema.metadata or {}), FINGERPRINT_KEY: fingerprint.encode()})


def ensure_out_dir(out_dir: Path) -> Path:
    """Create the output folder (and its parents) when missing.

    Raises:
        OutputError: it is a file or under one, or it cannot be created (one line, no traceback).
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(out_dir, exc, folder=True) from None
    return out_dir


def _replace_atomically(write, path: Path) -> None:
    """Call ``write(tmp_path)`` for a temporary file beside ``path``, then rename it to ``path``.

    Raises:
        OutputError: the file cannot be written (permission, a folder in its place, disk full).
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise output_error(path.parent, exc, folder=True) from None
    os.close(fd)
    try:
        write(Path(tmp))
        Path(tmp).replace(path)
    except BaseException as exc:
        with suppress(OSError):
            Path(tmp).unlink()
        if isinstance(exc, OSError):
            raise output_error(path, exc, folder=False) from None
        raise


def write_text(text: str, path: Path) -> Path:
    """Write a small text file (a summary) atomically, UTF-8.

    Raises:
        OutputError: the file cannot be written.
    """
    path = Path(path)
    ensure_out_dir(path.parent)
    _replace_atomically(lambda tmp: tmp.write_text(text, encoding="utf-8"), path)
    return path


#: Cells a spreadsheet would run as a formula (OWASP "CSV injection"): they get a leading "'".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells starting with ``= + - @``, tab or CR get a leading apostrophe.

    Only text columns change (numbers keep their sign); the Parquet tables keep the exact text.
    """
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
            continue
        text = values.astype("string")
        risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        if risky.any():
            out[column] = text.where(~risky, "'" + text)
    return out


def float_texts(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with each float64 column as the text ``DataFrame.to_csv`` writes for it.

    The CSV writer formats floats one by one through numpy (the shortest text that reads back as
    the same float); Python's ``repr`` gives that same text about ten times faster, and a missing
    value stays missing (written empty). On a 200-thread corpus the keyness table's four float
    columns (117k rows) took 1.15 of its 1.6 s of CSV writing. Other columns are left as they
    are; the CSV bytes do not change (tests/test_tables_csv.py checks them against pandas).
    """
    floats = [c for c in df.columns if df[c].dtype == np.float64]
    if not floats:
        return df
    out = df.copy(deep=False)
    for column in floats:
        values = out[column].tolist()
        out[column] = pd.Series(
            [None if v != v else repr(v) for v in values], index=out.index, dtype=object
        )
    return out


def write_table(
    df: pd.DataFrame,
    spec: TableSpec,
    out_dir: Path,
    *,
    csv: bool = False,
    fingerprint: str | None = None,
) -> Path:
    """Write ``df`` conformed to ``spec`` as ``<out_dir>/<name>.parquet`` (and ``.csv``).

    Args:
        df: the rows (not modified).
        spec: the table's schema.
        out_dir: the folder (created when missing).
        csv: also write a CSV copy, with formula-like cells neutralised
            (:func:`neutralise_formulas`); the Parquet file keeps the exact text.
        fingerprint: the corpus fingerprint to stamp (see :func:`corpus_fingerprint`).

    Returns:
        The Parquet path.

    Raises:
        OutputError: the folder or a file cannot be written.
    """
    out_dir = ensure_out_dir(out_dir)
    table = spec.conform(df)
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    arrow = arrow.replace_schema_metadata(stamped_schema(arrow.schema, fingerprint).metadata)
    path = out_dir / f"{spec.name}.parquet"
    _replace_atomically(lambda tmp: pq.write_table(arrow, tmp), path)
    if csv:
        safe = float_texts(neutralise_formulas(table))  # a spreadsheet must not run comment text
        _replace_atomically(
            lambda tmp: safe.to_csv(tmp, index=False, lineterminator="\n"),
            out_dir / f"{spec.name}.csv",
        )
    return path


def table_path(name: str, in_dir: Path) -> Path:
    """Where table ``name`` lives in ``in_dir``: ``<name>.parquet`` or a ``<name>/`` dataset."""
    single = Path(in_dir) / f"{name}.parquet"
    folder = Path(in_dir) / name
    return folder if not single.is_file() and folder.is_dir() else single


def table_fingerprint(name: str, in_dir: Path) -> str | None:
    """The corpus fingerprint stamped on table ``name`` in ``in_dir`` (``None`` when unstamped)."""
    path = table_path(name, in_dir)
    if path.is_dir():
        parts = sorted(path.glob("*.parquet"))
        if not parts:
            return None
        path = parts[0]
    metadata = guard_unreadable(name, path, lambda: pq.read_schema(path)).metadata or {}
    value = metadata.get(FINGERPRINT_KEY)
    return value.decode() if value is not None else None


def exists(name: str, in_dir: Path) -> bool:
    """Whether table ``name`` was written to ``in_dir``."""
    path = table_path(name, in_dir)
    return path.is_file() or path.is_dir()


def read_table(
    name: str,
    in_dir: Path,
    *,
    required: bool = True,
    fingerprint: str | None = None,
    columns: Iterable[str] | None = None,
) -> pd.DataFrame | None:
    """Read table ``name`` from ``in_dir`` and conform it to its spec.

    Args:
        name: a table of :data:`analysis.schema.ALL_TABLES`.
        in_dir: the work folder.
        required: a missing table is an error (else ``None`` is returned).
        fingerprint: the corpus fingerprint the table must carry; a table stamped with another
            one is stale (built from another corpus) and is an error.
        columns: read only these columns (the result is then not conformed).

    Raises:
        StageInputError: the table is missing (when required) or stale; the message names the
            command that rebuilds it.
    """
    spec = ALL_TABLES[name]
    path = _checked_path(name, in_dir, required=required, fingerprint=fingerprint)
    if path is None:
        return None
    if columns is not None:
        return contiguous(
            guard_unreadable(name, path, lambda: pd.read_parquet(path, columns=list(columns)))
        )
    return contiguous(spec.conform(guard_unreadable(name, path, lambda: pd.read_parquet(path))))


def _checked_path(
    name: str, in_dir: Path, *, required: bool, fingerprint: str | None
) -> Path | None:
    """The path of table ``name`` once it is known to exist and be fresh; ``None`` when it is
    missing and not ``required``.

    Raises:
        StageInputError: the table is missing (when required) or stale.
    """
    path = table_path(name, in_dir)
    if not exists(name, in_dir):
        if not required:
            return None
        raise StageInputError(
            f"{path}: table {name!r} not found; run `{rebuild_command(name)}` first"
        )
    check_fresh(name, in_dir, fingerprint)
    return path


def read_columns(
    name: str,
    in_dir: Path,
    columns: Iterable[str],
    *,
    required: bool = True,
    fingerprint: str | None = None,
) -> pd.DataFrame | None:
    """Read only ``columns`` of table ``name``, cast to its spec's dtypes, in the spec's order.

    For a stage that needs a few columns of a wide table (the text columns of a large corpus
    are most of its memory): the other columns are never read. A listed column the file lacks
    (one an older table may not have, such as ``is_placeholder``) is left out, so the caller
    checks what it needs (``compare.scope.require``).

    Args:
        name: a table of :data:`analysis.schema.ALL_TABLES`.
        in_dir: the work folder.
        columns: the columns to read (names outside the spec are an error).
        required, fingerprint: as in :func:`read_table`.

    Returns:
        The columns the file has among ``columns`` (spec order, spec dtypes, a fresh
        ``RangeIndex``), or ``None`` when the table is missing and not ``required``.

    Raises:
        KeyError: a column is not in the table's spec (a programming error).
        StageInputError: as in :func:`read_table`.
    """
    spec = ALL_TABLES[name]
    wanted = set(columns)
    unknown = sorted(wanted - set(spec.names))
    if unknown:
        raise KeyError(f"table {name!r} has no columns {unknown}")
    path = _checked_path(name, in_dir, required=required, fingerprint=fingerprint)
    if path is None:
        return None
    stored = set(guard_unreadable(name, path, lambda: open_dataset(name, in_dir).schema.names))
    names = [c for c in spec.names if c in wanted and c in stored]
    df = guard_unreadable(name, path, lambda: pd.read_parquet(path, columns=names))
    for col in names:
        if str(df[col].dtype) != spec.dtypes[col]:
            df[col] = df[col].astype(spec.dtypes[col])
    return contiguous(df.reset_index(drop=True))


def release_arrow_memory() -> None:
    """Return the memory Arrow's pool holds for reuse (freed buffers of a read) to the system.

    Reading a table decodes Parquet pages into buffers that are freed once the frame is built;
    the default pool (mimalloc, jemalloc) keeps them for later Arrow allocations, which a stage
    that then works in numpy and Python does not make, so they stay resident for its whole run.
    """
    pa.default_memory_pool().release_unused()


def contiguous(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with each Arrow-backed column in one chunk (same dtypes, values and index).

    A table written partition by partition reads back as one Arrow chunk per row group, and
    selecting rows from a column of many chunks costs time in proportion to the chunk count,
    on every selection: a per-thread loop over T threads would pay T times for T chunks.
    """
    out = df
    for col in df.columns:
        values = df[col].array
        chunks = getattr(values, "_pa_array", None)
        if isinstance(chunks, pa.ChunkedArray) and chunks.num_chunks > 1:
            if out is df:
                out = df.copy(deep=False)
            whole = pa.chunked_array([chunks.combine_chunks()], type=chunks.type)
            out[col] = pd.Series(type(values)(whole), index=df.index, name=col)
    return out


def guard_unreadable(name: str, path: Path, read):
    """``read()``, with a corrupt or truncated Parquet file reported as one line.

    Raises:
        StageInputError: the file is not readable Parquet; the message names the rebuild command.
    """
    try:
        return read()
    except (pa.ArrowException, OSError) as exc:
        detail = " ".join(str(exc).split())[:160]
        raise StageInputError(
            f"{path}: table {name!r} is not a readable Parquet file ({detail}); "
            f"run `{rebuild_command(name)}` again"
        ) from None


def check_fresh(name: str, in_dir: Path, fingerprint: str | None) -> None:
    """Raise :class:`StageInputError` when table ``name`` was built from another corpus."""
    if fingerprint is None:
        return
    stamp = table_fingerprint(name, in_dir)
    if stamp is not None and stamp != fingerprint:
        raise StageInputError(
            f"{table_path(name, in_dir)}: table {name!r} is stale (built from another corpus "
            f"than {Path(in_dir) / 'corpus.parquet'}); run `{rebuild_command(name)}` again"
        )


def read_fingerprint(in_dir: Path) -> str | None:
    """The fingerprint of the corpus in ``in_dir`` (``None`` when there is no corpus table)."""
    if not exists("corpus", in_dir):
        return None
    return table_fingerprint("corpus", in_dir)


def open_dataset(name: str, in_dir: Path):
    """Table ``name`` as a lazy ``pyarrow.dataset.Dataset`` (one file or a partition folder).

    Raises:
        StageInputError: the table is missing.
    """
    import pyarrow.dataset as ds

    if not exists(name, in_dir):
        raise StageInputError(
            f"{table_path(name, in_dir)}: table {name!r} not found; "
            f"run `{rebuild_command(name)}` first"
        )
    return ds.dataset(table_path(name, in_dir), format="parquet")
