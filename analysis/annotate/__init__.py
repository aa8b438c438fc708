"""Annotate: spaCy sentences and entities, VADER sentiment, language, cached per text.

:mod:`~analysis.annotate.nlp` loads the pipeline, :mod:`~analysis.annotate.sentiment` and
:mod:`~analysis.annotate.language` score texts, :mod:`~analysis.annotate.cache` stores parse
records, :mod:`~analysis.annotate.engine` runs the stage, and :mod:`~analysis.annotate.protocol`
declares what it needs of an entity linker (passed in; annotation never imports linking).
"""
