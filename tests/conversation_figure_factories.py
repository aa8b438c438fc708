"""Conversation tables for the figure and report tests, made up for ``figure_factories``' thread.

The thread's comments are c1..c9 (c2 empty, c7 French: not scored). Replies: c3 -> c1,
c4 -> c3, c8 -> c6. Likes: c1 10, c3 2, c5 1, c6 5, c9 2 (20 in all; negative comments hold 13).
Dates: two comments an hour from 10:00 to 13:00 on 2024-05-01 (c8's estimated). c1 is the only
comment the hostility score flags. The numbers are consistent with one another, not computed.
"""

from __future__ import annotations

import pandas as pd

from analysis import schema as S

LABELS = {1: "negative", 3: "negative", 4: "negative", 5: "negative", 6: "positive"}
LABELS.update({8: "neutral", 9: "positive"})
COMPOUNDS = {1: -0.83, 3: -0.1, 4: -0.64, 5: -0.2, 6: 0.74, 8: 0.0, 9: 0.45}
PARENTS = {3: 1, 4: 3, 8: 6}
LIKES = {1: 10, 3: 2, 4: 0, 5: 1, 6: 5, 8: 0, 9: 2}
DATES = {1: "10:05", 3: "10:40", 4: "11:10", 5: "11:20", 6: "12:30", 7: "12:45", 8: "13:00"}
DATES[9] = "13:30"
#: The conversation tables that carry pooled rows when a corpus has several threads.
CONVERSATION_POOLED = ("conversation_summary", "conversation_tone", "endorsement", "most_liked")

CUE_COUNTS = [c for c in S.HOSTILITY.names if c.endswith("_count")]


def _tone_rows(thread_id: str) -> list[dict]:
    # (grouping, group, basis, negative, neutral, positive)
    groups = [
        ("level", "top_level", "reply tree", 2, 0, 2),
        ("level", "reply", "reply tree", 2, 1, 0),
        ("depth", "0", "reply tree", 2, 0, 2),
        ("depth", "1", "reply tree", 1, 1, 0),
        ("depth", "2", "reply tree", 1, 0, 0),
        ("position", "early", "published_date", 3, 0, 0),
        ("position", "late", "published_date", 1, 1, 2),
    ]
    rows = []
    for grouping, group, basis, *counts in groups:
        n = sum(counts)
        for label, count in zip(S.SENTIMENT_LABELS, counts, strict=True):
            share = count / n
            rows.append(
                {
                    S.THREAD_ID: thread_id,
                    "grouping": grouping,
                    "group": group,
                    "basis": basis,
                    "sentiment_label": label,
                    "count": count,
                    "n": n,
                    "share": share,
                    "ci_low": max(0.0, share - 0.3),
                    "ci_high": min(1.0, share + 0.3),
                }
            )
    return rows


def _structure(thread_id: str) -> pd.DataFrame:
    rows = []
    for pos in range(1, 10):
        parent = PARENTS.get(pos)
        depth = 0 if parent is None else 1 + (parent in PARENTS)
        root = pos if parent is None else (PARENTS.get(parent, parent))
        rows.append(
            {
                S.THREAD_ID: thread_id,
                S.DOC_ID: f"{thread_id}/c{pos}",
                "position": pos,
                "parent_id": None if parent is None else f"{thread_id}/c{parent}",
                "root_id": f"{thread_id}/c{root}",
                "depth": depth,
                "reply_count": sum(1 for p in PARENTS.values() if p == pos),
                "descendant_count": {1: 2, 3: 1, 6: 1}.get(pos, 0),
                "is_reply": parent is not None,
                "is_orphan": False,
                "is_in_cycle": False,
                "author_id": f"a{pos}",
                "parent_author_id": None if parent is None else f"a{parent}",
                "like_count": LIKES.get(pos, 0),
                "published_date": pd.Timestamp(f"2024-05-01 {DATES[pos]}")
                if pos in DATES
                else pd.NaT,
                "is_date_estimated": pos == 8,
                "is_annotated": pos in LABELS,
                "sentiment_label": LABELS.get(pos),
                "vader_compound": COMPOUNDS.get(pos),
            }
        )
    return S.REPLY_STRUCTURE.conform(pd.DataFrame(rows))


def _endorsement(thread_id: str) -> list[dict]:
    counts = {"negative": (4, 13), "neutral": (1, 0), "positive": (2, 7)}
    return [
        {
            S.THREAD_ID: thread_id,
            "sentiment_label": label,
            "count": count,
            "n": 7,
            "share": count / 7,
            "like_sum": likes,
            "like_total": 20,
            "like_share": likes / 20,
            "like_ci_low": max(0.0, likes / 20 - 0.25),
            "like_ci_high": min(1.0, likes / 20 + 0.25),
            "has_likes": True,
        }
        for label, (count, likes) in counts.items()
    ]


