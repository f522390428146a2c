"""Certificates issued on course completion, with their lifecycle."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow


class CertificateState(enum.Enum):
    """Stored lifecycle state; expiry is read from the dates, not stored."""

    ISSUED = "issued"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class Status(enum.Enum):
    """What a certificate is worth today, as shown to holders and verifiers."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class Certificate(Base):
    """A certificate as issued: a snapshot that later edits of users or courses never change."""

    __tablename__ = "certificates"
    __table_args__ = (
        sa.Index("ix_certificates_user_course", "user_id", "course_id"),
        sa.Index("ix_certificates_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Printed on the certificate, e.g. ``SOP-2026-7KQ2M9XD``; random, so not guessable.
    serial: Mapped[str] = mapped_column(sa.String(32), unique=True)
    #: Verification code behind the QR link; 80 random bits.
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    #: Region and agency of the holder when issued, for scoped lists and reports.
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    agency_name: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Course title per locale at issue: ``{"en": ..., "sq": ..., "sr": ...}``.
    course_titles: Mapped[dict] = mapped_column(sa.JSON)
    sop_edition: Mapped[str] = mapped_column(sa.String(200), default="")
    course_version: Mapped[int]
    #: Best passing quiz score in percent; empty for courses without a quiz.
    score: Mapped[float | None]
    #: Trainer who signs a certificate earned in a regional session; empty: the programme lead.
    signed_by: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Language of the certificate, and whether English is printed beside it.
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    is_bilingual: Mapped[bool] = mapped_column(default=False)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    state: Mapped[CertificateState] = enum_column(CertificateState, default=CertificateState.ISSUED)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(500))
    superseded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    reminded_90_at: Mapped[datetime | None]
    reminded_30_at: Mapped[datetime | None]

    user: Mapped["User"] = relationship()  # noqa: F821
    course: Mapped["Course"] = relationship()  # noqa: F821
    superseded_by: Mapped["Certificate | None"] = relationship(remote_side=[id])

    def status(self, now: datetime | None = None) -> Status:
        """Return the certificate's standing at ``now``."""
        if self.state == CertificateState.REVOKED:
            return Status.REVOKED
        if self.state == CertificateState.SUPERSEDED:
            return Status.SUPERSEDED
        if self.expires_at <= (now or utcnow()):
            return Status.EXPIRED
        return Status.VALID

    def course_title(self, locale: str) -> str:
        """Return the course title in ``locale``, falling back to English."""
        return self.course_titles.get(locale) or self.course_titles["en"]

    def revoke(self, reason: str, now: datetime | None = None) -> None:
        """Withdraw the certificate; a revoked or replaced one cannot be revoked again."""
        if self.state != CertificateState.ISSUED:
            raise ValueError("only an issued certificate can be revoked")
        self.state = CertificateState.REVOKED
        self.revoked_at = now or utcnow()
        self.revoked_reason = reason

    def supersede(self, successor: "Certificate") -> None:
        """Mark this certificate as replaced by ``successor``."""
        self.state = CertificateState.SUPERSEDED
        self.superseded_by = successor

    def __repr__(self) -> str:
        return f"<Certificate {self.serial} user={self.user_id} {self.state.value}>"
