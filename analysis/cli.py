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
from analysis.errors import EXIT_INTERNAL, error_message

WORKSPACE_HELP = (
    "the workspace folder: tables are read from and written to it, figures go to "
    "DIR/figures, the report to DIR/report.html (default: data/processed)"
)


def _add_stage_io(p: argparse.ArgumentParser, *, holds: str, csv: bool = True) -> None:
    """The options every table-reading stage shares: --out/--workdir, --in and --csv."""
    p.add_argument(
        "--out",
        "--workdir",
        dest="out",
        type=Path,
        default=None,
        metavar="DIR",
        help=WORKSPACE_HELP + "; with only --in given, the --in folder",
    )
    p.add_argument(
        "--in",
        dest="in_dir",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"read {holds} from another folder (default: --out)",
    )
    if csv:
        p.add_argument("--csv", action="store_true", help="also write CSV copies of the tables")


# --- ingest


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    from analysis.ingest.readers import FORMATS  # the registered readers (no heavy imports)

    p = sub.add_parser(
        "ingest",
        help="read threads (seed text, YouTube exports, CSV, JSON) into the corpus table",
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
        choices=["auto", *FORMATS],
        help="input format (default: detected from content)",
    )
    _add_ingest_threads(p)
    _add_ingest_reading(p)
    p.add_argument(
        "--out",
        "--workdir",
        dest="out",
        type=Path,
        default=config.PROCESSED_DIR,
        metavar="DIR",
        help=WORKSPACE_HELP,
    )
    p.add_argument("--csv", action="store_true", help="also write CSV copies of the tables")
    p.set_defaults(func=_cmd_ingest)


def _add_ingest_threads(p: argparse.ArgumentParser) -> None:
    """The ingest options that pair each INPUT with its article and thread id."""
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


def _add_ingest_reading(p: argparse.ArgumentParser) -> None:
    """The ingest options on how records are read: capture time, columns, errors, authors."""
    p.add_argument(
        "--captured-at",
        metavar="DATE",
        help="when the thread was captured (ISO date/time); relative times such as "
        "'6 months ago' become estimated dates",
    )
    p.add_argument(
        "--columns",
        metavar="MAP",
        help="CSV/JSON field mapping, e.g. 'text=body,id=comment_id,author=user,"
        "time=created,likes=upvotes,parent=reply_to' (text is required); thread=FIELD splits "
        "one file into threads, article_title=/article_text= build each thread's article",
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
    p.add_argument(
        "--scheduler",
        default="processes",
        metavar="processes|local-cluster|tcp://HOST:PORT",
        help="who parses: this machine's processes (default), a Dask LocalCluster of --workers "
        "processes, or an existing Dask cluster; the tables are the same",
    )
    p.add_argument(
        "--max-length",
        type=int,
        default=1_000_000,
        help="texts longer than this many characters are parsed in chunks (default 1000000)",
    )
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
        scheduler=args.scheduler,
        max_length=args.max_length,
        reuse=getattr(args, "reuse", False),
    )
    return 0


# --- compare


def _add_compare(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="article vs comments: agenda, tone, terms, topics, frames")
    _add_stage_io(p, holds="the corpus and annotation tables")
    p.add_argument("--seed", type=int, default=config.SEED, help="random seed for bootstraps/NMF")
    p.add_argument(
        "--topic-lexicon",
        type=Path,
        default=None,
        metavar="CSV",
        help="a topic,term CSV of your own guided topics (default: exploratory topics only)",
    )
    p.set_defaults(func=_cmd_compare)


def _cmd_compare(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.compare(
        in_dir=args.in_dir,
        out=args.out,
        seed=args.seed,
        csv=args.csv,
        topic_lexicon=args.topic_lexicon,
        reuse=getattr(args, "reuse", False),
    )
    return 0


# --- figures, report


def _add_thread_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--thread",
        dest="thread",
        action="append",
        default=[],
        metavar="ID",
        help="also draw this thread's figures on their own, in FIGURES/threads/ID "
        "(repeat for several)",
    )
    p.add_argument(
        "--per-thread",
        action="store_true",
        help="also draw every thread's figures on their own (several threads only)",
    )


def _add_report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--content-note",
        metavar="TEXT|FILE",
        help="note shown above quoted comments (text, or a file holding it); default: "
        "INPUT.note.md beside an input, else a neutral line",
    )
    p.add_argument(
        "--article-url",
        action="append",
        default=[],
        metavar="URL",
        help="the article's address, once per thread in input order (shown in the report and "
        "the captions)",
    )


def _add_figures(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "figures",
        help="the figures (PNG, SVG, CSV, caption) of a workspace",
        description="Draw every chart from the tables in the workspace into DIR/figures.",
    )
    _add_stage_io(p, holds="the comparison tables", csv=False)
    p.add_argument(
        "--figures",
        type=Path,
        default=None,
        metavar="DIR",
        help="write the figures here instead of DIR/figures",
    )
    _add_thread_options(p)
    p.set_defaults(func=_cmd_figures)


