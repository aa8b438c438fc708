"""Reading a researcher's coding, applying a model to every comment, second coders, agreement.

The coding file is a CSV with one row per coded comment: an id column (``doc_id``, or the source's
own ``source_id``) and one column per coding (``--label NAME``); other columns are kept for
agreement (``--coders A,B``). Rows with an empty code are not coded (counted and reported, not
trained on); an id that is not a comment of the corpus, a doc coded twice with different codes, or
a file without the named columns stops the run with an error naming the file and the line.

Agreement between two coders is Cohen's kappa (Cohen 1960; scikit-learn) on the rows both coded,
with a seeded percentile bootstrap 95% interval, beside the raw percent agreement.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from analysis import config
from analysis import schema as S
from analysis.classify.model import Model
from analysis.compare.scope import placeholder_ids
from analysis.compare.stats import wilson_share_ci
from analysis.errors import InputError

ID_COLUMNS = (S.DOC_ID, S.SOURCE_ID)
#: Leading characters a spreadsheet reads as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Coding:
    """The coded rows matched to the corpus."""

    rows: pd.DataFrame  # doc_id, thread_id, text, code, line, plus the other CSV columns
    uncoded_count: int
    path: Path


def _comments(corpus: pd.DataFrame) -> pd.DataFrame:
    rows = corpus[corpus[S.DOC_KIND] == S.COMMENT]
    return rows[~rows[S.DOC_ID].astype(str).isin(placeholder_ids(rows))]


def _read_records(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and ``(line, record)`` pairs of a UTF-8 CSV.

    Raises:
        InputError: the file is not UTF-8 text or not readable as CSV (the line is named).
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, "not UTF-8 text; expected a CSV with doc_id and codes", record=line
        ) from None
    records: list[tuple[int, dict]] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = list(reader.fieldnames or [])
        records = [(reader.line_num, rec) for rec in reader]
    except csv.Error as exc:
        raise InputError(path, f"not readable as CSV ({exc})", record=reader.line_num) from None
    if not header:
        raise InputError(path, "empty file; expected a header with doc_id and codes", record=1)
    return header, records


def read_coding(path: Path, corpus: pd.DataFrame, *, label: str) -> Coding:
    """Read the coding CSV and match its rows to the corpus comments.

    Returns:
        A :class:`Coding` whose ``rows`` hold ``doc_id``, ``thread_id``, ``text``, ``code`` (the
        ``label`` column as text), ``line`` (1-based line in the file) and the CSV's other columns.

    Raises:
        InputError: missing, empty or non-UTF-8 file, no id column, no ``label`` column, an id
            that is no comment of the corpus, or one document coded twice with different codes.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "coding file not found (expected a CSV with doc_id and codes)")
    header, records = _read_records(path)
    id_col = next((c for c in ID_COLUMNS if c in header), None)
    if id_col is None:
        raise InputError(path, f"expected a 'doc_id' or 'source_id' column; got {header}", record=1)
    if label not in header:
        raise InputError(path, f"no column {label!r} (--label); columns are {header}", record=1)
    comments = _comments(corpus)
    key = comments[id_col].astype("string")
    lookup = dict(zip(key, comments[S.DOC_ID].astype(str), strict=True))
    rows, uncoded, seen = [], 0, {}
    for line, rec in records:
        code = (rec.get(label) or "").strip()
        ident = (rec.get(id_col) or "").strip()
        if not code:
            uncoded += 1
            continue
        if ident not in lookup:
            raise InputError(
                path, f"{id_col} {ident!r} is not a comment of the corpus", record=line
            )
        doc = lookup[ident]
        if doc in seen and seen[doc] != code:
            raise InputError(path, f"{doc} is coded twice, {seen[doc]!r} and {code!r}", record=line)
        if doc in seen:
            continue
        seen[doc] = code
        rows.append({**rec, S.DOC_ID: doc, S.CODE: code, "line": line})
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=[S.DOC_ID, S.CODE, "line"])
    by_doc = comments.set_index(S.DOC_ID)
    frame[S.THREAD_ID] = frame[S.DOC_ID].map(by_doc[S.THREAD_ID])
    frame[S.TEXT] = frame[S.DOC_ID].map(by_doc[S.TEXT])
    return Coding(frame, uncoded, path)


