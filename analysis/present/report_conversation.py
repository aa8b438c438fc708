"""The report's conversation section: replies, likes, time, hostility and a researcher's codes.

:func:`conversation_section` reads the conversation tables the comparison stage writes
(``conversation_summary``, ``conversation_tone``, ``reply_chains``, ``level_actors``,
``endorsement``, ``most_liked``, ``timeline``, ``hostility``) and, after ``discourse classify``,
``labels`` and ``label_shares``. It computes nothing new: every number is a cell of one of those
tables. A missing table, or data without replies, likes or dates, is said in its place. Every
value from data goes through :func:`~analysis.present.html.esc`; comment text is cut before
escaping, and the thread's own content note stands above the first quoted comment.
"""

from __future__ import annotations

import pandas as pd

from analysis import schema as S
from analysis.present.html import cell_count, esc, num, table
from analysis.present.labels import plural

#: Tables the section reads (all optional; the section says what is missing).
CONVERSATION_TABLES = (
    "conversation_summary",
    "conversation_tone",
    "reply_chains",
    "level_actors",
    "endorsement",
    "most_liked",
    "timeline",
    "hostility",
    "labels",
    "label_shares",
)
MAX_CHARS = 400
TOP_HOSTILE = 5
MOST_LIKED_RANKS = 2
TONE_GROUPS = {
    ("level", "top_level"): "Top-level comments",
    ("level", "reply"): "Replies",
    ("depth", "0"): "Depth 0",
    ("depth", "1"): "Depth 1",
    ("depth", "2"): "Depth 2",
    ("depth", "3+"): "Depth 3 or more",
    ("position", "early"): "Earlier half",
    ("position", "late"): "Later half",
}

#: What the hostility score is worth, as measured (bench/eval_hostility.py) and where it fails.
HOSTILITY_LIMITS = (
    "The hostility score counts cues from a sourced lexicon and patterns (insults, "
    "second-person attacks, slurs, dehumanising terms and generalisations, profanity, threats, "
    "shouting, group mentions); each cue is a column of the hostility table, so a reader can "
    "see why a comment scored. Measured on 859 Fox News comments with human hate labels (5 "
    "threads, 24% hateful; Gao and Huang 2017; bench/eval_hostility.py), it separates hateful "
    "from other comments at ROC AUC 0.61 (0.60 on the two threads held out from its one design "
    "change), against 0.53 for VADER's negative compound; of the 10% highest-scoring comments "
    "50% are hateful (VADER 37%, base rate 24%); a score of 0.5 or more flags 32 comments, 56% "
    "of them hateful, and finds 9% of the hateful ones. 136 of the 206 hateful comments carry "
    "no cue at all: the score cannot read context, so it misses hostility without hostile words "
    "(sarcasm, coded language, stereotypes said politely) and counts quoted, reclaimed or "
    "negated uses. Read it as a screening aid for finding comments to read, not as a verdict "
    "on any comment."
)
METHOD = (
    "Replies follow the parent links the source gives (YouTube API, or a CSV parent column); "
    "the seed format has none. A reply whose parent is not in the corpus (an orphan) counts at "
    "depth 1; comments whose parents loop (cycles, bad input) get no depth. Tone is VADER on the "
    "whole comment, labelled at +-0.05, with Wilson score 95% intervals. Like-weighted "
    "shares weigh each comment by its likes (seeded bootstrap 95% intervals, comments "
    "resampled): likes accumulate with time on the page, so they "
    "mix approval with position. Time bins are hours up to a two-day span, days up to 90 days, "
    "weeks beyond; dates estimated from relative times ('2 days ago') are marked as estimates."
)


def _pct(value: object) -> str:
    return num(value, "{:.0%}")


def _ci(share: object, low: object, high: object) -> str:
    if pd.isna(low) or pd.isna(high):
        return _pct(share)
    return f"{_pct(share)} ({_pct(low)}–{_pct(high)})"


def _clip(text: object) -> str:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return '<span class="missing">(text not available)</span>'
    text = str(text)
    if len(text) > MAX_CHARS:
        return esc(text[:MAX_CHARS]) + " <em>[… cut]</em>"
    return esc(text)


def _doc(doc_id: object) -> str:
    """A comment id as the report's examples show it: ``c10``, the full id on hover."""
    full = str(doc_id)
    return f'<span title="{esc(full)}">{esc(full.rpartition("/")[2])}</span>'


