"""crawl frontier, searched windows, listing signatures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.add_column(sa.Column("listing_signature", sa.String(length=64), nullable=True))
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("court_code", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("fetch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["fetch_id"], ["fetches.id"], name=op.f("fk_tasks_fetch_id_fetches")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_tasks_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("run_id", "url", name="uq_tasks_run_url"),
    )
    op.create_index("ix_tasks_run_state", "tasks", ["run_id", "state", "court_code"], unique=False)
    op.create_table(
        "searches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("court_code", sa.String(length=16), nullable=False),
        sa.Column("article", sa.String(length=16), nullable=False),
        sa.Column("received_from", sa.Date(), nullable=False),
        sa.Column("received_to", sa.Date(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("pages_read", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_searches_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_searches")),
        sa.UniqueConstraint(
            "run_id", "court_code", "article", "received_from", "received_to", name="uq_searches_window"
        ),
    )


def downgrade() -> None:
    op.drop_table("searches")
    op.drop_index("ix_tasks_run_state", table_name="tasks")
    op.drop_table("tasks")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_column("listing_signature")
