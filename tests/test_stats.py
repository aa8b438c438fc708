"""Bootstrap helpers: reproducible with the seed, different without, sensible coverage."""

from __future__ import annotations

import math

import numpy as np

from analysis.compare import stats


def test_mean_ci_reproducible_and_seed_dependent():
    values = np.linspace(-1, 1, 40)
    a = stats.bootstrap_mean_ci(values, seed=1)
    assert a == stats.bootstrap_mean_ci(values, seed=1)
    assert a != stats.bootstrap_mean_ci(values, seed=2)
    assert a[0] < values.mean() < a[1]


def test_mean_ci_blocks_do_not_change_the_distribution(monkeypatch):
    values = np.arange(50, dtype=float)
    whole = stats.bootstrap_mean_ci(values, seed=3)
    monkeypatch.setattr(stats, "MAX_DRAWS_PER_BLOCK", 50 * 7)  # 7 resamples per block
    blocked = stats.bootstrap_mean_ci(values, seed=3)
    # same generator stream, drawn in pieces: identical resamples
    assert blocked == whole


def test_share_ci_matches_normal_approximation_roughly():
    flags = np.array([1] * 30 + [0] * 70)
    low, high = stats.bootstrap_share_ci(flags, seed=5)
    se = math.sqrt(0.3 * 0.7 / 100)
    assert abs(low - (0.3 - 1.96 * se)) < 0.03 and abs(high - (0.3 + 1.96 * se)) < 0.03


def test_too_few_units_give_nan():
    assert all(math.isnan(x) for x in stats.bootstrap_mean_ci([0.5]))
    assert all(math.isnan(x) for x in stats.bootstrap_share_ci([True, np.nan]))
