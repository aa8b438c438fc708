"""Classify: an offline hostility score, and classifiers trained on a researcher's own coding.

- :mod:`.hostility`: ``hostility_table(corpus) -> hostility`` table, a 0-1 score per document
  with one column per component (insults, second-person attacks, slurs, dehumanising terms,
  profanity, threats, group targets, shouting), measured in ``bench/eval_hostility.py``.
- :mod:`.model`: ``train(coded, *, label_name, folds, seed) -> Model``, TF-IDF + logistic
  regression with cross-validated ROC AUC, F1 and per-code precision/recall with intervals
  (folds are whole threads when the coding spans several).
- :mod:`.coding`: ``read_coding(path, corpus, *, label)``, ``apply_model(model, corpus, coding)
  -> labels`` table, ``second_coder_sample(labels, corpus, *, n, seed)`` and
  ``agreement(coder_a, coder_b)`` (Cohen's kappa).

:func:`classify_dir` is the ``discourse classify`` stage. The package sits above
:mod:`analysis.compare` and below :mod:`analysis.present`; it never imports matplotlib or the
command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.classify.coding import (
    agreement,
    apply_model,
    label_shares,
    read_coding,
    second_coder_sample,
)
from analysis.classify.hostility import hostility_table
from analysis.classify.model import Model, train
from analysis.errors import StageInputError
from analysis.tables import read_fingerprint, read_table, write_table

__all__ = ["ClassifyResult", "classify_dir", "hostility_dir", "hostility_table", "train"]


@dataclass
class ClassifyResult:
    """What :func:`classify_dir` produced."""

    model: Model
    labels: pd.DataFrame
    shares: pd.DataFrame
    sample_path: Path | None
    agreement: dict | None
    uncoded_count: int

    def summary_lines(self) -> list[str]:
        """Plain-text lines for the command line."""
        coded = int(self.labels[S.IN_TRAINING_SAMPLE].sum())
        lines = [
            f"classify {self.model.label_name!r}: {coded} coded comments, codes "
            f"{', '.join(repr(c) for c in self.model.classes)}"
        ]
        if self.uncoded_count:
            lines.append(f"  {self.uncoded_count} rows of the coding file have no code (skipped)")
        lines += self.model.evaluation.summary_lines()
        pooled = self.shares[self.shares[S.THREAD_ID] == S.POOLED]
        rows = pooled if len(pooled) else self.shares
        for side, part in rows.groupby(S.SIDE, sort=True):
            if int(part[S.N].max()) == 0:
                continue
            lines.append(
                f"predicted on {int(part['n'].max())} {side} units: "
                + ", ".join(f"{r.code!r} {r.share:.1%}" for r in part.itertuples())
            )
        if self.agreement is not None:
            a = self.agreement
            lines.append(
                f"agreement of the two coders on {a['n']} comments: Cohen's kappa "
                f"{a['kappa']:.3f} (95% CI {a['kappa_low']:.3f}-{a['kappa_high']:.3f}), "
                f"{a['percent_agreement']:.1%} identical"
            )
        if self.sample_path is not None:
            lines.append(f"second-coder sample -> {self.sample_path}")
        return lines


def classify_dir(
    in_dir: Path,
    labels_csv: Path,
    *,
    label: str,
    out_dir: Path | None = None,
    coders: tuple[str, str] | None = None,
    sample_size: int = 50,
    folds: int = 5,
    seed: int | None = config.SEED,
    csv: bool = False,
) -> ClassifyResult:
    """Train on the coding in ``labels_csv``, write the ``labels`` table and a second-coder sample.

    Args:
        in_dir: folder holding ``corpus.parquet``.
        labels_csv: the coding (see :mod:`.coding`).
        label: the coding column to train on.
        out_dir: where to write (default ``in_dir``): ``labels.parquet``,
            ``label_shares.parquet`` (article paragraphs vs comments, when the paragraphs
            table is there) and ``second_coder_<label>.csv``.
        coders: two columns of the coding file to compare (Cohen's kappa).
        sample_size: comments in the second-coder sample (0: none).
        folds: cross-validation folds.
        seed: the seed.
        csv: also write ``labels.csv``.

    Raises:
        InputError: a bad coding file (file and line named).
        StageInputError: too few codes, a ``coders`` column is missing, fewer than two folds
            or a negative sample size.
    """
    if folds < 2:
        raise StageInputError(f"classify: --folds must be 2 or more, got {folds}")
    if sample_size < 0:
        raise StageInputError(f"classify: --second-coder must be 0 or more, got {sample_size}")
    in_dir = Path(in_dir)
    out_dir = Path(out_dir) if out_dir is not None else in_dir
    stamp = read_fingerprint(in_dir)
    corpus = read_table("corpus", in_dir, fingerprint=stamp)
    coding = read_coding(labels_csv, corpus, label=label)
    model = train(coding.rows, label_name=label, folds=folds, seed=seed)
    labels = apply_model(model, corpus, coding)
    write_table(labels, S.LABELS, out_dir, csv=csv, fingerprint=stamp)
    paragraphs = read_table("paragraphs", in_dir, required=False, fingerprint=stamp)
    documents = read_table("documents", in_dir, required=False, fingerprint=stamp)
    shares = label_shares(model, labels, paragraphs, documents)
    write_table(shares, S.LABEL_SHARES, out_dir, csv=csv, fingerprint=stamp)
    agree = None
    if coders is not None:
        missing = [c for c in coders if c not in coding.rows.columns]
        if missing:
            raise StageInputError(f"{labels_csv}: no coder column(s) {missing} (--coders)")
        agree = agreement(coding.rows[coders[0]], coding.rows[coders[1]], seed=seed)
    path = None
    if sample_size > 0:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in label)
        path = out_dir / f"second_coder_{safe}.csv"
        sample = second_coder_sample(labels, corpus, n=sample_size, seed=seed)
        sample.to_csv(path, index=False, lineterminator="\n")
    return ClassifyResult(model, labels, shares, path, agree, coding.uncoded_count)


def hostility_dir(in_dir: Path, out_dir: Path | None = None, *, csv: bool = False) -> pd.DataFrame:
    """Score every document of ``in_dir``'s corpus and write the ``hostility`` table."""
    in_dir = Path(in_dir)
    out_dir = Path(out_dir) if out_dir is not None else in_dir
    stamp = read_fingerprint(in_dir)
    table = hostility_table(read_table("corpus", in_dir, fingerprint=stamp))
    write_table(table, S.HOSTILITY, out_dir, csv=csv, fingerprint=stamp)
    return table
