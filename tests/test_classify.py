"""Classifier from a researcher's coding: reading, training, applying, sampling, agreement."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from conversation_factories import combine, make_conversation

from analysis import schema as S
from analysis.classify import classify_dir
from analysis.classify.coding import (
    agreement,
    apply_model,
    neutralise_formula,
    read_coding,
    second_coder_sample,
)
from analysis.classify.model import cross_validate, positive_code, train
from analysis.cli import main
from analysis.errors import InputError, StageInputError
from analysis.tables import write_table

RNG = np.random.default_rng(7)
ANGRY = ["awful", "disgusting", "shameful", "terrible", "outrageous", "corrupt"]
CALM = ["thanks", "helpful", "interesting", "agree", "informative", "useful"]
FILLER = ["the", "article", "council", "today", "report", "city", "plan", "vote"]


def _text(words: list[str], i: int) -> str:
    picks = list(RNG.choice(FILLER, size=5)) + [words[i % len(words)], words[(i + 2) % len(words)]]
    return " ".join(picks)


def _corpus(n_per_thread: int = 30, threads: tuple[str, ...] = ("t1", "t2", "t3")):
    """Threads whose comments alternate angry (code 'yes') and calm ('no') vocabulary."""
    parts = []
    for t in threads:
        comments = [
            {"text": _text(ANGRY if i % 2 else CALM, i), "compound": 0.0}
            for i in range(n_per_thread)
        ]
        parts.append(make_conversation(comments, thread_id=t))
    corpus, _ = combine(*parts)
    return corpus


def _coding(corpus: pd.DataFrame, *, every: int = 1) -> pd.DataFrame:
    com = corpus[corpus[S.DOC_KIND] == S.COMMENT].iloc[::every]
    code = np.where(com["text"].str.contains("|".join(ANGRY)), "yes", "no")
    return pd.DataFrame({"doc_id": com["doc_id"].to_numpy(), "hostile": code})


def test_positive_code():
    assert positive_code(pd.Series(["0", "1", "0"])) == "1"
    assert positive_code(pd.Series(["no", "yes"])) == "yes"
    assert positive_code(pd.Series(["civil", "uncivil", "civil"])) == "uncivil"  # rarer
    assert positive_code(pd.Series(["a", "b", "c"])) is None


def test_learnable_coding_scores_high_on_held_out_threads():
    corpus = _corpus()
    coded = _coding(corpus).merge(corpus[["doc_id", "thread_id", "text"]], on="doc_id")
    coded = coded.rename(columns={"hostile": "code"})
    ev = cross_validate(coded["text"], coded["code"], groups=coded["thread_id"], folds=5)
    assert ev.fold_kind == "thread" and ev.folds == 3
    assert ev.roc_auc > 0.9
    assert ev.roc_auc_ci[0] <= ev.roc_auc <= ev.roc_auc_ci[1]
    assert set(ev.per_code["code"]) == {"no", "yes"}


def test_random_codes_score_near_chance():
    corpus = _corpus()
    coded = corpus[corpus[S.DOC_KIND] == S.COMMENT][["doc_id", "thread_id", "text"]].copy()
    coded["code"] = np.random.default_rng(3).choice(["a", "b"], size=len(coded))
    ev = cross_validate(coded["text"], coded["code"], groups=coded["thread_id"])
    assert 0.2 < ev.roc_auc < 0.8  # no signal: near 0.5, well below the learnable case


def test_too_few_codes_is_a_clear_error():
    with pytest.raises(StageInputError, match="at least two codes"):
        cross_validate(pd.Series(["a b", "c d", "e f"]), pd.Series(["x", "x", "y"]))


def test_apply_marks_training_sample_and_out_of_fold(tmp_path):
    corpus = _corpus()
    path = tmp_path / "coded.csv"
    _coding(corpus, every=3).to_csv(path, index=False)
    coding = read_coding(path, corpus, label="hostile")
    model = train(coding.rows, label_name="hostile")
    labels = apply_model(model, corpus, coding)
    assert list(labels.columns) == S.LABELS.names
    n_comments = int((corpus[S.DOC_KIND] == S.COMMENT).sum())
    assert len(labels) == n_comments
    assert labels["in_training_sample"].sum() == len(coding.rows)
    assert labels.loc[labels["in_training_sample"], "cv_predicted_code"].notna().all()
    assert labels.loc[~labels["in_training_sample"], "cv_predicted_code"].isna().all()
    uncoded = labels[~labels["in_training_sample"]]
    truth = np.where(
        corpus.set_index("doc_id").loc[uncoded["doc_id"], "text"].str.contains("|".join(ANGRY)),
        "yes",
        "no",
    )
    assert (uncoded["predicted_code"].to_numpy() == truth).mean() > 0.9
    assert labels["positive_probability"].between(0, 1).all()


def test_coding_file_errors_name_the_line(tmp_path):
    corpus = _corpus(n_per_thread=4, threads=("t1",))
    path = tmp_path / "coded.csv"
    path.write_text("doc_id,hostile\nt1/c1,yes\nt1/c99,no\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"coded\.csv, line 3: doc_id 't1/c99' is not a comment"):
        read_coding(path, corpus, label="hostile")
    path.write_text("doc_id,hostile\nt1/c1,yes\nt1/c1,no\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3: t1/c1 is coded twice"):
        read_coding(path, corpus, label="hostile")
    path.write_text("doc_id,other\nt1/c1,yes\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'hostile'"):
        read_coding(path, corpus, label="hostile")
    path.write_text("id,hostile\nt1/c1,yes\n", encoding="utf-8")
    with pytest.raises(InputError, match="'doc_id' or 'source_id'"):
        read_coding(path, corpus, label="hostile")
    path.write_text("doc_id,hostile\nt1/c1,yes\nt1/c2,\n", encoding="utf-8")
    assert read_coding(path, corpus, label="hostile").uncoded_count == 1


def test_second_coder_sample_is_stratified_and_prefers_uncoded():
    labels = pd.DataFrame(
        {
            S.THREAD_ID: "t1",
            S.DOC_ID: [f"t1/c{i}" for i in range(1, 41)],
            "predicted_code": ["yes"] * 8 + ["no"] * 32,
            "in_training_sample": [i % 2 == 0 for i in range(40)],
        }
    )
    corpus = pd.DataFrame(
        {
            S.THREAD_ID: "t1",
            S.DOC_ID: labels[S.DOC_ID],
            S.DOC_KIND: S.COMMENT,
            S.TEXT: ["=HYPERLINK(x)"] + ["fine"] * 39,
        }
    )
    sample = second_coder_sample(labels, corpus, n=10, seed=1)
    assert len(sample) == 10 and sample["doc_id"].is_unique
    codes = labels.set_index(S.DOC_ID).loc[sample["doc_id"], "predicted_code"]
    assert (codes == "yes").sum() == 5  # equal shares, not the 20% base rate
    assert "predicted_code" not in sample.columns
    assert (sample["second_code"] == "").all()
    again = second_coder_sample(labels, corpus, n=10, seed=1)
    assert sample["doc_id"].tolist() == again["doc_id"].tolist()
    assert neutralise_formula("=HYPERLINK(x)") == "'=HYPERLINK(x)"


def test_agreement_known_kappa():
    a = pd.Series(["y", "y", "n", "n", "y", "n", "n", "n", None, "y"])
    b = pd.Series(["y", "n", "n", "n", "y", "n", "y", "n", "y", ""])
    out = agreement(a, b)
    # 8 rows coded by both; 6 agree; p_o = 0.75; a: y 3/8, b: y 3/8 -> p_e = 0.53125
    assert out["n"] == 8
    assert out["percent_agreement"] == pytest.approx(0.75)
    assert out["kappa"] == pytest.approx((0.75 - 0.53125) / (1 - 0.53125))
    assert out["kappa_low"] <= out["kappa"] <= out["kappa_high"]
    assert np.isnan(agreement(pd.Series(["y"]), pd.Series(["y"]))["kappa"])


def test_classify_command_end_to_end(tmp_path, capsys):
    corpus = _corpus()
    write_table(corpus, S.CORPUS, tmp_path)
    coded = _coding(corpus, every=3)
    coded["coder_b"] = coded["hostile"]
    coded.loc[coded.index[:3], "coder_b"] = "no"
    coded.to_csv(tmp_path / "coded.csv", index=False)
    status = main(
        [
            "classify",
            "--in",
            str(tmp_path),
            "--labels",
            str(tmp_path / "coded.csv"),
            "--label",
            "hostile",
            "--coders",
            "hostile,coder_b",
            "--second-coder",
            "12",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "ROC AUC" in out and "Cohen's kappa" in out
    assert (tmp_path / "labels.parquet").is_file()
    assert len(pd.read_csv(tmp_path / "second_coder_hostile.csv")) == 12


def test_classify_command_bad_file_is_one_line(tmp_path, capsys):
    corpus = _corpus(n_per_thread=4, threads=("t1",))
    write_table(corpus, S.CORPUS, tmp_path)
    (tmp_path / "coded.csv").write_text("doc_id,x\nt1/c7,1\n", encoding="utf-8")
    status = main(
        ["classify", "--in", str(tmp_path), "--labels", str(tmp_path / "coded.csv"), "--label", "x"]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and "line 2" in err[0]


def test_classify_dir_without_coders(tmp_path):
    corpus = _corpus(n_per_thread=10, threads=("t1",))
    write_table(corpus, S.CORPUS, tmp_path)
    _coding(corpus).to_csv(tmp_path / "c.csv", index=False)
    result = classify_dir(tmp_path, tmp_path / "c.csv", label="hostile", sample_size=0)
    assert result.agreement is None and result.sample_path is None
    assert result.model.evaluation.fold_kind == "stratified"


def test_label_shares_article_vs_comments(tmp_path):
    from analysis.classify.coding import label_shares

    corpus = _corpus(threads=("t1",))
    path = tmp_path / "coded.csv"
    _coding(corpus).to_csv(path, index=False)
    coding = read_coding(path, corpus, label="hostile")
    model = train(coding.rows, label_name="hostile")
    labels = apply_model(model, corpus, coding)
    paragraphs = pd.DataFrame(
        {
            S.THREAD_ID: "t1",
            S.DOC_ID: "t1/article",
            "is_title": [True, False, False, False],
            S.TEXT: [
                "awful disgusting headline",
                "the council report today " + " ".join(ANGRY),
                "the city plan vote " + " ".join(CALM),
                "the article today " + " ".join(CALM),
            ],
        }
    )
    docs = make_conversation([{"compound": 0.0}])[1]
    shares = label_shares(model, labels, paragraphs, docs).set_index([S.SIDE, "code"])
    assert shares.loc[("article", "yes"), "unit_count"] == 1  # the title is left out
    assert shares.loc[("article", "yes"), "n"] == 3
    assert shares.loc[("comments", "yes"), "share"] == pytest.approx(0.5)
    assert shares.loc[("comments", "yes"), "n"] == 30


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"doc_id,x\nt1/c1,1\n\xff\xfe,0\n", r"coded\.csv, line 3: not UTF-8 text"),
        (b"", r"coded\.csv, line 1: empty file"),
    ],
)
def test_unreadable_coding_file_is_one_line_exit_2(tmp_path, capsys, content, expected):
    corpus = _corpus(n_per_thread=4, threads=("t1",))
    write_table(corpus, S.CORPUS, tmp_path)
    (tmp_path / "coded.csv").write_bytes(content)
    status = main(
        ["classify", "--in", str(tmp_path), "--labels", str(tmp_path / "coded.csv"), "--label", "x"]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1
    assert re.search(expected, err[0]), err[0]


def test_bad_fold_count_is_an_input_error(tmp_path, capsys):
    corpus = _corpus(n_per_thread=10, threads=("t1",))
    write_table(corpus, S.CORPUS, tmp_path)
    _coding(corpus).to_csv(tmp_path / "c.csv", index=False)
    args = ["classify", "--in", str(tmp_path), "--labels", str(tmp_path / "c.csv")]
    status = main([*args, "--label", "hostile", "--folds", "1"])
    err = capsys.readouterr().err
    assert status == 2 and "--folds must be 2 or more" in err
