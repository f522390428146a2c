"""Regions, agencies and user accounts."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import Base, TimestampMixin, enum_column, utcnow


class Role(enum.Enum):
    """What a user may do: learn, teach, read reports, administer."""

    TRAINEE = "trainee"
    TRAINER = "trainer"
    REPORTER = "reporter"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.TRAINER: _l("Trainer"),
    Role.REPORTER: _l("Reporter"),
    Role.ADMIN: _l("Administrator"),
}


class AgencyType(enum.Enum):
    """The kinds of institution that take part in the referral mechanism."""

    POLICE = "police"
    PROSECUTION = "prosecution"
    SOCIAL_SERVICES = "social_services"
    HEALTH = "health"
    LABOUR_INSPECTION = "labour_inspection"
    JUSTICE = "justice"
    EDUCATION = "education"
    MUNICIPALITY = "municipality"
    SHELTER = "shelter"
    NGO = "ngo"
    INTERNATIONAL = "international"

    @property
    def label(self) -> str:
        return str(AGENCY_TYPE_LABELS[self])


AGENCY_TYPE_LABELS = {
    AgencyType.POLICE: _l("Police"),
    AgencyType.PROSECUTION: _l("Prosecution and victims' advocates"),
    AgencyType.SOCIAL_SERVICES: _l("Social services"),
    AgencyType.HEALTH: _l("Health"),
    AgencyType.LABOUR_INSPECTION: _l("Labour inspection"),
    AgencyType.JUSTICE: _l("Justice"),
    AgencyType.EDUCATION: _l("Education"),
    AgencyType.MUNICIPALITY: _l("Municipality"),
    AgencyType.SHELTER: _l("Shelter"),
    AgencyType.NGO: _l("NGO"),
    AgencyType.INTERNATIONAL: _l("International organisation"),
}


class Region(Base):
    """A police region of Kosovo, named in both official languages."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    #: Albanian name, e.g. "Prishtinë".
    name_sq: Mapped[str] = mapped_column(sa.String(100))
    #: Serbian (Latin) name, e.g. "Priština".
    name_sr: Mapped[str] = mapped_column(sa.String(100))
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def name(self) -> str:
        """Both official forms, "Prishtinë/Priština", or one where they are the same."""
        if self.name_sq == self.name_sr:
            return self.name_sq
        return f"{self.name_sq}/{self.name_sr}"

    def __repr__(self) -> str:
        return f"<Region {self.code}>"


class Agency(Base):
    """An institution or organisation whose staff are trained."""

    __tablename__ = "agencies"
    __table_args__ = (sa.UniqueConstraint("name", name="uq_agencies_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    type: Mapped[AgencyType] = enum_column(AgencyType)
    #: Empty for agencies that work across Kosovo.
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"))
    is_active: Mapped[bool] = mapped_column(default=True)

    region: Mapped[Region | None] = relationship()

    def __repr__(self) -> str:
        return f"<Agency {self.name!r}>"


class User(UserMixin, TimestampMixin, Base):
    """A person with an account: trainee, trainer, reporter or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    #: Empty until an invited user sets a password.
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    role: Mapped[Role] = enum_column(Role, default=Role.TRAINEE)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"))
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    #: For trainers and reporters: the only region / agency whose people they may see.
    #: Empty means the whole programme.
    scope_region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"))
    scope_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))

    agency: Mapped[Agency | None] = relationship(foreign_keys=[agency_id])
    region: Mapped[Region | None] = relationship(foreign_keys=[region_id])
    scope_region: Mapped[Region | None] = relationship(foreign_keys=[scope_region_id])
    scope_agency: Mapped[Agency | None] = relationship(foreign_keys=[scope_agency_id])

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password``."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Return whether ``password`` matches; an account without a password never matches."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value}>"


cohort_members = sa.Table(
    "cohort_members",
    Base.metadata,
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(Base):
    """A named group of people, e.g. the learners of one LMS course, to report on together."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(secondary=cohort_members)

    def __repr__(self) -> str:
        return f"<Cohort {self.name!r}>"