def apply_model(model: Model, corpus: pd.DataFrame, coding: Coding) -> pd.DataFrame:
    """Predict a code for every comment of the corpus.

    Returns:
        The ``labels`` table (:data:`analysis.schema.LABELS`): for coded documents also the
        researcher's code and the out-of-fold prediction (``cv_predicted_code``), which is the
        one to compare with the coding; empty comments get no prediction.
    """
    comments = _comments(corpus)
    texts = comments[S.TEXT].astype("string").fillna("")
    proba = model.pipeline.predict_proba(texts.to_numpy(dtype=object))
    classes = list(model.pipeline.classes_)
    best = proba.argmax(axis=1)
    empty = (texts.str.strip() == "").to_numpy()
    out = pd.DataFrame(
        {
            S.THREAD_ID: comments[S.THREAD_ID].to_numpy(),
            S.DOC_ID: comments[S.DOC_ID].to_numpy(),
            S.LABEL_NAME: model.label_name,
            S.PREDICTED_CODE: pd.array(np.asarray(classes, dtype=object)[best], dtype="string"),
            S.PROBABILITY: proba.max(axis=1),
            S.POSITIVE_PROBABILITY: (
                proba[:, classes.index(model.positive)] if model.positive else np.nan
            ),
        }
    )
    out.loc[empty, [S.PREDICTED_CODE, S.PROBABILITY, S.POSITIVE_PROBABILITY]] = [
        pd.NA,
        np.nan,
        np.nan,
    ]
    coded = coding.rows.set_index(S.DOC_ID)
    out[S.CODED_CODE] = out[S.DOC_ID].map(coded[S.CODE])
    out[S.IN_TRAINING_SAMPLE] = out[S.DOC_ID].isin(model.trained_doc_ids)
    oof = pd.Series(model.evaluation.oof_code.to_numpy(), index=coding.rows[S.DOC_ID].to_numpy())
    out[S.CV_PREDICTED_CODE] = out[S.DOC_ID].map(oof)
    return S.LABELS.conform(out)


def neutralise_formula(text: object) -> object:
    """Prefix ``'`` to text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``)."""
    if isinstance(text, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def second_coder_sample(
    labels: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    n: int = 50,
    seed: int | None = config.SEED,
) -> pd.DataFrame:
    """A sample for a second coder, stratified by predicted code, not yet coded if possible.

    Each predicted code gets an equal share of ``n`` (fewer when it has fewer comments; the rest is
    filled from the other codes), drawn with ``seed``; comments already coded are used only when
    the uncoded ones run out. The predicted code is *not* in the export, so the second coder is
    not anchored by it.

    Returns:
        Columns ``doc_id``, ``thread_id``, ``text`` (formula-neutralised) and an empty
        ``second_code``, in a shuffled order.
    """
    pool = labels[labels[S.PREDICTED_CODE].notna()].copy()
    pool["_coded"] = pool[S.IN_TRAINING_SAMPLE].astype(bool)
    rng = np.random.default_rng(seed)
    pool["_r"] = rng.random(len(pool))
    pool = pool.sort_values(["_coded", "_r"])
    codes = sorted(pool[S.PREDICTED_CODE].astype(str).unique())
    quota = {
        c: n // max(1, len(codes)) + (1 if i < n % max(1, len(codes)) else 0)
        for i, c in enumerate(codes)
    }
    picked = []
    for c in codes:
        picked.append(pool[pool[S.PREDICTED_CODE] == c].head(quota[c]))
    chosen = pd.concat(picked) if picked else pool.head(0)
    if len(chosen) < n:
        rest = pool[~pool.index.isin(chosen.index)].head(n - len(chosen))
        chosen = pd.concat([chosen, rest])
    chosen = chosen.sort_values("_r")
    text = chosen[S.DOC_ID].map(_comments(corpus).set_index(S.DOC_ID)[S.TEXT])
    return pd.DataFrame(
        {
            S.DOC_ID: chosen[S.DOC_ID].to_numpy(),
            S.THREAD_ID: chosen[S.THREAD_ID].to_numpy(),
            S.TEXT: [neutralise_formula(t) for t in text],
            "second_code": "",
        }
    )


def agreement(
    first: pd.Series, second: pd.Series, *, seed: int | None = config.SEED, n_boot: int = 1000
) -> dict[str, float]:
    """Cohen's kappa and percent agreement on the rows both coders coded.

    Returns:
        ``{"n", "kappa", "kappa_low", "kappa_high", "percent_agreement"}``; kappa is NaN when
        fewer than two rows are coded by both or both coders used a single code.
    """
    a = first.astype("string").str.strip()
    b = second.astype("string").str.strip()
    both = a.notna() & b.notna() & (a != "") & (b != "")
    a, b = a[both].to_numpy(dtype=object), b[both].to_numpy(dtype=object)
    n = len(a)
    out = {"n": n, "kappa": np.nan, "kappa_low": np.nan, "kappa_high": np.nan}
    out["percent_agreement"] = float((a == b).mean()) if n else np.nan
    if n < 2 or len(set(a) | set(b)) < 2:
        return out
    out["kappa"] = float(cohen_kappa_score(a, b))
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_boot):
        idx = rng.integers(0, n, size=n)
        if len(set(a[idx]) | set(b[idx])) > 1:
            draws.append(cohen_kappa_score(a[idx], b[idx]))
    if draws:
        out["kappa_low"], out["kappa_high"] = (
            float(q) for q in np.nanquantile(draws, [0.025, 0.975])
        )
    return out


