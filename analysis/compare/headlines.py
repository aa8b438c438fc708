"""Headline findings: short, neutral, number-backed statements generated from the tables.

Method
------
Each finding is a fixed sentence template filled only from one comparison table (named in
``source_table``); the numbers it quotes are stored beside it as JSON (``numbers``) so a reader can
check the sentence against the table. No statement is written by hand and none quotes comment text
(they name canonical entities and lemmas, the units the tables count). When a number cannot be
computed (no comments, nothing in English, one side empty) the statement says so and why, instead
of being dropped silently; a finding whose source table was not produced at all is left out.

Findings, in this order, at most :data:`MAX_FINDINGS` per thread (and for ``__pooled__``):

1. ``coverage``: comments in the thread and how many are analysed (empty / not English / platform
   placeholders) - documents;
2. ``negative_share``: share of negative comment sentences against negative article sentences
   (the fair comparison: VADER saturates on long texts) and of negative whole comments, with
   bootstrap intervals - tone_shares (VADER, Hutto and Gilbert 2014);
3. ``top_comment_actor``: the actor commenters mention most, and whether the article does - agenda;
4. ``comments_only_actors``: actors named only in the comments - agenda;
5. ``actor_tone_gap``: the actor whose tone differs most between the sides, among actors with
   enough sentences on both - actor_tone;
6. ``distinctive_terms``: lemmas most distinctive of each side (Monroe, Colaresi and Quinn 2008),
   with the ceiling when the article is too short for a comment lemma to pass, then the words
   commenters used more than general English (the ``general_english`` rows) - keyness;
7. ``off_article_share``: share of comments that engage no article paragraph - engagement;
8. ``dominant_frame``: most frequent frame in the article's sentences and in the comments'
   sentences (dictionary method; ``no_frame_term`` is not a candidate) - frame_shares;
9. ``comment_led_topics``: topics carried mostly by the comments - topic_shares.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

import pandas as pd

from analysis import schema as S
from analysis.compare.frames import FRAME_LABELS, NO_FRAME_TERM
from analysis.compare.headlines_io import write_headlines as write_headlines
from analysis.compare.keyness import MIN_COMMENTS, Z_THRESHOLD, comment_side_ceiling
from analysis.compare.scope import per_thread, placeholder_ids, thread_ids, usable_doc_ids
from analysis.compare.tone import (
    MIN_SENTENCES,
    UNIT_ARTICLE_SENTENCE,
    UNIT_COMMENT,
    UNIT_COMMENT_SENTENCE,
)
from analysis.compare.wording import ci as _ci
from analysis.compare.wording import count as _count
from analysis.compare.wording import num as _num
from analysis.compare.wording import pct as _pct
from analysis.compare.wording import signed as _signed

MAX_FINDINGS = 8
TOP_N = 3

Finding = tuple[str, str, dict, str]  # finding_id, statement, numbers, source_table


#: The tables the finders read.
FINDER_TABLES = tuple(
    "documents tone_shares agenda actor_tone keyness engagement off_article_drivers "
    "frame_shares topic_shares".split()
)


class _ScopeTables(dict):
    """The finders' tables already cut to one scope (by :func:`headline_findings`)."""


def _scope_rows(tables: Mapping[str, pd.DataFrame], name: str, scope: str) -> pd.DataFrame | None:
    table = tables.get(name)
    if table is None or isinstance(tables, _ScopeTables):
        return table
    return per_thread(table, scope)


def _where(scope: str) -> str:
    return "Across all threads" if scope == S.POOLED else "In this thread"


# -------------------------------------------------------------------------------------- findings


