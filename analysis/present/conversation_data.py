"""Numbers and titles of the conversation charts, prepared without matplotlib.

Each ``prepare_*`` takes the rows of the thread(s) to draw (the ``reply_structure`` built from
``corpus`` and ``documents``, or the corpus itself) and returns a :class:`ChartData`: the plotted
numbers (also the chart's CSV), a title stating what they show, the subtitle and the sample size.
:mod:`analysis.present.conversation_charts` draws them. When the data lack what a chart needs (no
replies, no likes, no dates), the chart falls back to what can be shown and its title says so; it
is never silently empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.classify.hostility import HOSTILITY_COLUMNS_SHOWN, hostility_table
from analysis.compare.conversation.structure import comment_rows, reply_structure
from analysis.compare.conversation.timeline import thread_timeline
from analysis.compare.conversation.tone import thread_endorsement, thread_tone

LEVEL_NAMES = {"top_level": "Top-level comments", "reply": "Replies"}
POSITION_BINS = 10


@dataclass
class ChartData:
    """What a conversation chart plots and says."""

    data: pd.DataFrame
    title: str
    subtitle: str
    n: str
    is_empty: bool = False
    reason: str = ""
    fallback: str = ""


def _pct(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{x:.0%}"


def structure_of(corpus: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """The ``reply_structure`` rows of the given corpus rows."""
    return reply_structure(comment_rows(corpus, documents))


def prepare_reply_tone(structure: pd.DataFrame, *, seed: int | None) -> ChartData:
    """Tone shares of top-level comments vs replies.

    CSV columns: group, sentiment_label, count, n, share, ci_low, ci_high.
    """
    tone = pd.DataFrame(thread_tone(structure, seed=seed))
    data = tone[tone["grouping"] == "level"].drop(columns=["grouping", "basis"])
    data = data.reset_index(drop=True)
    n = data.groupby("group")["n"].max()
    n_top, n_rep = int(n.get("top_level", 0)), int(n.get("reply", 0))
    subtitle = "Share of scored comments VADER labels negative, neutral or positive; bars: 95% CI"
    if n_top + n_rep == 0:
        return ChartData(
            data, "No comment could be scored for tone", subtitle, "0", True, "no scored comments"
        )
    neg = data[data["sentiment_label"] == "negative"].set_index("group")["share"]
    if n_rep == 0:
        title = (
            f"No replies: all {n_top} scored comments are top-level "
            f"({_pct(neg['top_level'])} negative)"
        )
        return ChartData(
            data, title, subtitle, f"{n_top} top-level comments", fallback="no replies in the data"
        )
    if n_top == 0:
        title = f"All {n_rep} scored comments are replies ({_pct(neg['reply'])} negative)"
    else:
        title = (
            f"{_pct(neg['reply'])} of replies are negative, against {_pct(neg['top_level'])} of "
            "top-level comments"
        )
    return ChartData(data, title, subtitle, f"{n_top} top-level comments, {n_rep} replies")


def prepare_endorsement(structure: pd.DataFrame, *, seed: int | None) -> ChartData:
    """Unweighted vs like-weighted tone shares.

    CSV columns: sentiment_label, count, n, share, like_sum, like_total, like_share,
    like_ci_low, like_ci_high, has_likes.
    """
    data = pd.DataFrame(thread_endorsement(structure, seed=seed))
    subtitle = "Share of scored comments with each tone, counted once each and weighted by likes"
    n = int(data["n"].max()) if len(data) else 0
    if n == 0:
        return ChartData(
            data, "No comment could be scored for tone", subtitle, "0", True, "no scored comments"
        )
    neg = data.set_index("sentiment_label")
    if not bool(data["has_likes"].any()):
        title = (
            f"No like counts on this platform: {_pct(neg.loc['negative', 'share'])} of comments "
            "are negative, unweighted"
        )
        return ChartData(
            data, title, subtitle, f"{n} scored comments", fallback="no likes on this platform"
        )
    title = (
        f"Negative comments hold {_pct(neg.loc['negative', 'like_share'])} of likes and are "
        f"{_pct(neg.loc['negative', 'share'])} of comments"
    )
    total = int(data["like_total"].max())
    return ChartData(data, title, subtitle, f"{n} scored comments, {total} likes")


def _position_bins(structure: pd.DataFrame) -> pd.DataFrame:
    """Fallback without dates: tone in tenths of the source order."""
    rows = structure.sort_values([S.THREAD_ID, "position"]).reset_index(drop=True)
    rank = rows.groupby(S.THREAD_ID).cumcount() / rows.groupby(S.THREAD_ID)["position"].transform(
        "size"
    )
    rows["bin"] = np.floor(rank * POSITION_BINS).astype(int) + 1
    scored = rows["is_annotated"].astype(bool)
    rows["neg"] = (rows["sentiment_label"] == "negative") & scored
    out = rows.groupby("bin").agg(
        comment_count=(S.DOC_ID, "size"), n=("is_annotated", "sum"), negative=("neg", "sum")
    )
    out["negative_share"] = (out["negative"] / out["n"]).where(out["n"] > 0)
    out = out.reset_index().rename(columns={"bin": "position_tenth"})
    return out[["position_tenth", "comment_count", "n", "negative_share"]]


_STEP = {"hour": pd.Timedelta(hours=1), "day": pd.Timedelta(days=1), "week": pd.Timedelta(days=7)}


def _fill_gaps(data: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Every bin from the first to the last, empty ones with 0 comments (time stays to scale)."""
    starts = pd.date_range(data["bin_start"].min(), data["bin_start"].max(), freq=_STEP[unit])
    full = data.set_index("bin_start").reindex(starts)
    full.index.name = "bin_start"
    for col in ("comment_count", "estimated_count", "n"):
        full[col] = full[col].fillna(0).astype(int)
    full["is_estimated"] = full["is_estimated"].fillna(False).astype(bool)
    full["time_bin"] = unit
    return full.reset_index()[list(data.columns)]