def _article_units(model: Model, paragraphs: pd.DataFrame | None) -> pd.DataFrame:
    """The model's code for each body paragraph of the articles (titles left out)."""
    cols = [S.THREAD_ID, S.PREDICTED_CODE, S.SIDE, S.DOC_ID]
    if paragraphs is None or paragraphs.empty:
        return pd.DataFrame(columns=cols)
    arts = paragraphs[
        paragraphs[S.DOC_ID].astype(str).str.endswith("/article")
        & ~paragraphs[S.IS_TITLE].fillna(False).astype(bool)
    ]
    if arts.empty:
        return pd.DataFrame(columns=cols)
    pred = model.pipeline.predict(arts[S.TEXT].astype("string").fillna("").to_numpy(object))
    return pd.DataFrame({S.THREAD_ID: arts[S.THREAD_ID].to_numpy(), S.PREDICTED_CODE: pred}).assign(
        side=S.SIDE_ARTICLE, **{S.DOC_ID: pd.NA}
    )


def label_shares(
    model: Model,
    labels: pd.DataFrame,
    paragraphs: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Shares of each predicted code among the article's body paragraphs and the comments.

    The model was trained on comments, so its predictions on article paragraphs (longer, edited
    prose) are less certain than the cross-validated figures say: read the article side as an
    indication. Title paragraphs are left out.

    Returns:
        The ``label_shares`` table (:data:`analysis.schema.LABEL_SHARES`), per thread and pooled;
        each share with its Wilson score 95% interval (NaN with fewer than two units).
    """
    sides = [labels[labels[S.PREDICTED_CODE].notna()].assign(side=S.SIDE_COMMENTS)]
    sides.append(_article_units(model, paragraphs))
    units = pd.concat(sides, ignore_index=True)
    if documents is not None and len(documents):
        units["compound"] = units[S.DOC_ID].map(documents.set_index(S.DOC_ID)[S.VADER_COMPOUND])
    else:
        units["compound"] = np.nan
    threads = sorted(units[S.THREAD_ID].astype(str).unique())
    scopes = [(t, units[units[S.THREAD_ID] == t]) for t in threads]
    if len(threads) > 1:
        scopes.append((S.POOLED, units))
    rows = []
    for thread, part in scopes:
        for side in (S.SIDE_ARTICLE, S.SIDE_COMMENTS):
            s = part[part[S.SIDE] == side]
            for code in model.classes:
                flags = (s[S.PREDICTED_CODE].astype(str) == code).to_numpy(dtype=float)
                low, high = wilson_share_ci(int(flags.sum()), len(s))
                with_code = s[flags.astype(bool)]
                rows.append(
                    {
                        S.THREAD_ID: thread,
                        S.LABEL_NAME: model.label_name,
                        S.CODE: code,
                        S.SIDE: side,
                        S.UNIT_COUNT: int(flags.sum()),
                        S.N: len(s),
                        S.SHARE: flags.mean() if len(s) else np.nan,
                        S.CI_LOW: low,
                        S.CI_HIGH: high,
                        S.COMPOUND_MEAN: (
                            float(with_code["compound"].mean())
                            if side == S.SIDE_COMMENTS and with_code["compound"].notna().any()
                            else np.nan
                        ),
                    }
                )
    return S.LABEL_SHARES.conform(pd.DataFrame(rows))
