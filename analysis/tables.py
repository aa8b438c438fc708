"""Reading and writing the suite's tables (Parquet always, CSV on request), deterministically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import StageInputError
from analysis.schema import ALL_TABLES, TableSpec


def write_table(df: pd.DataFrame, spec: TableSpec, out_dir: Path, *, csv: bool = False) -> Path:
    """Write ``df`` conformed to ``spec`` as ``<out_dir>/<name>.parquet`` (and ``.csv``).

    Returns:
        The Parquet path.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    table = spec.conform(df)
    path = out_dir / f"{spec.name}.parquet"
    table.to_parquet(path, index=False)
    if csv:
        table.to_csv(out_dir / f"{spec.name}.csv", index=False, lineterminator="\n")
    return path


def read_table(name: str, in_dir: Path) -> pd.DataFrame:
    """Read table ``name`` from ``in_dir`` and conform it to its spec.

    Raises:
        StageInputError: the file is missing (naming the step that writes it).
    """
    spec = ALL_TABLES[name]
    path = Path(in_dir) / f"{name}.parquet"
    if not path.is_file():
        raise StageInputError(
            f"{path}: table {name!r} not found; run the step that writes it first "
            "(discourse ingest / annotate / compare)"
        )
    return spec.conform(pd.read_parquet(path))
