"""The entity-linking gold set is well formed: offsets give the surface, vocabularies hold, ids
exist, and the sample still equals what ingest makes of the dev data."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import pytest

from analysis import config
from tools import linking_agreement as agreement
from tools import make_linking_sample as gold

GOLD = config.ROOT / "tests" / "gold" / "linking"
ANNOTATION_FILES = sorted(GOLD.glob("annotations_*.csv"))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_sample_ids_are_unique_and_texts_non_empty() -> None:
    rows = _rows(gold.SAMPLE_FILE)
    assert len(rows) >= 150
    ids = [r["sample_id"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert all(r["text"].strip() for r in rows)
    assert {r["source"] for r in rows} == {"fox_news", "youtube_spam"}


@pytest.mark.parametrize("path", ANNOTATION_FILES, ids=lambda p: p.name)
def test_annotation_rows_are_valid(path: Path) -> None:
    texts = gold.read_sample()
    rows = _rows(path)
    assert rows, f"{path.name} has no rows"
    assert tuple(rows[0]) == gold.ANNOTATION_COLUMNS
    assert gold.check_rows(texts, rows, path.name) == []


def test_check_rows_reports_bad_offsets_vocabulary_ids_and_overlaps() -> None:
    texts = {f"g00{i}": "Obama and Merkel" for i in range(1, 5)}
    good = dict(
        sample_id="g001",
        start_char="0",
        end_char="5",
        surface="Obama",
        canonical="Barack Obama",
        type="person",
        form="standard",
        note="",
    )
    assert gold.check_rows(texts, [good], "x") == []
    problems = gold.check_rows(
        texts,
        [
            {**good, "end_char": "4"},
            {**good, "sample_id": "g002", "type": "human"},
            {**good, "sample_id": "g003", "form": "caps"},
            {**good, "sample_id": "g999"},
            {**good, "sample_id": "g004"},
            {**good, "sample_id": "g004", "start_char": "3", "end_char": "8", "surface": "ma an"},
        ],
        "x",
    )
    assert problems == [
        "x:2: text[0:4] is not 'Obama'",
        f"x:3: type 'human' not in {sorted(gold.TYPES)}",
        f"x:4: form 'caps' not in {sorted(gold.FORMS)}",
        "x:5: unknown sample_id 'g999'",
        "x:7: span 3-8 overlaps 0-5 in g004",
    ]


def test_occurrences_ignore_matches_inside_words() -> None:
    assert gold._occurrences("US in USA, us, US.", "US") == [0, 15]


def test_sample_matches_the_dev_data() -> None:
    """The stored texts are what ingest's normalisation makes of the dev files today."""
    if not gold.FOX_FILE.exists() or not gold.YOUTUBE_DIR.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"dev data missing under {gold.DEVDATA}")
        pytest.skip("dev data not present")
    drawn = gold.draw_sample()
    stored = _rows(gold.SAMPLE_FILE)
    assert [dict(r) for r in stored] == drawn


def test_both_annotators_present() -> None:
    names = {p.name for p in ANNOTATION_FILES}
    assert {"annotations_a.csv", "annotations_b.csv", "annotations_b2.csv"} <= names


@pytest.mark.parametrize(("draft", "n_first"), [("a.txt", None), ("b.txt", 50), ("b2.txt", 50)])
def test_drafts_judge_every_comment_they_cover(draft: str, n_first: int | None) -> None:
    """A judged every sample comment, B and B2 the first 50: each id has a draft line (no row =
    judged "no entity", not skipped)."""
    ids = list(gold.read_sample())
    judged = {fields[0] for _, fields in gold.read_draft(GOLD / "drafts" / draft)}
    assert judged == set(ids[:n_first])


