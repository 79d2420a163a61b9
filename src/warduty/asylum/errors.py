"""Typed errors of the asylum readers and fetch path. Each message says what was wrong and where."""

from __future__ import annotations


class AsylumDataError(ValueError):
    """A payload or request about asylum data could not be used."""


class PayloadError(AsylumDataError):
    """The bytes are not a well-formed payload of the expected format (truncated, mis-encoded, ...)."""


class StructureChangedError(AsylumDataError):
    """A dimension or code differs from the dataset structure this reader knows: fail loudly, not guess."""


class NoDataError(AsylumDataError):
    """A valid query that matched no data (Eurostat answers with a header-only SDMX-CSV)."""


class SourceError(AsylumDataError):
    """The source answered with an error: a SOAP fault, a JSON error object or an HTTP error status."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class ExtractionTooBigError(SourceError):
    """Eurostat refused the query as too large (HTTP 413 EXTRACTION_TOO_BIG) even after splitting it."""
