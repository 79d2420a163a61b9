"""The one error the page parsers raise."""

from __future__ import annotations


class PageFormatError(ValueError):
    """A page lacks a part its kind must have (a table, a tab, a header). ``reason`` names what is missing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
