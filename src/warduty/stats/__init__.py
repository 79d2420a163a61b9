"""Statistics over the stored court records: monthly series by article, court, region and circuit,
outcome and sentence mixes, records, working-day rates, regional rankings and the nowcast."""

from warduty.stats.calendar import CalendarError, CalendarRangeError, is_working_day, working_days
from warduty.stats.definitions import DEFINITIONS, MOBILISATION_START, Filters, Metric
from warduty.stats.lags import posting_lags
from warduty.stats.months import MonthError, month_range, parse_month
from warduty.stats.nowcast import (
    LagDistribution,
    Nowcast,
    NowcastError,
    estimate_lags,
    nowcast,
    reference_distributions,
)
from warduty.stats.outcomes import OUTCOMES, Outcome, classify_outcome
from warduty.stats.query import DIMENSIONS, Dimension
from warduty.stats.records import Record, first_time_above, record
from warduty.stats.regions import MoscowReading, RegionCount, region_ranking
from warduty.stats.series import (
    Count,
    MonthCount,
    count,
    monthly_series,
    per_working_day,
    running_totals,
    total,
)
from warduty.stats.shares import SentenceMix, Share, outcome_mix, sentence_mix

__all__ = [
    "DEFINITIONS",
    "DIMENSIONS",
    "MOBILISATION_START",
    "OUTCOMES",
    "CalendarError",
    "CalendarRangeError",
    "Count",
    "Dimension",
    "Filters",
    "LagDistribution",
    "Metric",
    "MonthCount",
    "MonthError",
    "MoscowReading",
    "Nowcast",
    "NowcastError",
    "Outcome",
    "Record",
    "RegionCount",
    "SentenceMix",
    "Share",
    "classify_outcome",
    "count",
    "estimate_lags",
    "first_time_above",
    "is_working_day",
    "month_range",
    "monthly_series",
    "nowcast",
    "outcome_mix",
    "parse_month",
    "per_working_day",
    "posting_lags",
    "record",
    "reference_distributions",
    "region_ranking",
    "running_totals",
    "sentence_mix",
    "total",
    "working_days",
]
