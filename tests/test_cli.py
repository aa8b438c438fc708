"""The command line: one workspace per run, every stage's options on `run`, help everywhere."""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from thread_files import write_two_threads

from analysis import cli, config
from analysis.errors import EXIT_INPUT
from analysis.pipeline import report_paths


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_option_of_every_command_has_help_text():
    parser = cli.build_parser()
    for name, sub in _subparsers(parser).items():
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help and action.help.strip(), (
                f"{name} {action.option_strings or action.dest}"
            )


def test_inputs_and_articles_may_interleave_and_pair_in_order():
    args = cli.parse_args(["ingest", "a.csv", "--article", "a.txt", "b.csv", "--article", "b.txt"])
    assert args.inputs == [Path("a.csv"), Path("b.csv")]
    assert args.article == [Path("a.txt"), Path("b.txt")]
    run = cli.parse_args(["run", "a.csv", "--article", "a.txt", "b.csv", "--article", "b.txt"])
    assert run.inputs == [Path("a.csv"), Path("b.csv")] and run.article == args.article
    with pytest.raises(SystemExit):
        cli.parse_args(["ingest", "a.csv", "--no-such-option"])


def test_run_accepts_the_options_of_every_stage_it_runs():
    args = cli.parse_args(
        [
            "run", "in.csv", "--article", "a.md", "--columns", "text=body",
            "--captured-at", "2024-05-01", "--format", "csv", "--workers", "2", "--seed", "7",
            "--thread-id", "mine", "--on-error", "skip", "--csv", "--batch-size", "8",
            "--no-cache", "--keep-author-names", "--per-thread", "--thread", "mine",
            "--content-note", "note", "--article-url", "https://example.org/a",
            "--workdir", "ws",
        ]
    )  # fmt: skip
    assert (args.columns, args.captured_at, args.fmt) == ("text=body", "2024-05-01", "csv")
    assert (args.workers, args.seed, args.batch_size, args.no_cache) == (2, 7, 8, True)
    assert (args.thread_id, args.on_error, args.csv, args.out) == (
        ["mine"],
        "skip",
        True,
        Path("ws"),
    )
    assert args.thread == ["mine"] and args.per_thread and args.article_url


def test_every_stage_reads_from_its_workspace_by_default():
    for command in ("annotate", "compare", "figures"):
        args = cli.parse_args([command, "--workdir", "ws"])
        assert args.out == Path("ws") and args.in_dir == Path("ws"), command
    args = cli.parse_args(["annotate", "--out", "ws", "--in", "elsewhere"])
    assert args.in_dir == Path("elsewhere")
    # only --in: that folder is the workspace (never data/processed behind the user's back)
    args = cli.parse_args(["compare", "--in", "elsewhere"])
    assert args.out == Path("elsewhere")
    assert cli.parse_args(["annotate"]).out == config.PROCESSED_DIR


def test_report_out_is_a_folder_or_a_file(tmp_path):
    assert report_paths(tmp_path, None, None) == (
        tmp_path,
        tmp_path / "figures",
        tmp_path / "report.html",
    )
    target = tmp_path / "sub" / "r.html"
    assert report_paths(target, None, None) == (target.parent, target.parent / "figures", target)


def test_report_on_an_empty_folder_is_a_clear_error(tmp_path, capsys):
    status = cli.main(["report", "--out", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == EXIT_INPUT and len(err) == 1
    assert "no corpus table" in err[0] and str(tmp_path) in err[0]
    assert not (tmp_path / "report.html").exists()


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_run_in_a_repository_folder_leaves_figures_and_git_clean(tmp_path):
    inputs, articles = write_two_threads(tmp_path / "in")
    before = _tree_digest(config.FIGURES_DIR)
    status_before = subprocess.run(
        ["git", "status", "--porcelain"], cwd=config.ROOT, capture_output=True, text=True
    ).stdout
    out = config.PROCESSED_DIR / f"test-{uuid.uuid4().hex[:8]}"
    try:
        command = [
            sys.executable, "-m", "analysis", "run",
            str(inputs[0]), "--article", str(articles[0]),
            str(inputs[1]), "--article", str(articles[1]),
            "--columns", "text=text,id=comment_id,author=author",
            "--captured-at", "2024-05-01", "--out", str(out),
        ]  # fmt: skip
        done = subprocess.run(command, cwd=config.ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert (out / "report.html").is_file() and (out / "figures" / "manifest.json").is_file()
        assert (out / "corpus.parquet").is_file()
        for variant in (out, out / "again.html"):
            again = cli.main(["report", "--out", str(variant)])
            assert again == 0
        assert (out / "again.html").is_file()
        assert _tree_digest(config.FIGURES_DIR) == before
        status_after = subprocess.run(
            ["git", "status", "--porcelain"], cwd=config.ROOT, capture_output=True, text=True
        ).stdout
        assert status_after == status_before
    finally:
        shutil.rmtree(out, ignore_errors=True)
