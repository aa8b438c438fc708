"""A transparent classifier trained on a researcher's own coding, and its honest evaluation.

A researcher codes a sample of comments by hand (a CSV of doc ids and codes); :func:`train` fits
TF-IDF features (word 1-2-grams and character 2-5-grams inside word boundaries, sublinear term
frequency) and a class-balanced logistic regression (scikit-learn), and evaluates it by
cross-validation *before* it is applied: every coded document is predicted by a model that did not
see it (out-of-fold). When the coded documents come from several threads, the folds are whole
threads (``GroupKFold``), so the figures say how the model does on a thread it has not seen, which
is the question when it is applied to the rest of a corpus; otherwise stratified folds (seeded).

Reported (:class:`Evaluation`): ROC AUC (binary; one-vs-rest macro average for several codes), macro
F1, per-code precision and recall, each with a seeded percentile bootstrap 95% interval over the
coded documents (Efron and Tibshirani 1993). Limits: the model learns the words of the coded sample;
on a thread about another topic it is weaker than the cross-validated figures suggest unless the
folds were whole threads; codes with few examples (under ~30) give wide intervals; predictions on
comments in other languages are meaningless.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from analysis import config
from analysis.errors import StageInputError

N_BOOT = 1000
TRUTHY = ("1", "true", "yes", "y", "hateful", "hostile", "positive")
MIN_PER_CODE = 2


def make_pipeline(*, seed: int | None = config.SEED) -> Pipeline:
    """The model: word and character TF-IDF, then balanced logistic regression."""
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
                ),
            ),
        ]
    )
    clf = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=seed)
    return Pipeline([("tfidf", features), ("logreg", clf)])


def positive_code(codes: pd.Series) -> str | None:
    """The code read as "present" in a binary coding: a truthy value, else the rarer code.

    Returns:
        The code, or ``None`` when there are more than two codes.
    """
    values = sorted(codes.astype(str).unique())
    if len(values) != 2:
        return None
    truthy = [v for v in values if v.strip().lower() in TRUTHY]
    if len(truthy) == 1:
        return truthy[0]
    counts = codes.astype(str).value_counts()
    return str(counts.sort_index().idxmin())


@dataclass
class Evaluation:
    """Cross-validated figures of one model (see module doc)."""

    n: int
    folds: int
    fold_kind: str
    classes: list[str]
    positive: str | None
    roc_auc: float
    roc_auc_ci: tuple[float, float]
    f1_macro: float
    f1_macro_ci: tuple[float, float]
    per_code: pd.DataFrame
    oof_code: pd.Series
    oof_proba: np.ndarray = field(repr=False)

    def summary_lines(self) -> list[str]:
        """Plain-text lines, as printed by ``discourse classify``."""
        lo, hi = self.roc_auc_ci
        flo, fhi = self.f1_macro_ci
        lines = [
            f"cross-validated on {self.n} coded documents ({self.folds} {self.fold_kind} folds):",
            f"  ROC AUC {self.roc_auc:.3f} (95% CI {lo:.3f}-{hi:.3f})"
            + ("" if self.positive is None else f", positive code {self.positive!r}"),
            f"  macro F1 {self.f1_macro:.3f} (95% CI {flo:.3f}-{fhi:.3f})",
        ]
        for r in self.per_code.itertuples(index=False):
            lines.append(
                f"  {r.code!r:<14} n={r.support:<5} precision {r.precision:.3f} "
                f"({r.precision_low:.3f}-{r.precision_high:.3f})  recall {r.recall:.3f} "
                f"({r.recall_low:.3f}-{r.recall_high:.3f})"
            )
        return lines


@dataclass
class Model:
    """A fitted classifier with its cross-validated evaluation."""

    label_name: str
    pipeline: Pipeline
    classes: list[str]
    positive: str | None
    evaluation: Evaluation
    trained_doc_ids: list[str]


def _binary_auc(truth: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC as the Mann-Whitney statistic (ties counted half), NaN with one class present."""
    n_pos = int(truth.sum())
    n_neg = len(truth) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = pd.Series(score).rank(method="average").to_numpy()
    return float((ranks[truth].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _auc(y: np.ndarray, proba: np.ndarray, classes: list[str], positive: str | None) -> float:
    """Binary ROC AUC of the positive code, or the one-vs-rest macro average over codes."""
    if positive is not None:
        return _binary_auc(y == positive, proba[:, classes.index(positive)])
    per = [_binary_auc(y == c, proba[:, j]) for j, c in enumerate(classes)]
    return float(np.mean(per)) if not np.isnan(per).any() else float("nan")


def _metrics(y, pred, proba, classes, positive) -> dict[str, float]:
    """ROC AUC, macro F1 and per-code precision/recall (0 where undefined, as scikit-learn)."""
    out = {"roc_auc": _auc(y, proba, classes, positive)}
    f1s = []
    for c in classes:
        truth, said = y == c, pred == c
        tp = float((truth & said).sum())
        precision = tp / said.sum() if said.sum() else 0.0
        recall = tp / truth.sum() if truth.sum() else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        out[f"p:{c}"], out[f"r:{c}"] = precision, recall
    out["f1"] = float(np.mean(f1s))
    return out


def _bootstrap(y, pred, proba, classes, positive, *, seed: int | None) -> dict[str, tuple]:
    """Seeded percentile bootstrap 95% intervals of every figure of :func:`_metrics`."""
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(N_BOOT):
        idx = rng.integers(0, len(y), size=len(y))
        for k, v in _metrics(y[idx], pred[idx], proba[idx], classes, positive).items():
            draws.setdefault(k, []).append(v)
    out = {}
    for k, v in draws.items():
        arr = np.asarray(v, dtype=float)
        arr = arr[~np.isnan(arr)]
        out[k] = (
            tuple(float(q) for q in np.quantile(arr, [0.025, 0.975]))
            if arr.size
            else (float("nan"), float("nan"))
        )
    return out


def _folds(codes: np.ndarray, groups: np.ndarray | None, folds: int, seed: int | None):
    smallest = int(pd.Series(codes).value_counts().min())
    if groups is not None and len(set(groups)) >= 2:
        k = min(folds, len(set(groups)))
        return GroupKFold(n_splits=k), k, "thread"
    k = max(2, min(folds, smallest))
    return StratifiedKFold(n_splits=k, shuffle=True, random_state=seed), k, "stratified"


def _per_code(point: dict, ci: dict, counts: pd.Series, classes: list[str]) -> pd.DataFrame:
    """One row per code: support, precision and recall with their intervals."""
    return pd.DataFrame(
        [
            {
                "code": c,
                "support": int(counts[c]),
                "precision": point[f"p:{c}"],
                "precision_low": ci[f"p:{c}"][0],
                "precision_high": ci[f"p:{c}"][1],
                "recall": point[f"r:{c}"],
                "recall_low": ci[f"r:{c}"][0],
                "recall_high": ci[f"r:{c}"][1],
            }
            for c in classes
        ]
    )


def cross_validate(
    texts: pd.Series,
    codes: pd.Series,
    *,
    groups: pd.Series | None = None,
    folds: int = 5,
    seed: int | None = config.SEED,
) -> Evaluation:
    """Out-of-fold predictions for every coded document and the figures from them.

    Raises:
        StageInputError: fewer than two codes, or a code with fewer than two documents.
    """
    y = codes.astype(str).to_numpy()
    counts = pd.Series(y).value_counts()
    if len(counts) < 2 or counts.min() < MIN_PER_CODE:
        raise StageInputError(
            f"classify: need at least two codes with {MIN_PER_CODE}+ coded documents each; got "
            + ", ".join(f"{c!r}: {n}" for c, n in counts.sort_index().items())
        )
    classes = sorted(counts.index)
    positive = positive_code(pd.Series(y))
    x = texts.astype("string").fillna("").to_numpy(dtype=object)
    g = None if groups is None else groups.astype(str).to_numpy()
    splitter, k, kind = _folds(y, g, folds, seed)
    proba = np.zeros((len(y), len(classes)))
    split_groups = g if kind == "thread" else None
    for train_idx, test_idx in splitter.split(x, y, split_groups):
        if len(set(y[train_idx])) < 2:
            proba[test_idx] = (counts.reindex(classes) / counts.sum()).to_numpy()
            continue
        model = make_pipeline(seed=seed).fit(x[train_idx], y[train_idx])
        fold_classes = list(model.classes_)
        part = model.predict_proba(x[test_idx])
        for j, c in enumerate(fold_classes):
            proba[test_idx, classes.index(c)] = part[:, j]
    pred = np.asarray(classes, dtype=object)[proba.argmax(axis=1)]
    point = _metrics(y, pred, proba, classes, positive)
    ci = _bootstrap(y, pred, proba, classes, positive, seed=seed)
    per_code = _per_code(point, ci, counts, classes)
    return Evaluation(
        n=len(y),
        folds=k,
        fold_kind=kind,
        classes=classes,
        positive=positive,
        roc_auc=point["roc_auc"],
        roc_auc_ci=ci["roc_auc"],
        f1_macro=point["f1"],
        f1_macro_ci=ci["f1"],
        per_code=per_code,
        oof_code=pd.Series(pred, index=codes.index, dtype="string"),
        oof_proba=proba,
    )


def train(
    coded: pd.DataFrame,
    *,
    label_name: str,
    folds: int = 5,
    seed: int | None = config.SEED,
) -> Model:
    """Cross-validate, then fit on every coded document.

    Args:
        coded: one row per coded document with ``doc_id``, ``thread_id``, ``text`` and ``code``.
        label_name: the name of the coding (``--label``).
        folds: cross-validation folds (fewer when a code or the threads are too few).
        seed: seed for the folds, the model and the bootstrap.

    Returns:
        The fitted :class:`Model` with its :class:`Evaluation`.

    Raises:
        StageInputError: fewer than two codes, or a code with fewer than two documents.
    """
    evaluation = cross_validate(
        coded["text"], coded["code"], groups=coded["thread_id"], folds=folds, seed=seed
    )
    pipeline = make_pipeline(seed=seed).fit(
        coded["text"].astype("string").fillna("").to_numpy(dtype=object),
        coded["code"].astype(str).to_numpy(),
    )
    return Model(
        label_name=label_name,
        pipeline=pipeline,
        classes=list(pipeline.classes_),
        positive=evaluation.positive,
        evaluation=evaluation,
        trained_doc_ids=coded["doc_id"].astype(str).tolist(),
    )
