"""CSV copies of the tables: float columns are pre-formatted (analysis.tables.float_texts) and
the bytes must be what pandas' own CSV writer gives for the unformatted frame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.tables import float_texts, write_table

EDGES = [
    0.0,
    -0.0,
    0.1,
    1 / 3,
    100.0,
    1e-4,
    1e-5,
    1e15,
    1e16,
    9999999999999998.0,
    1.5e300,
    5e-324,
    1.7976931348623157e308,
    np.inf,
    -np.inf,
    np.nan,
    -0.15811999999999998,
]


def _floats() -> np.ndarray:
    rng = np.random.default_rng(7)
    spread = rng.normal(size=20_000) * 10.0 ** rng.integers(-30, 30, 20_000)
    return np.concatenate([np.array(EDGES), spread, rng.integers(0, 1000, 500) / 8])


def _csv(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n")


def test_float_texts_write_the_bytes_pandas_writes():
    values = _floats()
    frame = pd.DataFrame({"x": values, "n": pd.array(range(len(values)), dtype="Int64"), "s": "a"})
    assert _csv(float_texts(frame)) == _csv(frame)
    # one column alone: pandas quotes an empty field there ("" for NaN); still the same
    single = frame[["x"]]
    assert _csv(float_texts(single)) == _csv(single)


def test_float_texts_leave_other_columns_and_the_input_alone():
    frame = pd.DataFrame({"x": [0.5, np.nan], "k": pd.array([1, None], dtype="Int64")})
    out = float_texts(frame)
    assert frame["x"].dtype == np.float64 and out["x"].tolist() == ["0.5", None]
    assert out["k"].dtype == frame["k"].dtype


def test_written_csv_equals_pandas_csv_of_the_table(tmp_path):
    spec = S.TONE_SUMMARY
    rng = np.random.default_rng(3)
    n = 50
    frame = pd.DataFrame(
        {
            S.THREAD_ID: [f"t{i % 3}" for i in range(n)],
            "unit": "comment",
            "n": rng.integers(0, 99, n),
            "excluded_count": 0,
            "compound_mean": rng.normal(size=n) / 3,
            "ci_low": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
            "ci_high": rng.normal(size=n),
            "compound_median": rng.normal(size=n),
            "compound_q1": 1e-7 * rng.normal(size=n),
            "compound_q3": 1e17 * rng.normal(size=n),
        }
    )
    write_table(frame, spec, tmp_path, csv=True)
    written = (tmp_path / f"{spec.name}.csv").read_text(encoding="utf-8")
    assert written == _csv(spec.conform(frame))