def _thread_name(thread: object) -> str:
    return "all threads pooled" if thread == S.POOLED else f"thread {thread}"


def _scope(summary: pd.DataFrame) -> str:
    """The pooled rows when there are several threads, else the only thread."""
    threads = summary[S.THREAD_ID].astype(str)
    if (threads == S.POOLED).any():
        return S.POOLED
    return str(threads.iloc[0]) if len(threads) else ""


def _rows_of(frame: pd.DataFrame | None, scope: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    return frame[frame[S.THREAD_ID].astype(str) == scope]


def data_notes(row) -> list[str]:
    """What one ``conversation_summary`` row says the data lack or got wrong."""
    n, notes = int(row.comment_count), []
    if n and not int(row.reply_count):
        notes.append("no replies: the source keeps no reply links, or nobody replied")
    if int(row.orphan_count):
        k = int(row.orphan_count)
        notes.append(
            f"{plural(k, 'reply', 'replies')} {'names' if k == 1 else 'name'} a parent that is "
            "not in the corpus (orphans, counted at depth 1)"
        )
    if int(row.cycle_count):
        k = int(row.cycle_count)
        notes.append(
            f"{plural(k, 'comment')} {'sits' if k == 1 else 'sit'} in reply cycles (bad input): "
            "no depth for them or their replies"
        )
    if n and not bool(row.has_likes):
        notes.append("no like counts on this platform or export: nothing is like-weighted")
    dated = int(row.dated_count)
    if n and not dated:
        notes.append("no publication dates: no timeline")
    elif dated < n:
        verb = "has" if n - dated == 1 else "have"
        notes.append(f"{n - dated} of {n} comments {verb} no date (left out of the timeline)")
    if int(row.estimated_date_count):
        est = int(row.estimated_date_count)
        notes.append(
            f"{cell_count(est, 'date')} {'is' if est == 1 else 'are'} estimated from relative "
            "times (drawn as estimates)"
        )
    return notes


def _summary(summary: pd.DataFrame) -> str:
    headers = [
        "Thread",
        "Comments",
        "Top-level",
        "Replies",
        "Deepest level",
        "Replies per comment",
        "Orphans",
        "Cycles",
        "Likes",
        "Dated (estimated)",
    ]
    rows = [
        [
            ("id", esc(_thread_name(r.thread_id))),
            ("num", esc(r.comment_count)),
            ("num", esc(r.top_level_count)),
            ("num", esc(r.reply_count)),
            ("num", esc(r.max_depth)),
            ("num", num(r.replies_per_comment, "{:.2f}")),
            ("num", esc(r.orphan_count)),
            ("num", esc(r.cycle_count)),
            ("num", esc(r.like_total) if bool(r.has_likes) else "not given"),
            ("num", esc(f"{r.dated_count} ({r.estimated_date_count})")),
        ]
        for r in summary.itertuples(index=False)
    ]
    notes = [
        f"<li>{esc(_thread_name(r.thread_id))}: {esc(note)}</li>"
        for r in summary.itertuples(index=False)
        for note in data_notes(r)
    ]
    return table(headers, rows) + (f'<ul class="findings">{"".join(notes)}</ul>' if notes else "")


def _tone(tone: pd.DataFrame, groupings: tuple[str, ...]) -> str:
    t = tone[tone["grouping"].isin(groupings) & (tone["n"].fillna(0) > 0)]
    if t.empty:
        return "<p>No comment in these groups was scored for tone.</p>"
    rows = []
    for (grouping, group), g in t.groupby(["grouping", "group"], sort=False):
        by = g.set_index("sentiment_label")
        neg, pos = by.loc["negative"], by.loc["positive"]
        name = TONE_GROUPS.get((grouping, str(group)), str(group))
        if grouping == "position":
            name += f" (by {neg['basis']})"
        rows.append(
            [
                ("", esc(name)),
                ("num", esc(int(neg["n"]))),
                ("num", esc(_ci(neg["share"], neg["ci_low"], neg["ci_high"]))),
                ("num", esc(_ci(pos["share"], pos["ci_low"], pos["ci_high"]))),
            ]
        )
    return table(["Comments", "Scored", "Negative (95% CI)", "Positive (95% CI)"], rows)


def _chains(chains: pd.DataFrame | None) -> str:
    if chains is None:
        return '<p class="missing">The reply_chains table was not produced.</p>'
    c = chains.sort_values([S.THREAD_ID, "chain_rank"]).groupby(S.THREAD_ID).head(3)
    if c.empty:
        return "<p>No reply chains: no comment replies to another.</p>"
    rows = [
        [
            ("id", esc(r.thread_id)),
            ("text", esc(r.doc_ids)),
            ("num", esc(r.comment_count)),
            ("num", esc(r.author_count)),
            (
                "num",
                esc(f"{r.compound_first:+.2f} → {r.compound_last:+.2f}")
                if pd.notna(r.compound_change)
                else "n/a",
            ),
        ]
        for r in c.itertuples(index=False)
    ]
    return "<h4>Longest reply chains</h4>" + table(
        ["Thread", "Chain (first comment first)", "Comments", "Authors", "Tone first → last"],
        rows,
    )


def _actors(actors: pd.DataFrame | None) -> str:
    if actors is None or actors.empty:
        return ""
    a = actors[actors["rank"] <= 3].sort_values(["level", "rank"])
    rows = [
        [
            ("", esc(TONE_GROUPS.get(("level", r.level), r.level))),
            ("", esc(r.entity_name)),
            ("num", esc(f"{r.comment_count} of {r.n} ({_pct(r.share)})")),
        ]
        for r in a.itertuples(index=False)
    ]
    return "<h4>Who top-level comments and replies mention</h4>" + table(
        ["Comments", "Entity", "Comments mentioning it"], rows
    )


def _endorsement(endorse: pd.DataFrame | None, liked: pd.DataFrame | None, texts) -> str:
    if endorse is None:
        return '<p class="missing">The endorsement table was not produced.</p>'
    if endorse.empty or not endorse["has_likes"].fillna(False).astype(bool).any():
        return "<p>No like counts on this platform or export: nothing is like-weighted.</p>"
    rows = [
        [
            ("", esc(r.sentiment_label)),
            ("num", esc(f"{_pct(r.share)} ({r.count} of {r.n})")),
            ("num", esc(_ci(r.like_share, r.like_ci_low, r.like_ci_high))),
        ]
        for r in endorse.itertuples(index=False)
    ]
    out = [table(["Tone", "Share of scored comments", "Share of likes (95% CI)"], rows)]
    top = (
        liked[liked["rank"] <= MOST_LIKED_RANKS].sort_values(["sentiment_label", "rank"])
        if liked is not None
        else None
    )
    if top is not None and len(top):
        out.append(
            "<h4>Most-liked comments of each tone</h4>"
            + table(
                ["Tone", "Comment", "Likes", "Text"],
                [
                    [
                        ("", esc(r.sentiment_label)),
                        ("id", _doc(r.doc_id)),
                        ("num", esc(r.like_count)),
                        ("text", _clip(texts.get(str(r.doc_id)))),
                    ]
                    for r in top.itertuples(index=False)
                ],
            )
        )
    return "".join(out)


def _time(timeline: pd.DataFrame | None, tone: pd.DataFrame | None) -> str:
    out = []
    if timeline is None:
        out.append('<p class="missing">The timeline table was not produced.</p>')
    elif timeline.empty:
        out.append("<p>No comment has a publication date, so there is no timeline.</p>")
    else:
        parts = []
        for thread, t in timeline.groupby(S.THREAD_ID, sort=True):
            peak = t.sort_values(["comment_count", "bin_start"], ascending=[False, True]).iloc[0]
            ties = int((t["comment_count"] == peak["comment_count"]).sum())
            when = pd.Timestamp(peak["bin_start"]).strftime(
                "%Y-%m-%d %H:00" if peak["time_bin"] == "hour" else "%Y-%m-%d"
            )
            unit = str(peak["time_bin"])
            tie = f", tied with {plural(ties - 1, 'other ' + unit)}" if ties > 1 else ""
            est = int(t["estimated_count"].sum())
            parts.append(
                f"{_thread_name(thread)}: {int(t['comment_count'].sum())} dated comments in "
                f"{plural(len(t), unit)} with comments; the most ({int(peak['comment_count'])}) "
                f"in the {unit} starting {when}{tie}"
                + (f"; {plural(est, 'date')} estimated" if est else "")
            )
        out.append(f'<ul class="findings">{"".join(f"<li>{esc(p)}</li>" for p in parts)}</ul>')
    if tone is not None:
        out.append("<p>Tone of the earlier and the later half of the comments:</p>")
        out.append(_tone(tone, ("position",)))
    return "".join(out)


def _cue_line(h: pd.DataFrame) -> str:
    from analysis.present.charts.hostility import CUES, SHOUTING_FROM

    counts = []
    for col, cue in CUES.items():
        if col in h.columns:
            values = pd.to_numeric(h[col], errors="coerce").fillna(0)
            hit = values > SHOUTING_FROM if col == S.SHOUTING_SHARE else values > 0
            counts.append(f"{cue} {int(hit.sum())}")
    return ", ".join(counts)


def _cues(matched: object) -> str:
    """The cues a comment matched, each once, in the order found."""
    terms = [t.strip() for t in str(matched or "").split("|") if t.strip()]
    return " | ".join(dict.fromkeys(terms))


def _hostility(hostile: pd.DataFrame | None, documents: pd.DataFrame | None, texts) -> str:
    from analysis.present.charts.hostility import scored_comments

    if hostile is None:
        return '<p class="missing">The hostility table was not produced.</p>'
    h, labels = scored_comments(hostile[hostile[S.DOC_KIND] == S.COMMENT], documents)
    if h.empty:
        return "<p>No comments to score.</p>"
    flagged = h.loc[h[S.IS_HOSTILE].fillna(False).astype(bool), S.DOC_ID]
    which = "comments VADER scored" if labels else "comments"
    verb = "scores" if len(flagged) == 1 else "score"
    lede = f"Of the {len(h)} {which}, {len(flagged)} {verb} 0.5 or more for hostility"
    if labels:
        neg = sum(1 for d in flagged if labels[d] == "negative")
        lede += f"; VADER labels {neg} of those {len(flagged)} negative"
    out = [f"<p>{esc(lede)}. Comments with each cue: {esc(_cue_line(h))}.</p>"]
    top = (
        h[h[S.HOSTILITY_SCORE] > 0]
        .sort_values([S.HOSTILITY_SCORE, S.DOC_ID], ascending=[False, True])
        .head(TOP_HOSTILE)
    )
    if len(top):
        out.append(
            f"<h4>Highest-scoring comments ({len(top)} shown)</h4>"
            + table(
                ["Comment", "Score", "Cues matched", "Text"],
                [
                    [
                        ("id", _doc(r.doc_id)),
                        ("num", num(r.hostility_score, "{:.2f}")),
                        ("text", esc(_cues(r.matched_terms))),
                        ("text", _clip(texts.get(str(r.doc_id)))),
                    ]
                    for r in top.itertuples(index=False)
                ],
            )
        )
    out.append(f'<p class="src">{esc(HOSTILITY_LIMITS)}</p>')
    return "".join(out)


def _per_code(checked: pd.DataFrame) -> str:
    """Out-of-fold precision and recall of each code (``code: P x% / R y%``)."""
    parts = []
    for code in sorted(set(checked["coded_code"]) | set(checked["cv_predicted_code"])):
        predicted, coded = checked["cv_predicted_code"] == code, checked["coded_code"] == code
        hits = int((predicted & coded).sum())
        precision = hits / predicted.sum() if predicted.any() else float("nan")
        recall = hits / coded.sum() if coded.any() else float("nan")
        parts.append(f"{code}: P {_pct(precision)} / R {_pct(recall)}")
    return "; ".join(parts)


def _labels(labels: pd.DataFrame) -> str:
    rows = []
    for name, g in labels.groupby("label_name", sort=True):
        coded = g[g["in_training_sample"].fillna(False).astype(bool)]
        checked = coded[coded["cv_predicted_code"].notna() & coded["coded_code"].notna()]
        agree = int((checked["cv_predicted_code"] == checked["coded_code"]).sum())
        shares = g["predicted_code"].dropna().value_counts(normalize=True).sort_index()
        rows.append(
            [
                ("", esc(name)),
                ("num", esc(len(coded))),
                (
                    "num",
                    esc(f"{agree} of {len(checked)} ({_pct(agree / len(checked))})")
                    if len(checked)
                    else "n/a",
                ),
                ("", esc(_per_code(checked)) if len(checked) else "n/a"),
                ("", esc(", ".join(f"{c}: {s:.0%}" for c, s in shares.items()))),
            ]
        )
    return (
        "<h3>Codes from your own coding</h3>"
        + table(
            [
                "Coding",
                "Coded comments",
                "Out-of-fold predictions matching the coder",
                "Per code, out of fold (precision / recall)",
                "Predicted shares of all comments",
            ],
            rows,
        )
        + '<p class="src">Out of fold: each coded comment predicted by a model that did not '
        "train on it (the honest estimate; discourse classify prints ROC AUC and F1 with "
        "intervals). Predicted shares include the coded comments.</p>"
    )


def _label_shares(shares: pd.DataFrame) -> str:
    pooled = shares[shares[S.THREAD_ID] == S.POOLED]
    rows = (pooled if len(pooled) else shares).sort_values(["label_name", "code", S.SIDE])
    body = [
        [
            ("", esc(r.label_name)),
            ("", esc(r.code)),
            ("", esc(r.side)),
            ("num", esc(f"{r.unit_count} of {r.n}")),
            ("num", esc(_ci(r.share, r.ci_low, r.ci_high))),
            ("num", num(r.compound_mean)),
        ]
        for r in rows.itertuples(index=False)
    ]
    return (
        "<h4>Each code in the article and in the comments</h4>"
        + table(["Coding", "Code", "Side", "Units", "Share (95% CI)", "Comment tone (VADER)"], body)
        + '<p class="src">Article side: the model, trained on comments, applied to the '
        "article's body paragraphs; read it as an indication only.</p>"
    )


def _texts(corpus: pd.DataFrame | None) -> dict[str, str]:
    if corpus is None or corpus.empty:
        return {}
    c = corpus[corpus[S.DOC_KIND] == S.COMMENT]
    return dict(zip(c[S.DOC_ID].astype(str), c[S.TEXT], strict=True))


def conversation_section(tables: dict[str, pd.DataFrame], *, note: str) -> str:
    """The ``<section id="conversation">`` of the report (escaped HTML).

    Args:
        tables: table name -> frame; uses :data:`CONVERSATION_TABLES`, ``corpus`` (comment
            text) and ``documents`` (VADER's label of the comments the hostility score flags).
        note: the thread's content note, shown above the quoted comments.

    Returns:
        The section; a missing table or a thread without replies, likes or dates is said in
        its place.
    """
    out = ['<section id="conversation"><h2>Conversation: replies, likes, time and hostility</h2>']
    summary = tables.get("conversation_summary")
    if summary is None or summary.empty:
        out.append(
            '<p class="missing">The conversation tables were not produced (the comparison '
            "stage writes them).</p></section>"
        )
        return "".join(out)
    scope = _scope(summary)
    tone = _rows_of(tables.get("conversation_tone"), scope)
    texts = _texts(tables.get("corpus"))
    out.append(f'<p class="note" role="note">{esc(note)}</p>')
    out.append("<h3>Reply structure</h3>" + _summary(summary))
    if tone is not None:
        out.append(f"<p>Tone by reply level and depth ({esc(_thread_name(scope))}):</p>")
        depths = set(tone.loc[(tone["grouping"] == "depth") & (tone["n"] > 0), "group"])
        # without replies every comment is at depth 0: the depth rows would repeat the first row
        out.append(_tone(tone, ("level", "depth") if depths - {"0"} else ("level",)))
    out.append(_chains(tables.get("reply_chains")))
    out.append(_actors(_rows_of(tables.get("level_actors"), scope)))
    out.append("<h3>What the audience endorsed (likes)</h3>")
    out.append(
        _endorsement(
            _rows_of(tables.get("endorsement"), scope),
            _rows_of(tables.get("most_liked"), scope),
            texts,
        )
    )
    out.append("<h3>Over time</h3>" + _time(tables.get("timeline"), tone))
    out.append("<h3>Hostility (offline score)</h3>")
    out.append(_hostility(tables.get("hostility"), tables.get("documents"), texts))
    labels = tables.get("labels")
    if labels is not None and len(labels):
        out.append(_labels(labels))
    shares = tables.get("label_shares")
    if shares is not None and len(shares):
        out.append(_label_shares(shares))
    out.append(f'<p class="src">{esc(METHOD)}</p></section>')
    return "".join(out)