def _coverage(tables: Mapping[str, pd.DataFrame], scope: str) -> Finding | None:
    docs = _scope_rows(tables, "documents", scope)
    if docs is None:
        return None
    com = docs[docs[S.DOC_KIND] == S.COMMENT]
    analysed = com[S.DOC_ID].astype(str).isin(usable_doc_ids(com))
    placeholders = com[S.DOC_ID].astype(str).isin(placeholder_ids(com))
    empty = int((com["is_empty"].fillna(False).astype(bool) & ~placeholders).sum())
    not_english = int(
        ((com["skip_reason"].astype("string") == "not-english").fillna(False) & ~placeholders).sum()
    )
    n_placeholders = int(placeholders.sum())
    other = len(com) - int(analysed.sum()) - empty - not_english - n_placeholders
    articles = int((docs[S.DOC_KIND] == S.ARTICLE).sum())
    numbers = {
        "article_count": articles,
        "comment_count": len(com),
        "analysed_comment_count": int(analysed.sum()),
        "empty_comment_count": empty,
        "non_english_comment_count": not_english,
        "other_skipped_count": other,
    }
    if S.IS_PLACEHOLDER in com.columns:
        numbers["placeholder_comment_count"] = n_placeholders
    if len(com) == 0:
        text = (
            f"{_where(scope)} there are no comments, so every comparison with the comments "
            "is left empty."
        )
    else:
        skipped = []
        if empty:
            skipped.append(f"{empty} empty")
        if not_english:
            skipped.append(f"{not_english} not in English")
        if n_placeholders:
            skipped.append(f"{n_placeholders} platform placeholders such as [deleted]")
        if other:
            skipped.append(f"{other} not annotated")
        rest = f" (left out: {', '.join(skipped)})" if skipped else ""
        text = (
            f"{_where(scope)}, {int(analysed.sum())} of {_count(len(com), 'comment')} "
            f"{'is' if int(analysed.sum()) == 1 else 'are'} analysed{rest}."
        )
        if not analysed.any():
            text += " No comparison with the comments can be made."
    return ("coverage", text, numbers, "documents")


def _share_row(shares: pd.DataFrame, unit: str, label: str) -> dict | None:
    row = shares[(shares["unit"] == unit) & (shares["sentiment_label"] == label)]
    if row.empty:
        return None
    r = row.iloc[0]
    return {
        "share": float(r["share"]) if pd.notna(r["share"]) else float("nan"),
        "n": int(r["n"]),
        "count": int(r["count"]),
        "ci_low": float(r["ci_low"]) if pd.notna(r["ci_low"]) else float("nan"),
        "ci_high": float(r["ci_high"]) if pd.notna(r["ci_high"]) else float("nan"),
    }


def _negative_share(tables: Mapping[str, pd.DataFrame], scope: str) -> Finding | None:
    shares = _scope_rows(tables, "tone_shares", scope)
    if shares is None or shares.empty:
        return None
    com = _share_row(shares, UNIT_COMMENT, "negative")
    art = _share_row(shares, UNIT_ARTICLE_SENTENCE, "negative")
    csent = _share_row(shares, UNIT_COMMENT_SENTENCE, "negative")
    if com is None or art is None or csent is None:
        return None
    numbers = {}
    for prefix, row in (("comment", com), ("article_sentence", art), ("comment_sentence", csent)):
        numbers[f"{prefix}_negative_share"] = row["share"]
        numbers[f"{prefix}_negative_count"] = row["count"]
        numbers[f"{prefix}_n"] = row["n"]
        numbers[f"{prefix}_ci_low"] = row["ci_low"]
        numbers[f"{prefix}_ci_high"] = row["ci_high"]

    def part(row: dict, noun: str) -> str:
        interval = _ci(row["ci_low"], row["ci_high"])
        return f"{_pct(row['share'])} of {_count(row['n'], noun)} ({interval})"

    art_part = part(art, "article sentence") if art["n"] else "no article sentence could be scored"
    if com["n"] == 0:
        text = (
            "No comment could be scored for tone (no analysed comments), so the share of "
            f"negative comments is missing; {art_part} read as negative (VADER)."
        )
    else:
        # Sentences against sentences is the fair comparison (VADER saturates on long texts);
        # whole comments are added because a comment is the commenter's unit of speech.
        text = (
            f"Read by VADER, {part(csent, 'comment sentence')} are negative, against "
            f"{art_part}; as whole texts, {part(com, 'analysed comment')} are negative."
        )
    return ("negative_share", text, numbers, "tone_shares")


