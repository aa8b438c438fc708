"""The entity-linking gold set is well formed: offsets give the surface, vocabularies hold, ids
exist, and the sample still equals what ingest makes of the dev data."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from analysis import config
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
