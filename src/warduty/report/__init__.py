"""Briefings (EN/RU, Markdown/HTML) with charts and figures.json, and exports (CSV, Parquet, SQLite)."""

from warduty.report.briefing import Briefing, build_briefing, build_briefings
from warduty.stats.figures import BriefingData, Figure

__all__ = ["Briefing", "BriefingData", "Figure", "build_briefing", "build_briefings"]
