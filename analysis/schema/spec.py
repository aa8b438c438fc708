"""A table's columns (:class:`TableSpec`) and how one is built from the field registry.

A table lists the names of its fields (:mod:`analysis.schema.fields`), each optionally wrapped in a
:class:`Column` carrying a note for this table or narrower/wider allowed values. :func:`table`
turns that list into a :class:`TableSpec`, whose ``columns`` mapping (name -> (dtype,
description)) is what every stage conforms its output to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.errors import StageInputError
from analysis.schema.fields import FIELDS, Field

#: Distinct bad values quoted in a :meth:`TableSpec.validate` message, and characters kept of each.
MAX_QUOTED_VALUES = 5
MAX_QUOTED_CHARS = 40


@dataclass(frozen=True)
class Column:
    """A field as one table uses it.

    Attributes:
        name: a name declared in :data:`analysis.schema.fields.FIELDS`.
        note: what the column holds in this table, beyond the field's description (appended
            to it in the table's data dictionary).
        description: this table's description, replacing the field's, for a column whose
            meaning truly differs per table (``score``, ``side`` in ``keyness``); keep it rare.
        allowed_values: this table's vocabulary for the column, replacing the field's (``None``:
            the field's own).
    """

    name: str
    note: str = ""
    allowed_values: tuple[str, ...] | None = None
    description: str = ""


@dataclass(frozen=True)
class TableSpec:
    """The columns of one table: name -> (pandas dtype, description), plus allowed values.

    Specs are normally built by :func:`table` from the field registry; constructing one from a
    plain mapping still works (no allowed values are then checked).
    """

    name: str
    columns: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    description: str = ""
    allowed_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Column names in table order."""
        return list(self.columns)

    @property
    def dtypes(self) -> dict[str, str]:
        """Column name -> pandas dtype, in table order."""
        return {name: dtype for name, (dtype, _) in self.columns.items()}

    def empty(self) -> pd.DataFrame:
        """An empty frame with this table's columns and dtypes."""
        return pd.DataFrame({n: pd.Series([], dtype=d) for n, d in self.dtypes.items()})

    def conform(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return a copy with exactly this table's columns, in order, cast to its dtypes.

        Raises:
            StageInputError: a column is missing.
        """
        missing = self._missing(df)
        if missing:
            raise StageInputError(f"table {self.name!r}: missing columns {missing}")
        out = df.loc[:, self.names].copy()
        for col, dtype in self.dtypes.items():
            if str(out[col].dtype) != dtype:
                out[col] = out[col].astype(dtype)
        return out.reset_index(drop=True)

    def check(self, df: pd.DataFrame, *, stage: str = "") -> None:
        """Raise :class:`StageInputError` when ``df`` lacks a column of this table."""
        missing = self._missing(df)
        if missing:
            where = f"{stage}: " if stage else ""
            raise StageInputError(
                f"{where}expected a {self.name!r} table; missing columns {missing}"
            )

    def validate(self, df: pd.DataFrame, *, stage: str = "") -> None:
        """Check that ``df`` has this table's columns and only allowed values in categorical ones.

        Missing values (NA) are allowed everywhere; columns without a vocabulary are not checked.

        Raises:
            StageInputError: a column is missing, or a categorical column holds a value outside
                its vocabulary; the message names the table, the column, the first bad values
                (sorted), how many rows hold them, and the allowed values.
        """
        self.check(df, stage=stage)
        where = f"{stage}: " if stage else ""
        for col, allowed in self.allowed_values.items():
            values = df[col]
            bad_rows = values.notna() & ~values.astype("object").isin(allowed)
            if bad_rows.any():
                bad = sorted({str(v) for v in values[bad_rows]})
                quoted = ", ".join(repr(v[:MAX_QUOTED_CHARS]) for v in bad[:MAX_QUOTED_VALUES])
                more = (
                    f" and {len(bad) - MAX_QUOTED_VALUES} more"
                    if len(bad) > MAX_QUOTED_VALUES
                    else ""
                )
                raise StageInputError(
                    f"{where}table {self.name!r}, column {col!r}: {int(bad_rows.sum())} rows "
                    f"hold values outside the vocabulary: {quoted}{more}; expected one of "
                    f"{list(allowed)}"
                )

    def describe(self) -> pd.DataFrame:
        """A data dictionary.

        Returns:
            One row per column: column, dtype, description, allowed_values (the vocabulary
            joined with ``" | "``; missing for open columns).
        """
        rows = [
            (n, d, desc, " | ".join(self.allowed_values[n]) if n in self.allowed_values else None)
            for n, (d, desc) in self.columns.items()
        ]
        return pd.DataFrame(rows, columns=["column", "dtype", "description", "allowed_values"])

    def _missing(self, df: pd.DataFrame) -> list[str]:
        return [c for c in self.names if c not in df.columns]


def describe_column(fld: Field, use: Column) -> str:
    """A column's description in one table: ``"<description>; <note>"``.

    The description is the table's own when the use gives one, else the field's.
    """
    base = use.description or fld.description
    return f"{base}; {use.note}" if use.note else base


def table(name: str, description: str, columns: Sequence[str | Column]) -> TableSpec:
    """Build a :class:`TableSpec` from field names (or :class:`Column` uses) of the registry.

    Args:
        name: the table's name (its file stem).
        description: what one row is.
        columns: the table's fields in table order.

    Returns:
        The spec: dtypes from the fields, descriptions with the table's notes, allowed values
        from the column's override or else the field.

    Raises:
        ValueError: a name is not declared in the registry, or listed twice in the table.
    """
    uses = [c if isinstance(c, Column) else Column(c) for c in columns]
    names = [u.name for u in uses]
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise ValueError(f"table {name!r}: columns {unknown} are not declared in schema.fields")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"table {name!r}: columns {twice} are listed twice")
    cols: dict[str, tuple[str, str]] = {}
    allowed: dict[str, tuple[str, ...]] = {}
    for use in uses:
        fld = FIELDS[use.name]
        cols[use.name] = (fld.dtype, describe_column(fld, use))
        values = use.allowed_values if use.allowed_values is not None else fld.allowed_values
        if values is not None:
            allowed[use.name] = tuple(values)
    return TableSpec(name, cols, description, allowed)