def _top_comment_actor(tables: Mapping[str, pd.DataFrame], scope: str) -> Finding | None:
    agenda = _scope_rows(tables, "agenda", scope)
    if agenda is None:
        return None
    com = agenda[agenda["comment_mention_count"].fillna(0) > 0]
    if com.empty:
        total = int(agenda["comment_mention_count"].fillna(0).sum())
        return (
            "top_comment_actor",
            "The comments name no actor the entity linker recognises, so there is no "
            "most-mentioned actor.",
            {"comment_mention_total": total},
            "agenda",
        )
    com = com.sort_values(
        ["comment_mention_count", S.ENTITY_ID], ascending=[False, True], kind="mergesort"
    )
    top = com.iloc[0]
    total = int(agenda["comment_mention_count"].fillna(0).sum())
    numbers = {
        "entity_id": str(top[S.ENTITY_ID]),
        "comment_mention_count": int(top["comment_mention_count"]),
        "comment_mention_total": total,
        "comment_mention_share": float(top["comment_mention_share"]),
        "article_mention_count": int(top["article_mention_count"]),
        "article_mention_share": float(top["article_mention_share"]),
    }
    name = str(top[S.ENTITY_NAME])
    head = (
        f"Commenters mention {name} most often ({int(top['comment_mention_count'])} of "
        f"{total} comment mentions, {_pct(float(top['comment_mention_share']))})"
    )
    if int(top["article_mention_count"]) == 0:
        tail = "; the article does not mention this actor."
    else:
        tail = (
            f"; the article mentions this actor {int(top['article_mention_count'])} times "
            f"({_pct(float(top['article_mention_share']))} of its mentions)."
        )
    return ("top_comment_actor", head + tail, numbers, "agenda")


def _comments_only(tables: Mapping[str, pd.DataFrame], scope: str) -> Finding | None:
    agenda = _scope_rows(tables, "agenda", scope)
    if agenda is None or agenda.empty or agenda["comment_mention_count"].fillna(0).sum() == 0:
        return None
    only = agenda[agenda["presence"] == "comments_only"].sort_values(
        ["comment_mention_count", S.ENTITY_ID], ascending=[False, True], kind="mergesort"
    )
    share = float(only["comment_mention_share"].sum()) if not only.empty else 0.0
    numbers = {
        "comments_only_count": len(only),
        "comments_only_mention_share": share,
        "top": {
            str(r[S.ENTITY_ID]): int(r["comment_mention_count"])
            for _, r in only.head(TOP_N).iterrows()
        },
    }
    if only.empty:
        text = "Every actor the commenters name also appears in the article."
    else:
        names = ", ".join(
            f"{r[S.ENTITY_NAME]} ({int(r['comment_mention_count'])})"
            for _, r in only.head(TOP_N).iterrows()
        )
        text = (
            f"{_count(len(only), 'actor')} {'appears' if len(only) == 1 else 'appear'} only in "
            f"the comments ({_pct(share)} of comment "
            f"mentions); most mentioned: {names}."
        )
    return ("comments_only_actors", text, numbers, "agenda")


