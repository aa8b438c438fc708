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
    join_names,
    plural,
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


#: Bars at most (paragraphs beyond it are summed into one "other paragraphs" bar).
MAX_BARS = 14
#: With several threads, paragraphs are pooled by position; positions from this one on share a bar.
POOLED_LAST_INDEX = 10


def _paragraph_rows(rows: pd.DataFrame, texts: dict, off: pd.Series) -> pd.DataFrame:
    """One thread: a row per paragraph (every paragraph when the texts are known)."""
    counts = rows.loc[~off, S.PARAGRAPH_ID].astype(str).value_counts()
    pids = set(counts.index) | set(texts)
    order = sorted(pids, key=lambda p: (_para_index(p), p))

    def para_label(pid: str) -> str:
        idx = _para_index(pid)
        head = ("title" if idx == 0 else f"¶{idx}") if idx < 10**6 else pid
        return f"{head}: {short(texts[pid], 26)}" if pid in texts else head

    return pd.DataFrame(
        {
            S.PARAGRAPH_ID: order,
            "paragraph_index": [_para_index(p) for p in order],
            "label": [para_label(p) for p in order],
            "comment_count": [int(counts.get(p, 0)) for p in order],
            "is_off_article": False,
        }
    )


def _position_rows(rows: pd.DataFrame, off: pd.Series) -> pd.DataFrame:
    """Several threads: a row per paragraph position across the articles (title, ¶1, ...)."""
    index = rows.loc[~off, S.PARAGRAPH_ID].astype(str).map(_para_index)
    index = index.where(index < POOLED_LAST_INDEX, POOLED_LAST_INDEX)
    counts = index.value_counts()
    order = sorted(int(i) for i in counts.index)

    def label(i: int) -> str:
        if i == 0:
            return "titles"
        return f"¶{i} and later" if i >= POOLED_LAST_INDEX else f"¶{i}"

    return pd.DataFrame(
        {
            S.PARAGRAPH_ID: "",
            "paragraph_index": order,
            "label": [label(i) for i in order],
            "comment_count": [int(counts[i]) for i in order],
            "is_off_article": False,
        }
    )


def _cap(data: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Keep the :data:`MAX_BARS` - 1 paragraphs drawing most comments; sum the rest in one bar."""
    if len(data) <= MAX_BARS:
        return data, 0
    keep = data.sort_values(["comment_count", "paragraph_index"], ascending=[False, True])
    keep = keep.head(MAX_BARS - 1).sort_values("paragraph_index")
    rest = data.drop(keep.index)
    other = {
        S.PARAGRAPH_ID: "",
        "paragraph_index": 10**6,
        "label": f"{len(rest)} other paragraphs",
        "comment_count": int(rest["comment_count"].sum()),
        "is_off_article": False,
    }
    return pd.concat([keep, pd.DataFrame([other])], ignore_index=True), len(rest)


def _counts(rows: pd.DataFrame, texts: dict, off: pd.Series) -> tuple[pd.DataFrame, int, bool]:
    """The bars (paragraphs, then the off-article row), paragraphs summed, several threads."""
    multi = len(set(rows[S.THREAD_ID].dropna())) > 1
    data = _position_rows(rows, off) if multi else _paragraph_rows(rows, texts, off)
    data, folded = _cap(data)
    off_row = {
        S.PARAGRAPH_ID: "",
        "paragraph_index": -1,
        "label": "Off-article",
        "comment_count": int(off.sum()),
        "is_off_article": True,
    }
    data = pd.concat([data, pd.DataFrame([off_row])], ignore_index=True)
    data["share"] = data["comment_count"] / len(rows)
    return data[COLUMNS], folded, multi


def _where(index: int, multi: bool) -> str:
    if index == 0:
        return "the titles" if multi else "the title"
    if multi and index >= POOLED_LAST_INDEX:
        return f"paragraphs {index} and later"
    return f"paragraph {index}"


def _title(data: pd.DataFrame, n: int, n_off: int, *, multi: bool = False) -> str:
    """The off-article count and the paragraph(s) drawing most comments, ties named."""
    verb = "relates" if n_off == 1 else "relate"
    title = f"{n_off} of {plural(n, 'comment')} {verb} to no article paragraph"
    on = data[~data["is_off_article"] & (data["paragraph_index"] < 10**6)]
    best = int(on["comment_count"].max()) if len(on) else 0
    if best <= 0:
        return title
    leaders = on[on["comment_count"] == best].sort_values("paragraph_index")
    scope = " across the articles" if multi else ""
    if len(leaders) == 1:
        where = _where(int(leaders["paragraph_index"].iloc[0]), multi)
        return title + f"; {where} draws the most{scope} ({best})"
    if len(leaders) > 3:
        return title + f"; {len(leaders)} paragraphs tie for the most{scope} ({best} each)"
    idx = [int(i) for i in leaders["paragraph_index"]]
    names = [_where(i, multi) for i in idx if i == 0 or i >= POOLED_LAST_INDEX and multi]
    numbered = [str(i) for i in idx if i != 0 and not (multi and i >= POOLED_LAST_INDEX)]
    if numbered:
        word = "paragraph" if len(numbered) == 1 else "paragraphs"
        names.append(f"{word} {join_names(numbered)}")
    return title + f"; {' and '.join(names)} tie for the most{scope} ({best} each)"


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
    texts = _paragraph_texts(tables.get("paragraphs"), rows, thread_id)
    data, folded, multi = _counts(rows, texts, off)
    title = _title(data, n, int(off.sum()), multi=multi)
    if multi:
        words["what"] += (
            " Paragraphs are pooled by their position in each article (titles, ¶1, ...)."
        )
    if folded:
        words["what"] += f" Shown: {len(data) - 2} of {len(data) - 2 + folded} paragraphs."
    alt = (
        f"Bar chart of comments per article paragraph. {title}. "
        + "; ".join(f"{r.label}: {r.comment_count}" for r in data.itertuples())
        + "."
    )
    return ChartData(
        title=title, n=plural(n, "annotated comment"), alt_text=alt, data=data, **words
    )


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
