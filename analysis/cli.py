"""The ``discourse`` command line (also ``python -m analysis``).

Each sub-command is a thin wrapper around one stage's public function; errors the suite raises on
purpose (:class:`~analysis.errors.DiscourseError`) are printed on one line, without a traceback, and
the command exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from analysis import config
from analysis.errors import DiscourseError


def _add_stage_io(p: argparse.ArgumentParser, *, holds: str, csv: bool = True) -> None:
    """The options every table-reading stage shares: --in, --out and --csv."""
    p.add_argument(
        "--in",
        dest="in_dir",
        type=Path,
        default=config.PROCESSED_DIR,
        help=f"folder holding {holds}",
    )
    p.add_argument("--out", type=Path, default=None, help="output folder (default: --in)")
    if csv:
        p.add_argument("--csv", action="store_true", help="also write CSV copies of the tables")


# --- ingest


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help="read threads (seed text, YouTube exports, CSV) into the corpus table",
        description="Read one or more threads into one corpus table (Parquet, CSV on request).",
    )
    p.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="INPUT",
        help="comment files; for the seed format the article is inside the file",
    )
    p.add_argument(
        "--format",
        dest="fmt",
        default="auto",
        choices=["auto", "seed", "youtube-jsonl", "youtube-api", "csv"],
        help="input format (default: detected from content)",
    )
    p.add_argument(
        "--article",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="article text or Markdown (title on the first line); give once per "
        "non-seed INPUT, in the same order",
    )
    p.add_argument(
        "--thread-id",
        action="append",
        default=[],
        metavar="ID",
        help="thread id per INPUT (default: the input file's stem)",
    )
    p.add_argument(
        "--captured-at",
        metavar="DATE",
        help="when the thread was captured (ISO date/time); relative times such as "
        "'6 months ago' become estimated dates",
    )
    p.add_argument(
        "--columns",
        metavar="MAP",
        help="CSV column mapping, e.g. 'text=body,id=comment_id,author=user,"
        "time=created,likes=upvotes,parent=reply_to' (text is required)",
    )
    p.add_argument(
        "--on-error",
        choices=["stop", "skip"],
        default="stop",
        help="stop at the first malformed record (default) or write rejects.csv",
    )
    p.add_argument(
        "--keep-author-names",
        action="store_true",
        help="keep raw author names instead of salted pseudonyms (personal data!)",
    )
    p.add_argument("--out", type=Path, default=config.PROCESSED_DIR, help="output folder")
    p.add_argument("--csv", action="store_true", help="also write CSV copies of the tables")
    p.set_defaults(func=_cmd_ingest)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.ingest(
        args.inputs,
        out=args.out,
        articles=args.article,
        thread_ids=args.thread_id,
        fmt=args.fmt,
        captured_at=args.captured_at,
        columns=args.columns,
        on_error=args.on_error,
        keep_author_names=args.keep_author_names,
        csv=args.csv,
    )
    return 0


# --- annotate


def _add_annotate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("annotate", help="sentences, sentiment, entities and language per document")
    _add_stage_io(p, holds="corpus.parquet")
    p.add_argument("--workers", type=int, default=1, help="processes for spaCy (default 1)")
    p.add_argument("--batch-size", type=int, default=64, help="documents per nlp.pipe batch")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write the cache")
    p.set_defaults(func=_cmd_annotate)


def _cmd_annotate(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.annotate(
        in_dir=args.in_dir,
        out=args.out,
        workers=args.workers,
        batch_size=args.batch_size,
        use_cache=not args.no_cache,
        csv=args.csv,
    )
    return 0


# --- compare


def _add_compare(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="article vs comments: agenda, tone, terms, topics, frames")
    _add_stage_io(p, holds="the corpus and annotation tables")
    p.add_argument("--seed", type=int, default=config.SEED, help="random seed for bootstraps/NMF")
    p.set_defaults(func=_cmd_compare)


def _cmd_compare(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.compare(in_dir=args.in_dir, out=args.out, seed=args.seed, csv=args.csv)
    return 0


# --- figures, report


def _add_figures(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("figures", help="the reference figures (PNG, SVG, CSV, caption)")
    p.add_argument("--in", dest="in_dir", type=Path, default=config.PROCESSED_DIR)
    p.add_argument("--out", type=Path, default=config.FIGURES_DIR)
    p.set_defaults(func=_cmd_figures)


def _cmd_figures(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.figures(in_dir=args.in_dir, out=args.out, thread_id=getattr(args, "thread_id", None))
    return 0


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="one self-contained HTML report")
    p.add_argument("--in", dest="in_dir", type=Path, default=config.PROCESSED_DIR)
    p.add_argument("--figures", type=Path, default=config.FIGURES_DIR)
    p.add_argument("--out", type=Path, default=config.PROCESSED_DIR / "report.html")
    p.set_defaults(func=_cmd_report)


def _cmd_report(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.report(in_dir=args.in_dir, figures_dir=args.figures, out=args.out)
    return 0


# --- run


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="the main job: ingest, annotate, compare, figures, report")
    p.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        default=[config.SEED_FILE],
        metavar="INPUT",
        help="threads to run on (default: the bundled seed)",
    )
    p.add_argument(
        "--article",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="article file per non-seed INPUT, in the same order",
    )
    p.add_argument("--out", type=Path, default=config.PROCESSED_DIR)
    p.add_argument("--figures", type=Path, default=config.FIGURES_DIR)
    p.add_argument(
        "--until",
        choices=["ingest", "annotate", "compare", "figures", "report"],
        default="report",
        help="last stage to run",
    )
    p.set_defaults(func=_cmd_run)


def _cmd_run(args: argparse.Namespace) -> int:
    from analysis import pipeline

    return pipeline.run_all(
        args.inputs,
        out=args.out,
        figures_dir=args.figures,
        articles=args.article,
        until=args.until,
    )


# --- conversation, classify


def _add_conversation(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "conversation",
        help="replies, likes, time and the offline hostility score per comment",
    )
    _add_stage_io(p, holds="corpus.parquet (and documents.parquet for tone)")
    p.add_argument("--seed", type=int, default=config.SEED, help="random seed for bootstraps")
    p.set_defaults(func=_cmd_conversation)


def _cmd_conversation(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.conversation(in_dir=args.in_dir, out=args.out, seed=args.seed, csv=args.csv)
    return 0


def _coder_pair(value: str) -> tuple[str, str]:
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError("expected two column names, e.g. coder_a,coder_b")
    return parts[0], parts[1]


def _add_classify(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "classify",
        help="train a classifier on your own coding and apply it to every comment",
        description="Train TF-IDF + logistic regression on a coded sample (CSV of doc_id or "
        "source_id and codes), print cross-validated figures, write the labels table and a "
        "sample for a second coder.",
    )
    _add_stage_io(p, holds="corpus.parquet")
    p.add_argument("--labels", type=Path, required=True, metavar="CSV", help="the coding file")
    p.add_argument("--label", required=True, metavar="NAME", help="the coding column to train on")
    p.add_argument(
        "--coders",
        type=_coder_pair,
        metavar="A,B",
        help="two coders' columns of the coding file: report Cohen's kappa",
    )
    p.add_argument(
        "--second-coder",
        type=int,
        default=50,
        metavar="N",
        help="comments in the stratified sample for a second coder (0: none; default 50)",
    )
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    p.add_argument("--seed", type=int, default=config.SEED, help="random seed")
    p.set_defaults(func=_cmd_classify)


def _cmd_classify(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.classify(
        args.labels,
        label=args.label,
        in_dir=args.in_dir,
        out=args.out,
        coders=args.coders,
        sample_size=args.second_coder,
        folds=args.folds,
        seed=args.seed,
        csv=args.csv,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="discourse",
        description="Compare how a news article frames a story with how its commenters react.",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the full traceback of an internal error (exit status 3)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_ingest, _add_annotate, _add_compare, _add_figures, _add_report, _add_run):
        add(sub)
    for add in (_add_conversation, _add_classify):
        add(sub)
    return parser


#: Exit statuses: a problem with the input or the options (the suite's own errors) and an
#: internal error (a bug: the traceback is shown under ``--debug``).
EXIT_INPUT, EXIT_INTERNAL = 2, 3


def error_message(command: str, exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit status for an exception raised by a stage.

    The suite's own errors (:class:`~analysis.errors.DiscourseError`) name the file, the record
    and what was expected: they are printed as they are, with status 2. Anything else is a bug:
    one line naming the exception, with status 3.
    """
    if isinstance(exc, DiscourseError):
        return f"discourse {command}: error: {exc}", EXIT_INPUT
    text = " ".join(str(exc).split()) or "(no message)"
    return (
        f"discourse {command}: internal error: {type(exc).__name__}: {text} "
        "(rerun with --debug for the traceback)",
        EXIT_INTERNAL,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 3 internal error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        message, status = error_message(args.command, exc)
        if args.debug and status == EXIT_INTERNAL:
            traceback.print_exc()
        print(message, file=sys.stderr)
        return status


if __name__ == "__main__":
    raise SystemExit(main())
