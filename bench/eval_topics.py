"""Do the exploratory topics recover the source thread? Five Fox News dev threads pooled.

Each comment's main NMF topic (the stage's own model: one fit on all units, ``k`` chosen by
coherence) is compared with the thread it came from by normalised mutual information (NMI,
arithmetic mean normalisation; 0 = no information, 1 = the threads exactly). Beside it:

- random: each comment gets a topic drawn uniformly from the same number of topics (mean of
  20 seeded draws);
- keyword count: the ``k`` most frequent lemmas of the pooled comments are the "topics"; each
  comment goes to the one it uses most (ties: the more frequent keyword; none: its own class).

Comments without any vocabulary term form their own class in every method. Printed, not timed.
Run: ``PYTHONPATH=. .venv/bin/python bench/eval_topics.py``
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from sklearn.metrics import normalized_mutual_info_score

from analysis import config
from analysis import schema as S
from analysis.compare import topics as T
from analysis.compare.units import comparison_units, surface_forms
from bench.foxdev import fox_tables

N_RANDOM = 20


def _nmf_labels(units, seed: int) -> tuple[list[str], list[str], int]:
    fit = T.fit_nmf(units, seed=seed)
    if isinstance(fit, str):
        raise SystemExit(f"NMF skipped: {fit}")
    topics, _ = T._nmf_topics(fit, surface_forms(units))
    weights = T._unit_weights(fit, topics)
    main = [max(w, key=w.get) if w else "none" for w in weights]
    labels = [lab for _, lab in topics]
    return main, labels, len(topics)


def _keyword_labels(units, k: int) -> list[str]:
    freq = Counter(tok for u in units for tok in u.tokens)
    keywords = [w for w, _ in freq.most_common(k)]
    rank = {w: i for i, w in enumerate(keywords)}
    out = []
    for u in units:
        hits = Counter(t for t in u.tokens if t in rank)
        out.append(min(hits, key=lambda w, h=hits: (-h[w], rank[w])) if hits else "none")
    return out


def main() -> None:
    tables = fox_tables(until="annotate")
    units = comparison_units(tables["sentences"], tables["documents"])
    comments = [i for i, u in enumerate(units) if u.side == S.SIDE_COMMENTS]
    truth = [units[i].thread_id for i in comments]
    main_topic, labels, k = _nmf_labels(units, config.SEED)
    nmf = normalized_mutual_info_score(truth, [main_topic[i] for i in comments])
    rng = np.random.default_rng(config.SEED)
    rand = np.mean(
        [
            normalized_mutual_info_score(truth, rng.integers(0, k, len(comments)))
            for _ in range(N_RANDOM)
        ]
    )
    kw = _keyword_labels([units[i] for i in comments], k)
    keyword = normalized_mutual_info_score(truth, kw)
    print(
        f"Fox News dev, 5 threads pooled: {len(comments)} comments, "
        f"{len(units) - len(comments)} article sentences"
    )
    print(f"NMF chose k = {k} topics: " + "; ".join(labels))
    print("NMI with the source thread (comments):")
    print(f"  NMF topics (the stage)         {nmf:.3f}")
    print(f"  keyword count, k = {k}          {keyword:.3f}")
    print(f"  random, k = {k} (mean of {N_RANDOM})    {rand:.3f}")
    fixed = {}
    for kk in (5, 8):
        fit = T.fit_nmf(units, seed=config.SEED, n_topics=kk)
        topics, _ = T._nmf_topics(fit, {})
        w = T._unit_weights(fit, topics)
        pred = [max(w[i], key=w[i].get) if w[i] else "none" for i in comments]
        fixed[kk] = normalized_mutual_info_score(truth, pred)
    print("  NMF with k fixed: " + ", ".join(f"k={kk}: {v:.3f}" for kk, v in fixed.items()))


if __name__ == "__main__":
    main()
