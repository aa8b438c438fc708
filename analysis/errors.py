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


class OutputError(DiscourseError):
    """An output path cannot be written (a file where a folder is expected, no permission...).

    Attributes:
        path: the file or folder that could not be written.
        reason: what was wrong and what was expected.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def output_error(path: str | Path, exc: OSError, *, folder: bool) -> OutputError:
    """The :class:`OutputError` for an ``OSError`` raised while writing ``path``.

    Args:
        path: the file or folder being written.
        exc: the error the operating system gave.
        folder: ``path`` should be a folder (the output folder) rather than a file.
    """
    kind = "folder" if folder else "file"
    if isinstance(exc, FileExistsError | NotADirectoryError) and folder:
        reason = (
            "is a file, or lies under one; expected a folder for the outputs (give --out a "
            "folder path)"
        )
    elif isinstance(exc, NotADirectoryError):
        reason = f"a part of the path is a file, not a folder; expected a writable {kind} path"
    elif isinstance(exc, IsADirectoryError):
        reason = f"is a folder; expected a {kind} path to write"
    elif isinstance(exc, PermissionError):
        reason = f"permission denied; expected a writable {kind}"
    else:
        reason = f"cannot write ({exc.strerror or exc}); expected a writable {kind}"
    return OutputError(path, reason)


#: Exit statuses: a problem with the input or the options (the suite's own errors) and an
#: internal error (a bug: the traceback is shown under ``--debug``).
EXIT_INPUT, EXIT_INTERNAL = 2, 3


def error_message(command: str, exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit status for an exception raised by a stage.

    The suite's own errors (:class:`~analysis.errors.DiscourseError`) name the file, the record
    and what was expected: they are printed as they are, with status 2. Anything else is a bug:
    one line naming the exception, with status 3.
    """
    if isinstance(exc, DiscourseError):
        return f"discourse {command}: error: {exc}", EXIT_INPUT
    text = " ".join(str(exc).split()) or "(no message)"
    return (
        f"discourse {command}: internal error: {type(exc).__name__}: {text} "
        "(rerun with --debug for the traceback)",
        EXIT_INTERNAL,
    )
