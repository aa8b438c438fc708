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
#: Measured by bench/eval_hostility.py on 859 Fox News comments with human hate labels.
VALIDITY = "ROC AUC 0.61 against human hate labels on Fox News comments (VADER 0.53)"


def _cue_counts(h: pd.DataFrame) -> list[dict]:
    rows = []
    for col, cue in CUES.items():
        if col not in h.columns:
            continue
        values = pd.to_numeric(h[col], errors="coerce").fillna(0)
        hit = values > SHOUTING_FROM if col == S.SHOUTING_SHARE else values > 0
        rows.append({"measure": cue, "kind": "component", "comment_count": int(hit.sum())})
    return rows


def hostility_title(data: pd.DataFrame, negative_of_flagged: int | None) -> str:
    """How many comments the score flags and how many of those VADER labels negative.

    Args:
        data: the prepared rows (the ``score`` row first, the ``vader`` row when known).
        negative_of_flagged: flagged comments VADER labels negative; ``None`` without VADER.
    """
    score = data[data["kind"] == "score"].iloc[0]
    k, n = int(score["comment_count"]), int(score["n"])
    vader = data.loc[data["kind"] == "vader", "comment_count"]
    if k == 0:
        title = f"None of {plural(n, 'comment')} scores 0.5 or more for hostility"
        return title + (f"; VADER labels {int(vader.iloc[0])} negative" if len(vader) else "")
    title = (
        f"{k} of {plural(n, 'comment')} {'scores' if k == 1 else 'score'} 0.5 or more for hostility"
    )
    if negative_of_flagged is None:
        return title
    if k == 1:
        return title + (
            "; VADER labels it negative"
            if negative_of_flagged
            else "; VADER does not label it negative"
        )
    return title + f"; VADER labels {negative_of_flagged} of them negative"


def scored_comments(h: pd.DataFrame, documents: pd.DataFrame | None) -> tuple[pd.DataFrame, dict]:
    """The ``hostility`` rows of the comments VADER scored (so both measures share one n).

    Returns:
        ``(rows, {doc_id: VADER label})``; without ``documents``, ``(h, {})``.
    """
    if documents is None:
        return h, {}
    docs = documents[documents[S.DOC_ID].isin(set(h[S.DOC_ID])) & flags(documents[S.IS_ANNOTATED])]
    labels = dict(zip(docs[S.DOC_ID], docs[S.SENTIMENT_LABEL], strict=True))
    return h[h[S.DOC_ID].isin(labels)], labels


def _rows(h: pd.DataFrame, labels: dict) -> pd.DataFrame:
    rows = [
        {
            "measure": "hostility score 0.5 or more",
            "kind": "score",
            "comment_count": int(flags(h[S.IS_HOSTILE]).sum()),
        }
    ]
    if labels:
        negative = sum(1 for d in h[S.DOC_ID] if labels[d] == "negative")
        rows.append({"measure": "VADER: negative", "kind": "vader", "comment_count": negative})
    data = pd.DataFrame(rows + _cue_counts(h)).assign(n=len(h))
    data["share"] = data["comment_count"] / data["n"]
    return data[COLUMNS]


def prepare(tables: Tables, *, thread_id: str | None = None, name: str = NAME) -> ChartData:
    """Share of comments scoring 0.5 or more, share VADER labels negative, share with each cue.

    Reads ``hostility`` (comments only) and ``documents``: with it, every bar counts the same
    comments, those VADER scored (annotated: not empty, English, not a placeholder), and the
    title says how many of the flagged comments VADER labels negative.

    CSV columns: measure, kind (score, vader, component), comment_count, n, share.

    Raises:
        StageInputError: missing columns, or ``thread_id`` not in the table.
    """
    hostility = tables["hostility"]
    S.HOSTILITY.check(hostility, stage="figures")
    h, label = select_thread(hostility, thread_id, table="hostility", has_pooled=False)
    h = h[h[S.DOC_KIND] == S.COMMENT]
    documents = tables.get("documents")
    words = {
        "name": name,
        "source": f"{label}, hostility"
        + (" and documents tables" if documents is not None else " table"),
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
    scored, labels = scored_comments(h, documents)
    if scored.empty:
        reason = (
            "no comment was scored" if documents is None or h.empty else "VADER scored no comment"
        )
        return empty_data(reason=reason, columns=COLUMNS, **words)
    data = _rows(scored, labels)
    flagged = scored.loc[flags(scored[S.IS_HOSTILE]), S.DOC_ID]
    negative = sum(1 for d in flagged if labels.get(d) == "negative") if labels else None
    title = hostility_title(data, negative)
    n = plural(len(scored), "comment" if documents is None else "scored comment")
    if len(scored) < len(h):
        n += f" ({len(h) - len(scored)} not scored by VADER left out)"
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