def _actor_tone_gap(tables: Mapping[str, pd.DataFrame], scope: str) -> Finding | None:
    tone = _scope_rows(tables, "actor_tone", scope)
    if tone is None:
        return None
    ok = tone[~tone["is_too_few"].fillna(True).astype(bool)]
    wide = (
        ok.pivot_table(
            index=[S.ENTITY_ID, S.ENTITY_NAME],
            columns=S.SIDE,
            values="compound_mean",
            aggfunc="first",
        )
        if not ok.empty
        else None
    )
    if wide is None or not set(S.SIDES) <= set(wide.columns) or wide.dropna().empty:
        return (
            "actor_tone_gap",
            f"No actor is named in at least {MIN_SENTENCES} sentences on both sides, so tone "
            "toward actors is not compared.",
            {"min_sentences": MIN_SENTENCES, "compared_actor_count": 0},
            "actor_tone",
        )
    wide = wide.dropna(subset=list(S.SIDES)).reset_index()
    wide["_gap"] = (wide[S.SIDE_COMMENTS] - wide[S.SIDE_ARTICLE]).abs()
    wide = wide.sort_values(["_gap", S.ENTITY_ID], ascending=[False, True], kind="mergesort")
    top = wide.iloc[0]
    rows = ok[ok[S.ENTITY_ID] == top[S.ENTITY_ID]].set_index(S.SIDE)
    a, c = rows.loc[S.SIDE_ARTICLE], rows.loc[S.SIDE_COMMENTS]
    numbers = {
        "entity_id": str(top[S.ENTITY_ID]),
        "compared_actor_count": len(wide),
        "min_sentences": MIN_SENTENCES,
        "article_compound_mean": float(a["compound_mean"]),
        "article_ci_low": float(a["ci_low"]),
        "article_ci_high": float(a["ci_high"]),
        "article_sentence_count": int(a["sentence_count"]),
        "comment_compound_mean": float(c["compound_mean"]),
        "comment_ci_low": float(c["ci_low"]),
        "comment_ci_high": float(c["ci_high"]),
        "comment_sentence_count": int(c["sentence_count"]),
    }
    if len(wide) == 1:
        lead = (
            f"{top[S.ENTITY_NAME]} is the only actor named in at least {MIN_SENTENCES} sentences "
            "on both sides: mean sentence compound "
        )
    else:
        lead = (
            f"Of {len(wide)} actors named in at least {MIN_SENTENCES} sentences on both sides, "
            f"tone differs most for {top[S.ENTITY_NAME]}: mean sentence compound "
        )
    text = (
        lead + f"{_signed(float(a['compound_mean']))} in the article "
        f"({_count(int(a['sentence_count']), 'sentence')}) and "
        f"{_signed(float(c['compound_mean']))} in the comments "
        f"({_count(int(c['sentence_count']), 'sentence')})."
    )
    return ("actor_tone_gap", text, numbers, "actor_tone")


def _listing(rows: pd.DataFrame) -> str:
    return ", ".join(f"'{r['term']}' (z = {float(r['z_score']):.1f})" for _, r in rows.iterrows())


def _top(rows: pd.DataFrame, side: str, *, descending: bool) -> pd.DataFrame:
    order = rows[rows[S.SIDE] == side].sort_values(
        ["z_score", "term"], ascending=[not descending, True], kind="mergesort"
    )
    return order.head(TOP_N)


def _english_sentence(key: pd.DataFrame, numbers: dict) -> str:
    """The comments against general English: only words that passed, with the guard named."""
    english = key[(key[S.REFERENCE] == S.REFERENCE_GENERAL_ENGLISH) & key["z_score"].notna()]
    if english.empty:
        return ""
    top = _top(english, S.SIDE_COMMENTS, descending=True)
    numbers["general_english"] = {str(r["term"]): float(r["z_score"]) for _, r in top.iterrows()}
    numbers["min_comments"] = MIN_COMMENTS
    rule = f"wordfreq word frequencies, z ≥ {Z_THRESHOLD}, used in at least {MIN_COMMENTS} comments"
    if top.empty:
        return f" No comment word is distinctive against general English ({rule})."
    return f" Commenters used {_listing(top)} more than general English ({rule})."


def _distinctive_terms(tables: Mapping[str, pd.DataFrame], scope: str) -> Finding | None:
    every = _scope_rows(tables, "keyness", scope)
    if every is None:
        return None
    key = every[every[S.REFERENCE] == S.REFERENCE_ARTICLE]
    if key.empty or key["z_score"].isna().all():
        numbers: dict = {"term_count": len(key)}
        text = "Distinctive terms are not computed: the article or the comments have no "
        text += "analysed words." + _english_sentence(every, numbers)
        return ("distinctive_terms", text, numbers, "keyness")
    com = _top(key, S.SIDE_COMMENTS, descending=True)
    art = _top(key, S.SIDE_ARTICLE, descending=False)
    numbers = {
        "z_threshold": Z_THRESHOLD,
        "comments": {str(r["term"]): float(r["z_score"]) for _, r in com.iterrows()},
        "article": {str(r["term"]): float(r["z_score"]) for _, r in art.iterrows()},
    }
    if com.empty and art.empty:
        text = f"No lemma is distinctive of either side at |z| ≥ {Z_THRESHOLD} (weighted log-odds)."
    else:
        parts = [
            _listing(com) if not com.empty else "none",
            _listing(art) if not art.empty else "none",
        ]
        text = (
            f"Lemmas most distinctive of the comments (weighted log-odds, |z| ≥ {Z_THRESHOLD}): "
            f"{parts[0]}; of the article: {parts[1]}."
        )
    if (ceiling := comment_side_ceiling(key)) < Z_THRESHOLD:
        numbers["comment_z_ceiling"] = ceiling
        text += f" Against an article of {int(key['article_count'].sum())} content lemmas no "
        text += f"comment lemma can reach z = {Z_THRESHOLD} (at most z = {ceiling:.2f})."
    return ("distinctive_terms", text + _english_sentence(every, numbers), numbers, "keyness")


