"""Keyness at thread scale on the five Fox News dev threads (printed figures, not a timed test).

For each thread (article = title + meta, as a user would build it; see :mod:`bench.foxdev`):

1. reference = article (the stage's comparison on lemmas): comment-distinctive terms, the top 10,
   and the ceiling (the largest z any comment term could reach against an article this short);
2. reference = general English (wordfreq, words as written): comment-distinctive words and the
   top 10; beside a plain baseline (the 10 most frequent comment words), the share of each top
   10 that is specific to the thread, i.e. also distinctive of its comments against the other
   four threads' comments (a reference neither list was built from);
3. nulls, 20 draws each: (a) the thread's comments split into two random halves, article method;
   (b) text sampled from the wordfreq distribution itself, as many comments of the same lengths,
   English method. Share of terms past |z| ≥ 1.96 (target: at most 5%), and share called
   distinctive of a side;
4. topics: no topic label on these threads comes from the seed's lexicon.

Run: ``PYTHONPATH=. .venv/bin/python bench/eval_keyness.py``
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.keyness import (
    Z_THRESHOLD,
    comment_side_ceiling,
    comment_term_counts,
    log_odds_dirichlet,
    log_odds_english,
)
from analysis.compare.scope import usable_doc_ids
from bench.foxdev import fox_records, fox_tables, thread_titles

N_NULL = 20
TOP = 10
#: Share of wordfreq's English tokens that annotate keeps as content words (measured: 0.445).
CONTENT_SHARE = 0.445


def _top(rows: pd.DataFrame) -> list[str]:
    return rows[rows[S.SIDE] == S.SIDE_COMMENTS].head(TOP)["term"].tolist()


def _listing(rows: pd.DataFrame) -> str:
    top = rows[rows[S.SIDE] == S.SIDE_COMMENTS].head(TOP)
    return ", ".join(f"{t} ({z:.1f})" for t, z in zip(top["term"], top["z_score"], strict=True))


def _english_sampler():
    import wordfreq
    from spacy.lang.en.stop_words import STOP_WORDS

    listed = wordfreq.get_frequency_dict("en")
    words = np.array(list(listed))
    p = np.array(list(listed.values()))
    p = p / p.sum()

    def sample(rng, lengths) -> tuple[Counter, Counter]:
        raw = np.maximum(1, np.round(np.asarray(lengths) / CONTENT_SHARE)).astype(int)
        drawn = rng.choice(words, size=int(raw.sum()), p=p)
        uses: Counter = Counter()
        docs: Counter = Counter()
        start = 0
        for n in raw:
            kept = [w for w in drawn[start : start + n] if w.isalpha() and w not in STOP_WORDS]
            uses.update(kept)
            docs.update(set(kept))
            start += n
        return uses, docs

    return sample


def _null_article(rng, sents: pd.DataFrame, ids: list[str]) -> tuple[float, float]:
    perm = rng.permutation(ids)
    half = set(perm[: len(ids) // 2])
    a = comment_term_counts(sents[sents[S.DOC_ID].isin(half)], S.LEMMAS)[0]
    b = comment_term_counts(sents[~sents[S.DOC_ID].isin(half)], S.LEMMAS)[0]
    table = log_odds_dirichlet(a, b)
    return float((table["z_score"].abs() >= Z_THRESHOLD).mean()), float(
        (table[S.SIDE] != "neither").mean()
    )


def _thread(thread, title, key, sents, docs, rng, sample) -> dict:
    k = key[key[S.THREAD_ID] == thread]
    art = k[k[S.REFERENCE] == S.REFERENCE_ARTICLE]
    eng = k[k[S.REFERENCE] == S.REFERENCE_GENERAL_ENGLISH]
    here = sents[(sents[S.THREAD_ID] == thread) & (sents[S.DOC_KIND] == S.COMMENT)]
    others = sents[(sents[S.THREAD_ID] != thread) & (sents[S.DOC_KIND] == S.COMMENT)]
    n_comments = here[S.DOC_ID].nunique()
    print(f"{thread}: {title[:70]} ({n_comments} analysed comments)")
    n_art = int((art[S.SIDE] == S.SIDE_COMMENTS).sum())
    print(
        f"  1. reference = article ({int(art['article_count'].sum())} lemmas) vs comments "
        f"({int(art['comment_count'].sum())}): {n_art} comment-distinctive terms; ceiling "
        f"z = {comment_side_ceiling(art):.2f}; max comment z = {art['z_score'].max():.2f}"
    )
    print(f"     top {TOP}: {_listing(art) or '(none)'}")
    n_eng = int((eng[S.SIDE] == S.SIDE_COMMENTS).sum())
    print(
        f"  2. reference = general English ({int(eng['comment_count'].sum())} comment words): "
        f"{n_eng} comment-distinctive words"
    )
    print(f"     top {TOP}: {_listing(eng)}")
    mine = comment_term_counts(here, S.WORDS)[0]
    rest = comment_term_counts(others, S.WORDS)[0]
    own = log_odds_dirichlet(rest, mine)
    specific = set(own.loc[own[S.SIDE] == S.SIDE_COMMENTS, "term"])
    top_eng = _top(eng)
    raw = [t for t, _ in mine.most_common(TOP)]
    spec_eng = sum(t in specific for t in top_eng) / max(len(top_eng), 1)
    spec_raw = sum(t in specific for t in raw) / TOP
    print(
        f"     thread-specific (distinctive against the other threads' comments): "
        f"{spec_eng:.0%} of the top {len(top_eng)} vs {spec_raw:.0%} of the {TOP} most "
        f"frequent comment words ({', '.join(raw)})"
    )
    ids = sorted(here[S.DOC_ID].unique())
    halves = [_null_article(rng, here, ids) for _ in range(N_NULL)]
    lengths = [len(" ".join(g["words"].fillna("")).split()) for _, g in here.groupby(S.DOC_ID)]
    english = []
    for _ in range(N_NULL):
        table = log_odds_english(*sample(rng, lengths))
        english.append(
            (
                float((table["z_score"].abs() >= Z_THRESHOLD).mean()),
                float((table[S.SIDE] != "neither").mean()),
            )
        )
    for name, draws in (("random halves, article method", halves), ("wordfreq text", english)):
        past, called = np.array(draws).T
        print(
            f"  3. null, {name} ({N_NULL} draws): past |z| ≥ 1.96 mean {past.mean():.4f}, "
            f"max {past.max():.4f}; called distinctive max {called.max():.4f} (target <= 0.05)"
        )
    return {"article": n_art, "english": n_eng}


def main() -> None:
    tables = fox_tables(until="compare")
    sents, docs = tables["sentences"], tables["documents"]
    sents = sents[sents[S.DOC_ID].astype(str).isin(usable_doc_ids(docs))]
    titles = thread_titles(fox_records())
    key = tables["keyness"]
    rng = np.random.default_rng(config.SEED)
    sample = _english_sampler()
    print("Keyness (Monroe et al. 2008), two references: the article, general English\n")
    found = {}
    for thread, title in titles.items():
        found[thread] = _thread(thread, title, key, sents, docs, rng, sample)
        print()
    from analysis.compare.topics import read_topic_lexicon

    shares = tables["topic_shares"]
    seed_topics = set(read_topic_lexicon()["topic"])
    from_seed = sorted(
        seed_topics & set(shares["topic_id"]) | seed_topics & set(shares[S.TOPIC_LABEL])
    )
    print(
        f"4. topics: methods {sorted(set(shares['method']))}; labels from the seed lexicon: "
        f"{from_seed or 'none'}"
    )
    every = all(v["english"] > 0 for v in found.values())
    print(
        f"\nAcceptance: comment-distinctive terms on every thread (general English): "
        f"{'yes' if every else 'no'} "
        + str({t: v["english"] for t, v in found.items()})
        + f"; no topic label from the seed: {'yes' if not from_seed else 'no'}"
    )


if __name__ == "__main__":
    main()
