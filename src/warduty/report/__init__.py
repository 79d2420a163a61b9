"""Briefings (EN/RU, Markdown/HTML) with charts and figures.json, and exports (CSV, Parquet, SQLite)."""

from warduty.report.briefing import Briefing, build_briefing
from warduty.report.figures import BriefingData, Figure
from warduty.report.pseudonym import pseudonym

__all__ = ["Briefing", "BriefingData", "Figure", "build_briefing", "pseudonym"]
