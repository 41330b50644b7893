"""The one error type for bad input: it names the file, the line or entry,
the field, and what would be right. The build stops on it (the last good
output stays), and `invoke check` prints it in the same `file:line: field:
message` form."""

from __future__ import annotations

from pathlib import Path


class ContentError(ValueError):
    severity = "error"  # stops a build

    def __init__(self, path, field: str, message: str, line: int | None = None, entry: str | None = None):
        self.path = Path(path)
        self.field = field
        self.message = message
        self.line = line
        self.entry = entry
        super().__init__(str(self))

    def __reduce__(self):
        # Sent between processes (the build's checks run in forked ones).
        return (self.__class__, (self.path, self.field, self.message, self.line, self.entry))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        entry = f" [{self.entry}]" if self.entry else ""
        return f"{where}:{entry} {self.field}: {self.message}"


class ContentWarning(ContentError):
    """A problem to show, not to stop on: `invoke check` lists it as a
    warning and the build logs it."""

    severity = "warning"
