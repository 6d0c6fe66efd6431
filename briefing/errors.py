"""Every error a user can meet. The CLI turns `BriefingError` into a message and exit code 1."""

from __future__ import annotations

from dataclasses import dataclass, field


class BriefingError(Exception):
    """Root of every user-facing error: the message says what is wrong and where."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One located problem in a YAML source: FILE:LINE:COL: field.path: message."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass
class ValidationFailed(BriefingError):
    """The data has one or more problems; all of them are listed."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        BriefingError.__init__(self, "\n".join(str(p) for p in self.problems))


class EditError(Exception):
    """A YAML edit that cannot be made safely: a path that leads nowhere, text that would not
    read back. Callers say which file, and write nothing."""


class DocumentError(BriefingError):
    """A .docx that cannot be read safely: not a zip, not Word, encrypted, a bomb, hostile XML."""


class OutputExists(BriefingError):
    """The output file exists and --force was not given."""


class PendingRevisions(BriefingError):
    """The document still holds tracked changes or comments that must be cleared first."""


class Conflict(BriefingError):
    """The YAML moved on since the document was built and the same field changed on both sides."""


class WriteFailed(BriefingError):
    """An output could not be written (disk full, no permission); nothing was written."""