def _off_article(tables: Mapping[str, pd.DataFrame], scope: str) -> Finding | None:
    eng = _scope_rows(tables, "engagement", scope)
    if eng is None:
        return None
    if eng.empty:
        return (
            "off_article_share",
            "No comment is matched against the article (no analysed comments), so the "
            "off-article share is missing.",
            {"comment_n": 0},
            "engagement",
        )
    off = int(eng["is_off_article"].fillna(False).astype(bool).sum())
    n = len(eng)
    numbers: dict[str, object] = {
        "off_article_count": off,
        "comment_n": n,
        "off_article_share": off / n,
    }
    text = (
        f"{off} of {_count(n, 'analysed comment')} ({_pct(off / n)}) "
        f"{'relates' if off == 1 else 'relate'} to no article paragraph above the engagement "
        "threshold (off-article)"
    )
    drivers = _scope_rows(tables, "off_article_drivers", scope)
    if off and drivers is not None and not drivers.empty:
        drivers = drivers[drivers["off_article_comment_count"].fillna(0) > 0].sort_values(
            ["off_article_comment_count", S.ENTITY_ID], ascending=[False, True], kind="mergesort"
        )
        if not drivers.empty:
            top = drivers.iloc[0]
            count = int(top["off_article_comment_count"])
            numbers["top_driver"] = {"entity_id": str(top[S.ENTITY_ID]), "comment_count": count}
            text += f"; the actor they name most often is {top[S.ENTITY_NAME]} ({count} of them)"
    return ("off_article_share", text + ".", numbers, "engagement")


def _dominant_frame(tables: Mapping[str, pd.DataFrame], scope: str) -> Finding | None:
    frames = _scope_rows(tables, "frame_shares", scope)
    if frames is None:
        return None
    numbers: dict[str, object] = {}
    parts = []
    for side, unit in (
        (S.SIDE_ARTICLE, "article sentences"),
        (S.SIDE_COMMENTS, "comment sentences"),
    ):
        on_side = frames[frames[S.SIDE] == side]
        n = int(on_side["n"].max()) if not on_side.empty and on_side["n"].notna().any() else 0
        rows = on_side[
            on_side["share"].notna()
            & (on_side["unit_count"].fillna(0) > 0)
            & (on_side["frame"] != NO_FRAME_TERM)
        ]
        if n == 0:
            parts.append(f"there are no {unit} to score")
            numbers[side] = None
            continue
        if rows.empty:
            parts.append(f"no frame term occurs in the {_count(n, unit[:-1])}")
            numbers[side] = {"frame": None, "n": n}
            continue
        top = rows.sort_values(["share", "frame"], ascending=[False, True], kind="mergesort")
        top = top.iloc[0]
        numbers[side] = {
            "frame": str(top["frame"]),
            "share": float(top["share"]),
            "unit_count": int(top["unit_count"]),
            "n": int(top["n"]),
        }
        label = FRAME_LABELS.get(str(top["frame"]), str(top["frame"]))
        parts.append(
            f"{label.lower()} in the {unit} ({int(top['unit_count'])} of {int(top['n'])}, "
            f"{_pct(float(top['share']))})"
        )
    text = f"Most frequent frame (dictionary method): {parts[0]}; {parts[1]}."
    return ("dominant_frame", text, numbers, "frame_shares")


