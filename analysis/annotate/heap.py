"""The C allocator's settings in a Dask worker that a nanny started.

Dask's nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536`` in its environment
(``distributed.nanny.pre-spawn-environ``), so that glibc gives freed memory back to the system
early. A worker *spawned* with it (every worker of a ``dask worker`` command, hence of a
``tcp://`` cluster) reads it when it starts, and glibc then also fixes its mmap threshold at the
128 KiB default instead of raising it as a program's allocations grow. Annotation makes and frees
many blocks of a few hundred KiB (spaCy's arrays per batch), so each became a fresh ``mmap`` and
page faults: on 1,500 comments 4.7 times the minor page faults and 25% more CPU seconds than the
same work without the variable (``bench/bench_cluster.py`` showed it as the ``tcp://`` workers'
extra CPU). A worker *forked* from a loaded process (``local-cluster``) is not affected: glibc
read its settings before the variable was set.

:func:`restore_allocator` sets the two thresholds back to values near glibc's own dynamic
defaults with ``mallopt(3)``, the C library's public interface. It changes how memory is
obtained, never a result; measured peak RSS on the same 1,500 comments: 503 against 505 MB.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

#: ``mallopt`` parameter numbers (glibc ``malloc.h``).
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
#: Keep up to 4 MiB free at the top of the heap before trimming it.
TRIM_THRESHOLD = 4 * 1024 * 1024
#: Serve blocks under 32 MiB from the heap (glibc's ceiling for its dynamic threshold on 64 bits).
MMAP_THRESHOLD = 32 * 1024 * 1024
ENV = "MALLOC_TRIM_THRESHOLD_"


def restore_allocator() -> bool:
    """In a process started with a small ``MALLOC_TRIM_THRESHOLD_`` (below
    :data:`TRIM_THRESHOLD`) on glibc, raise the trim and mmap thresholds (module docstring).

    Returns:
        True when both thresholds were set; False when there was nothing to do (no such
        variable, a large one, not Linux) or the C library has no ``mallopt``.
    """
    value = os.environ.get(ENV, "")
    if not sys.platform.startswith("linux") or not value.isdigit():
        return False
    if int(value) >= TRIM_THRESHOLD:
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) and mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    )
