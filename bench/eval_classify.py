"""A classifier trained on human coding, tested on threads it has not seen (Fox News dev data).

The Fox News comments (``shared/devdata/fox_news``, 5 articles, ``label`` 1 = hateful) stand in
for a researcher's coded sample. :func:`analysis.classify.model.cross_validate` with the thread as
the group is leave-one-thread-out here (5 threads, 5 folds): each thread is predicted by a model
trained on the other four only. Prints the classifier's out-of-fold ROC AUC, F1, precision and
recall with bootstrap intervals, then per held-out thread its ROC AUC and precision at the top
decile beside VADER's negative compound and the offline hostility score (neither trained). A
second run trains on threads fox0-fox2 and tests on fox3-fox4, the split the hostility bench holds
out, and a third pools all threads in stratified folds (the case of a researcher who codes a
random sample of the very threads the model is then applied to). Usage::

    .venv/bin/python bench/eval_classify.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from eval_hostility import FOX, HELD_OUT, auc, load_fox, precision_at_top, scores_frame  # noqa: E402

from analysis import schema as S  # noqa: E402
from analysis.classify.model import cross_validate, make_pipeline  # noqa: E402


def main() -> int:
    if not FOX.is_file():
        print(f"dev data not found: {FOX}")
        return 1
    fox = load_fox()
    base = scores_frame(fox)
    codes = fox["label"].astype(str)
    ev = cross_validate(fox[S.TEXT], codes, groups=fox[S.THREAD_ID], folds=5)
    print("TF-IDF + logistic regression, leave-one-thread-out on the Fox News dev threads")
    for line in ev.summary_lines():
        print(line)
    p_clf = ev.oof_proba[:, ev.classes.index("1")]
    y = fox["label"].to_numpy()
    print(
        f"\n{'held-out':<10}{'n':>5}{'hateful':>9}{'AUC clf':>9}{'AUC host':>10}{'AUC vader':>11}"
        f"{'P@10 clf':>10}{'P@10 vader':>12}"
    )
    for thread in sorted(fox[S.THREAD_ID].unique()):
        m = (fox[S.THREAD_ID] == thread).to_numpy()
        yy = y[m]
        print(
            f"{thread:<10}{m.sum():>5}{int(yy.sum()):>9}{auc(yy, p_clf[m]):>9.3f}"
            f"{auc(yy, base['hostility_score'].to_numpy()[m]):>10.3f}"
            f"{auc(yy, base['vader_negative'].to_numpy()[m]):>11.3f}"
            f"{precision_at_top(p_clf[m], yy):>10.3f}"
            f"{precision_at_top(base['vader_negative'].to_numpy()[m], yy):>12.3f}"
        )
    print(
        f"{'all':<10}{len(y):>5}{int(y.sum()):>9}{auc(y, p_clf):>9.3f}"
        f"{auc(y, base['hostility_score'].to_numpy()):>10.3f}"
        f"{auc(y, base['vader_negative'].to_numpy()):>11.3f}"
        f"{precision_at_top(p_clf, y):>10.3f}"
        f"{precision_at_top(base['vader_negative'].to_numpy(), y):>12.3f}"
    )
    held = fox[S.THREAD_ID].isin(HELD_OUT).to_numpy()
    model = make_pipeline().fit(fox.loc[~held, S.TEXT].to_numpy(), codes[~held].to_numpy())
    p = model.predict_proba(fox.loc[held, S.TEXT].to_numpy())[:, list(model.classes_).index("1")]
    yy = y[held]
    print(
        f"\ntrained on {sorted(set(fox.loc[~held, S.THREAD_ID]))}, tested on {list(HELD_OUT)} "
        f"({held.sum()} comments, {int(yy.sum())} hateful): ROC AUC classifier "
        f"{auc(yy, p):.3f}, hostility {auc(yy, base['hostility_score'].to_numpy()[held]):.3f}, "
        f"VADER {auc(yy, base['vader_negative'].to_numpy()[held]):.3f}; P@10% classifier "
        f"{precision_at_top(p, yy):.3f} (base rate {yy.mean():.3f})"
    )
    mixed = cross_validate(fox[S.TEXT], codes, folds=5)
    lo, hi = mixed.roc_auc_ci
    print(
        f"stratified 5-fold over all threads pooled (coding a sample of the same threads the "
        f"model is applied to): ROC AUC {mixed.roc_auc:.3f} (95% CI {lo:.3f}-{hi:.3f}), macro F1 "
        f"{mixed.f1_macro:.3f}"
    )
    print(f"(base rate of hateful comments overall: {np.mean(y):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