def prepare_timeline(structure: pd.DataFrame) -> ChartData:
    """Comments and negative share per time bin; by position in the thread without dates.

    CSV columns: bin_start, time_bin, comment_count, estimated_count, is_estimated, n,
    negative_share, compound_mean (or position_tenth, comment_count, n, negative_share).
    """
    if structure.empty:
        return ChartData(pd.DataFrame(), "No comments", "", "0", True, "no comments")
    dated = structure[structure["published_date"].notna()]
    if dated.empty:
        data = _position_bins(structure)
        first, last = data["negative_share"].iloc[0], data["negative_share"].iloc[-1]
        title = (
            f"No publication dates; by position in the thread, {_pct(first)} of the first tenth "
            f"and {_pct(last)} of the last tenth are negative"
        )
        subtitle = "Comments per tenth of the thread in source order; line: share negative (VADER)"
        return ChartData(
            data,
            title,
            subtitle,
            f"{len(structure)} comments",
            fallback="no publication dates: source order instead of time",
        )
    data = thread_timeline(dated.assign(**{S.THREAD_ID: "all"})).drop(columns=[S.THREAD_ID])
    unit = str(data["time_bin"].iloc[0])
    data = _fill_gaps(data, unit)
    peak = data.loc[data["comment_count"].idxmax()]
    at_peak = int((data["comment_count"] == peak["comment_count"]).sum())
    if at_peak == 1:
        fmt = "%Y-%m-%d %H:00" if unit == "hour" else "%Y-%m-%d"
        when = pd.Timestamp(peak["bin_start"]).strftime(fmt)
        title = (
            f"Comments peak in the {unit} of {when} ({int(peak['comment_count'])} of {len(dated)})"
        )
    else:
        title = (
            f"At most {int(peak['comment_count'])} comments in any {unit}, reached in {at_peak} "
            f"{unit}s ({len(dated)} dated comments over {len(data)} {unit}s)"
        )
    est = int(data["estimated_count"].sum())
    subtitle = f"Comments per {unit}; line: share negative (VADER)" + (
        f"; hatched: {est} dates estimated from relative times" if est else ""
    )
    n = f"{len(dated)} dated comments" + (
        f" ({len(structure) - len(dated)} undated left out)" if len(dated) < len(structure) else ""
    )
    return ChartData(data, title, subtitle, n)


def prepare_hostility(corpus: pd.DataFrame) -> ChartData:
    """Share of comments carrying each hostility cue, and scoring >= 0.5.

    CSV columns: cue, comment_count, n, share.
    """
    comments = corpus[corpus[S.DOC_KIND] == S.COMMENT]
    if S.IS_PLACEHOLDER in comments.columns:
        comments = comments[~comments[S.IS_PLACEHOLDER].fillna(False).astype(bool)]
    table = hostility_table(comments) if len(comments) else S.HOSTILITY.empty()
    n = len(table)
    subtitle = "Share of comments with each cue of the offline hostility score (a screening aid)"
    if n == 0:
        return ChartData(pd.DataFrame(), "No comments", subtitle, "0", True, "no comments")
    rows = [
        {"cue": "score >= 0.5", "comment_count": int(table["is_hostile"].sum())},
        {
            "cue": "any hostile cue",
            "comment_count": int((table["hostility_score_without_target"] > 0).sum()),
        },
    ]
    for col, cue in HOSTILITY_COLUMNS_SHOWN.items():
        flags = table[col] > (0.5 if col == "shouting_share" else 0)
        rows.append({"cue": cue, "comment_count": int(flags.sum())})
    data = pd.DataFrame(rows)
    data["n"] = n
    data["share"] = data["comment_count"] / n
    cues = data.iloc[2:]
    top = cues.sort_values("comment_count", ascending=False, kind="stable").iloc[0]
    k = int(data["comment_count"].iloc[0])
    title = f"{k} of {n} comments score 0.5 or more for hostility"
    if top["comment_count"] > 0:
        title += f"; most frequent cue: {top['cue']} ({int(top['comment_count'])})"
    return ChartData(data, title, subtitle, f"{n} comments")
