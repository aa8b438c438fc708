"""How the thread behaves as a conversation: replies, likes and time (the ``conversation`` stage).

Reads the ``corpus`` (``parent_id``, ``is_reply``, ``author_id``, ``like_count``,
``published_date``, ``is_date_estimated``) and, for tone, the ``documents`` table, and writes:

=======================  ==========================================================================
table                    what (module)
=======================  ==========================================================================
reply_structure          one row per comment: root, depth, replies, orphan/cycle flags
                         (:mod:`.structure`)
conversation_summary     per thread and pooled: top-level vs replies, depth, replies per comment,
                         orphans, cycles, whether the platform gave likes and dates
conversation_tone        tone shares by reply level, depth and early vs late, Wilson score intervals
                         (:mod:`.tone`)
reply_chains             the longest reply chains and how their tone moves (:mod:`.structure`)
exchanges                who replies to whom, by pseudonym (:mod:`.structure`)
level_actors             who top-level comments and replies mention (with the ``mentions`` table)
endorsement, most_liked  like-weighted vs unweighted tone shares; most-liked comment per tone
                         (:mod:`.tone`)
timeline                 comments and tone per hour/day/week, estimates marked (:mod:`.timeline`)
=======================  ==========================================================================

plus ``reply_network.gexf`` and ``reply_network.graphml`` (comment graph) for Gephi. Tone here is
VADER on the whole comment (Hutto and Gilbert 2014): it misses sarcasm and much hostility (see
:mod:`analysis.classify.hostility` for an incivility measure). Reply analyses need a platform
export that keeps reply links (YouTube API, CSV with a parent column); the seed format has none,
and the tables then say so (every comment top-level, ``reply_count`` 0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.conversation.structure import (
    comment_rows,
    exchange_table,
    level_actors,
    off_article_shares,
    reply_chains,
    reply_structure,
    thread_summary,
    write_reply_network,
)
from analysis.compare.conversation.timeline import choose_bin, thread_timeline
from analysis.compare.conversation.tone import (
    thread_endorsement,
    thread_most_liked,
    thread_tone,
)
from analysis.tables import read_fingerprint, read_table, write_table

__all__ = [
    "OUTPUT_TABLES",
    "conversation_dir",
    "conversation_notes",
    "conversation_tables",
    "comment_rows",
    "reply_structure",
]

OUTPUT_TABLES = (
    "reply_structure",
    "conversation_summary",
    "conversation_tone",
    "reply_chains",
    "exchanges",
    "endorsement",
    "most_liked",
    "timeline",
    "level_actors",
)
NETWORK_FILES = ("reply_network.gexf", "reply_network.graphml")


def _scopes(structure: pd.DataFrame):
    """(thread_id, rows) per thread, then the pooled rows when there are several threads."""
    threads = sorted(structure[S.THREAD_ID].astype(str).unique())
    for thread in threads:
        yield thread, structure[structure[S.THREAD_ID] == thread]
    if len(threads) > 1:
        yield S.POOLED, structure


def _with_thread(rows: list[dict], thread: str) -> list[dict]:
    return [{S.THREAD_ID: thread, **row} for row in rows]


def conversation_tables(
    corpus: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    seed: int | None = config.SEED,
    top_chains: int = 5,
    most_liked_per_label: int = 3,
    mentions: pd.DataFrame | None = None,
    engagement: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Every conversation table from the corpus and (for tone) the documents table.

    One loop over the scopes (each thread, then pooled) fills every per-scope table, which is why
    the function runs past 60 lines.

    Args:
        corpus: the ``corpus`` table.
        documents: the ``documents`` table; ``None`` gives structure without tone.
        seed: seed for the bootstrap intervals of the like-weighted shares (``endorsement``).
        top_chains: chains kept per thread.
        most_liked_per_label: most-liked comments kept per tone.
        mentions: the ``mentions`` table, for who each reply level talks about (optional).
        engagement: the ``engagement`` table (compare), for off-article shares (optional).

    Returns:
        ``{name: frame}`` for :data:`OUTPUT_TABLES`, each conformed to its spec.

    Raises:
        StageInputError: the corpus or documents table lacks a column.
    """
    structure = reply_structure(comment_rows(corpus, documents))
    summary, tone, endorse, liked, timeline, actors = [], [], [], [], [], []
    for thread, rows in _scopes(structure):
        time_bin = choose_bin(rows[S.PUBLISHED_DATE]) if thread != S.POOLED else None
        off = (
            off_article_shares(rows, engagement)
            if engagement is not None and len(engagement)
            else dict.fromkeys((S.TOP_LEVEL_OFF_ARTICLE_SHARE, S.REPLY_OFF_ARTICLE_SHARE), None)
        )
        summary.append({S.THREAD_ID: thread, **thread_summary(rows), S.TIME_BIN: time_bin, **off})
        if mentions is not None and len(mentions):
            actors += _with_thread(level_actors(rows, mentions), thread)
        tone += _with_thread(thread_tone(rows), thread)
        endorse += _with_thread(thread_endorsement(rows, seed=seed), thread)
        liked += _with_thread(thread_most_liked(rows, per_label=most_liked_per_label), thread)
        if thread != S.POOLED:
            timeline.append(thread_timeline(rows))
    pooled = len(structure[S.THREAD_ID].unique()) > 1

    def table(spec: S.TableSpec, rows: list[dict]) -> pd.DataFrame:
        return spec.conform(pd.DataFrame(rows)) if rows else spec.empty()

    timeline = [t for t in timeline if len(t)]
    return {
        "reply_structure": structure,
        "conversation_summary": table(S.CONVERSATION_SUMMARY, summary),
        "conversation_tone": table(S.CONVERSATION_TONE, tone),
        "reply_chains": reply_chains(structure, top_n=top_chains),
        "exchanges": exchange_table(structure, pooled=pooled),
        "endorsement": table(S.ENDORSEMENT, endorse),
        "most_liked": table(S.MOST_LIKED, liked),
        "timeline": (
            S.TIMELINE.conform(pd.concat(timeline, ignore_index=True))
            if timeline
            else S.TIMELINE.empty()
        ),
        "level_actors": table(S.LEVEL_ACTORS, actors),
    }


