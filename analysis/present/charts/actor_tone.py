"""Tone toward each actor: mean VADER compound of the sentences mentioning it, per side."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.config import VADER_NEGATIVE_THRESHOLD, VADER_POSITIVE_THRESHOLD
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    flags,
    floats,
    join_names,
    plural,
    register,
    select_thread,
    short,
)
from analysis.present.style import SIDE_COLOURS, SIDE_NAMES, side_legend, xerr

NAME = "actor_tone"
COLUMNS = [
    S.ENTITY_ID,
    S.ENTITY_NAME,
    S.SIDE,
    "mention_count",
    "sentence_count",
    "compound_mean",
    "ci_low",
    "ci_high",
    "is_too_few",
    "rank",
]


def actor_tone_title(data: pd.DataFrame) -> str:
    """The finding of the actor-tone chart: the lowest comparable comment tone (ties named)."""
    comparable = data[
        (data[S.SIDE] == S.SIDE_COMMENTS) & ~data["is_too_few"] & data["compound_mean"].notna()
    ]
    if comparable.empty:
        comparable = data[~data["is_too_few"] & data["compound_mean"].notna()]
        if comparable.empty:
            return "Too few sentences to compare the tone toward any actor"
    rounded = comparable["compound_mean"].astype(float).round(2)
    lowest = comparable[rounded == rounded.min()].sort_values(S.ENTITY_NAME)
    row = lowest.iloc[0]
    who = "Comment" if row[S.SIDE] == S.SIDE_COMMENTS else "Article"
    if len(lowest) > 1:
        names = join_names(list(lowest[S.ENTITY_NAME].astype(str).head(3)))
        more = f" and {len(lowest) - 3} more" if len(lowest) > 3 else ""
        return (
            f"{who} sentences mentioning {names}{more} tie for the lowest mean tone "
            f"({row['compound_mean']:+.2f} VADER compound)"
        )
    return (
        f"{who} sentences mentioning {row[S.ENTITY_NAME]} have the lowest mean tone "
        f"({row['compound_mean']:+.2f} VADER compound)"
    )


def _distinct_sentences(
    mentions: pd.DataFrame | None, entity_ids: set, thread_id: str | None
) -> dict[str, int] | None:
    """Distinct article and comment sentences mentioning a plotted actor (``None``: unknown)."""
    if mentions is None or S.SENTENCE_ID not in mentions.columns:
        return None
    m = mentions[mentions[S.ENTITY_ID].isin(entity_ids)]
    if thread_id not in (None, S.POOLED):
        m = m[m[S.THREAD_ID] == thread_id]
    return {
        S.SIDE_ARTICLE: int(m.loc[m[S.DOC_KIND] == S.ARTICLE, S.SENTENCE_ID].nunique()),
        S.SIDE_COMMENTS: int(m.loc[m[S.DOC_KIND] == S.COMMENT, S.SENTENCE_ID].nunique()),
    }


def _n_text(tables: Tables, totals: pd.DataFrame, t: pd.DataFrame, thread_id) -> str:
    """n as distinct sentences (from the mentions table), else as sentence-actor pairs."""
    distinct = _distinct_sentences(tables.get("mentions"), set(totals[S.ENTITY_ID]), thread_id)
    if distinct is not None:
        return (
            f"{plural(distinct[S.SIDE_ARTICLE], 'article sentence')}, "
            f"{plural(distinct[S.SIDE_COMMENTS], 'comment sentence')} mentioning the actors "
            "shown (each sentence counted once)"
        )
    else:
        pairs = {s: int(t.loc[t[S.SIDE] == s, "sentence_count"].sum()) for s in S.SIDES}
        return (
            f"{pairs[S.SIDE_ARTICLE]} article and {pairs[S.SIDE_COMMENTS]} comment "
            "sentence-actor pairs (a sentence naming two actors counts twice)"
        )


def prepare(
    tables: Tables, *, thread_id: str | None = None, top_n: int = 8, name: str = NAME
) -> ChartData:
    """Mean VADER compound of the sentences mentioning each actor, per side, with 95% intervals.

    Rows flagged ``is_too_few`` are drawn as the words "too few to say" with their sentence count,
    never as a point, so they cannot be compared by eye. An actor a side never mentions is marked
    "not mentioned".

    CSV columns: entity_id, entity_name, side, mention_count, sentence_count, compound_mean,
    ci_low, ci_high, is_too_few, rank.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    actor_tone = tables["actor_tone"]
    S.ACTOR_TONE.check(actor_tone, stage="figures")
    rows, label = select_thread(actor_tone, thread_id, table="actor_tone")
    words = {
        "name": name,
        "source": f"{label}, actor_tone table",
        "method": (
            "VADER compound of the sentences mentioning the actor; seeded percentile bootstrap "
            "95% interval"
        ),
        "subtitle": (
            "Mean tone (VADER compound, -1 to +1) of sentences mentioning each actor; bars: 95% "
            "intervals"
        ),
    }
    what = (
        "Points show the mean tone of sentences mentioning each actor, for the article and "
        "comments."
    )
    if rows.empty:
        return empty_data(reason="no actor mentions to score", columns=COLUMNS, what=what, **words)
    t = rows.copy()
    t["is_too_few"] = flags(t["is_too_few"])
    t["mention_count"] = t["mention_count"].fillna(0).astype("int64")
    t["sentence_count"] = t["sentence_count"].fillna(0).astype("int64")
    totals = (
        t.groupby([S.ENTITY_ID, S.ENTITY_NAME], as_index=False)["mention_count"]
        .sum()
        .sort_values(["mention_count", S.ENTITY_NAME], ascending=[False, True])
        .head(top_n)
        .reset_index(drop=True)
    )
    totals["rank"] = np.arange(1, len(totals) + 1)
    t = t.merge(totals[[S.ENTITY_ID, "rank"]], on=S.ENTITY_ID, how="inner")
    t = t.sort_values(["rank", S.SIDE]).reset_index(drop=True)[COLUMNS]
    title = actor_tone_title(t)
    n_text = _n_text(tables, totals, t, thread_id)
    too_few = int((t["is_too_few"] & (t["mention_count"] > 0)).sum())
    comparable = t[~t["is_too_few"] & t["compound_mean"].notna()]
    values = "; ".join(
        f"{r[S.ENTITY_NAME]} ({r[S.SIDE]}): {r['compound_mean']:+.2f} "
        f"[{r['ci_low']:+.2f}, {r['ci_high']:+.2f}], {r['sentence_count']} sentences"
        for _, r in comparable.head(8).iterrows()
    )
    return ChartData(
        title=title,
        what=what + f" {too_few} {'row' if too_few == 1 else 'rows'} with too few sentences "
        f"{'is' if too_few == 1 else 'are'} labelled, not plotted.",
        n=n_text,
        alt_text=(
            f"Dot plot with interval bars of mean tone toward {len(totals)} actors, article "
            f"versus comments. {title}. {too_few} actor-side rows have too few sentences and "
            f"are not plotted. Values: {values or 'none comparable'}."
        ),
        data=t,
        plot={"totals": totals},
        **words,
    )


