"""Intervals shared by the comparison tables: Wilson score for shares, bootstrap for means.

Shares (``count`` of ``n`` units) get the Wilson score interval (Wilson 1927), the interval Brown,
Cai and DasGupta (2001) recommend for a binomial proportion: closed form, so deterministic and
cheap at any number of rows, and honest at a share of 0 or 1 (0 of 10 gives [0, 0.28], where a
bootstrap of the 0/1 flags gives the degenerate [0, 0]).

Means get the percentile bootstrap (Efron and Tibshirani 1993, ch. 13): resample the units with
replacement ``n_boot`` times and take the 2.5th and 97.5th percentiles of the statistic. Those
functions take ``seed`` so results are reproducible with the seed and change without it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from statistics import NormalDist

import numpy as np

from analysis.config import SEED

N_BOOT = 2000
LEVEL = 0.95
#: Fewest units a share gets an interval from: one unit is a single case, not a sample.
MIN_SHARE_UNITS = 2
#: Upper bound on resampled indices held in memory at once (8 MB of int64).
MAX_DRAWS_PER_BLOCK = 1_000_000


def _clean(values: Sequence[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(values, dtype="float64")
    return arr[~np.isnan(arr)]


def bootstrap_mean_ci(
    values: Sequence[float] | np.ndarray,
    *,
    seed: int | None = SEED,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``values`` (NaNs ignored).

    Resamples are drawn in blocks of at most ``MAX_DRAWS_PER_BLOCK`` indices, so memory stays
    bounded on pooled corpora of many thousand units.

    Returns:
        ``(low, high)``; ``(nan, nan)`` when fewer than two values remain.
        ``seed=None`` draws fresh randomness (for checking that the interval depends on the seed).
    """
    arr = _clean(values)
    if arr.size < 2:
        return (float("nan"), float("nan"))
    means = _resampled_means(arr, np.random.default_rng(seed), n_boot)
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(means, [alpha, 1.0 - alpha])
    return (float(low), float(high))


def _resampled_means(arr: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """``n_boot`` means of resamples of ``arr`` (blocks of at most MAX_DRAWS_PER_BLOCK draws)."""
    block = max(1, MAX_DRAWS_PER_BLOCK // arr.size)
    means = np.empty(n_boot, dtype="float64")
    for start in range(0, n_boot, block):
        rows = min(block, n_boot - start)
        idx = rng.integers(0, arr.size, size=(rows, arr.size))
        means[start : start + rows] = arr[idx].mean(axis=1)
    return means


def derive_seed(seed: int | None, *keys: object) -> int | None:
    """A per-row seed from the run's seed and a stable key (``None`` stays ``None``).

    Uses CRC-32 of the key text (stable across runs and platforms, unlike ``hash``), so every
    interval of a table is reproducible with the seed and changes with another one.
    """
    if seed is None:
        return None
    key = zlib.crc32("\x1f".join(str(k) for k in keys).encode("utf-8"))
    return int(np.random.SeedSequence([int(seed) % (2**63), key]).generate_state(1)[0])


#: Rows of bootstrap statistics whose percentiles are taken in one pass (16 MB at N_BOOT).
QUANTILE_ROWS_PER_BLOCK = 1024


def _percentile_rows(
    rows: list[int], draw: Callable[[int], np.ndarray], n_boot: int, level: float, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of each row's bootstrap statistics, the percentiles in one pass per
    block of rows (``draw(i)`` gives row ``i``'s statistics; rows not listed stay NaN)."""
    low = np.full(size, np.nan)
    high = np.full(size, np.nan)
    alpha = (1.0 - level) / 2.0
    for start in range(0, len(rows), QUANTILE_ROWS_PER_BLOCK):
        block = rows[start : start + QUANTILE_ROWS_PER_BLOCK]
        stats = np.empty((len(block), n_boot), dtype="float64")
        for j, i in enumerate(block):
            stats[j] = draw(i)
        qs = np.quantile(stats, [alpha, 1.0 - alpha], axis=1)
        low[block], high[block] = qs[0], qs[1]
    return low, high


def wilson_share_ci(count: int, n: int, *, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval (Wilson 1927) of the share ``count / n``.

    The interval is the set of proportions p whose score test against ``count`` of ``n`` does
    not reject at ``level``: centre ``(p + z^2 / 2n) / (1 + z^2 / n)``, half-width
    ``z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2)``. It always holds the share, stays
    in [0, 1] and is wider than a point at shares of 0 and 1.

    Returns:
        ``(low, high)``; ``(nan, nan)`` with fewer than :data:`MIN_SHARE_UNITS` units (no units
        give no share; one unit is one case, not a sample).

    Raises:
        ValueError: ``count`` is negative or above ``n``, or ``level`` is not in (0, 1).
    """
    low, high = wilson_share_cis([count], [n], level=level)
    return (float(low[0]), float(high[0]))


def wilson_share_cis(
    counts: Sequence[int] | np.ndarray, sizes: Sequence[int] | np.ndarray, *, level: float = LEVEL
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`wilson_share_ci` of many shares at once (``counts[i]`` ones of ``sizes[i]``).

    Returns:
        ``(low, high)`` float arrays; NaN where ``sizes[i] < MIN_SHARE_UNITS``.

    Raises:
        ValueError: a count is negative or above its size, or ``level`` is not in (0, 1).
    """
    count = np.asarray(counts, dtype="float64").ravel()
    n = np.asarray(sizes, dtype="float64").ravel()
    if count.shape != n.shape:
        raise ValueError(f"{count.size} counts for {n.size} sizes")
    if not 0.0 < level < 1.0:
        raise ValueError(f"interval level {level} is not between 0 and 1")
    if np.any(count < 0) or np.any(count > n):
        raise ValueError("a share count is negative or larger than its number of units")
    z = NormalDist().inv_cdf(1.0 - (1.0 - level) / 2.0)
    low, high = np.full(n.shape, np.nan), np.full(n.shape, np.nan)
    ok = n >= MIN_SHARE_UNITS
    k, m = count[ok], n[ok]
    p = k / m
    denom = 1.0 + z * z / m
    centre = (p + z * z / (2.0 * m)) / denom
    half = z / denom * np.sqrt(p * (1.0 - p) / m + z * z / (4.0 * m * m))
    # exact ends at 0 and n (the formula gives them up to rounding)
    low[ok] = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, p))
    high[ok] = np.where(k == m, 1.0, np.clip(centre + half, p, 1.0))
    return low, high


def bootstrap_mean_cis(
    groups: Sequence[np.ndarray],
    seeds: Sequence[int | None],
    *,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`bootstrap_mean_ci` of many groups of values at once (NaNs ignored).

    Each group resamples with its own generator seeded with ``seeds[i]``, exactly as
    :func:`bootstrap_mean_ci` would, so every interval equals the one-at-a-time result; the
    percentiles of all groups are taken in one vectorised pass (per block of rows).

    Returns:
        ``(low, high)`` arrays; NaN for groups of fewer than two values.
    """
    clean = [_clean(g) for g in groups]
    rows = [i for i, arr in enumerate(clean) if arr.size >= 2]

    def draw(i: int) -> np.ndarray:
        return _resampled_means(clean[i], np.random.default_rng(seeds[i]), n_boot)

    return _percentile_rows(rows, draw, n_boot, level, len(clean))
