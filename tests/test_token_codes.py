"""analysis.compare.token_codes: whitespace tokens coded a chunk of texts at a time."""

from __future__ import annotations

import numpy as np

from analysis.compare import token_codes
from analysis.compare.token_codes import code_tokens


def test_codes_number_terms_in_order_of_first_appearance():
    vocab: dict[str, int] = {}
    sizes, codes = code_tokens(["b a b", None, "", "c a"], vocab)
    assert vocab == {"b": 0, "a": 1, "c": 2}
    assert sizes.tolist() == [3, 0, 0, 2]
    assert codes.tolist() == [0, 1, 0, 2, 1]


def test_a_vocabulary_given_in_is_extended_not_renumbered():
    vocab = {"z": 0}
    _, codes = code_tokens(["y z"], vocab)
    assert codes.tolist() == [1, 0]
    assert vocab == {"z": 0, "y": 1}


def test_texts_not_kept_have_no_tokens():
    vocab: dict[str, int] = {}
    sizes, codes = code_tokens(["a b", "c d", "e"], vocab, keep=np.array([True, False, True]))
    assert sizes.tolist() == [2, 0, 1]
    assert codes.tolist() == [0, 1, 2]
    assert "c" not in vocab


def test_chunk_boundaries_do_not_change_the_codes(monkeypatch):
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(40)]
    texts = [" ".join(rng.choice(words, size=rng.integers(0, 6))) for _ in range(101)]
    keep = rng.random(101) > 0.3
    whole = code_tokens(texts, {}, keep=keep)
    monkeypatch.setattr(token_codes, "CHUNK_ROWS", 7)
    chunked = code_tokens(texts, {}, keep=keep)
    assert np.array_equal(whole[0], chunked[0]) and np.array_equal(whole[1], chunked[1])
    assert int(whole[0].sum()) == len(whole[1]) > 0


def test_no_texts():
    sizes, codes = code_tokens([], {})
    assert sizes.dtype == codes.dtype == np.int64 and len(sizes) == len(codes) == 0
