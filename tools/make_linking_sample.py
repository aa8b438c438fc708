"""Draw the entity-linking gold sample, place hand-judged mentions on it, and check the result.

Three subcommands (run from the repository root with ``PYTHONPATH=.``):

- ``sample``: a seeded (``config.SEED``) random sample of comments from the Fox News dev threads
  (thread = article ``title``) and the YouTube spam CSVs (thread = file stem), texts normalised as
  ingest does (``normalise_text``; the CSVs read with ``readers.read_csv``, so HTML entities are
  unescaped and ``<br />`` kept, exactly as the corpus ``text`` column holds them), written to
  ``tests/gold/linking/sample.csv``.
- ``place DRAFT OUT``: turn a hand-written draft (one judged mention a line, see
  :func:`read_draft`) into an annotation table with character offsets. The annotator finds and
  judges every mention by reading; this only looks up where the written surface sits in the text.
- ``place-negatives DRAFT OUT``: the same for spans judged *not* to be mentions (lines
  ``sample_id | surface[@n] | reason``), checked not to overlap annotator A's mentions.
- ``check [FILE ...]``: every row's offsets give its surface, its type and form are allowed, and its
  sample_id exists (default: every ``annotations_*.csv``).

The dev data is read from ``config.ROOT.parent / "shared" / "devdata"`` (never at run time).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

from analysis import config
from analysis.ingest.readers import read_csv
from analysis.ingest.text import normalise_text

GOLD_DIR = config.ROOT / "tests" / "gold" / "linking"
SAMPLE_FILE = GOLD_DIR / "sample.csv"
DEVDATA = config.ROOT.parent / "shared" / "devdata"
FOX_FILE = DEVDATA / "fox_news" / "fox-news-comments-dev.jsonl"
YOUTUBE_DIR = DEVDATA / "youtube_spam"

N_FOX = 112
N_YOUTUBE = 52
#: A second batch drawn after the first from the comments left (same generator, so the first
#: batch is unchanged), for more mentions of the rare forms; ids continue from the first batch.
N_FOX_MORE = 110
N_YOUTUBE_MORE = 50

SAMPLE_COLUMNS = ("sample_id", "source", "thread_key", "source_ref", "text")
ANNOTATION_COLUMNS = (
    "sample_id",
    "start_char",
    "end_char",
    "surface",
    "canonical",
    "type",
    "form",
    "note",
)
TYPES = frozenset(
    {"person", "organisation", "location", "group", "product", "creative_work", "event", "other"}
)
NEGATIVE_COLUMNS = ("sample_id", "start_char", "end_char", "surface", "reason")
FORMS = frozenset({"standard", "lowercase", "misspelled", "nickname", "abbreviation", "other"})


def fox_comments(path: Path = FOX_FILE) -> list[dict[str, str]]:
    """Non-empty Fox News comments: source_ref is the 1-based JSON line number."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            rec = json.loads(line)
            text = normalise_text(rec.get("text") or "")
            if text:
                rows.append(
                    {
                        "source": "fox_news",
                        "thread_key": normalise_text(rec["title"]),
                        "source_ref": str(number),
                        "text": text,
                    }
                )
    return rows


def youtube_comments(folder: Path = YOUTUBE_DIR) -> list[dict[str, str]]:
    """Non-empty YouTube spam-collection comments: source_ref is the COMMENT_ID."""
    rows = []
    for path in sorted(folder.glob("*.csv")):
        for rec in read_csv(path, column_map={"text": "CONTENT", "id": "COMMENT_ID"}).records:
            text = normalise_text(rec.text_raw, html_markup=rec.text_is_html)
            if text:
                rows.append(
                    {
                        "source": "youtube_spam",
                        "thread_key": path.stem,
                        "source_ref": rec.source_id or str(rec.source_record),
                        "text": text,
                    }
                )
    return rows


def draw_sample(*, seed: int = config.SEED) -> list[dict[str, str]]:
    """The seeded sample, both sources shuffled together so any prefix mixes them.

    Two batches from one generator: :data:`N_FOX` + :data:`N_YOUTUBE` comments (g001...), then
    :data:`N_FOX_MORE` + :data:`N_YOUTUBE_MORE` of the comments not yet drawn, shuffled among
    themselves and numbered on.

    Returns:
        Rows with the :data:`SAMPLE_COLUMNS`; sample ids g001, g002, ... in sample order.
    """
    rng = random.Random(seed)
    fox, youtube = fox_comments(), youtube_comments()
    fox_idx = rng.sample(range(len(fox)), N_FOX)
    yt_idx = rng.sample(range(len(youtube)), N_YOUTUBE)
    first = [fox[i] for i in fox_idx] + [youtube[i] for i in yt_idx]
    rng.shuffle(first)
    fox_left = sorted(set(range(len(fox))) - set(fox_idx))
    yt_left = sorted(set(range(len(youtube))) - set(yt_idx))
    more = [fox[i] for i in rng.sample(fox_left, N_FOX_MORE)]
    more += [youtube[i] for i in rng.sample(yt_left, N_YOUTUBE_MORE)]
    rng.shuffle(more)
    return [{"sample_id": f"g{i:03d}", **row} for i, row in enumerate(first + more, start=1)]


