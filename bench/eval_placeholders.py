"""Evaluation: how often the placeholder rule flags real comments, beside an exact-match baseline.

The dev data holds no deleted/removed notices, so what can be measured on it is the false-positive
side: every real comment (Fox News dev threads, YouTube spam collection, YouTube API pages, and
the WNUT-17 dev sentences as extra social-media text) is a negative, and each flagged one is
printed for inspection. The positive side is checked on notice wordings written from the
platforms' help pages (Reddit, YouTube, Disqus, WordPress, news-site moderation), kept apart from
the tests' examples; this is a smoke check of coverage, not a recall estimate on real threads.
Baseline: exact match of the two Reddit markers ``[deleted]`` / ``[removed]``.

    .venv/bin/python bench/eval_placeholders.py
"""

from __future__ import annotations

import csv
import json
import sys

from analysis import config
from analysis.ingest.placeholders import is_placeholder
from analysis.ingest.text import normalise_text

DEVDATA = config.ROOT.parent / "shared" / "devdata"

NOTICES = [
    "[deleted]",
    "[removed]",
    "[ Removed by Reddit ]",
    "[ Removed by moderator ]",
    "Comment deleted by user",
    "This comment has been removed by the moderator.",
    "This comment was deleted.",
    "This comment has been deleted by its author.",
    "Comment removed",
    "This message has been hidden",
    "This comment is awaiting moderation.",
    "Your comment is awaiting moderation.",
    "This comment was flagged by the community",
    "This comment violated our Community Standards.",
    "This comment has been withheld",
    "Post removed by admin",
]


def _baseline(text: str) -> bool:
    return text.strip().lower() in {"[deleted]", "[removed]"}


def _real_comments() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    fox = DEVDATA / "fox_news" / "fox-news-comments-dev.jsonl"
    for line in fox.read_text(encoding="utf-8").splitlines():
        if line.strip():
            texts.append(("fox_news", json.loads(line)["text"]))
    for path in sorted((DEVDATA / "youtube_spam").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [("youtube_spam", row["CONTENT"]) for row in csv.DictReader(handle)]
    for path in sorted((DEVDATA / "youtube_api").rglob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")).get("items", []):
            snippet = item.get("snippet", {})
            top = snippet.get("topLevelComment", {}).get("snippet", snippet)
            if "textOriginal" in top:
                texts.append(("youtube_api", top["textOriginal"]))
    sentence: list[str] = []
    for line in (
        (DEVDATA / "wnut17" / "emerging.dev.conll").read_text(encoding="utf-8").splitlines()
    ):
        if line.strip():
            sentence.append(line.split("\t")[0])
        elif sentence:
            texts.append(("wnut17", " ".join(sentence)))
            sentence = []
    return texts


def main() -> int:
    if not DEVDATA.is_dir():
        print(f"dev data not found at {DEVDATA}", file=sys.stderr)
        return 1
    texts = _real_comments()
    flagged = [(src, t) for src, t in texts if is_placeholder(normalise_text(t))]
    base = [(src, t) for src, t in texts if _baseline(normalise_text(t))]
    print(f"real comments/sentences (negatives): {len(texts)}")
    print(f"  rule flags {len(flagged)} (false-positive rate {len(flagged) / len(texts):.4f})")
    print(f"  baseline flags {len(base)} (false-positive rate {len(base) / len(texts):.4f})")
    for src, text in flagged:
        print(f"    flagged [{src}]: {text[:100]!r}")
    hits = sum(is_placeholder(normalise_text(t)) for t in NOTICES)
    base_hits = sum(_baseline(normalise_text(t)) for t in NOTICES)
    print(f"platform notice wordings (positives): {len(NOTICES)}")
    print(f"  rule flags {hits} (recall {hits / len(NOTICES):.2f})")
    print(f"  baseline flags {base_hits} (recall {base_hits / len(NOTICES):.2f})")
    for text in NOTICES:
        if not is_placeholder(normalise_text(text)):
            print(f"    missed: {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
