"""Keyness at thread scale on the five Fox News dev threads (printed figures, not a timed test).

For each thread (article = title + meta, as a user would build it; see :mod:`bench.foxdev`):

1. article vs comments, the stage's own comparison: distinctive terms per side, and the ceiling
   (the largest z any comment term could reach against an article this short);
2. the comments of the thread vs the comments of the other four threads (both sides long): does
   the method find the thread's own terms? Beside a plain baseline: the top terms by raw count;
3. null: the thread's comments split into two random halves, 20 times: share of terms past
   |z| > 1.96 (target: at most 5%).

Run: ``PYTHONPATH=. .venv/bin/python bench/eval_keyness.py``
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from analysis import config
from analysis import schema as S
from analysis.compare.keyness import (
    Z_THRESHOLD,
    comment_side_ceiling,
    keyness_table,
    lemma_counts,
    log_odds_dirichlet,
)
from analysis.compare.scope import usable_doc_ids
from bench.foxdev import fox_records, fox_tables, thread_titles

N_NULL = 20


def _counts(sents, doc_ids) -> Counter:
    out: Counter = Counter()
    for doc, lemmas in zip(sents[S.DOC_ID], sents["lemmas"], strict=True):
        if doc in doc_ids and isinstance(lemmas, str):
            out.update(lemmas.split())
    return out


def main() -> None:
    tables = fox_tables(until="annotate")
    sents, docs = tables["sentences"], tables["documents"]
    usable = usable_doc_ids(docs)
    sents = sents[sents[S.DOC_ID].astype(str).isin(usable)]
    titles = thread_titles(fox_records())
    key = keyness_table(tables["sentences"], docs)
    rng = np.random.default_rng(config.SEED)
    print("Keyness (Monroe et al. 2008, pooled prior, alpha0 = half the smaller side)\n")
    for thread, title in titles.items():
        k = key[key[S.THREAD_ID] == thread]
        art, com = lemma_counts(sents[sents[S.THREAD_ID] == thread])
        n_com = (k[S.SIDE] == S.SIDE_COMMENTS).sum()
        n_art = (k[S.SIDE] == S.SIDE_ARTICLE).sum()
        print(f"{thread}: {title[:70]}")
        print(
            f"  1. article ({sum(art.values())} lemmas) vs comments ({sum(com.values())}): "
            f"{n_com} comment-side, {n_art} article-side terms; comment-side ceiling "
            f"z = {comment_side_ceiling(k):.2f}; max comment z = {k['z_score'].max():.2f}"
        )
        mine = set(
            docs.loc[(docs[S.THREAD_ID] == thread) & (docs[S.DOC_KIND] == S.COMMENT), S.DOC_ID]
        )
        rest = set(
            docs.loc[(docs[S.THREAD_ID] != thread) & (docs[S.DOC_KIND] == S.COMMENT), S.DOC_ID]
        )
        here, there = _counts(sents, mine & usable), _counts(sents, rest & usable)
        table = log_odds_dirichlet(there, here)
        top = table[table[S.SIDE] == S.SIDE_COMMENTS].head(8)
        raw = [t for t, _ in here.most_common(8)]
        print(
            f"  2. its comments vs the other threads' comments: "
            f"{(table[S.SIDE] == S.SIDE_COMMENTS).sum()} distinctive terms; top: "
            + ", ".join(f"{t} ({z:.1f})" for t, z in zip(top["term"], top["z_score"], strict=True))
        )
        print(f"     baseline, most frequent comment lemmas: {', '.join(raw)}")
        ids = sorted(mine & usable)
        shares = []
        for _ in range(N_NULL):
            perm = rng.permutation(ids)
            half = set(perm[: len(ids) // 2])
            a, b = _counts(sents, half), _counts(sents, set(ids) - half)
            z = log_odds_dirichlet(a, b)["z_score"].abs()
            shares.append(float((z > Z_THRESHOLD).mean()))
        print(
            f"  3. null, random halves of its comments ({N_NULL} splits): share past |z| > 1.96 "
            f"mean {np.mean(shares):.4f}, max {np.max(shares):.4f} (target <= 0.05)\n"
        )


if __name__ == "__main__":
    main()
