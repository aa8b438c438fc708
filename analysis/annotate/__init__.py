"""Annotate: spaCy sentences and entities, VADER sentiment, language, cached per text.

:mod:`~analysis.annotate.stage` is the entry point (``annotate_corpus``, ``annotate_dir``);
:mod:`~analysis.annotate.engine` runs the passes over partitions of documents, using
:mod:`~analysis.annotate.partitions` (the corpus as the engine reads it),
:mod:`~analysis.annotate.parse` (texts to records, on processes or Dask),
:mod:`~analysis.annotate.build` (rows and linking per thread) and
:mod:`~analysis.annotate.sinks` (memory or Parquet). :mod:`~analysis.annotate.nlp` loads the
pipeline and :mod:`~analysis.annotate.components` adds the suite's components;
:mod:`~analysis.annotate.longtext` handles texts beyond ``max_length`` and long runs without
whitespace; :mod:`~analysis.annotate.sentiment` and :mod:`~analysis.annotate.language` score
texts; :mod:`~analysis.annotate.cache` stores parse records; and
:mod:`~analysis.annotate.protocol` declares what it needs of an entity linker (passed in;
annotation never imports linking).
"""
