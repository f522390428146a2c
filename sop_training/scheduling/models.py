"""Regional training sessions, their trainers and registrations."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, TimestampMixin, enum_column, utcnow


class SessionState(enum.Enum):
    """A session is scheduled until a trainer cancels it."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RegistrationStatus(enum.Enum):
    """Where a person stands for a session."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    #: Registered, but the course's online lessons must be finished before a seat is given.
    AWAITING_PREREQUISITE = "awaiting_prerequisite"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


class Attendance(enum.Enum):
    """What the trainer recorded on the day."""

    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"

    @property
    def counts(self) -> bool:
        """Whether this attendance counts towards completing the course."""
        return self in (Attendance.PRESENT, Attendance.LATE)


session_trainers = sa.Table(
    "session_trainers",
    Base.metadata,
    sa.Column(
        "session_id",
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingSession(TimestampMixin, Base):
    """One trainer-led session of a course, in a region, at a venue and time."""

    __tablename__ = "training_sessions"
    __table_args__ = (sa.Index("ix_training_sessions_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    venue: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    #: Stored in UTC; shown in Europe/Belgrade time.
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int]
    #: Seats held by confirmed registrations; changed only by guarded UPDATEs, so two people
    #: can never both take the last seat.
    seats_taken: Mapped[int] = mapped_column(default=0)
    registration_deadline: Mapped[datetime]
    #: Agency-type codes and agency ids allowed to register; both empty means everyone.
    eligible_agency_types: Mapped[list] = mapped_column(sa.JSON, default=list)
    eligible_agency_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    language: Mapped[str] = mapped_column(sa.String(8), default="sq")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: Seats are confirmed only once the course's online lessons are finished.
    requires_online_lessons: Mapped[bool] = mapped_column(default=False)
    state: Mapped[SessionState] = enum_column(SessionState, default=SessionState.SCHEDULED)
    #: Counts edits, so calendar programs replace their copy of the event.
    revision: Mapped[int] = mapped_column(default=0)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    course: Mapped["Course"] = relationship()  # noqa: F821
    region: Mapped["Region"] = relationship()  # noqa: F821
    trainers: Mapped[list["User"]] = relationship(secondary=session_trainers)  # noqa: F821
    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Registration.id"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.state == SessionState.CANCELLED

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def is_open_for_registration(self, now: datetime | None = None) -> bool:
        """Return whether people may still register."""
        return not self.is_cancelled and (now or utcnow()) <= self.registration_deadline

    def __repr__(self) -> str:
        return f"<TrainingSession {self.id} {self.starts_at:%Y-%m-%d} region={self.region_id}>"


class Registration(Base):
    """A person's place (or wait) for a session, and their attendance."""

    __tablename__ = "registrations"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id", name="uq_registrations_session_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = enum_column(RegistrationStatus)
    #: When the person (re)joined; the waitlist is served in this order.
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    attendance: Mapped[Attendance | None] = enum_column(Attendance, nullable=True)
    attendance_marked_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]

    session: Mapped[TrainingSession] = relationship(back_populates="registrations")
    user: Mapped["User"] = relationship()  # noqa: F821

    @property
    def holds_seat(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_active(self) -> bool:
        return self.status in (
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITLISTED,
            RegistrationStatus.AWAITING_PREREQUISITE,
        )

    def __repr__(self) -> str:
        return f"<Registration session={self.session_id} user={self.user_id} {self.status.value}>"


class CalendarFeed(Base):
    """A user's secret calendar-feed token."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CalendarFeed user={self.user_id}>"
