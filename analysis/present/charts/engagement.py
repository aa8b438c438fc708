"""Engagement: comments per article paragraph they relate to most, plus the off-article ones."""

from __future__ import annotations

import re

import matplotlib as mpl
import matplotlib.ticker
import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    flags,
    register,
    select_thread,
    short,
)
from analysis.present.style import BLUE, GREY

NAME = "engagement"
COLUMNS = [
    S.PARAGRAPH_ID,
    "paragraph_index",
    "label",
    "comment_count",
    "share",
    "is_off_article",
]
_PARA_INDEX = re.compile(r"/p(\d+)$")


def _para_index(pid: str) -> int:
    m = _PARA_INDEX.search(str(pid))
    return int(m.group(1)) if m else 10**6


def _paragraph_texts(paragraphs: pd.DataFrame | None, rows: pd.DataFrame, thread_id) -> dict:
    if paragraphs is None or paragraphs.empty:
        return {}
    sel = paragraphs[paragraphs[S.DOC_ID].astype(str).str.endswith("/article")]
    if thread_id not in (None, S.POOLED):
        sel = sel[sel[S.THREAD_ID] == thread_id]
    sel = sel[sel[S.THREAD_ID].isin(set(rows[S.THREAD_ID]))]
    return dict(zip(sel[S.PARAGRAPH_ID].astype(str), sel[S.TEXT].astype(str), strict=True))


def _counts(rows: pd.DataFrame, texts: dict, off: pd.Series) -> pd.DataFrame:
    """One row per paragraph (every paragraph of a single thread), then the off-article row."""
    counts = rows.loc[~off, S.PARAGRAPH_ID].astype(str).value_counts()
    pids = set(counts.index)
    multi = len(set(rows[S.THREAD_ID].dropna())) > 1
    if texts and not multi:
        pids |= set(texts)
    order = sorted(pids, key=lambda p: (_para_index(p), p))

    def para_label(pid: str) -> str:
        idx = _para_index(pid)
        head = ("title" if idx == 0 else f"¶{idx}") if idx < 10**6 else pid
        if multi:
            head = f"{pid.split('/')[0]} {head}"
        return f"{head}: {short(texts[pid], 26)}" if pid in texts else head

    data = pd.DataFrame(
        {
            S.PARAGRAPH_ID: order,
            "paragraph_index": [_para_index(p) for p in order],
            "label": [para_label(p) for p in order],
            "comment_count": [int(counts.get(p, 0)) for p in order],
            "is_off_article": False,
        }
    )
    off_row = {
        S.PARAGRAPH_ID: "",
        "paragraph_index": -1,
        "label": "Off-article",
        "comment_count": int(off.sum()),
        "is_off_article": True,
    }
    data = pd.concat([data, pd.DataFrame([off_row])], ignore_index=True)
    data["share"] = data["comment_count"] / len(rows)
    return data[COLUMNS]


def _title(data: pd.DataFrame, n: int, n_off: int) -> str:
    title = f"{n_off} of {n} comments relate to no article paragraph"
    on = data[~data["is_off_article"]]
    best = on.sort_values(["comment_count", "paragraph_index"], ascending=[False, True])
    if len(best) and best["comment_count"].iloc[0] > 0:
        b = best.iloc[0]
        where = "the title" if b["paragraph_index"] == 0 else f"paragraph {b['paragraph_index']}"
        title += f"; {where} draws the most ({b['comment_count']})"
    return title


def prepare(tables: Tables, *, thread_id: str | None = None, name: str = NAME) -> ChartData:
    """Comments per article paragraph they engage most, plus the off-article comments.

    When the ``paragraphs`` table is given, every article paragraph is shown (with 0 comments if
    none engages it) and labelled with its first words.

    CSV columns: paragraph_id, paragraph_index, label, comment_count, share, is_off_article.
    The off-article row has an empty paragraph_id.

    Raises:
        StageInputError: missing columns.
    """
    engagement = tables["engagement"]
    S.ENGAGEMENT.check(engagement, stage="figures")
    rows, label = select_thread(engagement, thread_id, table="engagement", has_pooled=False)
    words = {
        "name": name,
        "source": f"{label}, engagement table",
        "method": (
            "entity overlap (Jaccard) and TF-IDF lemma similarity to each paragraph; below the "
            "threshold a comment counts as off-article"
        ),
        "subtitle": "Annotated comments by the article paragraph they relate to most",
        "what": (
            "Bars count comments per article paragraph; the last bar counts off-article comments."
        ),
    }
    if rows.empty:
        return empty_data(reason="no annotated comments", columns=COLUMNS, **words)
    off = flags(rows["is_off_article"]) | rows[S.PARAGRAPH_ID].isna()
    n = len(rows)
    data = _counts(rows, _paragraph_texts(tables.get("paragraphs"), rows, thread_id), off)
    title = _title(data, n, int(off.sum()))
    alt = (
        f"Bar chart of comments per article paragraph. {title}. "
        + "; ".join(f"{r.label}: {r.comment_count}" for r in data.itertuples())
        + "."
    )
    return ChartData(title=title, n=f"{n} annotated comments", alt_text=alt, data=data, **words)


def draw(ax, data: ChartData) -> None:
    """Horizontal bars per paragraph, top to bottom, the off-article bar grey."""
    d = data.data
    y = np.arange(len(d))[::-1]
    colours = [GREY if o else BLUE for o in d["is_off_article"]]
    ax.barh(y, d["comment_count"].to_numpy(), color=colours, height=0.7)
    for yi, c in zip(y, d["comment_count"], strict=True):
        ax.text(c, yi, f" {c}", va="center", ha="left", fontsize=7.5, color="#444444")
    ax.set_yticks(y, d["label"].tolist(), fontsize=8)
    ax.set_xlim(0, max(1, int(d["comment_count"].max())) * 1.15)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Comments (each counted once, at its closest paragraph)")


CHART = register(NAME, tables=("engagement", "paragraphs"), prepare=prepare, draw=draw)
