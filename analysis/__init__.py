"""Discourse analytics: compare a news article's framing with the comments posted under it.

Layers, bottom to top (a lower layer never imports a higher one):
``config``/``schema``/``errors`` -> ``text``/``readers``/``corpus`` (ingest) -> ``nlp``/``annotate``
-> ``compare`` -> ``figures`` -> ``report`` -> ``cli``.
"""

__version__ = "0.1.0"
