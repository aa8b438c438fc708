"""Classify: classifiers trained on a researcher's own coded sample (to be built).

The interface this package will offer (issue: conversation and hostility):

- ``train(documents, labels, *, label, seed) -> Model``: ``labels`` is a table of ``doc_id`` (or
  ``source_id``) and a code per document; the model is transparent (TF-IDF + logistic regression)
  and carries its cross-validated ROC AUC, F1 and per-class precision/recall with intervals.
- ``apply(model, documents) -> labels table``: one row per document with the probability, the
  predicted code and whether the document was in the training sample.
- ``second_coder_sample(labels, *, n, seed)`` and ``agreement(coder_a, coder_b)``.

It sits above :mod:`analysis.compare`'s inputs and below :mod:`analysis.present`; it never imports
matplotlib or the command line.
"""
