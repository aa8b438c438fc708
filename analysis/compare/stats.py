"""Seeded bootstrap intervals shared by the comparison tables.

Percentile bootstrap (Efron and Tibshirani 1993, ch. 13): resample the units with replacement
``n_boot`` times and take the 2.5th and 97.5th percentiles of the statistic. Every function takes
``seed`` so results are reproducible with the seed and change without it.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

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
    rng = np.random.default_rng(seed)
    block = max(1, MAX_DRAWS_PER_BLOCK // arr.size)
    means = np.empty(n_boot, dtype="float64")
    for start in range(0, n_boot, block):
        rows = min(block, n_boot - start)
        idx = rng.integers(0, arr.size, size=(rows, arr.size))
        means[start : start + rows] = arr[idx].mean(axis=1)
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(means, [alpha, 1.0 - alpha])
    return (float(low), float(high))


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
    rng = np.random.default_rng(seed)
    shares = rng.binomial(arr.size, arr.mean(), size=n_boot) / arr.size
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
