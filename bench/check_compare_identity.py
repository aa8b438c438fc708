"""Check that a change to compare leaves the frame and keyness tables exactly as they were.

Computes ``frame_tables`` and ``keyness_table`` from the annotated tables of a work folder and
either saves them (``--save``, typically run with the reference code on ``PYTHONPATH``, e.g.
``PYTHONPATH=/work/main``) or compares them with a saved copy (``--against``) by
``pandas.testing.assert_frame_equal(check_exact=True)``, printing the CPU time of each function
(the general-English reference is loaded before timing).
Usage::

    PYTHONPATH=/work/main .venv/bin/python bench/check_compare_identity.py DIR --save ref.pkl
    PYTHONPATH=. .venv/bin/python bench/check_compare_identity.py DIR --against ref.pkl

``DIR`` is an annotated folder (``sentences``, ``documents``, ``corpus`` tables), for instance a
layout folder of ``bench/bench_compare.py`` or a ``discourse run --until annotate`` workspace.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.compare.frames import frame_tables
from analysis.compare.keyness import english_reference, keyness_table
from analysis.compare.scope import with_placeholders
from analysis.tables import read_fingerprint, read_table

NAMES = ("frame_scores", "frame_shares", "frame_document_shares", "keyness")
#: With ``--topics``: the topic tables too (they share the units and the term matcher).
TOPIC_NAMES = ("topic_terms", "topic_shares")


def tables_of(folder: Path, *, topics: bool = False) -> dict[str, pd.DataFrame]:
    """The frame and keyness tables of the annotated tables in ``folder``, timed."""
    stamp = read_fingerprint(folder)
    sents = read_table("sentences", folder, fingerprint=stamp)
    docs = read_table("documents", folder, fingerprint=stamp)
    corpus = read_table("corpus", folder, required=False, fingerprint=stamp)
    docs = with_placeholders(docs, corpus)
    english_reference()  # loaded once per process (about 3 s): not timed
    cpu = time.process_time()
    frames = frame_tables(sents, docs)  # seed: its default, config.SEED (intervals before Wilson)
    mid = time.process_time()
    keyness = keyness_table(sents, docs)
    end = time.process_time()
    print(f"{folder.name}: frame_tables {mid - cpu:.2f} s CPU, keyness_table {end - mid:.2f} s CPU")
    out = dict(zip(NAMES, (*frames, keyness), strict=True))
    if topics:
        from analysis.compare.topics import topic_tables

        out.update(zip(TOPIC_NAMES, topic_tables(sents, docs, seed=config.SEED), strict=True))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--against", type=Path)
    parser.add_argument("--topics", action="store_true", help="also the topic tables")
    args = parser.parse_args(argv)
    out = tables_of(args.folder, topics=args.topics)
    if args.save:
        args.save.write_bytes(pickle.dumps(out))
        print(f"saved {', '.join(f'{k} ({len(v)} rows)' for k, v in out.items())}")
        return 0
    ref = pickle.loads(args.against.read_bytes())
    failed = 0
    for name in out:
        try:
            pd.testing.assert_frame_equal(out[name], ref[name], check_exact=True)
            print(f"  {name:<22} identical ({len(out[name])} rows)")
        except AssertionError as err:
            failed += 1
            print(f"  {name:<22} DIFFERS: {str(err).splitlines()[:6]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
