"""Seeded bootstrap intervals shared by the comparison tables.

Percentile bootstrap (Efron and Tibshirani 1993, ch. 13): resample the units with replacement
``n_boot`` times and take the 2.5th and 97.5th percentiles of the statistic. Every function takes
``seed`` so results are reproducible with the seed and change without it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence

import numpy as np

from analysis.config import SEED

N_BOOT = 2000
LEVEL = 0.95
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


def bootstrap_share_ci(
    flags: Sequence[bool] | np.ndarray,
    *,
    seed: int | None = SEED,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
) -> tuple[float, float]:
    """Percentile bootstrap interval of a share (the mean of 0/1 ``flags``).

    Resampling n units with replacement and counting the 1s is a Binomial(n, p) draw, so the
    bootstrap distribution is drawn directly as binomial counts: the same distribution as index
    resampling, in O(n_boot) memory.

    Returns:
        ``(low, high)``; ``(nan, nan)`` when fewer than two units.
    """
    arr = _clean(np.asarray(flags, dtype="float64"))
    if arr.size < 2:
        return (float("nan"), float("nan"))
    shares = _resampled_shares(int(arr.size), arr.mean(), np.random.default_rng(seed), n_boot)
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(shares, [alpha, 1.0 - alpha])
    return (float(low), float(high))


def derive_seed(seed: int | None, *keys: object) -> int | None:
    """A per-row seed from the run's seed and a stable key (``None`` stays ``None``).

    Uses CRC-32 of the key text (stable across runs and platforms, unlike ``hash``), so every
    interval of a table is reproducible with the seed and changes with another one.
    """
    if seed is None:
        return None
    key = zlib.crc32("\x1f".join(str(k) for k in keys).encode("utf-8"))
    return int(np.random.SeedSequence([int(seed) % (2**63), key]).generate_state(1)[0])


def _resampled_shares(n: int, share: float, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """``n_boot`` bootstrap shares of ``n`` units of which ``share`` are 1 (binomial counts / n)."""
    return rng.binomial(n, share, size=n_boot) / n


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


def bootstrap_share_cis(
    counts: Sequence[int],
    sizes: Sequence[int],
    seeds: Sequence[int | None],
    *,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`bootstrap_share_ci` of many shares at once (``counts[i]`` ones of ``sizes[i]``).

    Each interval draws from its own generator seeded with ``seeds[i]``, exactly as
    :func:`bootstrap_share_ci` would, so every interval equals the one-at-a-time result; the
    percentiles of all rows are taken in one vectorised pass (per block of
    :data:`QUANTILE_ROWS_PER_BLOCK` rows).

    Returns:
        ``(low, high)`` arrays; NaN where ``sizes[i] < 2``.
    """
    rows = [i for i, n in enumerate(sizes) if n >= 2]

    def draw(i: int) -> np.ndarray:
        n = int(sizes[i])
        return _resampled_shares(n, int(counts[i]) / n, np.random.default_rng(seeds[i]), n_boot)

    return _percentile_rows(rows, draw, n_boot, level, len(sizes))


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
