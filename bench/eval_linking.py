"""Validity of the entity linker on material it was not written for (issue 10, item 2).

Prints, from one run:

* **WNUT-17 dev** (``devdata/wnut17/emerging.dev.conll``, 1,009 social-media sentences): exact-span
  precision, recall and F1 ignoring type, (a) each sentence its own thread and (b) all sentences
  one thread, for our linker (``RuleLinker``), for the same linker with propagation off (model
  spans, flags and grouping only) and for bare ``en_core_web_sm`` restricted to the same label set
  (:data:`analysis.schema.ENTITY_LABELS`). Sentences are the tokens joined by single spaces.
* **Top-20 actors** (entities by mention count) of each Fox News dev thread (one thread per
  ``title``, the article = title + meta, as a user would convert the file) and of each YouTube
  spam CSV (one thread per file, comments only), printed for a human to judge. Only entities the
  agenda ranks as actors are listed (:func:`analysis.compare.agenda.actor_support`: named in at
  least two places, each article paragraph and each comment author one place); the entities the
  rule keeps out of the list are printed under it.
* **Gold** (``tests/gold/linking/``, hand-annotated comments of those threads, see its
  ``GUIDE.md``): each thread is linked whole and the mentions inside the sampled comments are
  scored against ``annotations_a.csv``: every target (all-mention precision, precision of
  non-model links, recall of the gold mentions written lower-case, misspelled or as a nickname
  by non-model links and by any method) plus all-mention recall and precision per link method,
  on the **tuning half**, the **held-out half** and in total (``split.csv``: a seeded random half
  of the comments, :func:`make_split`; the rules were tuned looking only at the tuning half's
  errors, ``--errors tuning``), for our linker, with propagation (the gazetteer) off, and for
  bare ``en_core_web_sm``. A predicted mention is right when its span is exactly a gold span
  (``exact``) or overlaps one (``overlap``, the lenient figure: titles and "the" at a span's
  edge do not count against it). The ``ceiling`` row is the share of hard-form gold mentions
  whose entity our linker finds named in another document of the thread: the most that rules
  reading only the thread (gazetteer, fuzzy, first names) could link; the rest need knowledge
  from outside the thread (an alias table).

Every document is linked whatever its language (language detection is annotation's job; here both
sides see the same texts). The dev data is read from ``config.ROOT.parent / "shared" /
"devdata"``. Usage::

    .venv/bin/python bench/eval_linking.py [--gold DIR] [--top 20] [--skip-actors]
        [--skip-wnut] [--errors tuning|held_out]

Targets (issue 10): WNUT-17 F1 never below bare spaCy in either setting; on the gold, precision of
non-model links >= 0.90, their recall of lower-case/misspelled/nickname mentions >= 0.70 (the
baseline must not pass), all-mention precision >= 0.80; top-20 actors all real entities.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analysis import config  # noqa: E402
from analysis import schema as S  # noqa: E402
from analysis.annotate.components import CANDIDATE_MIN_LENGTH, annotation_pipeline  # noqa: E402
from analysis.compare.agenda import MIN_SUPPORT, actor_support  # noqa: E402
from analysis.ingest.readers import read_csv  # noqa: E402
from analysis.ingest.text import normalise_text  # noqa: E402
from analysis.linking import RuleLinker  # noqa: E402
from analysis.linking.names import name_key  # noqa: E402

DEVDATA = config.ROOT.parent / "shared" / "devdata"
WNUT_FILE = DEVDATA / "wnut17" / "emerging.dev.conll"
FOX_FILE = DEVDATA / "fox_news" / "fox-news-comments-dev.jsonl"
YOUTUBE_DIR = DEVDATA / "youtube_spam"
GOLD_DIR = ROOT / "tests" / "gold" / "linking"
HARD_FORMS = ("lowercase", "misspelled", "nickname")


# ----------------------------------------------------------------------------------- inputs
@dataclass
class Doc:
    """One document of a thread, parsed."""

    text: str
    is_article: bool = False
    ref: str = ""  # source reference (Fox News: JSON line number; YouTube: COMMENT_ID)
    author: str | None = None  # Fox News: user; YouTube: AUTHOR (actor ranking counts authors)
    ents: list[tuple[int, int, str]] = field(default_factory=list)
    cands: list[tuple[int, int, str, str]] = field(default_factory=list)


def read_wnut(path: Path = WNUT_FILE) -> list[tuple[str, set[tuple[int, int]]]]:
    """(sentence text, gold character spans) per sentence; tokens joined by single spaces."""
    sentences: list[tuple[str, set[tuple[int, int]]]] = []
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        if not tokens:
            return
        text, spans, pos, start = "", set(), 0, None
        for i, (tok, tag) in enumerate(tokens):
            if i:
                text += " "
                pos += 1
            if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                start = pos
            text += tok
            pos += len(tok)
            nxt = tokens[i + 1][1] if i + 1 < len(tokens) else "O"
            if start is not None and not nxt.startswith("I-"):
                spans.add((start, pos))
                start = None
        sentences.append((text, spans))
        tokens.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        tok, tag = line.split("\t")[:2]
        tokens.append((tok, tag.strip()))
    flush()
    return sentences


def fox_threads(path: Path = FOX_FILE) -> dict[str, list[Doc]]:
    """Fox News dev comments as threads: title -> [article (title + meta), comments...]."""
    threads: dict[str, list[Doc]] = {}
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            rec = json.loads(line)
            title = normalise_text(rec["title"])
            if title not in threads:
                article = normalise_text(f"{rec['title']}\n\n{rec.get('meta') or ''}")
                threads[title] = [Doc(article, is_article=True, ref="article")]
            text = normalise_text(rec.get("text") or "")
            if text:
                threads[title].append(Doc(text, ref=str(number), author=rec.get("user")))
    return threads


def youtube_threads(folder: Path = YOUTUBE_DIR) -> dict[str, list[Doc]]:
    """The YouTube spam CSVs as threads of comments (file stem -> comments)."""
    threads: dict[str, list[Doc]] = {}
    for path in sorted(folder.glob("*.csv")):
        columns = {"text": "CONTENT", "id": "COMMENT_ID", "author": "AUTHOR"}
        result = read_csv(path, column_map=columns)
        docs = []
        for rec in result.records:
            text = normalise_text(rec.text_raw, html_markup=rec.text_is_html)
            if text:
                ref = rec.source_id or str(rec.source_record)
                docs.append(Doc(text, ref=ref, author=rec.author))
        threads[path.stem] = docs
    return threads


def parse(docs: list[Doc]) -> None:
    """Fill each document's model spans and candidate tokens, as annotation does."""
    nlp = annotation_pipeline()
    for doc, parsed in zip(docs, nlp.pipe([d.text for d in docs], batch_size=64), strict=True):
        doc.ents = [(e.start_char, e.end_char, e.label_) for e in parsed.ents]
        doc.cands = [
            (t.idx, t.idx + len(t), t.pos_, t.lemma_)
            for t in parsed
            if t.is_alpha and not t.is_stop and not t.ent_type_ and len(t) >= CANDIDATE_MIN_LENGTH
        ]


