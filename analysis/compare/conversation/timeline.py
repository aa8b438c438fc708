"""Comments and tone over time, per hour, day or week chosen from the thread's span.

The bin is the coarsest that still shows the shape: a thread spanning at most two days is binned
by hour, at most 90 days by day, longer ones by week. Dates estimated from relative times ("6
months ago", resolved against the capture time) are only as precise as the text they came from:
bins holding any estimated date carry ``is_estimated`` and charts draw them as estimates. Comments
without a date are counted in ``conversation_summary`` (``comment_count - dated_count``) and left
out of the timeline. Threads are binned separately; there are no pooled timeline rows, because
threads published at different times share no clock.
"""

from __future__ import annotations

import pandas as pd

from analysis import schema as S

HOUR_SPAN = pd.Timedelta(days=2)
DAY_SPAN = pd.Timedelta(days=90)
HOUR, DAY, WEEK = S.TIME_BINS
_FREQ = {HOUR: "h", DAY: "D", WEEK: "W-MON"}


def choose_bin(dates: pd.Series) -> str | None:
    """``hour``, ``day`` or ``week`` from the span of ``dates`` (module doc); ``None`` if none."""
    dates = dates.dropna()
    if dates.empty:
        return None
    span = dates.max() - dates.min()
    if span <= HOUR_SPAN:
        return HOUR
    return DAY if span <= DAY_SPAN else WEEK


def _bin_start(dates: pd.Series, unit: str) -> pd.Series:
    if unit == WEEK:
        return dates.dt.to_period("W-SUN").dt.start_time
    return dates.dt.floor(_FREQ[unit])


def thread_timeline(structure: pd.DataFrame, *, unit: str | None = None) -> pd.DataFrame:
    """The ``timeline`` rows of one thread.

    Args:
        structure: the thread's ``reply_structure`` rows.
        unit: ``hour``, ``day`` or ``week``; ``None`` chooses from the span.

    Returns:
        One row per non-empty bin, in time order (:data:`analysis.schema.TIMELINE`).
    """
    dated = structure[structure[S.PUBLISHED_DATE].notna()]
    unit = unit or choose_bin(dated[S.PUBLISHED_DATE])
    if dated.empty:
        return S.TIMELINE.empty()
    dates = pd.to_datetime(dated[S.PUBLISHED_DATE])
    frame = pd.DataFrame(
        {
            S.BIN_START: _bin_start(dates, unit),
            "is_est": dated[S.IS_DATE_ESTIMATED].fillna(False).astype(bool).to_numpy(),
            "scored": dated[S.IS_ANNOTATED].fillna(False).astype(bool).to_numpy(),
            "neg": (dated[S.SENTIMENT_LABEL] == S.SENTIMENT_NEGATIVE).fillna(False).to_numpy(),
            "compound": dated[S.VADER_COMPOUND].to_numpy(dtype=float),
        }
    )
    frame["neg_scored"] = frame["neg"] & frame["scored"]
    out = (
        frame.groupby(S.BIN_START, sort=True)
        .agg(
            comment_count=("is_est", "size"),
            estimated_count=("is_est", "sum"),
            n=("scored", "sum"),
            negative=("neg_scored", "sum"),
            compound_mean=("compound", "mean"),
        )
        .reset_index()
    )
    out[S.THREAD_ID] = structure[S.THREAD_ID].iloc[0]
    out[S.TIME_BIN] = unit
    out[S.IS_ESTIMATED] = out[S.ESTIMATED_COUNT] > 0
    out[S.NEGATIVE_SHARE] = (out["negative"] / out[S.N]).where(out[S.N] > 0)
    return S.TIMELINE.conform(out)
