"""Asylum applications by Russian citizens abroad: Eurostat, UNHCR and UK Home Office readers, vintages,
statistics and record statements."""

from warduty.asylum.errors import (
    AsylumDataError,
    ExtractionTooBigError,
    NoDataError,
    PayloadError,
    SourceError,
    StructureChangedError,
)
from warduty.asylum.load import detect_format, read_payload
from warduty.asylum.model import AsylumObservation, ReadResult
from warduty.asylum.records import RecordStatement, month_label, peak_month, record_statement
from warduty.asylum.snapshot import load_snapshot
from warduty.asylum.stats import (
    Destination,
    MonthValue,
    RecognitionRate,
    YearOnYear,
    YearTotal,
    annual_totals,
    monthly_series,
    recognition_rates,
    top_destinations,
    year_on_year,
)

__all__ = [
    "AsylumDataError",
    "AsylumObservation",
    "Destination",
    "ExtractionTooBigError",
    "MonthValue",
    "NoDataError",
    "PayloadError",
    "ReadResult",
    "RecognitionRate",
    "RecordStatement",
    "SourceError",
    "StructureChangedError",
    "YearOnYear",
    "YearTotal",
    "annual_totals",
    "detect_format",
    "load_snapshot",
    "month_label",
    "monthly_series",
    "peak_month",
    "read_payload",
    "recognition_rates",
    "record_statement",
    "top_destinations",
    "year_on_year",
]