def link(thread_id: str, docs: list[Doc], linker: RuleLinker) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(mentions, entities) of one thread, through the ``Linker`` protocol; doc_id = index."""
    linking = linker.thread(thread_id)
    order = 0
    for i, doc in enumerate(docs):
        spans = []
        for start, end, label in doc.ents:
            spans.append((start, end, label, order))
            order += 1
        cands = [c for c in doc.cands if linker.keeps_candidate(doc.text[c[0] : c[1]], c[2])]
        linking.add_doc(doc_id=str(i), is_article=doc.is_article, position=i, spans=spans,
                        candidates=cands)  # fmt: skip
    linking.link(lambda lo, hi: [d.text for d in docs[lo:hi]])
    kinds = [S.ARTICLE if d.is_article else S.COMMENT for d in docs]
    rows = linking.mention_rows(0, len(docs), [str(i) for i in range(len(docs))], kinds)
    return rows, linking.entities()


# ---------------------------------------------------------------------------------- scoring
def prf(predicted: set, gold: set) -> tuple[float, float, float]:
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _spans(mentions: pd.DataFrame) -> set[tuple[int, int, int]]:
    return {
        (int(d), int(a), int(b))
        for d, a, b in zip(
            mentions[S.DOC_ID], mentions[S.START_CHAR], mentions[S.END_CHAR], strict=True
        )
    }


def wnut(linkers: dict[str, RuleLinker]) -> None:
    sentences = read_wnut()
    docs = [Doc(text) for text, _ in sentences]
    parse(docs)
    gold = {(i, a, b) for i, (_, spans) in enumerate(sentences) for a, b in spans}
    labels = set(S.ENTITY_LABELS)
    bare = {(i, a, b) for i, d in enumerate(docs) for a, b, lab in d.ents if lab in labels}
    print(
        f"WNUT-17 dev: {len(sentences)} sentences, {len(gold)} gold entities (exact span, untyped)"
    )
    print(f"  {'system':<34}{'P':>7}{'R':>7}{'F1':>7}{'spans':>7}")
    print("  {:<34}{:7.3f}{:7.3f}{:7.3f}{:7d}".format("bare en_core_web_sm", *prf(bare, gold),
                                                       len(bare)))  # fmt: skip
    for name, linker in linkers.items():
        per_sentence: set = set()
        for i, doc in enumerate(docs):
            mentions, _ = link(f"s{i}", [doc], linker)
            per_sentence |= {(i, a, b) for _, a, b in _spans(mentions)}
        pooled, _ = link("all", docs, linker)
        for setting, pred in (("per sentence", per_sentence), ("one thread", _spans(pooled))):
            label = f"{name}, {setting}"
            print("  {:<34}{:7.3f}{:7.3f}{:7.3f}{:7d}".format(label, *prf(pred, gold), len(pred)))


# ------------------------------------------------------------------------------------ actors
def ranked_entities(
    docs: list[Doc], mentions: pd.DataFrame, entities: pd.DataFrame
) -> pd.DataFrame:
    """``entities`` (mention_count order) with the agenda's actor support columns: the same rule
    as the agenda's ``is_ranked`` (:func:`analysis.compare.agenda.actor_support`), each article
    paragraph (blank-line separated) and each comment author one place."""
    rows = mentions[[S.ENTITY_ID, S.DOC_ID, S.DOC_KIND, S.START_CHAR]].copy()
    index = rows[S.DOC_ID].astype(int)
    rows[S.AUTHOR_ID] = [docs[i].author for i in index]

    def paragraph(i: int, start: int) -> str | None:
        if not docs[i].is_article:
            return None
        return f"p{docs[i].text.count(chr(10) + chr(10), 0, int(start))}"

    rows[S.PARAGRAPH_ID] = [paragraph(i, a) for i, a in zip(index, rows[S.START_CHAR], strict=True)]
    support = actor_support(rows)
    return entities.merge(support, on=S.ENTITY_ID, how="left", sort=False)


def actors(threads: dict[str, list[Doc]], linker: RuleLinker, top: int) -> None:
    """Top actors of each thread: entities by mention count, only those the agenda ranks
    (support from >= MIN_SUPPORT places); the entities the rule keeps out of the top list are
    printed below it."""
    for key, docs in threads.items():
        mentions, entities = link(key, docs, linker)
        table = ranked_entities(docs, mentions, entities)
        ranked = table[table[S.IS_RANKED].fillna(False).astype(bool)]
        print(f"\nTop-{top} actors of {key!r} ({len(docs)} documents; support >= "
              f"{MIN_SUPPORT} places):")  # fmt: skip
        for row in ranked.head(top).itertuples(index=False):
            print(f"  {row.mention_count:4d}  {row.entity_name:<32} {row.label:<8} "
                  f"{row.link_methods}  [{str(row.aliases)[:60]}]")  # fmt: skip
        before = table.head(top)  # the list by mention count alone
        left = before[~before[S.IS_RANKED].fillna(False).astype(bool)]
        names = ", ".join(f"{r.entity_name} ({r.mention_count})" for r in left.itertuples())
        print(f"  left out (one place) of the top {top} by mentions: {names or 'none'}")


# -------------------------------------------------------------------------------------- gold
def read_gold(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``sample.csv`` and every ``annotations_*.csv`` of the first annotator (``_a``)."""
    sample = pd.read_csv(folder / "sample.csv", dtype=str, keep_default_na=False)
    path = folder / "annotations_a.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("start_char") or "").strip()]
    ann = pd.DataFrame(rows)
    if len(ann):
        ann["start_char"] = ann["start_char"].astype(int)
        ann["end_char"] = ann["end_char"].astype(int)
    return sample, ann


