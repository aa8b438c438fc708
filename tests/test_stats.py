"""Interval helpers: Wilson score intervals of shares (known answers, bounds, monotonicity,
coverage); bootstrap intervals of means (reproducible with the seed, different without)."""

from __future__ import annotations

import math

import numpy as np
import pytest

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


def test_too_few_units_give_nan():
    assert all(math.isnan(x) for x in stats.bootstrap_mean_ci([0.5]))
    assert all(math.isnan(x) for x in stats.wilson_share_ci(0, 0))
    assert all(math.isnan(x) for x in stats.wilson_share_ci(1, 1))
    low, high = stats.wilson_share_cis([0, 1, 0, 2], [0, 1, 2, 2])
    assert np.isnan(low[:2]).all() and np.isnan(high[:2]).all()
    assert not np.isnan(low[2:]).any() and not np.isnan(high[2:]).any()


#: Wilson score 95% intervals as published, to 4 decimals: Newcombe (1998), "Two-sided
#: confidence intervals for the single proportion: comparison of seven methods", Statistics in
#: Medicine 17, 857-872, Table II, method 3 (score method without continuity correction): 81/263,
#: 15/148, 0/20, 1/29. 0/10 and 5/10 (the lead's examples) follow from the closed form in Brown,
#: Cai and DasGupta (2001), "Interval estimation for a binomial proportion", Statistical Science
#: 16(2), 101-133, eq. (4): at a count of 0 the upper end is z^2 / (n + z^2) = 3.8415 / 13.8415,
#: and 5 of 10 is centred on 0.5 with half-width z sqrt(n/4 + z^2/4) / (n + z^2).
PUBLISHED_WILSON_95 = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (0, 10, 0.0, 0.2775),
    (5, 10, 0.2366, 0.7634),
]
#: A worked example to 8 decimals (R, qnorm(0.975)): 6 of 32 cars with mpg >= 25 in mtcars,
#: https://rstudio-pubs-static.s3.amazonaws.com/1367507_eef7a4d0fb5347a8a820fe3c10141369.html
WORKED_6_OF_32 = (0.08889545, 0.35309155)


def test_wilson_matches_published_values():
    for count, n, low, high in PUBLISHED_WILSON_95:
        got = stats.wilson_share_ci(count, n)
        assert abs(got[0] - low) < 5e-5 and abs(got[1] - high) < 5e-5, (count, n, got)
    counts, sizes, lows, highs = (np.array(col) for col in zip(*PUBLISHED_WILSON_95, strict=True))
    low, high = stats.wilson_share_cis(counts, sizes)
    np.testing.assert_allclose(low, lows, atol=5e-5)
    np.testing.assert_allclose(high, highs, atol=5e-5)
    np.testing.assert_allclose(stats.wilson_share_ci(6, 32), WORKED_6_OF_32, atol=5e-9)


def test_wilson_holds_the_share_within_0_and_1_and_is_open_at_the_ends():
    for n in range(2, 80):
        counts = np.arange(n + 1)
        low, high = stats.wilson_share_cis(counts, np.full(n + 1, n))
        share = counts / n
        assert (low >= 0).all() and (high <= 1).all()
        assert (low <= share).all() and (share <= high).all()
        # a share of 0 or 1 is not certain: the interval has width on the open side
        assert low[0] == 0 and high[0] > 0 and high[-1] == 1 and low[-1] < 1
    assert stats.wilson_share_ci(0, 5)[1] > 0.4  # 0 of 5 leaves much room (0.43)


def test_wilson_monotone_symmetric_and_narrowing():
    n = 37
    low, high = stats.wilson_share_cis(np.arange(n + 1), np.full(n + 1, n))
    assert (np.diff(low) > 0).all() and (np.diff(high) > 0).all()  # more ones, higher interval
    np.testing.assert_allclose(low, 1 - high[::-1], atol=1e-12)  # k of n mirrors n - k of n
    widths = [np.subtract(*stats.wilson_share_ci(3 * m, 10 * m)[::-1]) for m in (1, 10, 100)]
    assert widths[0] > widths[1] > widths[2]
    assert widths[1] / widths[2] > 2.5  # about sqrt(10) once n is large
    narrow, wide = (
        stats.wilson_share_ci(30, 100, level=0.9),
        stats.wilson_share_ci(30, 100, level=0.99),
    )
    assert wide[0] < narrow[0] and narrow[1] < wide[1]


def _coverage(n: int, p: float, level: float = 0.95) -> float:
    """Exact probability that the interval of a Binomial(n, p) count holds p."""
    counts = np.arange(n + 1)
    low, high = stats.wilson_share_cis(counts, np.full(n + 1, n), level=level)
    pmf = np.array([math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in counts])
    return float(pmf[(low <= p) & (p <= high)].sum())


def test_wilson_coverage_is_near_nominal():
    """Brown, Cai and DasGupta (2001, fig. 4 and sect. 4.1.1): the Wilson interval's coverage
    oscillates close to the nominal level, its mean over p near 0.95 even for small n."""
    for n in (10, 30, 100):
        grid = np.linspace(0.05, 0.95, 91)
        cover = np.array([_coverage(n, p) for p in grid])
        assert 0.935 < cover.mean() < 0.965, (n, cover.mean())
        assert cover.min() > 0.9, (n, cover.min())
    assert 0.88 < np.mean([_coverage(50, p, 0.9) for p in np.linspace(0.1, 0.9, 41)]) < 0.92


def test_wilson_rejects_impossible_counts():
    for count, n, level in ((6, 5, 0.95), (-1, 5, 0.95), (2, 5, 1.0), (2, 5, 0.0)):
        with pytest.raises(ValueError):
            stats.wilson_share_ci(count, n, level=level)
    with pytest.raises(ValueError):
        stats.wilson_share_cis([1, 2], [3])
