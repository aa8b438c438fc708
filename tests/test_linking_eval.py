"""The scoring helpers of bench/eval_linking.py, on files written for the test."""

from __future__ import annotations

import importlib.util
import sys

import pandas as pd

from analysis import config


def _bench():
    spec = importlib.util.spec_from_file_location(
        "eval_linking", config.ROOT / "bench" / "eval_linking.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_linking", module)  # dataclasses look their module up
    spec.loader.exec_module(sys.modules["eval_linking"])
    module = sys.modules["eval_linking"]
    return module


def test_read_wnut_turns_bio_tags_into_character_spans(tmp_path):
    path = tmp_path / "tiny.conll"
    path.write_text(
        "I\tO\nmet\tO\nRedondo\tB-location\nBeach\tI-location\ntoday\tO\n\n"
        "Kagame\tB-person\nand\tO\nPSY\tB-person\n",
        encoding="utf-8",
    )
    sentences = _bench().read_wnut(path)
    assert [text for text, _ in sentences] == ["I met Redondo Beach today", "Kagame and PSY"]
    first, second = sentences
    assert {first[0][a:b] for a, b in first[1]} == {"Redondo Beach"}
    assert {second[0][a:b] for a, b in second[1]} == {"Kagame", "PSY"}


def test_prf_and_gold_judging():
    bench = _bench()
    assert bench.prf({1, 2, 3, 4}, {3, 4, 5, 6}) == (0.5, 0.5, 0.5)
    assert bench.prf(set(), {1}) == (0.0, 0.0, 0.0)
    pred = pd.DataFrame(
        {
            "sample_id": ["g1", "g1", "g2"],
            "start_char": [0, 10, 4],
            "end_char": [5, 14, 8],
            "link_method": ["model", "gazetteer", "model"],
        }  # fmt: skip
    )
    ann = pd.DataFrame(
        {
            "sample_id": ["g1", "g2"],
            "start_char": [0, 0],
            "end_char": [5, 8],
            "form": ["lowercase", "standard"],
        }  # fmt: skip
    )
    judged = bench._judge(pred, ann)
    assert judged["exact"].tolist() == [True, False, False]
    assert judged["overlap"].tolist() == [True, False, True]
    recall, n = bench._hard_recall(judged, ann, non_model=True)
    assert (recall, n) == (0.0, 1)  # the one lower-case mention was found by the model only
    assert bench._hard_recall(judged, ann, non_model=False) == (1.0, 1)


def test_split_file_is_the_seeded_split_of_every_sampled_comment():
    bench = _bench()
    folder = config.ROOT / "tests" / "gold" / "linking"
    sample = pd.read_csv(folder / "sample.csv", dtype=str, keep_default_na=False)
    split = bench.read_split(folder, sample)
    assert split == bench.make_split(sample["sample_id"].tolist())
    halves = pd.Series(split).value_counts()
    assert set(halves.index) == set(bench.HALVES) and abs(halves.iloc[0] - halves.iloc[1]) <= 1


def test_gold_metrics_known_answer():
    bench = _bench()
    pred = pd.DataFrame(
        {
            "sample_id": ["g1", "g1", "g2", "g2"],
            "start_char": [0, 10, 4, 20],
            "end_char": [5, 14, 8, 25],
            "link_method": ["model", "gazetteer", "model", "alias"],
        }  # fmt: skip
    )
    ann = pd.DataFrame(
        {
            "sample_id": ["g1", "g2", "g2"],
            "start_char": [0, 0, 20],
            "end_char": [5, 8, 25],
            "form": ["standard", "standard", "lowercase"],
        }  # fmt: skip
    )
    metrics = bench.gold_metrics(bench._judge(pred, ann), ann)
    assert metrics["all-mention precision (exact)"] == (0.5, 4)
    assert metrics["non-model link precision (exact)"] == (0.5, 2)
    assert metrics["hard-form recall, non-model links"] == (1.0, 1)
    assert metrics["all-mention recall (exact)"] == (2 / 3, 3)
