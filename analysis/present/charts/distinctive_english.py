"""Distinctive words against general English: what commenters say more than English at large.

The keyness rows with ``reference == "general_english"`` (:mod:`analysis.compare.keyness`): the
comments' words as written against ``wordfreq``'s English word frequencies, as a reference corpus
as long as the comments. A word is distinctive at z ≥ 1.96 when it is also used in at least
:data:`~analysis.compare.keyness.MIN_COMMENTS` comments. Only over-use is plotted: words the
comments never use have no row, so under-use cannot be charted fairly.
"""

from __future__ import annotations

from analysis import schema as S
from analysis.compare.keyness import MIN_COMMENTS, Z_THRESHOLD
from analysis.present.charts.bars import z_bars
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    floats,
    register,
    select_thread,
)
from analysis.present.charts.distinctive_terms import NOT_DISTINCTIVE, Z_CRITICAL
from analysis.present.style import SIDE_COLOURS

NAME = "distinctive_english"
COLUMNS = [
    "term",
    S.SIDE,
    "z_score",
    "log_odds_ratio",
    "comment_count",
    S.COMMENT_DOC_COUNT,
    S.ENGLISH_PER_MILLION,
    "is_distinctive",
]


def _title(n: int) -> str:
    if n == 0:
        return "No comment word is used distinctively more than in general English"
    words = "1 comment word is" if n == 1 else f"{n} comment words are"
    return f"{words} used distinctively more than in general English (z ≥ 1.96)"


def prepare(
    tables: Tables, *, thread_id: str | None = None, top_n: int = 12, name: str = NAME
) -> ChartData:
    """The ``top_n`` comment words with the highest z against general English.

    Bars of words that did not pass (z below 1.96, or used in fewer than
    :data:`~analysis.compare.keyness.MIN_COMMENTS` comments) are grey.

    CSV columns: term, side, z_score, log_odds_ratio, comment_count, comment_doc_count,
    english_per_million, is_distinctive.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    keyness = tables["keyness"]
    S.KEYNESS.check(keyness, stage="figures")
    rows, label = select_thread(keyness, thread_id, table="keyness")
    rows = rows[rows[S.REFERENCE] == S.REFERENCE_GENERAL_ENGLISH]
    words = {
        "name": name,
        "source": f"{label}, keyness table (reference: general English, wordfreq)",
        "method": (
            "weighted log-odds with informative Dirichlet prior (Monroe, Colaresi and Quinn "
            "2008) on words as written, comments against wordfreq English word frequencies "
            "taken as a reference corpus as long as the comments, z-scores"
        ),
        "subtitle": "Comment words by z-score of the log-odds ratio against general English",
        "what": (
            "Bars show the words commenters use most over their general-English rate; the "
            f"dashed line marks z = 1.96; grey bars did not pass (z below 1.96, or used in "
            f"fewer than {MIN_COMMENTS} comments). General English mixes genres, so words of "
            "online talk in general can pass beside the thread's own subject."
        ),
    }
    t = rows[rows["z_score"].notna()] if not rows.empty else rows
    if t.empty:
        return empty_data(reason="no comment words were scored", columns=COLUMNS, **words)
    t = t.assign(z_score=floats(t["z_score"]))
    top = t[t["z_score"] > 0].sort_values(["z_score", "term"], ascending=[False, True])
    data = top.head(top_n).assign(is_distinctive=lambda d: d[S.SIDE] == S.SIDE_COMMENTS)
    data = data[COLUMNS].reset_index(drop=True)
    title = _title(int((t[S.SIDE] == S.SIDE_COMMENTS).sum()))
    alt = (
        f"Horizontal bar chart of the {len(data)} comment words with the highest z against "
        f"general English. {title}. "
        + ", ".join(
            f"{r.term} (z={r.z_score:.1f}, {r.comment_count} uses)" for r in data.itertuples()
        )
        + "."
    )
    return ChartData(
        title=title,
        n=f"{len(t)} words; {int(t['comment_count'].fillna(0).sum())} comment word tokens",
        alt_text=alt,
        data=data,
        **words,
    )


def draw(ax, data: ChartData) -> None:
    """Horizontal bars by z-score; words that did not pass grey."""
    d = data.data
    colours = [
        SIDE_COLOURS[S.SIDE_COMMENTS] if dist else NOT_DISTINCTIVE for dist in d["is_distinctive"]
    ]
    legend = [
        (SIDE_COLOURS[S.SIDE_COMMENTS], "Distinctive of comments"),
        (NOT_DISTINCTIVE, f"Not distinctive (z < {Z_THRESHOLD} or in < {MIN_COMMENTS} comments)"),
    ]
    z_bars(
        ax,
        d,
        colours,
        thresholds=(Z_CRITICAL,),
        xlabel="z-score (comments minus general English)",
        legend=legend,
    )


CHART = register(NAME, tables=("keyness",), prepare=prepare, draw=draw)
