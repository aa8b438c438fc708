"""Validity of the offline hostility score on real news comments with human hate labels.

Data: ``shared/devdata/fox_news/fox-news-comments-dev.jsonl`` (859 comments on 5 Fox News articles,
2015-2016, ``label`` 1 = hateful; Gao and Huang 2017). Nothing here was fitted to it: the lexicon
and weights of :mod:`analysis.classify.hostility` are fixed by hand; this script only measures.

Prints, for the whole file and per thread (article): ROC AUC of ``hostility_score`` against the
labels, beside VADER's negative compound (``-compound``: the more negative, the more "hateful")
and beside each component alone; precision at the top decile (the 10% highest scores; the base
rate is what a random pick reaches); recall and precision of ``is_hostile``; and the hateful
comments that score 0 (what the cues miss), with the share per thread. Usage::

    .venv/bin/python bench/eval_hostility.py [--examples 8]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from analysis import config  # noqa: E402
from analysis import schema as S  # noqa: E402
from analysis.annotate.sentiment import analyzer, normalise_for_vader  # noqa: E402
from analysis.classify.hostility import hostility_table  # noqa: E402

#: Othering language ("they", "them", "those people"): a cue of us-versus-them framing in hate
#: speech (Burnap and Williams 2016; Alorainy et al. 2019). Measured here as a *candidate*, not part
#: of the score: it was tried on all five threads at once, so no thread is held out for it.
OTHERING = re.compile(r"\b(?:they|them|their|these people|those people|these|those)\b", re.I)
#: Threads not looked at when the group_target component was chosen (see hostility.py).
HELD_OUT = ("fox3", "fox4")
FOX = config.ROOT.parent / "shared" / "devdata" / "fox_news" / "fox-news-comments-dev.jsonl"


def load_fox(path: Path = FOX) -> pd.DataFrame:
    """The Fox News comments as a corpus-like frame: thread_id (by title), doc_id, text, label."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    titles = list(dict.fromkeys(r["title"] for r in rows))
    out = pd.DataFrame(
        {
            S.THREAD_ID: [f"fox{titles.index(r['title'])}" for r in rows],
            S.DOC_ID: [f"fox/{i}" for i in range(len(rows))],
            S.DOC_KIND: S.COMMENT,
            S.TEXT: [r["text"] for r in rows],
            "label": [int(r["label"]) for r in rows],
            "title": [r["title"] for r in rows],
        }
    )
    return out


def precision_at_top(scores: np.ndarray, labels: np.ndarray, share: float = 0.1) -> float:
    """Share of hateful comments among the ``share`` highest scores (ties broken by order)."""
    k = max(1, int(round(len(scores) * share)))
    top = np.argsort(-scores, kind="stable")[:k]
    return float(labels[top].mean())


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    return float(roc_auc_score(labels, scores)) if len(set(labels)) == 2 else float("nan")


def scores_frame(fox: pd.DataFrame) -> pd.DataFrame:
    """Hostility table joined with labels and VADER's negative compound."""
    table = hostility_table(fox)
    vader = analyzer()
    table["vader_negative"] = [
        -vader.polarity_scores(normalise_for_vader(t))["compound"] for t in fox[S.TEXT]
    ]
    table["label"] = fox["label"].to_numpy()
    return table


