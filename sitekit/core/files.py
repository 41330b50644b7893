"""Reading content files as text."""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError


def read_text(path: str | Path) -> str:
    """A content file's text. A file that is not UTF-8 is a ContentError
    naming the line of the first bad byte and how to fix it."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            path,
            "encoding",
            f"byte {data[exc.start]:#04x} is not UTF-8; save the file as UTF-8 "
            "(in a spreadsheet: CSV UTF-8; in an editor: Save with encoding UTF-8)",
            line=line,
        ) from None
