"""Tone of the conversation by reply level and depth, early vs late; endorsement by likes.

Shares are of annotated comments (whole-comment VADER label at +-0.05, as in the ``documents``
table) with Wilson score 95% intervals (Wilson 1927; :mod:`analysis.compare.stats`).

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
from analysis.compare.stats import LEVEL, N_BOOT, wilson_share_ci

#: The values of ``conversation_tone``'s categorical columns, unpacked from their vocabularies.
BY_LEVEL, BY_DEPTH, BY_POSITION = S.CONVERSATION_GROUPINGS
BASIS_TREE, BASIS_DATE, BASIS_POSITION, BASIS_MIXED = S.GROUP_BASES
DEPTH_GROUPS = S.CONVERSATION_GROUPS[2:6]  # "0", "1", "2", "3+"
EARLY, LATE = S.CONVERSATION_GROUPS[6:]


def _scored(structure: pd.DataFrame) -> pd.DataFrame:
    return structure[structure[S.IS_ANNOTATED].fillna(False).astype(bool)]


def _share_rows(rows: pd.DataFrame, *, grouping: str, group: str, basis: str) -> list[dict]:
    n = len(rows)
    out = []
    for label in S.SENTIMENT_LABELS:
        count = int((rows[S.SENTIMENT_LABEL] == label).sum())
        low, high = wilson_share_ci(count, n)
        out.append(
            {
                S.GROUPING: grouping,
                S.GROUP: group,
                S.BASIS: basis,
                S.SENTIMENT_LABEL: label,
                S.COUNT: count,
                S.N: n,
                S.SHARE: count / n if n else np.nan,
                S.CI_LOW: low,
                S.CI_HIGH: high,
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
    dates = structure[S.PUBLISHED_DATE]
    if len(dates) and dates.notna().all() and len(dates.unique()) > 1:
        order, basis = dates.rank(method="first"), BASIS_DATE
    else:
        order, basis = structure[S.POSITION].astype(float).rank(method="first"), BASIS_POSITION
    return order > len(structure) / 2, basis


def _depth_group(depth: object) -> str | None:
    if pd.isna(depth):
        return None
    return DEPTH_GROUPS[min(int(depth), 3)]


def thread_tone(structure: pd.DataFrame) -> list[dict]:
    """``conversation_tone`` rows (without ``thread_id``) for one thread or the pooled rows."""
    rows: list[dict] = []
    scored = _scored(structure)
    reply = scored[S.IS_REPLY].astype(bool)
    for group, part in ((S.LEVEL_TOP, scored[~reply]), (S.LEVEL_REPLY, scored[reply])):
        rows += _share_rows(part, grouping=BY_LEVEL, group=group, basis=BASIS_TREE)
    depth = scored[S.DEPTH].map(_depth_group)
    for group in DEPTH_GROUPS:
        part = scored[depth == group]
        if len(part):
            rows += _share_rows(part, grouping=BY_DEPTH, group=group, basis=BASIS_TREE)
    if S.THREAD_ID in structure and len(structure[S.THREAD_ID].unique()) > 1:
        late = pd.concat([early_late(t)[0] for _, t in structure.groupby(S.THREAD_ID)])
        bases = {early_late(t)[1] for _, t in structure.groupby(S.THREAD_ID)}
        basis = bases.pop() if len(bases) == 1 else BASIS_MIXED
    else:
        late, basis = early_late(structure)
    late = late.reindex(scored.index)
    for group, part in ((EARLY, scored[~late.astype(bool)]), (LATE, scored[late.astype(bool)])):
        rows += _share_rows(part, grouping=BY_POSITION, group=group, basis=basis)
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
    has_likes = bool(structure[S.LIKE_COUNT].notna().any())
    likes = scored[S.LIKE_COUNT].astype("Float64").fillna(0).to_numpy(dtype=float)
    total = likes.sum()
    n = len(scored)
    rows = []
    for label in S.SENTIMENT_LABELS:
        flags = (scored[S.SENTIMENT_LABEL] == label).to_numpy(dtype=float)
        like_sum = float((likes * flags).sum())
        low, high = weighted_share_ci(flags, likes, seed=seed) if has_likes else (np.nan,) * 2
        rows.append(
            {
                S.SENTIMENT_LABEL: label,
                S.COUNT: int(flags.sum()),
                S.N: n,
                S.SHARE: flags.sum() / n if n else np.nan,
                S.LIKE_SUM: int(like_sum) if has_likes else pd.NA,
                S.LIKE_TOTAL: int(total) if has_likes else pd.NA,
                S.LIKE_SHARE: like_sum / total if has_likes and total > 0 else np.nan,
                S.LIKE_CI_LOW: low,
                S.LIKE_CI_HIGH: high,
                S.HAS_LIKES: has_likes,
            }
        )
    return rows


def thread_most_liked(structure: pd.DataFrame, *, per_label: int = 3) -> list[dict]:
    """The ``per_label`` most-liked annotated comments of each tone (ties: earlier first)."""
    scored = _scored(structure)
    scored = scored[scored[S.LIKE_COUNT].notna() & (scored[S.LIKE_COUNT] > 0)]
    rows = []
    for label in S.SENTIMENT_LABELS:
        part = scored[scored[S.SENTIMENT_LABEL] == label].sort_values(
            [S.LIKE_COUNT, S.THREAD_ID, S.POSITION], ascending=[False, True, True], kind="stable"
        )
        for rank, row in enumerate(part.head(per_label).itertuples(index=False), start=1):
            rows.append(
                {
                    S.SENTIMENT_LABEL: label,
                    S.RANK: rank,
                    S.DOC_ID: row.doc_id,
                    S.LIKE_COUNT: int(row.like_count),
                    S.VADER_COMPOUND: float(row.vader_compound),
                }
            )
    return rows
