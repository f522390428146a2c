"""LTI launch contexts and the queue of scores for platforms' gradebooks.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 18:48:02.870957

"""

import sqlalchemy as sa
from alembic import op

import sop_training.db

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lti_launch_contexts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("deployment_id", sa.String(length=300), nullable=False),
        sa.Column("resource_link_id", sa.String(length=300), nullable=False),
        sa.Column("course_slug", sa.String(length=80), nullable=True),
        sa.Column("quiz_slug", sa.String(length=80), nullable=True),
        sa.Column("lineitem_url", sa.String(length=1000), nullable=True),
        sa.Column("ags_scopes", sa.JSON(), nullable=False),
        sa.Column("context_title", sa.String(length=300), nullable=True),
        sa.Column("memberships_url", sa.String(length=1000), nullable=True),
        sa.Column("launched_at", sop_training.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["lti_platforms.id"],
            name=op.f("fk_lti_launch_contexts_platform_id_lti_platforms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_lti_launch_contexts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_launch_contexts")),
        sa.UniqueConstraint(
            "platform_id", "user_id", "resource_link_id", name="uq_lti_launch_contexts_link"
        ),
    )
    with op.batch_alter_table("lti_launch_contexts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lti_launch_contexts_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "lti_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("context_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=80), nullable=False),
        sa.Column("score_given", sa.Float(), nullable=False),
        sa.Column("score_maximum", sa.Float(), nullable=False),
        sa.Column("activity_progress", sa.String(length=32), nullable=False),
        sa.Column("grading_progress", sa.String(length=32), nullable=False),
        sa.Column("scored_at", sop_training.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sop_training.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_lti_scores_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["context_id"],
            ["lti_launch_contexts.id"],
            name=op.f("fk_lti_scores_context_id_lti_launch_contexts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_scores")),
        sa.UniqueConstraint("context_id", "event", name="uq_lti_scores_context_event"),
    )
    with op.batch_alter_table("lti_scores", schema=None) as batch_op:
        batch_op.create_index("ix_lti_scores_pending", ["sent_at"], unique=False)


def downgrade():
    with op.batch_alter_table("lti_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_lti_scores_pending")

    op.drop_table("lti_scores")
    with op.batch_alter_table("lti_launch_contexts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_launch_contexts_user_id"))

    op.drop_table("lti_launch_contexts")