def gold_mentions(
    threads: dict[str, list[Doc]], sample: pd.DataFrame, linker: RuleLinker
) -> pd.DataFrame:
    """Our mentions inside the sampled comments (sample_id, start_char, end_char, link_method)."""
    where = {(r.thread_key, r.source_ref): r.sample_id for r in sample.itertuples(index=False)}
    out = []
    for key, docs in threads.items():
        mentions, _ = link(key, docs, linker)
        ids = [where.get((key, d.ref)) for d in docs]
        for row in mentions.itertuples(index=False):
            sample_id = ids[int(row.doc_id)]
            if sample_id is not None:
                out.append((sample_id, row.start_char, row.end_char, row.text, row.link_method,
                            row.entity_name))  # fmt: skip
    cols = ["sample_id", "start_char", "end_char", "text", "link_method", "entity_name"]
    return pd.DataFrame(out, columns=cols)


def _judge(pred: pd.DataFrame, ann: pd.DataFrame) -> pd.DataFrame:
    gold = defaultdict(list)
    for r in ann.itertuples(index=False):
        gold[r.sample_id].append((r.start_char, r.end_char))
    exact, overlap = [], []
    for r in pred.itertuples(index=False):
        spans = gold.get(r.sample_id, [])
        exact.append((r.start_char, r.end_char) in spans)
        overlap.append(any(a < r.end_char and r.start_char < b for a, b in spans))
    return pred.assign(exact=exact, overlap=overlap)