def _comment_led_topics(tables: Mapping[str, pd.DataFrame], scope: str) -> Finding | None:
    topics = _scope_rows(tables, "topic_shares", scope)
    if topics is None or topics.empty:
        return None
    methods = list(dict.fromkeys(topics["method"].astype(str)))
    method = "lexicon" if "lexicon" in methods else methods[0]
    rows = topics[topics["method"].astype(str) == method]
    wide = rows.pivot_table(
        index=["topic_id", "topic_label"], columns=S.SIDE, values="share", aggfunc="first"
    ).reset_index()
    led_ids = set(rows.loc[rows["is_comment_led"].fillna(False).astype(bool), "topic_id"])
    led = wide[wide["topic_id"].isin(led_ids)].copy()
    for side in S.SIDES:
        if side not in led:
            led[side] = float("nan")
    led["_gap"] = led[S.SIDE_COMMENTS].fillna(0) - led[S.SIDE_ARTICLE].fillna(0)
    led = led.sort_values(["_gap", "topic_id"], ascending=[False, True], kind="mergesort")
    numbers = {
        "method": method,
        "topics": {
            str(r["topic_id"]): {
                "comments": _num(r[S.SIDE_COMMENTS]),
                "article": _num(r[S.SIDE_ARTICLE]),
            }
            for _, r in led.head(TOP_N).iterrows()
        },
    }
    if led.empty:
        text = f"No topic ({method} method) is carried mostly by the comments."
    else:
        names = ", ".join(
            f"{r['topic_label']} ({_pct(r[S.SIDE_COMMENTS])} of comment topic "
            f"weight against {_pct(r[S.SIDE_ARTICLE])} in the article)"
            for _, r in led.head(TOP_N).iterrows()
        )
        text = f"Topics carried mostly by the comments ({method} method): {names}."
    return ("comment_led_topics", text, numbers, "topic_shares")


FINDERS: tuple[Callable[[Mapping[str, pd.DataFrame], str], Finding | None], ...] = (
    _coverage,
    _negative_share,
    _top_comment_actor,
    _comments_only,
    _actor_tone_gap,
    _distinctive_terms,
    _off_article,
    _dominant_frame,
    _comment_led_topics,
)


def _scopes(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    ids: set[str] = set()
    for name in ("documents", "tone_shares", "agenda", "keyness"):
        table = tables.get(name)
        if table is not None and not table.empty:
            ids |= set(thread_ids(table))
    threads = sorted(ids)
    return [*threads, S.POOLED] if len(threads) > 1 else threads


def _json_numbers(numbers: Mapping[str, object]) -> str:
    def clean(value: object) -> object:
        if isinstance(value, Mapping):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, str) or value is None:
            return value
        return _num(value)

    return json.dumps(clean(numbers), sort_keys=True, ensure_ascii=False, allow_nan=False)


def headline_findings(
    tables: Mapping[str, pd.DataFrame], *, max_findings: int = MAX_FINDINGS
) -> pd.DataFrame:
    """Turn the comparison tables into short, neutral, number-backed statements.

    Args:
        tables: table name -> frame; uses ``documents``, ``tone_shares``, ``agenda``,
            ``actor_tone``, ``keyness``, ``engagement``, ``off_article_drivers``,
            ``frame_shares`` and ``topic_shares`` where present (absent tables are skipped).
        max_findings: at most this many statements per thread (earlier kinds first).

    Returns:
        :data:`schema.HEADLINES`: thread_id, finding_id, statement, numbers (JSON object of the
        numbers quoted; missing numbers are ``null``), source_table. Threads in id order, then
        ``__pooled__`` when there are several threads.
    """
    from analysis.compare.scope import ThreadRows

    rows = []
    # Each table is split by thread once; the finders then get one scope's rows.
    split = {n: ThreadRows(tables[n]) for n in FINDER_TABLES if tables.get(n) is not None}
    for scope in _scopes(tables):
        cut = _ScopeTables({n: rows(scope) for n, rows in split.items()})
        found = [f for f in (finder(cut, scope) for finder in FINDERS) if f is not None]
        for finding_id, text, numbers, source in found[:max_findings]:
            rows.append(
                {
                    S.THREAD_ID: scope,
                    "finding_id": finding_id,
                    "statement": text,
                    "numbers": _json_numbers(numbers),
                    "source_table": source,
                }
            )
    if not rows:
        return S.HEADLINES.empty()
    return S.HEADLINES.conform(pd.DataFrame(rows))