def write_rows(path: Path, columns: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    """Write ``rows`` as CSV with a header (all fields quoted as needed, LF line ends)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read a CSV written by :func:`write_rows`."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_sample(path: Path = SAMPLE_FILE) -> dict[str, str]:
    """sample_id -> text."""
    return {row["sample_id"]: row["text"] for row in read_rows(path)}


def read_draft(path: Path) -> list[tuple[int, list[str]]]:
    """Draft lines ``sample_id | surface[@n] | canonical | type | form | note``.

    ``@n`` picks the n-th occurrence (1-based) of the surface in the text; without it the next
    occurrence after the previous mention of the same surface in that comment. Blank lines and
    lines starting with ``#`` are skipped. A line with only a sample id records "judged, no entity".

    Returns:
        (line number, fields) pairs.
    """
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("|")]
        out.append((number, fields))
    return out


def _occurrences(text: str, surface: str) -> list[int]:
    """Start offsets of ``surface`` in ``text`` not glued to a letter or digit on either side."""
    starts = []
    for m in re.finditer(re.escape(surface), text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        glued = (surface[0].isalnum() and before.isalnum()) or (
            surface[-1].isalnum() and after.isalnum()
        )
        if not glued:
            starts.append(m.start())
    return starts


def _locate(
    texts: dict[str, str], draft: Path, n_fields: tuple[int, ...]
) -> tuple[list[tuple[str, int, list[str]]], int]:
    """Place each draft line's surface: (sample_id, start, fields) triples and a problem count.

    Lines holding only an id are judged comments with nothing to place; they are skipped.
    """
    placed: list[tuple[str, int, list[str]]] = []
    used: dict[tuple[str, str], int] = {}
    problems = 0
    for number, fields in read_draft(draft):
        where = f"{draft}:{number}"
        if fields[0] not in texts:
            print(f"{where}: unknown sample_id {fields[0]!r}")
            problems += 1
            continue
        if len(fields) == 1:
            continue
        if len(fields) not in n_fields:
            print(f"{where}: expected {n_fields} '|'-separated fields, found {len(fields)}")
            problems += 1
            continue
        sid, surface = fields[0], fields[1]
        nth = None
        if re.search(r"@\d+$", surface):
            surface, n = surface.rsplit("@", 1)
            nth = int(n)
        starts = _occurrences(texts[sid], surface)
        index = nth - 1 if nth else used.get((sid, surface), 0)
        if index >= len(starts):
            print(f"{where}: {surface!r} occurrence {index + 1} not in {sid} ({len(starts)} found)")
            problems += 1
            continue
        used[(sid, surface)] = index + 1
        placed.append((sid, starts[index], [sid, surface, *fields[2:]]))
    return placed, problems


def _sorted(texts: dict[str, str], rows: list[dict[str, object]]) -> list[dict[str, object]]:
    order = {sid: i for i, sid in enumerate(texts)}
    return sorted(rows, key=lambda r: (order[str(r["sample_id"])], int(str(r["start_char"]))))


def place(draft: Path, out: Path, *, sample: Path = SAMPLE_FILE) -> int:
    """Write the annotation table for ``draft``; return the number of problems printed."""
    texts = read_sample(sample)
    placed, problems = _locate(texts, draft, (5, 6))
    rows: list[dict[str, object]] = []
    for sid, start, fields in placed:
        surface, canonical, type_, form = fields[1:5]
        rows.append(
            {
                "sample_id": sid,
                "start_char": start,
                "end_char": start + len(surface),
                "surface": surface,
                "canonical": canonical,
                "type": type_,
                "form": form,
                "note": fields[5] if len(fields) == 6 else "",
            }
        )
    rows = _sorted(texts, rows)
    write_rows(out, ANNOTATION_COLUMNS, rows)
    return problems + len(check_rows(texts, rows, str(out)))


def place_negatives(
    draft: Path, out: Path, *, sample: Path = SAMPLE_FILE, mentions: Path | None = None
) -> int:
    """Write the judged non-mentions of ``draft`` (lines ``sample_id | surface[@n] | reason``).

    These are spans a reader (or a linker) might take for names that the annotator judged not to
    be entity mentions, each with the guide's reason. They must not overlap a mention in
    ``mentions`` (default: ``annotations_a.csv``).

    Returns:
        The number of problems printed.
    """
    texts = read_sample(sample)
    placed, problems = _locate(texts, draft, (3,))
    rows: list[dict[str, object]] = [
        {
            "sample_id": sid,
            "start_char": start,
            "end_char": start + len(fields[1]),
            "surface": fields[1],
            "reason": fields[2],
        }
        for sid, start, fields in placed
    ]
    rows = _sorted(texts, rows)
    write_rows(out, NEGATIVE_COLUMNS, rows)
    found = check_negatives(texts, rows, read_rows(mentions or GOLD_DIR / "annotations_a.csv"))
    if found:
        print("\n".join(found))
    return problems + len(found)


def check_negatives(
    texts: dict[str, str], rows: list[dict], mentions: list[dict[str, str]]
) -> list[str]:
    """Problems with judged non-mentions: bad ids or offsets, an empty reason, or a span that
    overlaps an annotated mention (a span cannot be both)."""
    problems = []
    marked: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        marked.setdefault(m["sample_id"], []).append((int(m["start_char"]), int(m["end_char"])))
    for line, row in enumerate(rows, start=2):
        sid = row["sample_id"]
        if sid not in texts:
            problems.append(f"non-mentions:{line}: unknown sample_id {sid!r}")
            continue
        start, end = int(row["start_char"]), int(row["end_char"])
        if texts[sid][start:end] != row["surface"] or start >= end:
            problems.append(f"non-mentions:{line}: text[{start}:{end}] is not {row['surface']!r}")
        if not str(row["reason"]).strip():
            problems.append(f"non-mentions:{line}: empty reason")
        if any(start < e and s < end for s, e in marked.get(sid, [])):
            problems.append(f"non-mentions:{line}: {row['surface']!r} overlaps a mention in {sid}")
    return problems


def check_rows(texts: dict[str, str], rows: list[dict], where: str) -> list[str]:
    """Problems with annotation rows: unknown ids, offsets not giving the surface, bad vocabulary,
    overlapping spans within one annotator's file."""
    problems = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for line, row in enumerate(rows, start=2):
        sid = row["sample_id"]
        if sid not in texts:
            problems.append(f"{where}:{line}: unknown sample_id {sid!r}")
            continue
        start, end = int(row["start_char"]), int(row["end_char"])
        if texts[sid][start:end] != row["surface"] or start >= end:
            problems.append(f"{where}:{line}: text[{start}:{end}] is not {row['surface']!r}")
        if row["type"] not in TYPES:
            problems.append(f"{where}:{line}: type {row['type']!r} not in {sorted(TYPES)}")
        if row["form"] not in FORMS:
            problems.append(f"{where}:{line}: form {row['form']!r} not in {sorted(FORMS)}")
        if not str(row["canonical"]).strip():
            problems.append(f"{where}:{line}: empty canonical name")
        for s, e in spans.get(sid, []):
            if start < e and s < end:
                problems.append(f"{where}:{line}: span {start}-{end} overlaps {s}-{e} in {sid}")
        spans.setdefault(sid, []).append((start, end))
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry; returns the exit status (1 when a check finds problems)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("sample")
    p_place = sub.add_parser("place")
    p_place.add_argument("draft", type=Path)
    p_place.add_argument("out", type=Path)
    p_neg = sub.add_parser("place-negatives")
    p_neg.add_argument("draft", type=Path)
    p_neg.add_argument("out", type=Path)
    p_check = sub.add_parser("check")
    p_check.add_argument("files", type=Path, nargs="*")
    args = parser.parse_args(argv)
    if args.command == "sample":
        rows = draw_sample()
        write_rows(SAMPLE_FILE, SAMPLE_COLUMNS, rows)
        print(f"wrote {len(rows)} comments to {SAMPLE_FILE}")
        return 0
    if args.command == "place":
        problems = place(args.draft, args.out)
        print(f"wrote {args.out}; {problems} problem(s)")
        return 1 if problems else 0
    if args.command == "place-negatives":
        problems = place_negatives(args.draft, args.out)
        print(f"wrote {args.out}; {problems} problem(s)")
        return 1 if problems else 0
    texts = read_sample()
    problems = []
    for path in args.files or sorted(GOLD_DIR.glob("annotations_*.csv")):
        problems += check_rows(texts, read_rows(path), str(path))
    print("\n".join(problems) or "all annotation rows check")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
