"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "courts",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("name_ru", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("seat_region_ru", sa.Text(), nullable=False),
        sa.Column("seat_region_en", sa.Text(), nullable=False),
        sa.Column("circuit", sa.Text(), nullable=False),
        sa.Column("host", sa.String(length=128), nullable=True),
        sa.Column("search_host", sa.String(length=128), nullable=True),
        sa.Column("engine", sa.String(length=16), nullable=True),
        sa.Column("captcha", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_courts")),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("statistics", sa.JSON(), nullable=True),
        sa.Column("issues", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_table(
        "asylum_obs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("dataset", sa.String(length=64), nullable=False),
        sa.Column("citizen", sa.String(length=16), nullable=False),
        sa.Column("geo", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("applicant", sa.String(length=16), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=False),
        sa.Column("age", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("flag", sa.String(length=8), nullable=False),
        sa.Column("vintage", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_asylum_obs_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asylum_obs")),
        sa.UniqueConstraint(
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
    op.create_table(
        "fetches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("court_code", sa.String(length=16), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("warc_file", sa.Text(), nullable=True),
        sa.Column("warc_offset", sa.Integer(), nullable=True),
        sa.Column("page_state", sa.String(length=32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_fetches_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fetches")),
    )
    with op.batch_alter_table("fetches", schema=None) as batch_op:
        batch_op.create_index("ix_fetches_url", ["url"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("court_code", sa.String(length=16), nullable=False),
        sa.Column("docket", sa.String(length=32), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=True),
        sa.Column("site_case_id", sa.String(length=64), nullable=True),
        sa.Column("card_url", sa.Text(), nullable=True),
        sa.Column("received", sa.Date(), nullable=True),
        sa.Column("received_raw", sa.String(length=32), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("judge", sa.Text(), nullable=True),
        sa.Column("decided", sa.Date(), nullable=True),
        sa.Column("decided_raw", sa.String(length=32), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("legal_force", sa.Date(), nullable=True),
        sa.Column("legal_force_raw", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("first_seen_run", sa.Integer(), nullable=True),
        sa.Column("last_seen_run", sa.Integer(), nullable=True),
        sa.Column("changed_run", sa.Integer(), nullable=True),
        sa.Column("missing_since", sa.Date(), nullable=True),
        sa.Column("fetch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["changed_run"], ["runs.id"], name=op.f("fk_cases_changed_run_runs")),
        sa.ForeignKeyConstraint(["court_code"], ["courts.code"], name=op.f("fk_cases_court_code_courts")),
        sa.ForeignKeyConstraint(["fetch_id"], ["fetches.id"], name=op.f("fk_cases_fetch_id_fetches")),
        sa.ForeignKeyConstraint(["first_seen_run"], ["runs.id"], name=op.f("fk_cases_first_seen_run_runs")),
        sa.ForeignKeyConstraint(["last_seen_run"], ["runs.id"], name=op.f("fk_cases_last_seen_run_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("court_code", "docket", "case_number", name="uq_cases_natural_key"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_received", ["received"], unique=False)
        batch_op.create_index("ix_cases_uid", ["uid"], unique=False)

    op.create_table(
        "acts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("doc_url", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("verdict", sa.JSON(), nullable=True),
        sa.Column("fetch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_acts_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["fetch_id"], ["fetches.id"], name=op.f("fk_acts_fetch_id_fetches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acts")),
        sa.UniqueConstraint("case_id", "position", name="uq_acts_case_position"),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_raw", sa.String(length=32), nullable=True),
        sa.Column("time", sa.String(length=8), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.Column("posted", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("case_id", "position", name="uq_events_case_position"),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("articles_raw", sa.Text(), nullable=True),
        sa.Column("decided", sa.Date(), nullable=True),
        sa.Column("decided_raw", sa.String(length=32), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_persons_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
        sa.UniqueConstraint("case_id", "position", name="uq_persons_case_position"),
    )
    op.create_table(
        "person_articles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("article", sa.String(length=16), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("point", sa.String(length=4), nullable=False),
        sa.Column("article_group", sa.String(length=32), nullable=False),
        sa.Column("wartime_part", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_person_articles_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_articles")),
        sa.UniqueConstraint("person_id", "article", "part", "point", name="uq_person_articles_ref"),
    )
    with op.batch_alter_table("person_articles", schema=None) as batch_op:
        batch_op.create_index("ix_person_articles_article", ["article"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_articles", schema=None) as batch_op:
        batch_op.drop_index("ix_person_articles_article")

    op.drop_table("person_articles")
    op.drop_table("persons")
    op.drop_table("events")
    op.drop_table("acts")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_uid")
        batch_op.drop_index("ix_cases_received")

    op.drop_table("cases")
    with op.batch_alter_table("fetches", schema=None) as batch_op:
        batch_op.drop_index("ix_fetches_url")

    op.drop_table("fetches")
    op.drop_table("asylum_obs")
    op.drop_table("runs")
    op.drop_table("courts")
