"""Hostility: comments the offline score flags, beside VADER's negative label, and each cue."""

from __future__ import annotations

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
    floats,
    plural,
    register,
    select_thread,
)
from analysis.present.style import GREY, PURPLE, SKY, VERMILLION

NAME = "hostility"
COLUMNS = ["measure", "kind", "comment_count", "n", "share"]
#: Cue columns of the ``hostility`` table and how the chart names them, top to bottom.
CUES = {
    S.INSULT_COUNT: "insult",
    S.SECOND_PERSON_ATTACK_COUNT: "second-person attack",
    S.SLUR_COUNT: "slur",
    S.DEHUMANISING_COUNT: "dehumanising / generalising",
    S.PROFANITY_COUNT: "profanity",
    S.THREAT_COUNT: "threat",
    S.SHOUTING_SHARE: "shouting (over half in capitals)",
    S.GROUP_TARGET_COUNT: "group mentioned (not hostile alone)",
}
#: A comment shouts when more than this share of its letters sit in all-caps words.
SHOUTING_FROM = 0.5
_COLOURS = {"score": VERMILLION, "vader": PURPLE, "component": SKY}
VALIDITY = "bench/eval_hostility.py prints its ROC AUC beside VADER's"


def _cue_counts(h: pd.DataFrame) -> list[dict]:
    rows = []
    for col, cue in CUES.items():
        if col not in h.columns:
            continue
        values = pd.to_numeric(h[col], errors="coerce").fillna(0)
        hit = values > SHOUTING_FROM if col == S.SHOUTING_SHARE else values > 0
        rows.append({"measure": cue, "kind": "component", "comment_count": int(hit.sum())})
    return rows


def hostility_title(data: pd.DataFrame, vader_of_hostile: tuple[int, int] | None) -> str:
    """How many comments the score flags and how many of those VADER labels negative."""
    score = data[data["kind"] == "score"].iloc[0]
    k, n = int(score["comment_count"]), int(score["n"])
    if k == 0:
        title = f"None of {plural(n, 'comment')} scores 0.5 or more for hostility"
        vader = data[data["kind"] == "vader"]
        if len(vader) and int(vader["n"].iloc[0]):
            v = vader.iloc[0]
            title += f"; VADER labels {int(v['comment_count'])} of {int(v['n'])} negative"
        return title
    verb = "scores" if k == 1 else "score"
    title = f"{k} of {plural(n, 'comment')} {verb} 0.5 or more for hostility"
    if vader_of_hostile is not None and vader_of_hostile[1]:  # VADER scored some flagged
        neg, scored = vader_of_hostile
        if k == 1:
            title += "; VADER labels it negative" if neg else "; VADER does not label it negative"
        elif scored == k:
            title += f"; VADER labels {neg} of them negative"
        else:
            title += f"; VADER scores {scored} of them and labels {neg} negative"
    return title


def _vader(h: pd.DataFrame, documents: pd.DataFrame | None) -> tuple[dict | None, tuple | None]:
    """VADER's negative share of the same comments, and (negative, scored) among the flagged."""
    if documents is None:
        return None, None
    docs = documents[documents[S.DOC_ID].isin(set(h[S.DOC_ID]))]
    docs = docs[flags(docs["is_annotated"])]
    negative = set(docs.loc[docs["sentiment_label"] == "negative", S.DOC_ID])
    row = {
        "measure": "VADER: negative",
        "kind": "vader",
        "comment_count": len(negative),
        "n": len(docs),
    }
    hostile = set(h.loc[flags(h["is_hostile"]), S.DOC_ID])
    scored = hostile & set(docs[S.DOC_ID])
    return row, (len(scored & negative), len(scored))


def prepare(tables: Tables, *, thread_id: str | None = None, name: str = NAME) -> ChartData:
    """Share of comments scoring 0.5 or more, share VADER labels negative, share with each cue.

    Reads ``hostility`` (comments only) and, for VADER's label of the same comments,
    ``documents``. The VADER bar's n is the comments VADER scored (English, annotated).

    CSV columns: measure, kind (score, vader, component), comment_count, n, share.

    Raises:
        StageInputError: missing columns, or ``thread_id`` not in the table.
    """
    hostility = tables["hostility"]
    S.HOSTILITY.check(hostility, stage="figures")
    h, label = select_thread(hostility, thread_id, table="hostility", has_pooled=False)
    h = h[h[S.DOC_KIND] == S.COMMENT]
    words = {
        "name": name,
        "source": f"{label}, hostility and documents tables",
        "method": (
            "offline hostility score (cue lexicon and patterns, analysis.classify.hostility), "
            f"flagged at 0.5; {VALIDITY}: a screening aid, not a verdict"
        ),
        "subtitle": "Share of comments: flagged by the hostility score, VADER-negative, per cue",
        "what": (
            "Horizontal bars show the share of comments the hostility score flags, the share "
            "VADER labels negative, and the share carrying each cue (a comment can carry "
            "several). Cues miss hostility without hostile words and count quoted or negated "
            "words."
        ),
    }
    if h.empty:
        return empty_data(reason="no comments were scored", columns=COLUMNS, **words)
    vader_row, vader_of_hostile = _vader(h, tables.get("documents"))
    rows = [
        {
            "measure": "hostility score 0.5 or more",
            "kind": "score",
            "comment_count": int(flags(h["is_hostile"]).sum()),
            "n": len(h),
        }
    ]
    rows += [vader_row] if vader_row is not None else []
    rows += [{**r, "n": len(h)} for r in _cue_counts(h)]
    data = pd.DataFrame(rows)
    data["share"] = (data["comment_count"] / data["n"]).where(data["n"] > 0)
    data = data[COLUMNS]
    title = hostility_title(data, vader_of_hostile)
    n = plural(len(h), "comment")
    if vader_row is not None:
        n += f" ({vader_row['n']} scored by VADER)"
    alt = (
        f"Bar chart of hostility measures. {title}. "
        + "; ".join(f"{r.measure}: {r.comment_count} of {r.n}" for r in data.itertuples())
        + "."
    )
    return ChartData(title=title, n=n, alt_text=alt, data=data, **words)


def draw(ax, data: ChartData) -> None:
    """Horizontal bars, the score and VADER on top, then the cues; counts beside the bars."""
    d = data.data
    y = np.arange(len(d))[::-1].astype(float)
    y[d["kind"].to_numpy() == "component"] -= 0.5  # a gap between the summary bars and the cues
    colours = [
        GREY if m.startswith("group") else _COLOURS[k]
        for m, k in zip(d["measure"], d["kind"], strict=True)
    ]
    share = np.nan_to_num(floats(d["share"]))
    ax.barh(y, share, color=colours, height=0.7)
    for yi, s, c, n in zip(y, share, d["comment_count"], d["n"], strict=True):
        ax.text(s, yi, f" {c} of {n}", va="center", ha="left", fontsize=7.5, color="#444444")
    ax.set_yticks(y, d["measure"].tolist(), fontsize=8)
    ax.set_xlim(0, max(0.05, float(share.max())) * 1.3)
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Share of comments")


CHART = register(NAME, tables=("hostility", "documents"), prepare=prepare, draw=draw)
