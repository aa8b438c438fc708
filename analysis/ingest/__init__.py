"""Ingest: readers (one per input format) -> one corpus table per run.

:mod:`analysis.ingest.readers` holds one module per format behind a registry,
:mod:`analysis.ingest.parsers` the counts, dates and text checks every reader shares,
:mod:`analysis.ingest.corpus` builds a thread's rows from records, :mod:`analysis.ingest.text`
normalises text, and :mod:`analysis.ingest.stage` is the stage (``discourse ingest``): it reads
every input and writes ``corpus``, ``paragraphs`` and ``rejects``.
"""
