"""The report's conversation section: replies, likes, time, hostility and coded labels.

:func:`conversation_section` returns escaped HTML (every value from data goes through
:func:`html.escape`; comment text is cut before escaping). It uses the conversation tables when the
caller passes them (``reply_structure`` ... ``timeline``, ``hostility``, ``labels``) and otherwise
computes them from ``corpus`` and ``documents``, so the seed report gains the section without a
new stage. Where the data lack replies, likes or dates, the section says so.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.classify.hostility import HOSTILITY_COLUMNS_SHOWN, hostility_table
from analysis.compare.conversation import conversation_notes, conversation_tables

MAX_CHARS = 300
TOP_HOSTILE = 5

#: Measured by bench/eval_hostility.py and bench/eval_classify.py on the Fox News dev threads.
VALIDITY = (
    "On 859 Fox News comments with human hate labels (5 threads; Gao and Huang 2017) the "
    "hostility score separates hateful from other comments at ROC AUC 0.61 (0.60 on the two "
    "threads held out from its one design change), against 0.53 for VADER's negative compound; "
    "most hateful comments there carry no hostile word at all (implicit hate, stereotypes, "
    "sarcasm), which no word list sees. A classifier trained on a researcher's own coding "
    "(discourse classify) reached 0.61 on unseen threads and 0.75 when the coded sample comes "
    "from the same threads. Read the score as a screening aid for finding comments to read, not "
    "as a verdict on any comment."
)
METHOD = (
    "Replies follow parent links in the source (YouTube API, or a CSV parent column); the seed "
    "format has none. Orphans (a parent not in the corpus) count at depth 1; cycles are flagged "
    "and get no depth. Tone is VADER on the whole comment, shares with seeded bootstrap 95% "
    f"intervals (seed {config.SEED}). Like-weighted shares weigh each comment by its likes: early "
    "comments collect more likes, so this mixes approval with position. Time bins are hours up to "
    "a two-day span, days up to 90 days, weeks beyond; estimated dates (from '2 days ago') are "
    "marked. The hostility score counts cues (insults, second-person attacks, slurs, "
    "dehumanising terms, profanity, threats, shouting, group mentions) from a sourced lexicon."
)


def _e(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _pct(value: object) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{float(value):.0%}"


def _clip(text: object) -> str:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return '<span class="missing">(text not available)</span>'
    text = str(text)
    return _e(text[:MAX_CHARS]) + (" <em>[… cut]</em>" if len(text) > MAX_CHARS else "")


def _table(headers: Sequence[str], rows: Iterable[Sequence[tuple[str, str]]]) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="{c}">{cell}</td>' for c, cell in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _thread_name(thread: object) -> str:
    return "all threads" if thread == S.POOLED else str(thread)


def _summary(summary: pd.DataFrame) -> str:
    headers = [
        "Thread",
        "Comments",
        "Top-level",
        "Replies",
        "Deepest",
        "Replies/comment",
        "Orphans",
        "Cycles",
        "Likes",
        "Dated",
        "Off-article (top-level / replies)",
    ]
    rows = [
        [
            ("id", _e(_thread_name(r.thread_id))),
            ("num", _e(r.comment_count)),
            ("num", _e(r.top_level_count)),
            ("num", _e(r.reply_count)),
            ("num", _e(r.max_depth)),
            ("num", _e(f"{r.replies_per_comment:.2f}") if pd.notna(r.replies_per_comment) else ""),
            ("num", _e(r.orphan_count)),
            ("num", _e(r.cycle_count)),
            ("num", _e(r.like_total) if bool(r.has_likes) else "none given"),
            ("num", _e(f"{r.dated_count} ({r.estimated_date_count} est.)")),
            (
                "num",
                _e(f"{_pct(r.top_level_off_article_share)} / {_pct(r.reply_off_article_share)}"),
            ),
        ]
        for r in summary.itertuples(index=False)
    ]
    return _table(headers, rows)


def _tone(tone: pd.DataFrame, thread: str) -> str:
    t = tone[(tone[S.THREAD_ID] == thread) & tone["grouping"].isin(["level", "position"])]
    if t.empty or not (t["n"] > 0).any():
        return "<p>No comment could be scored for tone.</p>"
    rows = []
    for (grouping, group), g in t.groupby(["grouping", "group"], sort=False):
        neg = g[g["sentiment_label"] == "negative"].iloc[0]
        pos = g[g["sentiment_label"] == "positive"].iloc[0]
        basis = "" if grouping == "level" else f" (by {neg['basis']})"
        rows.append(
            [
                ("", _e(f"{group.replace('_', '-')}{basis}")),
                ("num", _e(neg["n"])),
                ("num", _e(f"{_pct(neg['share'])} ({_pct(neg['ci_low'])}–{_pct(neg['ci_high'])})")),
                ("num", _e(_pct(pos["share"]))),
            ]
        )
    return _table(["Comments", "n", "Negative (95% CI)", "Positive"], rows)


def _endorsement(endorse: pd.DataFrame, liked: pd.DataFrame, texts: pd.Series, thread: str) -> str:
    e = endorse[endorse[S.THREAD_ID] == thread]
    if e.empty or not bool(e["has_likes"].any()):
        return (
            "<p>No like counts on this platform or export: like-weighted shares are not "
            "computed.</p>"
        )
    rows = [
        [
            ("", _e(r.sentiment_label)),
            ("num", _e(_pct(r.share))),
            ("num", _e(f"{_pct(r.like_share)} ({_pct(r.like_ci_low)}–{_pct(r.like_ci_high)})")),
        ]
        for r in e.itertuples(index=False)
    ]
    out = [_table(["Tone", "Share of comments", "Share of likes (95% CI)"], rows)]
    top = liked[(liked[S.THREAD_ID] == thread) & (liked["rank"] == 1)]
    if len(top):
        out.append("<h4>Most-liked comment of each tone</h4>")
        out.append(
            _table(
                ["Tone", "Comment", "Likes", "Text"],
                [
                    [
                        ("", _e(r.sentiment_label)),
                        ("id", _e(r.doc_id)),
                        ("num", _e(r.like_count)),
                        ("text", _clip(texts.get(r.doc_id))),
                    ]
                    for r in top.itertuples(index=False)
                ],
            )
        )
    return "".join(out)


def _actors(actors: pd.DataFrame, thread: str) -> str:
    a = actors[actors[S.THREAD_ID] == thread]
    rows = [
        [
            ("", _e(r.level.replace("_", "-"))),
            ("", _e(r.entity_name)),
            ("num", _e(f"{r.comment_count} of {r.n} ({_pct(r.share)})")),
        ]
        for r in a.itertuples(index=False)
    ]
    return _table(["Comments", "Entity", "Comments mentioning it"], rows)


def _chains(chains: pd.DataFrame, thread: str) -> str:
    c = chains[chains[S.THREAD_ID] == thread].head(3)
    if c.empty:
        return "<p>No reply chains (no comment replies to another).</p>"
    rows = [
        [
            ("text", _e(r.doc_ids)),
            ("num", _e(r.comment_count)),
            ("num", _e(r.author_count)),
            (
                "num",
                _e(f"{r.compound_first:+.2f} → {r.compound_last:+.2f}")
                if pd.notna(r.compound_change)
                else "n/a",
            ),
        ]
        for r in c.itertuples(index=False)
    ]
    return _table(["Chain (root first)", "Comments", "Authors", "Tone first → last"], rows)


def _hostility(hostile: pd.DataFrame, texts: pd.Series) -> str:
    h = hostile[hostile[S.DOC_KIND] == S.COMMENT]
    if h.empty:
        return "<p>No comments to score.</p>"
    k = int(h["is_hostile"].sum())
    counts = ", ".join(
        f"{name} {int((h[col] > (0.5 if col == 'shouting_share' else 0)).sum())}"
        for col, name in HOSTILITY_COLUMNS_SHOWN.items()
    )
    out = [
        f"<p>{_e(k)} of {_e(len(h))} comments score 0.5 or more. Comments with each cue: "
        f"{_e(counts)}.</p>"
    ]
    top = (
        h[h["hostility_score"] > 0]
        .sort_values(["hostility_score", S.DOC_ID], ascending=[False, True])
        .head(TOP_HOSTILE)
    )
    if len(top):
        out.append(
            _table(
                ["Comment", "Score", "Cues", "Text"],
                [
                    [
                        ("id", _e(r.doc_id)),
                        ("num", _e(f"{r.hostility_score:.2f}")),
                        ("text", _e(r.matched_terms)),
                        ("text", _clip(texts.get(r.doc_id))),
                    ]
                    for r in top.itertuples(index=False)
                ],
            )
        )
    return "".join(out)


def _labels(labels: pd.DataFrame) -> str:
    rows = []
    for name, g in labels.groupby("label_name", sort=True):
        shares = g["predicted_code"].value_counts(normalize=True).sort_index()
        rows.append(
            [
                ("", _e(name)),
                ("num", _e(int(g["in_training_sample"].sum()))),
                ("", _e(", ".join(f"{c}: {s:.0%}" for c, s in shares.items()))),
            ]
        )
    return "<h3>Codes from your own coding</h3>" + _table(
        ["Coding", "Coded comments", "Predicted shares of all comments"], rows
    )


def _label_shares(shares: pd.DataFrame) -> str:
    pooled = shares[shares[S.THREAD_ID] == S.POOLED]
    rows = pooled if len(pooled) else shares
    body = [
        [
            ("", _e(r.label_name)),
            ("", _e(r.code)),
            ("", _e(r.side)),
            ("num", _e(r.n)),
            ("num", _e(f"{_pct(r.share)} ({_pct(r.ci_low)}–{_pct(r.ci_high)})")),
            ("num", _e(f"{r.compound_mean:+.2f}") if pd.notna(r.compound_mean) else ""),
        ]
        for r in rows.itertuples(index=False)
    ]
    return _table(
        ["Coding", "Code", "Side", "Units", "Share (95% CI)", "Comment tone (VADER)"], body
    ) + (
        '<p class="src">Article side: the model, trained on comments, applied to the '
        "article's body paragraphs; read it as an indication.</p>"
    )


def _outputs(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    have = all(n in tables for n in ("conversation_summary", "conversation_tone", "endorsement"))
    if have:
        out = dict(tables)
    else:
        computed = conversation_tables(
            tables["corpus"],
            tables.get("documents"),
            mentions=tables.get("mentions"),
            engagement=tables.get("engagement"),
        )
        out = {**computed, **tables}
    if "hostility" not in out:
        out["hostility"] = hostility_table(tables["corpus"])
    return out


def conversation_section(tables: dict[str, pd.DataFrame]) -> str:
    """The ``<section id="conversation">`` of the report (escaped HTML).

    Args:
        tables: table name -> frame; needs ``corpus`` (``documents`` for tone).

    Returns:
        The section; it says what is missing instead of failing.
    """
    out = ['<section id="conversation"><h2>Conversation: replies, likes, time and hostility</h2>']
    corpus = tables.get("corpus")
    if corpus is None or corpus.empty:
        out.append('<p class="missing">No corpus table: the conversation cannot be described.</p>')
        return "".join(out) + "</section>"
    t = _outputs(tables)
    comments = corpus[corpus[S.DOC_KIND] == S.COMMENT]
    texts = pd.Series(comments[S.TEXT].to_numpy(), index=comments[S.DOC_ID].astype(str).to_numpy())
    summary = t["conversation_summary"]
    out.append(_summary(summary))
    notes = conversation_notes(summary)
    items = [f"<li>{_e(_thread_name(th))}: {_e(n)}</li>" for th, ns in notes.items() for n in ns]
    if items:
        out.append(f'<ul class="findings">{"".join(items)}</ul>')
    scope = (
        S.POOLED
        if (summary[S.THREAD_ID] == S.POOLED).any()
        else str(summary[S.THREAD_ID].iloc[0])
        if len(summary)
        else ""
    )
    out.append(f"<h3>Tone by reply level and position ({_e(_thread_name(scope))})</h3>")
    out.append(_tone(t["conversation_tone"], scope))
    actors = t.get("level_actors")
    if actors is not None and len(actors[actors[S.THREAD_ID] == scope]):
        out.append("<h3>Who top-level comments and replies mention</h3>")
        out.append(_actors(actors, scope))
    out.append("<h3>What the audience endorsed (likes)</h3>")
    out.append(_endorsement(t["endorsement"], t["most_liked"], texts, scope))
    out.append("<h3>Longest reply chains</h3>")
    chains = t["reply_chains"]
    for thread in sorted(chains[S.THREAD_ID].unique()) or [scope]:
        out.append(_chains(chains, thread))
    out.append("<h3>Hostility (offline score)</h3>")
    out.append(_hostility(t["hostility"], texts))
    out.append(f'<p class="src">{_e(VALIDITY)}</p>')
    if "labels" in t and len(t["labels"]):
        out.append(_labels(t["labels"]))
    if "label_shares" in t and len(t["label_shares"]):
        out.append(_label_shares(t["label_shares"]))
    out.append(f'<p class="src">{_e(METHOD)}</p></section>')
    return "".join(out)