def conversation_notes(summary: pd.DataFrame) -> dict[str, list[str]]:
    """Plain statements of what the data lacks or got wrong, per thread (from the summary).

    Returns:
        ``{thread_id: [note, ...]}``: no replies, orphans, cycles, no likes, no dates.
    """
    notes: dict[str, list[str]] = {}
    for row in summary.itertuples(index=False):
        out = []
        n = int(row.comment_count)
        if n and not int(row.reply_count):
            out.append("no replies: the source keeps no reply links, or nobody replied")
        if int(row.orphan_count):
            out.append(
                f"{row.orphan_count} replies have a parent that is not in the corpus (orphans: "
                "counted at depth 1)"
            )
        if int(row.cycle_count):
            out.append(
                f"{row.cycle_count} comments form reply cycles (bad input): no depth or root "
                "for them or their replies"
            )
        if n and not bool(row.has_likes):
            out.append("no likes on this platform/export: like-weighted shares are not computed")
        if n and not int(row.dated_count):
            out.append("no publication dates: no timeline")
        elif int(row.dated_count) < n:
            out.append(
                f"{n - int(row.dated_count)} comments without a date are left out of the timeline"
            )
        if int(row.estimated_date_count):
            out.append(
                f"{row.estimated_date_count} dates are estimated from relative times: drawn as "
                "estimates"
            )
        notes[str(row.thread_id)] = out
    return notes


def conversation_dir(
    in_dir: Path,
    out_dir: Path | None = None,
    *,
    seed: int | None = config.SEED,
    csv: bool = False,
) -> dict[str, pd.DataFrame]:
    """Read corpus (and documents, mentions, engagement when present), write every table.

    Also writes :data:`NETWORK_FILES` (the comment reply network) to ``out_dir``.

    Returns:
        The tables by name (:data:`OUTPUT_TABLES`).

    Raises:
        StageInputError: the corpus is missing, or a table is stale.
    """
    in_dir = Path(in_dir)
    out_dir = Path(out_dir) if out_dir is not None else in_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = read_fingerprint(in_dir)
    corpus = read_table("corpus", in_dir, fingerprint=stamp)
    documents = read_table("documents", in_dir, required=False, fingerprint=stamp)
    mentions = read_table("mentions", in_dir, required=False, fingerprint=stamp)
    engagement = read_table("engagement", in_dir, required=False, fingerprint=stamp)
    outputs = conversation_tables(
        corpus, documents, seed=seed, mentions=mentions, engagement=engagement
    )
    for name in OUTPUT_TABLES:
        write_table(outputs[name], S.ALL_TABLES[name], out_dir, csv=csv, fingerprint=stamp)
    for name in NETWORK_FILES:
        write_reply_network(outputs["reply_structure"], out_dir / name)
    return outputs


def format_summary(outputs: dict[str, pd.DataFrame], out_dir: Path) -> str:
    """Rows per table and the notes per thread, as printed by ``discourse conversation``."""
    lines = [f"conversation: {len(OUTPUT_TABLES)} tables -> {out_dir}"]
    for name in OUTPUT_TABLES:
        lines.append(f"  {name:<22} {len(outputs[name]):>6} rows")
    for thread, notes in conversation_notes(outputs["conversation_summary"]).items():
        for note in notes:
            lines.append(f"  note [{thread}]: {note}")
    return "\n".join(lines)
