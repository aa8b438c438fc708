"""``python -m analysis`` is the same as the ``discourse`` command."""

from analysis.cli import main

raise SystemExit(main())
