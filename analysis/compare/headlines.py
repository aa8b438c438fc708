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
   Wilson score intervals - tone_shares (VADER, Hutto and Gilbert 2014);
3. ``top_comment_actor``: the actor commenters mention most, and whether the article does - agenda;
4. ``comments_only_actors``: actors named only in the comments - agenda. Both consider only
   entities ranked as actors (``is_ranked``: named in two or more independent places, see
   :mod:`analysis.compare.agenda`); the mention totals count every entity;
5. ``actor_tone_gap``: the actor whose tone differs most between the sides, among actors with
   enough sentences on both - actor_tone;
6. ``distinctive_terms``: lemmas most distinctive of each side (Monroe, Colaresi and Quinn 2008),
   with the ceiling when the article is too short for a comment lemma to pass, then the words
   commenters used more than general English (the ``general_english`` rows) - keyness;
7. ``off_article_share``: share of comments that engage no article paragraph - engagement;
8. ``dominant_frame``: most frequent frame in the article's sentences and in the comments'
   sentences (dictionary method; ``no_frame_term`` is not a candidate) - frame_shares;
9. ``comment_led_topics``: topics carried mostly by the comments - topic_shares.

The numbers behind the statements are computed for every thread and the pool at once
(:mod:`.headlines_facts`: each table sorted once by scope, then cut per scope), so many small
threads cost about what one thread of the same rows costs; the statements are identical to a run
on each thread alone (``tests/test_compare_grouped.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

import pandas as pd

from analysis import schema as S
from analysis.compare import headlines_facts as F
from analysis.compare.frames import FRAME_LABELS
from analysis.compare.headlines_facts import TOP_N
from analysis.compare.headlines_io import write_headlines as write_headlines
from analysis.compare.keyness import MIN_COMMENTS, Z_THRESHOLD
from analysis.compare.scope import thread_ids
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

Finding = tuple[str, str, dict, str]  # finding_id, statement, numbers, source_table


#: The tables the finders read.
FINDER_TABLES = tuple(
    "documents tone_shares agenda actor_tone keyness engagement off_article_drivers "
    "frame_shares topic_shares".split()
)


def _where(scope: str) -> str:
    return "Across all threads" if scope == S.POOLED else "In this thread"


# -------------------------------------------------------------------------------------- findings
# Each finder writes one statement from one scope's facts (headlines_facts), None: no statement.


def _coverage(f: dict, scope: str) -> Finding | None:
    n_com, analysed = f["comments"], f["analysed"]
    empty, not_english, n_placeholders = f["empty"], f["not_english"], f["placeholders"]
    other = n_com - analysed - empty - not_english - n_placeholders
    numbers = {
        "article_count": f["articles"],
        "comment_count": n_com,
        "analysed_comment_count": analysed,
        "empty_comment_count": empty,
        "non_english_comment_count": not_english,
        "other_skipped_count": other,
    }
    if f["has_placeholder_column"]:
        numbers["placeholder_comment_count"] = n_placeholders
    if n_com == 0:
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
            f"{_where(scope)}, {analysed} of {_count(n_com, 'comment')} "
            f"{'is' if analysed == 1 else 'are'} analysed{rest}."
        )
        if not analysed:
            text += " No comparison with the comments can be made."
    return ("coverage", text, numbers, "documents")


def _negative_share(f: dict | None, scope: str) -> Finding | None:
    if f is None:
        return None
    com, art, csent = f[UNIT_COMMENT], f[UNIT_ARTICLE_SENTENCE], f[UNIT_COMMENT_SENTENCE]
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


