"""Tone of the conversation by reply level and depth, early vs late; endorsement by likes.

Shares are of annotated comments (whole-comment VADER label at +-0.05, as in the ``documents``
table) with seeded percentile bootstrap intervals (:mod:`analysis.compare.stats`).

Endorsement weights each comment by its likes: the like-weighted share of a label is the likes on
comments with that label over the likes on all annotated comments, so it says what the audience
rewarded, not what was written. A comment with no likes weighs nothing. Likes accumulate with
time on the page, so early comments collect more of them (a position effect, not only approval).
Platforms or exports without like counts give ``has_likes = False`` and NaN like shares: say "no
likes on this platform", never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.stats import LEVEL, N_BOOT, bootstrap_share_ci

DEPTH_GROUPS = ("0", "1", "2", "3+")


def _scored(structure: pd.DataFrame) -> pd.DataFrame:
    return structure[structure["is_annotated"].fillna(False).astype(bool)]


def _share_rows(
    rows: pd.DataFrame, *, grouping: str, group: str, basis: str, seed: int | None
) -> list[dict]:
    n = len(rows)
    out = []
    for label in S.SENTIMENT_LABELS:
        flags = (rows["sentiment_label"] == label).to_numpy(dtype=float)
        low, high = bootstrap_share_ci(flags, seed=seed)
        count = int(flags.sum())
        out.append(
            {
                "grouping": grouping,
                "group": group,
                "basis": basis,
                "sentiment_label": label,
                "count": count,
                "n": n,
                "share": count / n if n else np.nan,
                "ci_low": low,
                "ci_high": high,
            }
        )
    return out


def early_late(structure: pd.DataFrame) -> tuple[pd.Series, str]:
    """Split one thread's comments into the earlier and the later half.

    Published dates are used when every comment has one and they are not all equal; otherwise
    the position in the source (the order the platform listed them, which may be "top" rather
    than "newest" order: read the result as a position effect).

    Returns:
        ``(is_late, basis)``: a boolean Series aligned with ``structure`` and
        ``"published_date"`` or ``"position"``.
    """
    dates = structure["published_date"]
    if len(dates) and dates.notna().all() and len(dates.unique()) > 1:
        order, basis = dates.rank(method="first"), "published_date"
    else:
        order, basis = structure["position"].astype(float).rank(method="first"), "position"
    return order > len(structure) / 2, basis


def _depth_group(depth: object) -> str | None:
    if pd.isna(depth):
        return None
    return DEPTH_GROUPS[min(int(depth), 3)]


def thread_tone(structure: pd.DataFrame, *, seed: int | None = config.SEED) -> list[dict]:
    """``conversation_tone`` rows (without ``thread_id``) for one thread or the pooled rows."""
    rows: list[dict] = []
    scored = _scored(structure)
    reply = scored["is_reply"].astype(bool)
    for group, part in (("top_level", scored[~reply]), ("reply", scored[reply])):
        rows += _share_rows(part, grouping="level", group=group, basis="reply tree", seed=seed)
    depth = scored["depth"].map(_depth_group)
    for group in DEPTH_GROUPS:
        part = scored[depth == group]
        if len(part):
            rows += _share_rows(part, grouping="depth", group=group, basis="reply tree", seed=seed)
    if S.THREAD_ID in structure and len(structure[S.THREAD_ID].unique()) > 1:
        late = pd.concat([early_late(t)[0] for _, t in structure.groupby(S.THREAD_ID)])
        bases = {early_late(t)[1] for _, t in structure.groupby(S.THREAD_ID)}
        basis = bases.pop() if len(bases) == 1 else "mixed"
    else:
        late, basis = early_late(structure)
    late = late.reindex(scored.index)
    for group, part in (("early", scored[~late.astype(bool)]), ("late", scored[late.astype(bool)])):
        rows += _share_rows(part, grouping="position", group=group, basis=basis, seed=seed)
    return rows


def weighted_share_ci(
    flags: np.ndarray,
    weights: np.ndarray,
    *,
    seed: int | None = config.SEED,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``sum(w * flag) / sum(w)``, units resampled.

    Resamples whose weights sum to zero are dropped.

    Returns:
        ``(low, high)``; ``(nan, nan)`` with fewer than two units or no positive weight.
    """
    flags = np.asarray(flags, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    if flags.size < 2 or weights.sum() <= 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, flags.size, size=(n_boot, flags.size))
    w = weights[idx]
    total = w.sum(axis=1)
    keep = total > 0
    shares = (w * flags[idx]).sum(axis=1)[keep] / total[keep]
    if shares.size == 0:
        return (float("nan"), float("nan"))
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(shares, [alpha, 1.0 - alpha])
    return (float(low), float(high))


def thread_endorsement(structure: pd.DataFrame, *, seed: int | None = config.SEED) -> list[dict]:
    """``endorsement`` rows (without ``thread_id``) for one thread or the pooled rows."""
    scored = _scored(structure)
    has_likes = bool(structure["like_count"].notna().any())
    likes = scored["like_count"].astype("Float64").fillna(0).to_numpy(dtype=float)
    total = likes.sum()
    n = len(scored)
    rows = []
    for label in S.SENTIMENT_LABELS:
        flags = (scored["sentiment_label"] == label).to_numpy(dtype=float)
        like_sum = float((likes * flags).sum())
        low, high = weighted_share_ci(flags, likes, seed=seed) if has_likes else (np.nan,) * 2
        rows.append(
            {
                "sentiment_label": label,
                "count": int(flags.sum()),
                "n": n,
                "share": flags.sum() / n if n else np.nan,
                "like_sum": int(like_sum) if has_likes else pd.NA,
                "like_total": int(total) if has_likes else pd.NA,
                "like_share": like_sum / total if has_likes and total > 0 else np.nan,
                "like_ci_low": low,
                "like_ci_high": high,
                "has_likes": has_likes,
            }
        )
    return rows


def thread_most_liked(structure: pd.DataFrame, *, per_label: int = 3) -> list[dict]:
    """The ``per_label`` most-liked annotated comments of each tone (ties: earlier first)."""
    scored = _scored(structure)
    scored = scored[scored["like_count"].notna() & (scored["like_count"] > 0)]
    rows = []
    for label in S.SENTIMENT_LABELS:
        part = scored[scored["sentiment_label"] == label].sort_values(
            ["like_count", S.THREAD_ID, "position"], ascending=[False, True, True], kind="stable"
        )
        for rank, row in enumerate(part.head(per_label).itertuples(index=False), start=1):
            rows.append(
                {
                    "sentiment_label": label,
                    "rank": rank,
                    S.DOC_ID: row.doc_id,
                    "like_count": int(row.like_count),
                    "vader_compound": float(row.vader_compound),
                }
            )
    return rows
