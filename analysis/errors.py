"""The project's one exception type and its subclasses.

Every message names the file, the line or record, and what was expected, so the command line can
print it on one line without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class DiscourseError(Exception):
    """Base class for every error the suite raises on purpose."""


class InputError(DiscourseError):
    """An input file or record is not what the reader expected.

    Attributes:
        path: the file.
        record: 1-based line or record number, or ``None`` when the problem is the whole file.
        reason: what was wrong and what was expected.
    """

    def __init__(
        self, path: str | Path, reason: str, *, record: int | None = None, unit: str = "line"
    ) -> None:
        self.path = str(path)
        self.record = record
        self.unit = unit
        self.reason = reason
        where = self.path if record is None else f"{self.path}, {unit} {record}"
        super().__init__(f"{where}: {reason}")


class FormatError(InputError):
    """The file's format could not be detected, or does not match the format asked for."""


class ModelNotFoundError(DiscourseError):
    """No spaCy English pipeline is installed."""


class StageInputError(DiscourseError):
    """A stage was given a table without the columns or rows it needs."""