def candidate_othering(t: pd.DataFrame, fox: pd.DataFrame) -> None:
    """Print the othering cue alone, added to the score (weight 0.1), and within length terciles
    (longer comments are more often hateful here, and hold more pronouns)."""
    y = t["label"].to_numpy()
    present = np.array([bool(OTHERING.search(x)) for x in fox[S.TEXT]], dtype=float)
    combined = 1 - (1 - t["hostility_score"].to_numpy()) * (1 - 0.1 * present)
    held = t[S.THREAD_ID].isin(HELD_OUT).to_numpy()
    print("\ncandidate cue, not in the score: othering pronouns (tried on all five threads)")
    for name, s in (("othering present", present), ("hostility + 0.1 othering", combined)):
        print(
            f"  {name:<26} AUC {auc(y, s):.3f} (held-out threads {auc(y[held], s[held]):.3f}), "
            f"P@top10% {precision_at_top(s, y):.3f}"
        )
    terciles = pd.qcut(fox[S.TEXT].str.len(), 3, labels=False).to_numpy()
    within = [auc(y[terciles == k], present[terciles == k]) for k in range(3)]
    print(
        "  othering AUC within length terciles (short to long): "
        + ", ".join(f"{a:.3f}" for a in within)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=8, help="missed hateful comments shown")
    args = parser.parse_args(argv)
    if not FOX.is_file():
        print(f"dev data not found: {FOX}")
        return 1
    fox = load_fox()
    t = scores_frame(fox)
    y = t["label"].to_numpy()
    cols = ["hostility_score", "hostility_score_without_target", "vader_negative"]
    cols += [c for c in t.columns if c.endswith("_count")]
    cols.append("shouting_share")
    print(f"Fox News dev: {len(t)} comments, {int(y.sum())} hateful ({y.mean():.1%}), 5 threads")
    print(f"{'score':<32}{'ROC AUC':>9}{'P@top10%':>10}")
    for c in cols:
        s = t[c].astype(float).to_numpy()
        print(f"{c:<32}{auc(y, s):>9.3f}{precision_at_top(s, y):>10.3f}")
    print(f"{'(base rate)':<32}{'0.500':>9}{y.mean():>10.3f}")
    hostile = t["is_hostile"].astype(bool).to_numpy()
    tp = int((hostile & (y == 1)).sum())
    print(
        f"is_hostile (score >= 0.5): {int(hostile.sum())} flagged, precision "
        f"{tp / max(1, hostile.sum()):.3f}, recall {tp / max(1, y.sum()):.3f}"
    )
    print(f"any cue (score > 0): {(t['hostility_score'] > 0).mean():.1%} of comments")
    held = t[S.THREAD_ID].isin(HELD_OUT)
    for name, part in (("design threads", t[~held]), ("held-out threads", t[held])):
        yy = part["label"].to_numpy()
        print(
            f"{name} ({', '.join(sorted(part[S.THREAD_ID].unique()))}): AUC hostility "
            f"{auc(yy, part['hostility_score'].to_numpy()):.3f}, VADER "
            f"{auc(yy, part['vader_negative'].to_numpy()):.3f}"
        )
    print("\nper thread:")
    print(f"{'thread':<8}{'n':>5}{'hateful':>9}{'AUC host':>10}{'AUC vader':>11}{'P@10 host':>11}")
    for thread, part in t.groupby(S.THREAD_ID, sort=True):
        yy = part["label"].to_numpy()
        h, v = part["hostility_score"].to_numpy(), part["vader_negative"].to_numpy()
        print(
            f"{thread:<8}{len(part):>5}{int(yy.sum()):>9}{auc(yy, h):>10.3f}{auc(yy, v):>11.3f}"
            f"{precision_at_top(h, yy):>11.3f}"
        )
    missed = t[(t["label"] == 1) & (t["hostility_score"] == 0)]
    print(f"\nhateful comments with no cue at all: {len(missed)} of {int(y.sum())}")
    for doc in missed[S.DOC_ID].head(args.examples):
        text = fox.loc[fox[S.DOC_ID] == doc, S.TEXT].iloc[0]
        print(f"  - {' '.join(text.split())[:160]}")
    candidate_othering(t, fox)
    false = t[(t["label"] == 0) & t["is_hostile"].astype(bool)]
    print(f"not-hateful comments flagged hostile: {len(false)}; cues most often behind them:")
    cues = false["matched_terms"].str.split(" | ", regex=False).explode()
    for cue, n in cues.str.split(":").str[0].value_counts().head(6).items():
        print(f"  {cue}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
