"""Agreement between the two annotations of the linking gold set, and its counts.

Run from the repository root: ``PYTHONPATH=. python tools/linking_agreement.py``
(``--b annotations_b2.csv`` compares A with another second annotation; default
``annotations_b.csv``). Prints

- the gold set's counts (comments, comments with a mention, mentions by source, type and form);
- on the comments both annotators judged (the first ``--first`` sample comments): exact-span
  precision/recall/F1 of B against A; Cohen's kappa on the entity / not-entity decision over the
  union of both annotators' spans (undefined when nobody disagrees: every candidate there was
  marked by someone, so chance agreement is 1 when both mark all); a word-level kappa (every word of
  those comments labelled inside a mention or not by each annotator), which stays defined; and,
  on exactly matched spans, agreement of canonical name, type and form.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from tools.make_linking_sample import GOLD_DIR, read_rows

Span = tuple[str, int, int]
_WORD = re.compile(r"\w+", re.UNICODE)


def spans(rows: list[dict[str, str]], ids: set[str]) -> dict[Span, dict[str, str]]:
    """(sample_id, start, end) -> row, for rows of the given comments."""
    return {
        (r["sample_id"], int(r["start_char"]), int(r["end_char"])): r
        for r in rows
        if r["sample_id"] in ids
    }


def cohen_kappa(a: list[int], b: list[int]) -> float:
    """Cohen's kappa of two binary label lists (NaN when chance agreement is 1)."""
    n = len(a)
    if n == 0:
        return float("nan")
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return float("nan") if expected == 1 else (observed - expected) / (1 - expected)


def word_labels(text: str, marked: list[tuple[int, int]]) -> list[int]:
    """1 for each word of ``text`` inside a marked span, else 0."""
    return [
        int(any(s <= m.start() and m.end() <= e for s, e in marked)) for m in _WORD.finditer(text)
    ]


def agreement(
    texts: dict[str, str], rows_a: list[dict[str, str]], rows_b: list[dict[str, str]]
) -> dict[str, float]:
    """Span, kappa and attribute agreement of B against A on the comments in ``texts``.

    Returns:
        Keys ``n_a``, ``n_b``, ``matched``, ``precision``, ``recall``, ``f1``, ``kappa_union``,
        ``kappa_words``, ``canonical``, ``type``, ``form`` (shares of matched spans).
    """
    ids = set(texts)
    a, b = spans(rows_a, ids), spans(rows_b, ids)
    matched = sorted(set(a) & set(b))
    precision = len(matched) / len(b) if b else float("nan")
    recall = len(matched) / len(a) if a else float("nan")
    f1 = 2 * len(matched) / (len(a) + len(b)) if a or b else float("nan")
    union = sorted(set(a) | set(b))
    kappa_union = cohen_kappa([int(s in a) for s in union], [int(s in b) for s in union])
    words_a, words_b = [], []
    for sid, text in texts.items():
        words_a += word_labels(text, [(s, e) for i, s, e in a if i == sid])
        words_b += word_labels(text, [(s, e) for i, s, e in b if i == sid])

    def share(key: str) -> float:
        if not matched:
            return float("nan")
        return sum(a[s][key] == b[s][key] for s in matched) / len(matched)

    return {
        "n_a": len(a),
        "n_b": len(b),
        "matched": len(matched),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "kappa_union": kappa_union,
        "kappa_words": cohen_kappa(words_a, words_b),
        "canonical": share("canonical"),
        "type": share("type"),
        "form": share("form"),
    }


def counts(sample: list[dict[str, str]], rows: list[dict[str, str]]) -> list[str]:
    """Lines describing the gold set's size."""
    source_of = {r["sample_id"]: r["source"] for r in sample}
    with_mention = {r["sample_id"] for r in rows}
    lines = [
        f"comments: {len(sample)} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(Counter(source_of.values()).items()))}); "
        f"with at least one mention: {len(with_mention)}; mentions: {len(rows)}"
    ]
    by_source = Counter(source_of[r["sample_id"]] for r in rows)
    lines.append(
        "mentions by source: " + ", ".join(f"{k} {v}" for k, v in sorted(by_source.items()))
    )
    for key in ("type", "form"):
        c = Counter(r[key] for r in rows)
        lines.append(f"mentions by {key}: " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    lines.append(f"distinct canonical entities: {len({r['canonical'] for r in rows})}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the counts and the agreement figures; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR)
    parser.add_argument("--first", type=int, default=50, help="comments both annotators judged")
    parser.add_argument(
        "--b",
        default="annotations_b.csv",
        help="the second annotation, a file name in --gold (e.g. annotations_b2.csv)",
    )
    args = parser.parse_args(argv)
    sample = read_rows(args.gold / "sample.csv")
    rows_a = read_rows(args.gold / "annotations_a.csv")
    rows_b = read_rows(args.gold / args.b)
    print("\n".join(counts(sample, rows_a)))
    texts = {r["sample_id"]: r["text"] for r in sample[: args.first]}
    fig = agreement(texts, rows_a, rows_b)
    print(
        f"double-annotated comments: {len(texts)}; spans A {fig['n_a']}, B {fig['n_b']}, "
        f"exact matches {fig['matched']}"
    )
    print(
        f"exact-span agreement (B against A): precision {fig['precision']:.3f}, "
        f"recall {fig['recall']:.3f}, F1 {fig['f1']:.3f}"
    )
    print(
        f"Cohen's kappa, entity/not-entity over the union of spans: {fig['kappa_union']:.3f} "
        "(nan = no disagreement to measure)"
    )
    print(f"Cohen's kappa, word inside a mention or not: {fig['kappa_words']:.3f}")
    print(
        f"on matched spans: canonical {fig['canonical']:.3f}, type {fig['type']:.3f}, "
        f"form {fig['form']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
