"""Certificates, renewal cycles on enrolments, and staff scope on users.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:40:46.528962

"""

import sqlalchemy as sa
from alembic import op

import sop_training.db

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("course_titles", sa.JSON(), nullable=False),
        sa.Column("sop_edition", sa.String(length=200), nullable=False),
        sa.Column("course_version", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("is_bilingual", sa.Boolean(), nullable=False),
        sa.Column("issued_at", sop_training.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sop_training.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "issued",
                "revoked",
                "superseded",
                name="certificatestate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("revoked_at", sop_training.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("reminded_90_at", sop_training.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_30_at", sop_training.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_certificates_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_certificates_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_certificates_region_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["certificates.id"],
            name=op.f("fk_certificates_superseded_by_id_certificates"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_certificates_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
        sa.UniqueConstraint("serial", name=op.f("uq_certificates_serial")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_course_id"), ["course_id"], unique=False)
        batch_op.create_index("ix_certificates_expires_at", ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_region_id"), ["region_id"], unique=False)
        batch_op.create_index("ix_certificates_user_course", ["user_id", "course_id"], unique=False)

    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quiz_passed_at", sop_training.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("cycle_started_at", sop_training.db.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope_region_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("scope_agency_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_users_scope_region_id_regions"), "regions", ["scope_region_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_users_scope_agency_id_agencies"), "agencies", ["scope_agency_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_users_scope_agency_id_agencies"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_users_scope_region_id_regions"), type_="foreignkey")
        batch_op.drop_column("scope_agency_id")
        batch_op.drop_column("scope_region_id")

    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_column("cycle_started_at")
        batch_op.drop_column("quiz_passed_at")

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_certificates_user_course")
        batch_op.drop_index(batch_op.f("ix_certificates_region_id"))
        batch_op.drop_index("ix_certificates_expires_at")
        batch_op.drop_index(batch_op.f("ix_certificates_course_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_agency_id"))

    op.drop_table("certificates")
