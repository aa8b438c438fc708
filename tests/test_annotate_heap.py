"""The allocator settings a spawned Dask worker gets back (analysis.annotate.heap).

Each case runs in a fresh interpreter, since glibc reads ``MALLOC_TRIM_THRESHOLD_`` when a process
starts. Allocating and freeing a 300 KiB block many times costs a fresh ``mmap`` and its page
faults each time under the nanny's 64 KiB setting, and almost nothing once the thresholds are
raised again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")

CHURN = """
import resource, sys
sys.path.insert(0, {root!r})
from analysis.annotate.heap import restore_allocator
restored = restore_allocator() if {restore} else False
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3000):
    block = bytearray(300_000)
    del block
print(int(restored), resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def churn(trim: str | None, restore: bool) -> tuple[bool, int]:
    """(restored, minor page faults) of the churn loop in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    if trim is not None:
        env["MALLOC_TRIM_THRESHOLD_"] = trim
    code = CHURN.format(root=str(ROOT), restore=restore)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    restored, faults = out.stdout.split()
    return restored == "1", int(faults)


def test_nanny_setting_makes_every_block_fault_and_restoring_stops_it():
    _, nanny = churn("65536", restore=False)
    restored, fixed = churn("65536", restore=True)
    assert restored
    # 3,000 blocks of 74 pages each: ~220k faults when every block is a fresh mmap
    assert nanny > 100_000
    assert fixed < nanny / 20


def test_nothing_to_do_without_a_small_threshold():
    assert churn(None, restore=True)[0] is False
    assert churn(str(64 * 1024 * 1024), restore=True)[0] is False
    assert churn("not-a-number", restore=True)[0] is False
