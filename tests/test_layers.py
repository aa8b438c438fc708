"""The architecture as contracts: import-linter's layers and forbidden imports (pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analysis import config


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--config", str(config.ROOT / "pyproject.toml")],
        cwd=config.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "BROKEN" not in done.stdout and done.stdout.count("KEPT") >= 4


def test_only_cli_parses_arguments() -> None:
    """Belt and braces for the argparse contract: no other module even names it."""
    offenders = [
        p.relative_to(config.ROOT).as_posix()
        for p in (config.ROOT / "analysis").rglob("*.py")
        if p.name != "cli.py" and "argparse" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
