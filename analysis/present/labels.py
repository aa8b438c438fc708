"""Numbers and labels as charts, captions and the report print them (no matplotlib)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def floats(series: pd.Series) -> np.ndarray:
    """A numeric column as float64, missing and non-numeric values as NaN."""
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def flags(series: pd.Series) -> pd.Series:
    """A boolean column with missing values as False."""
    return series.astype("boolean").fillna(False).astype(bool)


def pct(x: float) -> str:
    """``0.256`` -> ``"26%"``; missing -> ``"n/a"``."""
    return "n/a" if pd.isna(x) else f"{100 * x:.0f}%"


def short(text: str, width: int = 28) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """``1 comment``, ``2 comments`` (``plural_form`` for irregular nouns)."""
    return f"{n} {noun if n == 1 else (plural_form or noun + 's')}"


def join_names(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


#: Catch-all categories: plotted, but never named as a side's leading frame or topic.
RESIDUAL_LABELS = frozenset({"other", "none", "(no topic)", "no topic", "(none)"})


def pretty_label(label: object) -> str:
    """``security_and_defense`` -> ``Security and defense`` (frame and topic ids for display)."""
    text = " ".join(str(label).replace("_", " ").split())
    return text[:1].upper() + text[1:]
