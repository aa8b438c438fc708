"""Ingest: readers (one per input format) -> one corpus table per run.

:mod:`analysis.ingest.readers` reads each format into records, :mod:`analysis.ingest.corpus`
builds a thread's rows from them, :mod:`analysis.ingest.text` normalises text, and
:mod:`analysis.ingest.stage` is the stage (``discourse ingest``): it reads every input and writes
``corpus``, ``paragraphs`` and ``rejects``.
"""