@pytest.mark.parametrize("name", ["a", "b", "b2"])
def test_annotation_tables_are_what_the_drafts_place(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"annotations_{name}.csv"
    assert gold.place(GOLD / "drafts" / f"{name}.txt", out) == 0
    assert out.read_text(encoding="utf-8") == (GOLD / f"annotations_{name}.csv").read_text(
        encoding="utf-8"
    )


def _row(sid: str, start: int, end: int, text: str, canonical: str = "X") -> dict[str, str]:
    return dict(
        sample_id=sid,
        start_char=str(start),
        end_char=str(end),
        surface=text[start:end],
        canonical=canonical,
        type="person",
        form="standard",
        note="",
    )


def test_agreement_known_answer() -> None:
    text = "Obama met Merkel in Berlin"
    texts = {"g001": text}
    a = [_row("g001", 0, 5, text, "Barack Obama"), _row("g001", 10, 16, text, "Angela Merkel")]
    b = [_row("g001", 0, 5, text, "Obama"), _row("g001", 20, 26, text, "Berlin")]
    fig = agreement.agreement(texts, a, b)
    assert fig["matched"] == 1
    assert fig["precision"] == fig["recall"] == fig["f1"] == 0.5
    assert fig["canonical"] == 0.0 and fig["type"] == 1.0
    # union of spans: A = [1, 1, 0], B = [1, 0, 1]; observed 1/3, chance 2/3*2/3 + 1/3*1/3 = 5/9
    assert fig["kappa_union"] == pytest.approx((1 / 3 - 5 / 9) / (1 - 5 / 9))
    # words Obama met Merkel in Berlin: A 1 0 1 0 0, B 1 0 0 0 1 -> observed 3/5, chance 13/25
    assert fig["kappa_words"] == pytest.approx((3 / 5 - 13 / 25) / (1 - 13 / 25))


def test_agreement_cli_reads_the_second_annotation_named_by_b(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--b`` picks the second annotator's file; without it the tool reads annotations_b.csv."""
    text = "Obama met Merkel in Berlin"
    gold.write_rows(
        tmp_path / "sample.csv",
        gold.SAMPLE_COLUMNS,
        [dict(sample_id="g001", source="fox_news", thread_key="t", source_ref="1", text=text)],
    )
    obama, merkel, berlin = (_row("g001", s, e, text) for s, e in [(0, 5), (10, 16), (20, 26)])
    gold.write_rows(tmp_path / "annotations_a.csv", gold.ANNOTATION_COLUMNS, [obama, merkel])
    gold.write_rows(tmp_path / "annotations_b.csv", gold.ANNOTATION_COLUMNS, [obama])
    gold.write_rows(tmp_path / "annotations_b2.csv", gold.ANNOTATION_COLUMNS, [obama, berlin])
    agreement.main(["--gold", str(tmp_path)])
    assert "spans A 2, B 1, exact matches 1" in capsys.readouterr().out
    agreement.main(["--gold", str(tmp_path), "--b", "annotations_b2.csv"])
    out = capsys.readouterr().out
    assert "spans A 2, B 2, exact matches 1" in out
    assert "precision 0.500, recall 0.500, F1 0.500" in out


def test_kappa_is_undefined_without_variation() -> None:
    assert math.isnan(agreement.cohen_kappa([1, 1], [1, 1]))
    assert agreement.cohen_kappa([1, 0], [1, 0]) == 1.0


def test_sample_texts_equal_the_corpus_text_a_user_gets(tmp_path: Path) -> None:
    """Ingesting the dev files as a user would (the YouTube CSVs as they are; the Fox News JSON
    lines written out as one CSV per title) gives every sampled text in the corpus ``text``."""
    if not gold.FOX_FILE.exists() or not gold.YOUTUBE_DIR.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"dev data missing under {gold.DEVDATA}")
        pytest.skip("dev data not present")
    from analysis.ingest.stage import ingest_paths

    by_title: dict[str, list[str]] = {}
    with gold.FOX_FILE.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            by_title.setdefault(rec["title"], []).append(rec["text"])
    inputs = sorted(gold.YOUTUBE_DIR.glob("*.csv"))
    for i, texts in enumerate(by_title.values()):
        path = tmp_path / f"fox{i}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["text"])
            writer.writerows([t] for t in texts)
        inputs.append(path)
    articles = []
    for path in inputs:
        article = tmp_path / f"{path.stem}.article.txt"
        article.write_text("A title\n\nA paragraph.\n", encoding="utf-8")
        articles.append(article)
    corpus = ingest_paths(inputs, articles=articles).corpus
    in_corpus = set(corpus["text"])
    missing = [r["sample_id"] for r in _rows(gold.SAMPLE_FILE) if r["text"] not in in_corpus]
    assert missing == []


def test_judged_non_mentions_are_valid_and_reproducible(tmp_path: Path) -> None:
    texts = gold.read_sample()
    stored = GOLD / "not_entities_a.csv"
    rows = _rows(stored)
    assert rows and tuple(rows[0]) == gold.NEGATIVE_COLUMNS
    assert gold.check_negatives(texts, rows, _rows(GOLD / "annotations_a.csv")) == []
    out = tmp_path / "not_entities_a.csv"
    assert gold.place_negatives(GOLD / "drafts" / "a_not_entities.txt", out) == 0
    assert out.read_text(encoding="utf-8") == stored.read_text(encoding="utf-8")


def test_check_negatives_refuses_a_span_that_is_also_a_mention() -> None:
    texts = {"g001": "Obama and God"}
    mention = _row("g001", 0, 5, texts["g001"])
    negative = dict(sample_id="g001", start_char="0", end_char="5", surface="Obama", reason="x")
    fine = dict(sample_id="g001", start_char="10", end_char="13", surface="God", reason="deity")
    assert gold.check_negatives(texts, [fine], [mention]) == []
    assert gold.check_negatives(texts, [negative], [mention]) == [
        "non-mentions:2: 'Obama' overlaps a mention in g001"
    ]


@pytest.mark.parametrize("path", ANNOTATION_FILES, ids=lambda p: p.name)
def test_no_gold_mention_lies_inside_a_link(path: Path) -> None:
    """The guide's rule: nothing inside a URL, bare domain, e-mail address, @handle or hashtag is
    a mention (a draft line must pick the prose occurrence with ``@n``)."""
    from analysis.linking.noise import noise_spans

    texts = gold.read_sample()
    inside = [
        (r["sample_id"], r["surface"])
        for r in _rows(path)
        if r["start_char"]
        and any(
            a < int(r["end_char"]) and int(r["start_char"]) < b
            for a, b in noise_spans(texts[r["sample_id"]])
        )
    ]
    assert not inside, inside