def _side_notes(ax, t: pd.DataFrame, totals: pd.DataFrame, y_of: dict) -> dict:
    """Plot each side's comparable points; return the rows to label instead of plotting."""
    notes: dict[str, dict[str, tuple[str, str, float]]] = {}
    for offset, side in ((0.18, S.SIDE_ARTICLE), (-0.18, S.SIDE_COMMENTS)):
        colour = SIDE_COLOURS[side]
        sub = t[t[S.SIDE] == side]
        ok = sub[~sub["is_too_few"] & sub["compound_mean"].notna() & (sub["mention_count"] > 0)]
        ys = np.array([y_of[e] for e in ok[S.ENTITY_ID]], dtype=float) + offset
        means = floats(ok["compound_mean"])
        ax.errorbar(
            means,
            ys,
            xerr=xerr(means, floats(ok["ci_low"]), floats(ok["ci_high"])),
            fmt="o",
            color=colour,
            markersize=5,
            elinewidth=1.2,
            label=SIDE_NAMES[side],
            zorder=3,
        )
        present = sub[sub["mention_count"] > 0]
        few = present[present["is_too_few"] | present["compound_mean"].isna()]
        for _, r in few.iterrows():
            notes.setdefault(r[S.ENTITY_ID], {})[side] = (
                f"too few to say (n={r['sentence_count']})",
                colour,
                offset,
            )
        for eid in totals[S.ENTITY_ID]:
            if eid not in set(present[S.ENTITY_ID]):
                notes.setdefault(eid, {})[side] = ("not mentioned", "#777777", offset)
    return notes


def draw(ax, data: ChartData) -> None:
    """Points with interval bars per actor and side; too-few rows as words, not points."""
    t, totals = data.data, data.plot["totals"]
    ax.axvspan(VADER_NEGATIVE_THRESHOLD, VADER_POSITIVE_THRESHOLD, color="#eeeeee", zorder=0)
    ax.axvline(0, color="#888888", linewidth=0.8, zorder=1)
    y_of = {eid: len(totals) - 1 - i for i, eid in enumerate(totals[S.ENTITY_ID])}
    for eid, by_side in _side_notes(ax, t, totals, y_of).items():
        # Both sides noted: one line at the row centre, so the two never overlap.
        if len(by_side) == 2:
            a_note, c_note = by_side[S.SIDE_ARTICLE], by_side[S.SIDE_COMMENTS]
            placed = [(f"article: {a_note[0]}; comments: {c_note[0]}", "#555555", 0.0)]
        else:
            ((side, (note, note_colour, offset)),) = by_side.items()
            placed = [(f"{SIDE_NAMES[side].lower()}: {note}", note_colour, offset)]
        for text, note_colour, offset in placed:
            ax.text(
                0.985,
                y_of[eid] + offset,
                text,
                va="center",
                ha="right",
                fontsize=7,
                color=note_colour,
                style="italic",
                zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.4},
            )
    ax.set_yticks(
        [y_of[e] for e in totals[S.ENTITY_ID]], [short(n, 24) for n in totals[S.ENTITY_NAME]]
    )
    ax.set_ylim(-0.6, len(totals) - 0.4)
    ax.set_xlim(-1.0, 1.0)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Mean VADER compound (grey band: neutral, -0.05 to +0.05)")
    side_legend(ax)


CHART = register(NAME, tables=("actor_tone", "mentions"), prepare=prepare, draw=draw)
