"""Number formatting for the headline statements (JSON-safe numbers, percentages, intervals)."""

from __future__ import annotations

import math

import pandas as pd


def num(value: object) -> float | int | None:
    """A JSON-safe number: NaN/NA -> None, floats rounded to 6 decimals."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    value = float(value)
    if math.isnan(value):
        return None
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return round(value, 6)


def pct(share: float | None) -> str:
    return "n/a" if share is None or math.isnan(share) else f"{100 * share:.0f}%"


def ci(low: float | None, high: float | None) -> str:
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return "no interval: fewer than two units"
    return f"95% CI {100 * low:.0f}-{100 * high:.0f}%"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 comment', '3 comments'."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def signed(value: float) -> str:
    return f"{value:+.2f}"
