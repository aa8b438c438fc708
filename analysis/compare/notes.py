"""Why numbers are missing, per thread: the notes of the compare summary.

:func:`compare_notes` reads the tone summary, actor tone, topic shares and keyness tables of
every scope in grouped passes (one group-by per table for all threads at once) and turns what
they hold into plain sentences. Each scope's notes are what a run on that scope alone gives:
the grouped counts are integer sums and maxima, so nothing depends on how the threads are
grouped.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis import schema as S
from analysis.compare.keyness import Z_THRESHOLD, ceiling_from_counts
from analysis.compare.tone import (
    MIN_SENTENCES,
    UNIT_ARTICLE_SENTENCE,
    UNIT_COMMENT,
    UNIT_COMMENT_SENTENCE,
)
from analysis.compare.topics import NMF_MIN_UNITS

__all__ = ["compare_notes"]


def _thread_key(frame: pd.DataFrame) -> pd.Series:
    """The thread id as a string (how the scopes are named)."""
    return frame[S.THREAD_ID].astype(str)


def _summary_notes(by: dict[str, int]) -> list[str]:
    """Notes from one scope's tone summary counts (``{column/unit: value}``)."""
    out: list[str] = []
    com_n, com_excl = by["com_n"], by["com_excl"]
    art_n = by["art_n"]
    if com_n == 0 and com_excl == 0:
        out.append("no comments: every comment-side number is NaN")
    elif com_n == 0:
        which = "the one comment" if com_excl == 1 else f"none of the {com_excl} comments"
        out.append(
            f"{which} is {'not ' if com_excl == 1 else ''}analysed (empty, not English or "
            "a placeholder): every comment-side number is NaN"
        )
    elif com_n == 1:
        out.append("one analysed comment: comment intervals need two units (NaN)")
    if com_excl and com_n:
        out.append(f"{com_excl} comments left out (empty, not English or a platform placeholder)")
    if art_n == 0:
        out.append("no analysed article sentence: article-side numbers are NaN")
    elif art_n == 1:
        out.append("the article has one sentence: its intervals are NaN")
    if com_n and by["com_sent_n"] == 0:
        out.append("no analysed comment sentence")
    return out


def _summary_counts(summary: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per scope: comment ``n`` and ``excluded_count``, article and comment sentence ``n``.

    Raises:
        KeyError: a scope lacks one of the units (as the one-scope lookup did).
    """
    cells = {
        (t, u): (n, e)
        for t, u, n, e in zip(
            _thread_key(summary),
            summary["unit"],
            summary["n"],
            summary["excluded_count"],
            strict=True,
        )
    }

    def cell(thread: str, unit: str) -> tuple[int, int]:
        n, excluded = cells[(thread, unit)]
        return int(n), int(excluded)

    out = {}
    for thread in dict.fromkeys(_thread_key(summary)):
        com_n, com_excl = cell(thread, UNIT_COMMENT)
        out[thread] = {
            "com_n": com_n,
            "com_excl": com_excl,
            "art_n": cell(thread, UNIT_ARTICLE_SENTENCE)[0],
            "com_sent_n": cell(thread, UNIT_COMMENT_SENTENCE)[0] if com_n else 0,
        }
    return out


def _compared_actor_threads(tone: pd.DataFrame) -> set[str]:
    """Scopes where some actor has enough sentences on both sides."""
    kept = tone[~tone["is_too_few"].fillna(True).astype(bool)]
    sides = kept.groupby([_thread_key(kept), kept[S.ENTITY_ID]])[S.SIDE].nunique()
    both = sides[sides == len(S.SIDES)]
    return {str(t) for t in both.index.get_level_values(0)}


def _keyness_notes(key: pd.DataFrame, scopes: list[str]) -> dict[str, str]:
    """Per scope with something to say: the keyness note (NaN statistics or the ceiling)."""
    thread = _thread_key(key).to_numpy()
    is_article = (key[S.REFERENCE] == S.REFERENCE_ARTICLE).to_numpy(dtype=bool)
    english = (key[S.REFERENCE] == S.REFERENCE_GENERAL_ENGLISH) & (key[S.SIDE] == S.SIDE_COMMENTS)
    n_english = english.groupby(thread).sum()
    art = key.loc[is_article, ["z_score", "article_count", "comment_count"]]
    stats = (
        art.assign(valid=art["z_score"].notna())
        .groupby(thread[is_article], sort=False)
        .agg(
            valid=("valid", "any"),
            n_a=("article_count", "sum"),
            n_c=("comment_count", "sum"),
            top=("comment_count", "max"),
        )
    )
    rows = stats.to_dict("index")
    out: dict[str, str] = {}
    for scope in scopes:
        row = rows.get(scope)
        if row is None or not row["valid"]:
            out[scope] = "one side has no lemmas: keyness statistics are NaN"
            continue
        n_a, n_c = float(row["n_a"]), float(row["n_c"])
        if n_a == 0 or n_c == 0:
            continue  # the ceiling is NaN: nothing to say
        ceiling = ceiling_from_counts(n_a, n_c, float(row["top"]))
        if ceiling < Z_THRESHOLD:
            n = int(n_english.get(scope, 0))
            out[scope] = (
                f"the article has {int(n_a)} content lemmas: too few "
                f"for any comment term to be distinctive (at most z = {ceiling:.2f}); "
                f"against general English, {n} comment "
                f"{'word is' if n == 1 else 'words are'} distinctive"
            )
    return out


def compare_notes(outputs: Mapping[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Why numbers are missing, per thread, read from the comparison tables.

    Every table is read in one grouped pass for all scopes (see the module docstring).

    Returns:
        ``{thread_id: [note, ...]}`` in thread order with ``__pooled__`` last (threads with
        nothing to note map to ``[]``); ``{}`` without a ``tone_summary`` table.

    Raises:
        KeyError: a scope of ``tone_summary`` lacks the comment, comment sentence or article
            sentence unit.
    """
    summary = outputs.get("tone_summary")
    if summary is None:
        return {}
    counts = _summary_counts(summary)
    order = sorted(counts, key=lambda t: (t == S.POOLED, t))
    tone, topics, key = (outputs.get(n) for n in ("actor_tone", "topic_shares", "keyness"))
    compared = _compared_actor_threads(tone) if tone is not None else set()
    nmf = set() if topics is None else set(_thread_key(topics)[topics["method"] == "nmf"])
    key_notes = _keyness_notes(key, order) if key is not None else {}
    notes: dict[str, list[str]] = {}
    for thread in order:
        thread_notes = _summary_notes(counts[thread])
        if tone is not None and thread not in compared:
            thread_notes.append(
                f"no actor has {MIN_SENTENCES}+ sentences on both sides: actor tone is "
                "reported but not compared"
            )
        if topics is not None and thread not in nmf:
            thread_notes.append(
                "too little text for exploratory topics (NMF needs a comment and "
                f"{NMF_MIN_UNITS} units with content words): no topic rows"
            )
        if thread in key_notes:
            thread_notes.append(key_notes[thread])
        notes[thread] = thread_notes
    return notes