def _hard_recall(pred: pd.DataFrame, ann: pd.DataFrame, *, non_model: bool) -> tuple[float, int]:
    hard = ann[ann["form"].isin(HARD_FORMS)]
    if non_model:
        pred = pred[pred["link_method"] != "model"]
    spans = {(r.sample_id, r.start_char, r.end_char) for r in pred.itertuples(index=False)}
    found = sum((r.sample_id, r.start_char, r.end_char) in spans for r in hard.itertuples())
    return (found / len(hard) if len(hard) else 0.0), len(hard)


SPLIT_FILE = "split.csv"
HALVES = ("tuning", "held_out")
TARGETS = {  # metric -> (target, higher is better)
    "all-mention precision (exact)": 0.80,
    "non-model link precision (exact)": 0.90,
    "hard-form recall, non-model links": 0.70,
}


def make_split(sample_ids: list[str], *, seed: int = config.SEED) -> dict[str, str]:
    """A seeded random half of the comments for tuning, the other half held out.

    ``split.csv`` of the gold folder is this function's output (a test checks it), so the halves
    never depend on what the rules do.
    """
    import numpy as np

    ids = sorted(sample_ids)
    order = np.random.default_rng(seed).permutation(len(ids))
    return {ids[i]: HALVES[0] if k < len(ids) // 2 else HALVES[1] for k, i in enumerate(order)}


def read_split(folder: Path, sample: pd.DataFrame) -> dict[str, str]:
    """``split.csv`` (sample_id, half) of the gold folder, else :func:`make_split`."""
    path = folder / SPLIT_FILE
    if not path.is_file():
        return make_split(sample["sample_id"].tolist())
    split = pd.read_csv(path, dtype=str, keep_default_na=False)
    return dict(zip(split["sample_id"], split["half"], strict=True))


def bare_gold_mentions(threads: dict[str, list[Doc]], sample: pd.DataFrame) -> pd.DataFrame:
    """Bare ``en_core_web_sm`` spans (labels of :data:`S.ENTITY_LABELS`) in the sampled comments."""
    where = {(r.thread_key, r.source_ref): r.sample_id for r in sample.itertuples(index=False)}
    labels = set(S.ENTITY_LABELS)
    out = []
    for key, docs in threads.items():
        for doc in docs:
            sample_id = where.get((key, doc.ref))
            if sample_id is None:
                continue
            out += [(sample_id, a, b, doc.text[a:b], "model", "") for a, b, lab in doc.ents
                    if lab in labels]  # fmt: skip
    cols = ["sample_id", "start_char", "end_char", "text", "link_method", "entity_name"]
    return pd.DataFrame(out, columns=cols)


def gold_metrics(judged: pd.DataFrame, ann: pd.DataFrame) -> dict[str, tuple[float, int]]:
    """metric -> (value, denominator) for one system on one set of comments."""
    non_model = judged[judged["link_method"] != "model"]
    keys = ["sample_id", "start_char", "end_char"]
    found = set(judged[keys].itertuples(index=False, name=None))
    wanted = set(ann[keys].itertuples(index=False, name=None))

    def mean(part: pd.DataFrame, col: str) -> tuple[float, int]:
        return (float(part[col].mean()) if len(part) else float("nan")), len(part)

    nm_r, n_hard = _hard_recall(judged, ann, non_model=True)
    any_r, _ = _hard_recall(judged, ann, non_model=False)
    return {
        "all-mention precision (exact)": mean(judged, "exact"),
        "all-mention precision (overlap)": mean(judged, "overlap"),
        "non-model link precision (exact)": mean(non_model, "exact"),
        "hard-form recall, non-model links": (nm_r, n_hard),
        "hard-form recall, any method": (any_r, n_hard),
        "all-mention recall (exact)": (len(found & wanted) / max(len(wanted), 1), len(wanted)),
    }


def thread_names(threads: dict[str, list[Doc]], linker: RuleLinker) -> dict[str, dict[str, set]]:
    """thread -> name key -> the documents (refs) where our linker finds a mention whose text or
    entity name has that key."""
    out: dict[str, dict[str, set]] = {}
    for key, docs in threads.items():
        mentions, _ = link(key, docs, linker)
        names: dict[str, set] = defaultdict(set)
        for row in mentions.itertuples(index=False):
            ref = docs[int(row.doc_id)].ref
            names[name_key(row.text)].add(ref)
            names[name_key(row.entity_name)].add(ref)
        out[key] = names
    return out


def named_elsewhere(ann: pd.DataFrame, sample: pd.DataFrame, names: dict) -> pd.Series:
    """Per gold mention: the thread names its entity (gold canonical name, or the surface as
    written) in another document, as our linker finds it there: the most any rule that reads
    only the thread could link."""
    where = dict(zip(sample["sample_id"], zip(sample["thread_key"], sample["source_ref"],
                                              strict=True), strict=True))  # fmt: skip
    found = []
    for r in ann.itertuples(index=False):
        thread, ref = where[r.sample_id]
        index = names.get(thread, {})
        keys = {name_key(r.canonical.lstrip("?")), name_key(r.surface)}
        found.append(any(index.get(k, set()) - {ref} for k in keys if k))
    return pd.Series(found, index=ann.index)


def _cell(value: float, n: int) -> str:
    return f"{'  n/a' if value != value else f'{value:5.3f}'} ({n:3d})"


def gold_report(
    threads: dict[str, list[Doc]],
    linkers: dict[str, RuleLinker],
    folder: Path,
    *,
    errors: str | None = None,
) -> None:
    """Every gold target on the tuning half, the held-out half and in total, per system.

    Args:
        errors: a half ("tuning") whose wrong and missed mentions of ``ours`` are listed.
    """
    if not (folder / "sample.csv").is_file() or not (folder / "annotations_a.csv").is_file():
        print(f"\nGold: no sample.csv/annotations_a.csv under {folder}; skipped")
        return
    sample, ann = read_gold(folder)
    split = read_split(folder, sample)
    ann = ann.assign(half=ann["sample_id"].map(split))
    print(f"\nGold ({folder}): {len(sample)} comments, {len(ann)} annotated mentions, "
          f"{int(ann['form'].isin(HARD_FORMS).sum())} lower-case/misspelled/nickname; halves "
          f"by {SPLIT_FILE} (seeded random split of comments)")  # fmt: skip
    systems = {name: gold_mentions(threads, sample, linker) for name, linker in linkers.items()}
    systems["bare en_core_web_sm"] = bare_gold_mentions(threads, sample)
    judged = {}
    for name, pred in systems.items():
        judged[name] = _judge(pred.assign(half=pred["sample_id"].map(split)), ann)
    parts = {h: h for h in HALVES} | {"total": None}
    print(f"  {'metric (target)':<44}{'system':<22}" + "".join(f"{p:>14}" for p in parts))
    for metric in gold_metrics(judged["ours"], ann):
        target = TARGETS.get(metric)
        label = f"{metric} (>= {target:.2f})" if target else metric
        for name, frame in judged.items():
            cells = []
            for half in parts.values():
                j = frame if half is None else frame[frame["half"] == half]
                a = ann if half is None else ann[ann["half"] == half]
                cells.append(_cell(*gold_metrics(j, a)[metric]))
            print(f"  {label:<44}{name:<22}" + "".join(f"{c:>14}" for c in cells))
            label = ""
    print("  (n) = denominator: predicted mentions for precision, gold mentions for recall")
    hard = ann[ann["form"].isin(HARD_FORMS)]
    elsewhere = named_elsewhere(hard, sample, thread_names(threads, linkers["ours"]))
    cells = []
    for half in parts.values():
        part = elsewhere if half is None else elsewhere[hard["half"] == half]
        cells.append(_cell(float(part.mean()) if len(part) else float("nan"), len(part)))
    label = "ceiling: hard forms whose entity the thread names elsewhere"
    print(f"  {label:<66}" + "".join(f"{c:>14}" for c in cells))
    ours = judged["ours"]
    print("  per link method, ours (exact precision):")
    for method, part in ours.groupby("link_method"):
        cells = []
        for half in parts.values():
            p = part if half is None else part[part["half"] == half]
            cells.append(_cell(float(p["exact"].mean()) if len(p) else float("nan"), len(p)))
        print(f"    {method:<62}" + "".join(f"{c:>14}" for c in cells))
    if errors:
        _print_errors(ours, ann, sample, errors)


def _print_errors(judged: pd.DataFrame, ann: pd.DataFrame, sample: pd.DataFrame, half: str) -> None:
    """Wrong predictions and missed gold mentions of one half (for tuning on that half only)."""
    texts = dict(zip(sample["sample_id"], sample["text"], strict=True))
    wrong = judged[(judged["half"] == half) & ~judged["exact"]]
    print(f"\n  wrong predictions on the {half} half ({len(wrong)}):")
    for r in wrong.itertuples(index=False):
        print(f"    {r.sample_id} {r.link_method:<9} {r.text!r:<28} -> {r.entity_name!r}")
    keys = set(judged[["sample_id", "start_char", "end_char"]].itertuples(index=False, name=None))
    missed = ann[(ann["half"] == half)]
    print(f"\n  missed gold mentions on the {half} half:")
    for r in missed.itertuples(index=False):
        if (r.sample_id, r.start_char, r.end_char) not in keys:
            text = texts[r.sample_id]
            ctx = text[max(0, r.start_char - 30) : r.end_char + 30].replace("\n", " ")
            print(f"    {r.sample_id} {r.form:<12} {r.surface!r:<24} [{r.canonical}]  ...{ctx}...")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="gold folder")
    parser.add_argument("--top", type=int, default=20, help="actors printed per thread")
    parser.add_argument("--skip-wnut", action="store_true")
    parser.add_argument("--skip-actors", action="store_true")
    parser.add_argument("--errors", choices=HALVES, help="list ours' errors on this half")
    args = parser.parse_args(argv)
    if not DEVDATA.is_dir():
        print(f"no dev data at {DEVDATA}", file=sys.stderr)
        return 2
    linkers = {"ours": RuleLinker(), "ours, gazetteer off": RuleLinker(propagate=False)}
    if not args.skip_wnut:
        wnut(linkers)
    threads = {**fox_threads(), **youtube_threads()}
    parse([d for docs in threads.values() for d in docs])
    if not args.skip_actors:
        actors(threads, linkers["ours"], args.top)
    gold_report(threads, linkers, args.gold, errors=args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
