"""Frame lexicon against hand coding: 120 Fox News dev sentences (printed figures, not timed).

Gold: ``tests/gold/frames/coded.csv`` (see its README: sample, coding rule, one coder). The
lexicon's frames for each sentence are the stage's own (``frame_tables``, sentence units, on the
tables built by :mod:`bench.foxdev`). Printed per frame: gold count, predicted count, precision,
recall and Cohen's kappa (presence of the frame); micro-averaged precision/recall; for "no frame
term" vs "some frame"; and beside them two plain baselines: the majority class for each frame
(always "absent": recall 0, kappa 0) and "every sentence is political" (the most frequent frame in
the gold).

Run: ``PYTHONPATH=. .venv/bin/python bench/eval_frames.py``
"""

from __future__ import annotations

import csv
from pathlib import Path

from analysis import config
from analysis.compare.frames import LEXICON_FRAMES, NO_FRAME_TERM, frame_tables
from bench.foxdev import fox_tables

GOLD = config.ROOT / "tests" / "gold" / "frames" / "coded.csv"


def read_gold(path: Path = GOLD) -> dict[str, set[str]]:
    """``{sentence_id: frames}`` (``set()`` for ``none``)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {
            r["sentence_id"]: set() if r["frames"] == "none" else set(r["frames"].split())
            for r in rows
        }


def kappa(gold: list[bool], pred: list[bool]) -> float:
    """Cohen's kappa of two binary codings (NaN when chance agreement is 1)."""
    n = len(gold)
    observed = sum(g == p for g, p in zip(gold, pred, strict=True)) / n
    pg, pp = sum(gold) / n, sum(pred) / n
    chance = pg * pp + (1 - pg) * (1 - pp)
    return float("nan") if chance == 1 else (observed - chance) / (1 - chance)


def _pr(gold: list[bool], pred: list[bool]) -> tuple[int, int, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    n_pred, n_gold = sum(pred), sum(gold)
    precision = tp / n_pred if n_pred else float("nan")
    recall = tp / n_gold if n_gold else float("nan")
    return n_gold, n_pred, precision, recall


def lexicon_frames(ids: list[str]) -> dict[str, set[str]]:
    tables = fox_tables(until="annotate")
    scores, _, _ = frame_tables(tables["sentences"], tables["documents"])
    sent = scores[(scores["unit"] == "sentence") & (scores["frame"] != NO_FRAME_TERM)]
    out: dict[str, set[str]] = {i: set() for i in ids}
    for unit_id, frame in zip(sent["unit_id"], sent["frame"], strict=True):
        if unit_id in out:
            out[unit_id].add(str(frame))
    missing = [i for i in ids if i not in set(scores["unit_id"])]
    if missing:
        raise SystemExit(
            f"{len(missing)} gold sentence ids are not in the build, e.g. {missing[0]}"
        )
    return out


def main() -> None:
    gold = read_gold()
    ids = sorted(gold)
    pred = lexicon_frames(ids)
    print(f"Frame lexicon vs hand coding: {len(ids)} sentences ({GOLD.relative_to(config.ROOT)})")
    print(f"{'frame':<42} {'gold':>4} {'lex':>4} {'prec':>6} {'rec':>6} {'kappa':>6}")
    tp = n_pred = n_gold = 0
    for frame in LEXICON_FRAMES:
        g = [frame in gold[i] for i in ids]
        p = [frame in pred[i] for i in ids]
        ng, npred, prec, rec = _pr(g, p)
        tp += sum(a and b for a, b in zip(g, p, strict=True))
        n_pred += npred
        n_gold += ng
        print(f"{frame:<42} {ng:>4} {npred:>4} {prec:>6.2f} {rec:>6.2f} {kappa(g, p):>6.2f}")
    print(f"{'micro-average':<42} {n_gold:>4} {n_pred:>4} {tp / n_pred:>6.2f} {tp / n_gold:>6.2f}")
    g_none = [not gold[i] for i in ids]
    p_none = [not pred[i] for i in ids]
    ng, npred, prec, rec = _pr(g_none, p_none)
    print(
        f"{'no frame term (lexicon) vs none (gold)':<42} {ng:>4} {npred:>4} {prec:>6.2f} "
        f"{rec:>6.2f} {kappa(g_none, p_none):>6.2f}"
    )
    exact = sum(gold[i] == pred[i] for i in ids) / len(ids)
    print(f"exact match of the frame set: {exact:.2f}")
    print("\nBaselines")
    print("  majority class per frame (always absent): recall 0.00, kappa 0.00 for every frame")
    g_pol = [("political" in gold[i]) for i in ids]
    _, _, prec, rec = _pr(g_pol, [True] * len(ids))
    print(
        f"  every sentence 'political' (most frequent gold frame): precision {prec:.2f}, "
        f"recall {rec:.2f}, kappa {kappa(g_pol, [True] * len(ids)):.2f}; micro precision "
        f"{sum(g_pol) / len(ids):.2f}, micro recall {sum(g_pol) / n_gold:.2f}"
    )
    majority_none = sum(g_none) >= len(ids) / 2
    print(
        f"  'no frame' by majority ({'none' if majority_none else 'some frame'} for all): "
        f"accuracy {max(sum(g_none), len(ids) - sum(g_none)) / len(ids):.2f}, kappa 0.00"
    )


if __name__ == "__main__":
    main()
