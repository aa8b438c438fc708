"""Present: figures (style sheet, finishing function, one chart each), report, explore helpers.

Nothing below this layer imports matplotlib; nothing here writes analysis tables.
"""
