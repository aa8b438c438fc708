"""Pieces of the annotation engine made faster: each gives what the plain version gave.

(The tables of the whole step are compared across schedulers and partitionings in
``tests/test_annotate.py`` and ``tests/test_annotate_scale.py``.)
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from analysis.annotate import components
from analysis.annotate.build import _mean
from analysis.annotate.cache import encode_record, is_record
from analysis.annotate.longtext import MAX_RUN, TEXT_KEY, doc_text
from analysis.annotate.parse import encoded_partition, parse_partition, partition_sizes

TEXTS = [
    "Putin met Bennett in Sochi. The talks were long!",
    "Israel wants Russia to restrain Iran 🇮🇱🇷🇺 in Syria.\n\nNobody expects a deal?",
    "Long Live Russia🇷🇺.",
    "😂" * (MAX_RUN + 40) + " funny, isn’t it…",
    "Bonjour à tous, je pense que cette décision est une grave erreur du gouvernement.",
    "  leading and trailing spaces  ",
]


# ----------------------------------------------------------------------- partition sizes
@pytest.mark.parametrize(
    ("n", "size", "workers", "expected"),
    [
        (0, 64, 2, []),
        (5, 64, 1, [5]),
        (130, 64, 1, [64, 64, 2]),
        (130, 64, 2, [2] + [16] * 8),
        (200, 64, 2, [64, 8] + [16] * 8),
        (10, 2, 3, [2, 2] + [1] * 6),
    ],
)
def test_partition_sizes_cut_the_last_partitions_smaller_for_parallel_workers(
    n: int, size: int, workers: int, expected: list[int]
) -> None:
    assert partition_sizes(n, size=size, workers=workers) == expected


def test_partition_sizes_cover_every_text_once() -> None:
    rng = random.Random(0)
    for _ in range(300):
        n, batch, workers = rng.randrange(0, 3000), rng.randrange(1, 200), rng.randrange(1, 5)
        sizes = partition_sizes(n, size=batch, workers=workers)
        assert sum(sizes) == n and all(0 < s <= batch for s in sizes)


# ------------------------------------------------------------------------ record checks
GOOD = {
    "lang": "en",
    "lang_score": 0.9,
    "lang_rule": "detected",
    "tokens": 3,
    "words": 2,
    "vader": [0.0, 1.0, 0.0, 0.0],
    "sents": [[0, 5, 2, "a b", 0.0, 1.0, 0.0, 0.0, "a b"]],
    "ents": [[0, 3, "GPE"]],
    "cands": [[0, 3, "PROPN", "Foo"], [4, 7, "NOUN", "bar"]],
}


@pytest.mark.parametrize(
    ("change", "ok"),
    [
        ({}, True),
        ({"sents": [], "ents": [], "cands": []}, True),
        ({"lang": "fr", "vader": None, "sents": []}, True),
        ({"vader": None}, False),  # English without VADER
        ({"sents": [[0, 5, 2]]}, False),  # short row
        ({"ents": [[0, 3, "GPE"], [1, 2, "ORG", "x"]]}, False),  # one long row among good ones
        ({"cands": [(0, 3, "PROPN", "Foo")]}, False),  # a tuple is not a JSON row
        ({"cands": [[0, 3, "PROPN", "Foo"], "row"]}, False),
        ({"ents": "GPE"}, False),
        ({"tokens": "3"}, False),
    ],
)
def test_is_record_accepts_only_record_shapes(change: dict, ok: bool) -> None:
    assert is_record({**GOOD, **change}) is ok


def test_is_record_rejects_missing_keys_and_non_dicts() -> None:
    assert not is_record({k: v for k, v in GOOD.items() if k != "cands"})
    assert not is_record([GOOD])
    assert not is_record(None)


# --------------------------------------------------------------------- document mean
def test_mean_is_numpys_bit_for_bit() -> None:
    rng = random.Random(1)
    for n in range(1, 30):
        for _ in range(500):
            values = [
                rng.choice((rng.uniform(-1, 1), round(rng.uniform(-1, 1), 4))) for _ in range(n)
            ]
            assert _mean(values) == float(np.mean(values))


# ------------------------------------------------------------ the text kept by the tokenizer
def test_tokenizer_keeps_the_text_and_records_do_not_depend_on_it() -> None:
    nlp = components.annotation_pipeline()
    for text in TEXTS:
        kept = nlp(text)
        assert kept.user_data[TEXT_KEY] == kept.text == doc_text(kept) == text
        plain = nlp.make_doc(text)
        del plain.user_data[TEXT_KEY]  # the components fall back to doc.text
        plain = nlp(plain)
        assert TEXT_KEY not in plain.user_data
        assert [t.text for t in plain] == [t.text for t in kept]
        assert encode_record(plain.user_data[components.RECORD_KEY]) == encode_record(
            kept.user_data[components.RECORD_KEY]
        )


# -------------------------------------------------------------------- encoded partitions
def test_encoded_partition_decodes_to_the_records() -> None:
    encoded = encoded_partition(TEXTS, batch_size=2)
    assert all(isinstance(e, str) for e in encoded)
    decoded = [json.loads(e) for e in encoded]
    assert all(is_record(r) for r in decoded)
    records = parse_partition(TEXTS, batch_size=4)
    assert [r["lang"] for r in decoded] == [r["lang"] for r in records]
    assert [r["sents"] for r in decoded] == [r["sents"] for r in records]
    assert [r["vader"] for r in decoded] == [r["vader"] for r in records]
    assert [r["ents"] for r in decoded] == [r["ents"] for r in records]


# ------------------------------------------------------------------------- frozen heap
def test_frozen_heap_freezes_for_the_block_and_leaves_a_callers_freeze_alone() -> None:
    import gc

    from analysis.annotate.parse import frozen_heap

    assert gc.get_freeze_count() == 0
    with frozen_heap():
        assert gc.get_freeze_count() > 0
        with frozen_heap():  # nested: still frozen, and not unfrozen by the inner block
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a caller's own freeze is neither extended nor undone
    try:
        before = gc.get_freeze_count()
        with frozen_heap():
            assert gc.get_freeze_count() == before
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()