def _top_comment_actor(f: dict, scope: str) -> Finding | None:
    top, total = f["top"], f["total"]
    if top is None:
        return (
            "top_comment_actor",
            (
                "The comments name no actor the entity linker recognises, so there is no "
                "most-mentioned actor."
                if not f["unranked"]
                else "No entity the comments name is named in two or more independent places "
                f"(comment authors, article paragraphs), so there is no most-mentioned actor "
                f"({_count(f['unranked'], 'entity', 'entities')} named in one place only)."
            ),
            {"comment_mention_total": total, "unranked_count": f["unranked"]},
            "agenda",
        )
    numbers = {
        "entity_id": str(top[S.ENTITY_ID]),
        "comment_mention_count": int(top["comment_mention_count"]),
        "comment_mention_total": total,
        "comment_mention_share": float(top["comment_mention_share"]),
        "article_mention_count": int(top["article_mention_count"]),
        "article_mention_share": float(top["article_mention_share"]),
        "unranked_count": f["unranked"],
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


def _comments_only(f: dict, scope: str) -> Finding | None:
    if f["row_count"] == 0 or f["total"] == 0:
        return None
    only, share = f["only"], f["only_share"]
    numbers = {
        "comments_only_count": len(only),
        "comments_only_mention_share": share,
        "unranked_count": f["unranked"],
        "top": {str(r[S.ENTITY_ID]): int(r["comment_mention_count"]) for r in only[:TOP_N]},
    }
    if not only:
        text = (
            "Every actor the commenters name also appears in the article."
            if not f["unranked"]
            else "Every actor the commenters name in two or more independent places also "
            "appears in the article."
        )
    else:
        names = ", ".join(
            f"{r[S.ENTITY_NAME]} ({int(r['comment_mention_count'])})" for r in only[:TOP_N]
        )
        text = (
            f"{_count(len(only), 'actor')} {'appears' if len(only) == 1 else 'appear'} only in "
            f"the comments ({_pct(share)} of comment "
            f"mentions); most mentioned: {names}."
        )
    return ("comments_only_actors", text, numbers, "agenda")


def _actor_tone_gap(f: dict, scope: str) -> Finding | None:
    if not f["compared"]:
        return (
            "actor_tone_gap",
            f"No actor is named in at least {MIN_SENTENCES} sentences on both sides, so tone "
            "toward actors is not compared.",
            {"min_sentences": MIN_SENTENCES, "compared_actor_count": 0},
            "actor_tone",
        )
    a, c, n = f[S.SIDE_ARTICLE], f[S.SIDE_COMMENTS], f["compared"]
    numbers = {
        "entity_id": f["entity_id"],
        "compared_actor_count": n,
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
    name = f["entity_name"]
    if n == 1:
        lead = (
            f"{name} is the only actor named in at least {MIN_SENTENCES} sentences "
            "on both sides: mean sentence compound "
        )
    else:
        lead = (
            f"Of {n} actors named in at least {MIN_SENTENCES} sentences on both sides, "
            f"tone differs most for {name}: mean sentence compound "
        )
    text = (
        lead + f"{_signed(float(a['compound_mean']))} in the article "
        f"({_count(int(a['sentence_count']), 'sentence')}) and "
        f"{_signed(float(c['compound_mean']))} in the comments "
        f"({_count(int(c['sentence_count']), 'sentence')})."
    )
    return ("actor_tone_gap", text, numbers, "actor_tone")


def _listing(rows: list[dict]) -> str:
    return ", ".join(f"'{r['term']}' (z = {float(r['z_score']):.1f})" for r in rows)


def _english_sentence(top: list[dict] | None, numbers: dict) -> str:
    """The comments against general English: only words that passed, with the guard named."""
    if top is None:
        return ""
    numbers["general_english"] = {str(r["term"]): float(r["z_score"]) for r in top}
    numbers["min_comments"] = MIN_COMMENTS
    rule = f"wordfreq word frequencies, z ≥ {Z_THRESHOLD}, used in at least {MIN_COMMENTS} comments"
    if not top:
        return f" No comment word is distinctive against general English ({rule})."
    return f" Commenters used {_listing(top)} more than general English ({rule})."


def _distinctive_terms(f: dict, scope: str) -> Finding | None:
    if not f["valid"]:
        numbers: dict = {"term_count": f["term_count"]}
        text = "Distinctive terms are not computed: the article or the comments have no "
        text += "analysed words." + _english_sentence(f["english"], numbers)
        return ("distinctive_terms", text, numbers, "keyness")
    com, art = f["comments"], f["article"]
    numbers = {
        "z_threshold": Z_THRESHOLD,
        "comments": {str(r["term"]): float(r["z_score"]) for r in com},
        "article": {str(r["term"]): float(r["z_score"]) for r in art},
    }
    if not com and not art:
        text = f"No lemma is distinctive of either side at |z| ≥ {Z_THRESHOLD} (weighted log-odds)."
    else:
        parts = [_listing(com) if com else "none", _listing(art) if art else "none"]
        text = (
            f"Lemmas most distinctive of the comments (weighted log-odds, |z| ≥ {Z_THRESHOLD}): "
            f"{parts[0]}; of the article: {parts[1]}."
        )
    if (ceiling := f["ceiling"]) < Z_THRESHOLD:
        numbers["comment_z_ceiling"] = ceiling
        text += f" Against an article of {f['article_lemmas']} content lemmas no "
        text += f"comment lemma can reach z = {Z_THRESHOLD} (at most z = {ceiling:.2f})."
    return (
        "distinctive_terms",
        text + _english_sentence(f["english"], numbers),
        numbers,
        "keyness",
    )


def _off_article(f: dict, scope: str) -> Finding | None:
    n, off = f["n"], f["off"]
    if n == 0:
        return (
            "off_article_share",
            "No comment is matched against the article (no analysed comments), so the "
            "off-article share is missing.",
            {"comment_n": 0},
            "engagement",
        )
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
    if off and (top := f["top_driver"]) is not None:
        count = int(top["off_article_comment_count"])
        numbers["top_driver"] = {"entity_id": str(top[S.ENTITY_ID]), "comment_count": count}
        text += f"; the actor they name most often is {top[S.ENTITY_NAME]} ({count} of them)"
    return ("off_article_share", text + ".", numbers, "engagement")


def _dominant_frame(f: dict, scope: str) -> Finding | None:
    numbers: dict[str, object] = {}
    parts = []
    for side, unit in (
        (S.SIDE_ARTICLE, "article sentences"),
        (S.SIDE_COMMENTS, "comment sentences"),
    ):
        n, top = f[side]["n"], f[side]["top"]
        if n == 0:
            parts.append(f"there are no {unit} to score")
            numbers[side] = None
            continue
        if top is None:
            parts.append(f"no frame term occurs in the {_count(n, unit[:-1])}")
            numbers[side] = {"frame": None, "n": n}
            continue
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


def _comment_led_topics(f: dict | None, scope: str) -> Finding | None:
    if f is None:
        return None
    method, led = f["method"], f["led"]
    numbers = {
        "method": method,
        "topics": {
            str(r["topic_id"]): {
                "comments": _num(r[S.SIDE_COMMENTS]),
                "article": _num(r[S.SIDE_ARTICLE]),
            }
            for r in led[:TOP_N]
        },
    }
    if not led:
        text = f"No topic ({method} method) is carried mostly by the comments."
    else:
        names = ", ".join(
            f"{r['topic_label']} ({_pct(r[S.SIDE_COMMENTS])} of comment topic "
            f"weight against {_pct(r[S.SIDE_ARTICLE])} in the article)"
            for r in led[:TOP_N]
        )
        text = f"Topics carried mostly by the comments ({method} method): {names}."
    return ("comment_led_topics", text, numbers, "topic_shares")


Facts = Callable[[Mapping[str, pd.DataFrame], list[str]], dict]

#: (finder, the table it needs, the facts of every scope from the tables), in statement order.
FINDERS: tuple[tuple[Callable[[object, str], Finding | None], str, Facts], ...] = (
    (_coverage, "documents", lambda t, sc: F.coverage_facts(t["documents"], sc)),
    (_negative_share, "tone_shares", lambda t, sc: F.share_facts(t["tone_shares"], sc)),
    (_top_comment_actor, "agenda", lambda t, sc: F.agenda_facts(t["agenda"], sc)),
    (_comments_only, "agenda", lambda t, sc: F.agenda_facts(t["agenda"], sc)),
    (_actor_tone_gap, "actor_tone", lambda t, sc: F.actor_tone_facts(t["actor_tone"], sc)),
    (_distinctive_terms, "keyness", lambda t, sc: F.keyness_facts(t["keyness"], sc)),
    (
        _off_article,
        "engagement",
        lambda t, sc: F.engagement_facts(
            t["engagement"], t.get("off_article_drivers"), sc, t.get("agenda")
        ),
    ),
    (_dominant_frame, "frame_shares", lambda t, sc: F.frame_facts(t["frame_shares"], sc)),
    (_comment_led_topics, "topic_shares", lambda t, sc: F.topic_facts(t["topic_shares"], sc)),
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
    scopes = _scopes(tables)
    # the facts of every scope from each table, in grouped passes (headlines_facts)
    facts: dict[str, dict] = {}
    for _finder, table, of in FINDERS:
        if table not in facts and tables.get(table) is not None:
            facts[table] = of(tables, scopes)
    rows = []
    for scope in scopes:
        found = [
            finder(facts[table][scope], scope) for finder, table, _of in FINDERS if table in facts
        ]
        found = [f for f in found if f is not None]
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