def _cmd_figures(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.figures(
        in_dir=args.in_dir,
        out=args.figures if args.figures is not None else Path(args.out) / "figures",
        thread_ids=args.thread,
        per_thread=args.per_thread,
    )
    return 0


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="one self-contained HTML report",
        description="Write one offline HTML page from a workspace's tables and figures.",
    )
    p.add_argument(
        "--out",
        "--workdir",
        dest="out",
        type=Path,
        default=None,
        metavar="DIR|FILE",
        help="the workspace (the report goes to DIR/report.html) or the report file itself "
        "(a name ending .html; tables are then read from its folder)",
    )
    p.add_argument(
        "--in",
        dest="in_dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="read the tables from another folder",
    )
    p.add_argument(
        "--figures",
        type=Path,
        default=None,
        metavar="DIR",
        help="figures folder (default: the workspace's figures/)",
    )
    _add_report_options(p)
    p.set_defaults(func=_cmd_report, keep_in_dir=True)


def _cmd_report(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.report(
        in_dir=args.in_dir,
        figures_dir=args.figures,
        out=args.out,
        content_note=args.content_note,
        article_urls=args.article_url,
    )
    return 0


# --- run

#: Options of the stages ``run`` chains that ``run`` defines itself.
_RUN_OWN = {"inputs", "out", "in_dir", "help", "func"}


def _stage_parser(add) -> argparse.ArgumentParser:
    """The parser one ``_add_<stage>`` function builds, on a scratch parser."""
    scratch = argparse.ArgumentParser(add_help=False).add_subparsers()
    add(scratch)
    return next(iter(scratch.choices.values()))


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="the main job: ingest, annotate, compare (+ conversation), figures, report",
        description="Every stage in one workspace; accepts the options of each stage it runs.",
    )
    p.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        default=None,
        metavar="INPUT",
        help="threads to run on (default: the bundled seed)",
    )
    p.add_argument(
        "--out",
        "--workdir",
        dest="out",
        type=Path,
        default=None,
        metavar="DIR",
        help=WORKSPACE_HELP + "; the bundled seed without --out draws the reference figures/",
    )
    p.add_argument(
        "--figures",
        type=Path,
        default=None,
        metavar="DIR",
        help="write the figures here instead of DIR/figures",
    )
    p.add_argument(
        "--until",
        choices=["ingest", "annotate", "compare", "figures", "report"],
        default="report",
        help="last stage to run (default: report)",
    )
    p.add_argument(
        "--no-csv", dest="csv", action="store_false", help="do not write CSV copies of the tables"
    )
    p.add_argument(
        "--rerun",
        dest="reuse",
        action="store_false",
        help="recompute every stage (default: annotate, compare and figures are skipped when "
        "their outputs are fresh: same inputs, options and code)",
    )
    # Every option of the chained stages, so options added to a stage reach `run` too.
    # argparse's own parents= mechanism does the same with these two calls.
    for add in (_add_ingest, _add_annotate, _add_compare):
        for action in _stage_parser(add)._actions:
            taken = any(o in p._option_string_actions for o in action.option_strings)
            if action.dest in _RUN_OWN or not action.option_strings or taken:
                continue
            p._add_action(action)
    _add_thread_options(p)
    _add_report_options(p)
    p.set_defaults(func=_cmd_run, csv=True)


def _cmd_run(args: argparse.Namespace) -> int:
    from analysis import pipeline
    from analysis.present.provenance import save_article_urls

    reference = args.out is None and not args.inputs
    args.inputs = list(args.inputs or [config.SEED_FILE])
    args.out = Path(args.out) if args.out is not None else config.PROCESSED_DIR
    args.in_dir = args.out
    figures_dir = args.figures or (config.FIGURES_DIR if reference else args.out / "figures")
    stop = pipeline.STAGES.index(args.until)
    for stage, command in enumerate((_cmd_ingest, _cmd_annotate, _cmd_compare)):
        if stage <= stop:
            command(args)
    if stop >= pipeline.STAGES.index("compare"):
        _cmd_conversation(args)  # the conversation and hostility tables, after compare
    if args.article_url:
        corpus = pipeline.load_tables(args.out, ["corpus"])["corpus"]
        save_article_urls(args.out, args.article_url, pipeline.thread_ids_of(corpus))
    if stop >= pipeline.STAGES.index("figures"):
        pipeline.figures(
            in_dir=args.out,
            out=figures_dir,
            thread_ids=args.thread,
            per_thread=args.per_thread,
            reuse=args.reuse,
        )
    if stop >= pipeline.STAGES.index("report"):
        pipeline.report(
            in_dir=args.out,
            figures_dir=figures_dir,
            out=args.out / "report.html",
            content_note=args.content_note,
        )
    print(f"workspace: {args.out}")
    return 0


# --- conversation, classify


def _add_conversation(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "conversation",
        help="replies, likes, time and the offline hostility score per comment",
        description="Reply structure, like-weighted tone, timeline and the hostility score; "
        "also writes reply_network.gexf/.graphml for Gephi.",
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


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line: inputs may follow options, and ``--in`` defaults to ``--out``.

    ``ingest a.csv --article a.txt b.csv --article b.txt`` gives the inputs ``[a.csv, b.csv]``
    and the articles ``[a.txt, b.txt]``, paired in order.
    """
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        if hasattr(args, "inputs") and not any(x.startswith("-") for x in extra):
            args.inputs = [*(args.inputs or []), *(Path(x) for x in extra)]
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if hasattr(args, "in_dir") and hasattr(args, "out"):
        # One workspace: each of --out and --in defaults to the other, both to data/processed.
        if args.out is None and args.in_dir is None:
            args.out = config.PROCESSED_DIR
        if args.out is None and not getattr(args, "keep_in_dir", False):
            args.out = args.in_dir
        if args.in_dir is None and not getattr(args, "keep_in_dir", False):
            args.in_dir = args.out
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 3 internal error)."""
    args = parse_args(argv)
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
