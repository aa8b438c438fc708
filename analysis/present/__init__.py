"""Present: the charts, the report, the notebook helpers.

- ``style.py`` and ``discourse.mplstyle``: the shared look; ``finish.py``: the finishing
  function (title, subtitle, source line; PNG, SVG, CSV, caption);
- ``charts/``: one module per chart, ``prepare(tables) -> ChartData`` and ``draw(ax, data)``,
  registered in ``charts.REGISTRY``; ``figures.py``: the ``plot_*`` calls notebooks use;
- ``report.py``, ``report_threads.py``, ``html.py``: the offline HTML report;
- ``provenance.py``: versions, sources per thread, content notes; ``explore.py``: summaries the
  notebooks show; ``labels.py``: numbers and words as printed.

Nothing below this layer imports matplotlib; nothing here writes analysis tables.
"""
