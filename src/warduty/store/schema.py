"""The database schema (SQLAlchemy Core). Migrations in ``migrations/versions`` must build exactly this.

Natural keys, never page hashes: a case is (court code, docket, case number as printed). Raw strings are
kept beside parsed values (``*_raw`` columns), and every crawled row points at the fetch (and so the WARC
record) it came from.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

courts = Table(
    "courts",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("level", String(16), nullable=False),
    Column("name_ru", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("seat_region_ru", Text, nullable=False),
    Column("seat_region_en", Text, nullable=False),
    Column("circuit", Text, nullable=False),
    Column("host", String(128)),
    Column("search_host", String(128)),
    Column("engine", String(16)),
    Column("captcha", Boolean, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),
    Column("plan", JSON),
    Column("statistics", JSON),
    Column("issues", JSON),
)

fetches = Table(
    "fetches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("court_code", String(16)),
    Column("url", Text, nullable=False),
    Column("status_code", Integer),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Column("sha256", String(64)),
    Column("warc_file", Text),
    Column("warc_offset", Integer),
    Column("page_state", String(32)),
    Column("error", Text),
    Index("ix_fetches_url", "url"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("court_code", String(16), ForeignKey("courts.code"), nullable=False),
    Column("docket", String(32), nullable=False),
    Column("case_number", String(64), nullable=False),
    Column("uid", String(64)),
    Column("site_case_id", String(64)),
    Column("card_url", Text),
    Column("received", Date),
    Column("received_raw", String(32)),
    Column("category", Text),
    Column("judge", Text),
    Column("decided", Date),
    Column("decided_raw", String(32)),
    Column("result", Text),
    Column("legal_force", Date),
    Column("legal_force_raw", String(32)),
    Column("status", String(32)),
    Column("first_seen_run", Integer, ForeignKey("runs.id")),
    Column("last_seen_run", Integer, ForeignKey("runs.id")),
    Column("changed_run", Integer, ForeignKey("runs.id")),
    Column("missing_since", Date),
    Column("fetch_id", Integer, ForeignKey("fetches.id")),
    Column("listing_signature", String(64)),  # digest of the listing row's fields, to see changes
    UniqueConstraint("court_code", "docket", "case_number", name="uq_cases_natural_key"),
    Index("ix_cases_received", "received"),
    Index("ix_cases_uid", "uid"),
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("articles_raw", Text),
    Column("decided", Date),
    Column("decided_raw", String(32)),
    Column("result", Text),
    UniqueConstraint("case_id", "position", name="uq_persons_case_position"),
)

person_articles = Table(
    "person_articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
    Column("article", String(16), nullable=False),
    Column("part", String(16), nullable=False, default=""),
    Column("point", String(4), nullable=False, default=""),
    Column("article_group", String(32), nullable=False),
    Column("wartime_part", Boolean, nullable=False),
    UniqueConstraint("person_id", "article", "part", "point", name="uq_person_articles_ref"),
    Index("ix_person_articles_article", "article"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("date", Date),
    Column("date_raw", String(32)),
    Column("time", String(8)),
    Column("place", Text),
    Column("result", Text),
    Column("basis", Text),
    Column("posted", Date),
    UniqueConstraint("case_id", "position", name="uq_events_case_position"),
)

acts = Table(
    "acts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", Text),
    Column("doc_url", Text),
    Column("published", Date),
    Column("text", Text),
    Column("verdict", JSON),
    Column("fetch_id", Integer, ForeignKey("fetches.id")),
    UniqueConstraint("case_id", "position", name="uq_acts_case_position"),
)

asylum_obs = Table(
    "asylum_obs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(32), nullable=False),
    Column("dataset", String(64), nullable=False),
    Column("citizen", String(16), nullable=False),
    Column("geo", String(16), nullable=False),
    Column("period", String(16), nullable=False),
    Column("applicant", String(16), nullable=False, default=""),
    Column("sex", String(8), nullable=False, default=""),
    Column("age", String(16), nullable=False, default=""),
    Column("decision", String(16), nullable=False, default=""),
    Column("unit", String(16), nullable=False, default=""),
    Column("value", Float),
    Column("flag", String(8), nullable=False, default=""),
    Column("vintage", String(32), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    UniqueConstraint(
        "source",
        "dataset",
        "citizen",
        "geo",
        "period",
        "applicant",
        "sex",
        "age",
        "decision",
        "unit",
        "vintage",
        name="uq_asylum_obs_cell_vintage",
    ),
)


# The crawl frontier: every page a run means to fetch, with its state, so a killed run resumes.
tasks = Table(
    "tasks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # search, card, doc, control
    Column("court_code", String(16), nullable=False),
    Column("url", Text, nullable=False),
    Column("payload", JSON),
    Column("state", String(16), nullable=False),  # pending, done, failed, deferred
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("fetch_id", Integer, ForeignKey("fetches.id")),
    UniqueConstraint("run_id", "url", name="uq_tasks_run_url"),
    Index("ix_tasks_run_state", "run_id", "state", "court_code"),
)

# One row per searched window: the counter the site printed and the rows the run read, to reconcile.
searches = Table(
    "searches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("court_code", String(16), nullable=False),
    Column("article", String(16), nullable=False),
    Column("received_from", Date, nullable=False),
    Column("received_to", Date, nullable=False),
    Column("total", Integer),
    Column("pages", Integer),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("pages_read", Integer, nullable=False, default=0),
    Column("state", String(16), nullable=False),  # open, complete, split, empty, skipped, failed
    Column("note", Text),
    UniqueConstraint(
        "run_id", "court_code", "article", "received_from", "received_to", name="uq_searches_window"
    ),
)

# -- alerts (warduty.alerts): what was noticed after a run, and which channel has delivered it ---------

alerts = Table(
    "alerts",
    metadata,
    Column("id", String(128), primary_key=True),  # stable: the same event never makes a second alert
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("link", Text, nullable=False),  # the evidence: a path of the dashboard/API (or a full URL)
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("details", JSON),
    Index("ix_alerts_created", "created_at"),
)

# One row per alert and push channel (webhook, email): "sent", or "failed" with the error (retried later).
alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("alert_id", String(128), ForeignKey("alerts.id"), primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("state", String(16), nullable=False),  # sent, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
