"""Entity salience (the agenda): share of each side's entity mentions per entity."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.ticker
import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.agenda import ranked_rows
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    join_names,
    pct,
    plural,
    register,
    select_thread,
    short,
)
from analysis.present.style import SIDE_COLOURS, SIDE_NAMES, side_legend

NAME = "entity_salience"
COLUMNS = [
    S.ENTITY_ID,
    S.ENTITY_NAME,
    S.LABEL,
    "presence",
    S.SIDE,
    "mention_count",
    "mention_share",
    "rank",
]


def _leaders(data: pd.DataFrame, column: str) -> pd.DataFrame:
    """The entities with the largest positive ``column`` (several when they tie), by name."""
    best = data[column].max() if len(data) else 0
    if not best or best <= 0:
        return data.iloc[0:0]
    return data[data[column] == best].sort_values(S.ENTITY_NAME)


def _names(leaders: pd.DataFrame, column: str) -> str:
    """``A (5)`` or, for a tie, ``A and B (3 each)``; more than three: ``4 entities (2 each)``."""
    count = int(leaders[column].iloc[0])
    if len(leaders) == 1:
        return str(leaders[S.ENTITY_NAME].iloc[0])
    if len(leaders) > 3:
        return f"{len(leaders)} entities tied ({count} each)"
    return f"{join_names(list(leaders[S.ENTITY_NAME]))} (tied, {count} each)"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def agenda_title(data: pd.DataFrame) -> str:
    """The finding of the salience chart, from its plotted rows (wide: one row per entity).

    Ties are named as ties ("A and B (tied, 3 each)"), never resolved silently by name.
    """
    lead_c = _leaders(data, "comment_mention_count")
    lead_a = _leaders(data, "article_mention_count")
    if lead_c.empty and lead_a.empty:
        return "No entity is mentioned on either side"
    if lead_c.empty:
        return (
            f"The article mentions {_names(lead_a, 'article_mention_count')} most; "
            "the comments name no entity"
        )
    if lead_a.empty:
        return (
            f"Commenters mention {_names(lead_c, 'comment_mention_count')} most; "
            "the article names no entity"
        )
    c_names, a_names = (
        _names(lead_c, "comment_mention_count"),
        _names(lead_a, "article_mention_count"),
    )
    only = data[(data["article_mention_count"] == 0) & (data["comment_mention_count"] > 0)]
    only = only.sort_values(["comment_mention_count", S.ENTITY_NAME], ascending=[False, True])
    single = len(lead_c) == 1 and len(lead_a) == 1
    if single and lead_c[S.ENTITY_ID].iloc[0] == lead_a[S.ENTITY_ID].iloc[0]:
        if not only.empty:
            o = only.iloc[0]
            tie = (only["comment_mention_count"] == o["comment_mention_count"]).sum() > 1
            who = _names(_leaders(only, "comment_mention_count"), "comment_mention_count")
            also = who if tie else f"{o[S.ENTITY_NAME]} {_times(int(o['comment_mention_count']))}"
            return (
                f"{c_names} leads mentions on both sides; commenters also name {also}, "
                "the article never"
            )
        return f"{c_names} is the most-mentioned entity in both the article and comments"
    if len(lead_c) == 1 and lead_c["article_mention_count"].iloc[0] == 0:
        return (
            f"Commenters mention {c_names} most; the article never does "
            f"(it mentions {a_names} most)"
        )
    return f"Commenters mention {c_names} most; the article mentions {a_names} most"


def _long(t: pd.DataFrame) -> pd.DataFrame:
    return (
        pd.concat(
            [
                pd.DataFrame(
                    {
                        S.ENTITY_ID: t[S.ENTITY_ID],
                        S.ENTITY_NAME: t[S.ENTITY_NAME],
                        S.LABEL: t[S.LABEL],
                        "presence": t["presence"],
                        S.SIDE: side,
                        "mention_count": t[f"{prefix}_mention_count"],
                        "mention_share": t[f"{prefix}_mention_share"],
                        "rank": t["rank"],
                    }
                )
                for side, prefix in ((S.SIDE_ARTICLE, "article"), (S.SIDE_COMMENTS, "comment"))
            ],
            ignore_index=True,
        )
        .sort_values(["rank", S.SIDE], kind="stable")
        .reset_index(drop=True)
    )


def prepare(
    tables: Tables, *, thread_id: str | None = None, top_n: int = 12, name: str = NAME
) -> ChartData:
    """Share of entity mentions per entity, article vs comments (the ``agenda`` table).

    Only entities ranked as actors (``is_ranked``: named in at least two independent places, an
    article paragraph or a comment author each counting once; see :mod:`analysis.compare.agenda`)
    are shown, ranked by the larger of their two shares (ties by name); the ``top_n`` are shown.
    The shares' denominators count every mention, ranked or not.

    CSV columns: entity_id, entity_name, label, presence, side, mention_count, mention_share, rank.

    Raises:
        StageInputError: the table lacks agenda columns, or the thread cannot be chosen.
    """
    agenda = tables["agenda"]
    S.AGENDA.check(agenda, stage="figures")
    rows, label = select_thread(agenda, thread_id, table="agenda")
    words = {
        "name": name,
        "source": f"{label}, agenda table",
        "method": (
            "spaCy NER mentions linked to canonical entities; share of each side's mentions; "
            "entities named in two or more independent places (paragraphs, comment authors)"
        ),
        "subtitle": "Share of each side's entity mentions that name the entity (top entities)",
        "what": (
            "Horizontal bars compare how much of the article's and the comments' entity mentions "
            "go to each entity."
        ),
    }
    if rows.empty:
        return empty_data(reason="no entities in the agenda table", columns=COLUMNS, **words)
    t = ranked_rows(rows)
    if t.empty:
        return empty_data(
            reason="no entity is named in two independent places", columns=COLUMNS, **words
        )
    t = t.copy()
    for col in ("article_mention_count", "comment_mention_count"):
        t[col] = t[col].fillna(0).astype("int64")
    for col in ("article_mention_share", "comment_mention_share"):
        t[col] = t[col].astype("float64").fillna(0.0)
    t["_max"] = t[["article_mention_share", "comment_mention_share"]].max(axis=1)
    t = t.sort_values(["_max", S.ENTITY_NAME], ascending=[False, True]).head(top_n)
    t = t.reset_index(drop=True)
    t["rank"] = np.arange(1, len(t) + 1)
    n_article = int(rows["article_mention_count"].fillna(0).sum())
    n_comments = int(rows["comment_mention_count"].fillna(0).sum())
    title = agenda_title(t)
    top_rows = "; ".join(
        f"{r[S.ENTITY_NAME]}: article {pct(r['article_mention_share'])}, comments "
        f"{pct(r['comment_mention_share'])}"
        for _, r in t.head(5).iterrows()
    )
    return ChartData(
        title=title,
        n=f"{plural(n_article, 'article mention')}, {plural(n_comments, 'comment mention')}",
        alt_text=(
            f"Bar chart of entity mention shares, article versus comments, for {len(t)} "
            f"entities. {title}. Top entities: {top_rows}."
        ),
        data=_long(t),
        plot={"wide": t, "n_article": n_article, "n_comments": n_comments},
        **words,
    )


def draw(ax, data: ChartData) -> None:
    """Paired horizontal bars, article above comments, mention counts as bar labels."""
    t = data.plot["wide"]
    totals = {S.SIDE_ARTICLE: data.plot["n_article"], S.SIDE_COMMENTS: data.plot["n_comments"]}
    y = np.arange(len(t))[::-1]
    h = 0.38
    for offset, side, prefix in (
        (h / 2, S.SIDE_ARTICLE, "article"),
        (-h / 2, S.SIDE_COMMENTS, "comment"),
    ):
        shares = t[f"{prefix}_mention_share"].to_numpy()
        ax.barh(
            y + offset,
            shares,
            height=h,
            color=SIDE_COLOURS[side],
            label=f"{SIDE_NAMES[side]} ({plural(totals[side], 'mention')})",
        )
        for yi, share, count in zip(y + offset, shares, t[f"{prefix}_mention_count"], strict=True):
            if count > 0:
                ax.text(share, yi, f" {count}", va="center", ha="left", fontsize=7, color="#444444")
    ax.set_yticks(y, [short(n, 24) for n in t[S.ENTITY_NAME]])
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlim(0, max(0.05, float(t["_max"].max()) * 1.15))
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Share of the side's entity mentions (bar label: mentions)")
    side_legend(ax)


CHART = register(NAME, tables=("agenda",), prepare=prepare, draw=draw)