def _most_liked(thread_id: str) -> list[dict]:
    ranked = {"negative": [1, 3, 5], "positive": [6, 9]}
    return [
        {
            S.THREAD_ID: thread_id,
            "sentiment_label": label,
            "rank": rank,
            S.DOC_ID: f"{thread_id}/c{pos}",
            "like_count": LIKES[pos],
            "vader_compound": COMPOUNDS[pos],
        }
        for label, positions in ranked.items()
        for rank, pos in enumerate(positions, start=1)
    ]


def _timeline(thread_id: str) -> list[dict]:
    # hour, comments, scored, negative
    bins = [(10, 2, 2, 2), (11, 2, 2, 2), (12, 2, 1, 0), (13, 2, 2, 0)]
    return [
        {
            S.THREAD_ID: thread_id,
            "time_bin": "hour",
            "bin_start": pd.Timestamp(f"2024-05-01 {hour}:00"),
            "comment_count": count,
            "estimated_count": int(hour == 13),
            "is_estimated": hour == 13,
            "n": n,
            "negative_share": neg / n,
            "compound_mean": -0.5 if neg else 0.3,
        }
        for hour, count, n, neg in bins
    ]


def _summary(thread_id: str) -> dict:
    return {
        S.THREAD_ID: thread_id,
        "comment_count": 9,
        "top_level_count": 6,
        "reply_count": 3,
        "orphan_count": 0,
        "cycle_count": 0,
        "max_depth": 2,
        "replies_per_comment": 3 / 9,
        "replied_share": 3 / 9,
        "has_likes": True,
        "like_total": 20,
        "dated_count": 8,
        "estimated_date_count": 1,
        "time_bin": "hour",
        "top_level_off_article_share": 2 / 6,
        "reply_off_article_share": 0.0,
    }


def _chains(thread_id: str) -> list[dict]:
    return [
        {
            S.THREAD_ID: thread_id,
            "chain_rank": rank,
            "root_id": f"{thread_id}/c{ids[0]}",
            "leaf_id": f"{thread_id}/c{ids[-1]}",
            "comment_count": len(ids),
            "doc_ids": " > ".join(f"{thread_id}/c{i}" for i in ids),
            "author_count": len(ids),
            "compound_first": COMPOUNDS[ids[0]],
            "compound_last": COMPOUNDS[ids[-1]],
            "compound_change": COMPOUNDS[ids[-1]] - COMPOUNDS[ids[0]],
            "negative_count": sum(LABELS[i] == "negative" for i in ids),
        }
        for rank, ids in ((1, [1, 3, 4]), (2, [6, 8]))
    ]


def _hostility(documents: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in documents.itertuples(index=False):
        flagged = r.doc_id.endswith("/c1")
        rows.append(
            {
                S.THREAD_ID: r.thread_id,
                S.DOC_ID: r.doc_id,
                S.DOC_KIND: r.doc_kind,
                "hostility_score": 0.7 if flagged else 0.0,
                **dict.fromkeys(CUE_COUNTS, 0),
                "insult_count": 2 if flagged else 0,
                "shouting_share": 0.0,
                "hostility_score_without_target": 0.7 if flagged else 0.0,
                "matched_terms": "liar | disgrace" if flagged else "",
                "is_hostile": flagged,
            }
        )
    return S.HOSTILITY.conform(pd.DataFrame(rows))


def conversation_tables(thread_id: str, documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The conversation tables the charts and the report read, for ``figure_factories``' thread."""
    return {
        "reply_structure": _structure(thread_id),
        "conversation_summary": S.CONVERSATION_SUMMARY.conform(pd.DataFrame([_summary(thread_id)])),
        "conversation_tone": S.CONVERSATION_TONE.conform(pd.DataFrame(_tone_rows(thread_id))),
        "reply_chains": S.REPLY_CHAINS.conform(pd.DataFrame(_chains(thread_id))),
        "endorsement": S.ENDORSEMENT.conform(pd.DataFrame(_endorsement(thread_id))),
        "most_liked": S.MOST_LIKED.conform(pd.DataFrame(_most_liked(thread_id))),
        "timeline": S.TIMELINE.conform(pd.DataFrame(_timeline(thread_id))),
        "hostility": _hostility(documents),
    }
