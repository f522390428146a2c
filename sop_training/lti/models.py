"""LTI platforms that may launch the tool, the tool's signing keys, and linked accounts."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow


class LtiPlatform(Base):
    """An LMS (Moodle, Canvas, Open edX...) registered to launch this tool."""

    __tablename__ = "lti_platforms"
    __table_args__ = (
        sa.UniqueConstraint("issuer", "client_id", name="uq_lti_platforms_issuer_client"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    issuer: Mapped[str] = mapped_column(sa.String(300))
    client_id: Mapped[str] = mapped_column(sa.String(300))
    #: Deployment ids the platform may launch with.
    deployment_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    auth_login_url: Mapped[str] = mapped_column(sa.String(500))
    auth_token_url: Mapped[str] = mapped_column(sa.String(500))
    #: Where the platform publishes its public keys; or ``key_set`` holds them inline.
    key_set_url: Mapped[str | None] = mapped_column(sa.String(500))
    key_set: Mapped[dict | None] = mapped_column(sa.JSON)
    auth_audience: Mapped[str | None] = mapped_column(sa.String(500))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LtiPlatform {self.issuer} {self.client_id}>"


class ToolKey(Base):
    """An RSA key pair the tool signs with; the private half is encrypted at rest."""

    __tablename__ = "lti_tool_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: PEM of the private key, encrypted with a key derived from SECRET_KEY.
    private_key_encrypted: Mapped[str] = mapped_column(sa.Text)
    #: The public key as a JWK, as published at /lti/jwks.json.
    public_jwk: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when a newer key took over; the key stays published for a while after.
    retired_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<ToolKey {self.kid}>"


class LtiAccount(Base):
    """A platform user (issuer and subject) linked to a local account."""

    __tablename__ = "lti_accounts"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject", name="uq_lti_accounts_issuer_sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(sa.String(300))
    subject: Mapped[str] = mapped_column(sa.String(300))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LtiAccount {self.issuer} {self.subject} user={self.user_id}>"


class LtiCacheEntry(Base):
    """Short-lived launch data (state, nonce, launch claims), shared by every worker."""

    __tablename__ = "lti_cache"

    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    value: Mapped[object | None] = mapped_column(sa.JSON)
    expires_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<LtiCacheEntry {self.key}>"


class LtiUsedNonce(Base):
    """A nonce a launch has used; a second launch with it is a replay."""

    __tablename__ = "lti_used_nonces"
    __table_args__ = (sa.UniqueConstraint("issuer", "nonce", name="uq_lti_used_nonces_issuer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(sa.String(300))
    nonce: Mapped[str] = mapped_column(sa.String(200))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LtiUsedNonce {self.nonce}>"


class LtiLaunchContext(Base):
    """Where a person was launched from: the resource link, and where its grades go."""

    __tablename__ = "lti_launch_contexts"
    __table_args__ = (
        sa.UniqueConstraint(
            "platform_id", "user_id", "resource_link_id", name="uq_lti_launch_contexts_link"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    deployment_id: Mapped[str] = mapped_column(sa.String(300))
    resource_link_id: Mapped[str] = mapped_column(sa.String(300))
    course_slug: Mapped[str | None] = mapped_column(sa.String(80))
    quiz_slug: Mapped[str | None] = mapped_column(sa.String(80))
    #: Assignment and Grade Services: the line item scores are posted to, and the scopes granted.
    lineitem_url: Mapped[str | None] = mapped_column(sa.String(1000))
    ags_scopes: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: The LMS course (context) the link sits in.
    context_title: Mapped[str | None] = mapped_column(sa.String(300))
    #: Names and Role Provisioning: where the LMS course's member list can be read.
    memberships_url: Mapped[str | None] = mapped_column(sa.String(1000))
    launched_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LtiLaunchContext user={self.user_id} link={self.resource_link_id}>"


class LtiScore(Base):
    """A score to send to a platform's line item; kept until the platform accepted it."""

    __tablename__ = "lti_scores"
    __table_args__ = (
        sa.UniqueConstraint("context_id", "event", name="uq_lti_scores_context_event"),
        sa.Index("ix_lti_scores_pending", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lti_launch_contexts.id", ondelete="CASCADE")
    )
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id", ondelete="CASCADE"))
    #: What earned the score ("attempt:12", "completed:5:2026-11-23T10:00"); one row each.
    event: Mapped[str] = mapped_column(sa.String(80))
    score_given: Mapped[float]
    score_maximum: Mapped[float]
    activity_progress: Mapped[str] = mapped_column(sa.String(32))
    grading_progress: Mapped[str] = mapped_column(sa.String(32))
    #: When the score was earned; platforms keep the latest score by this time.
    scored_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")

    def __repr__(self) -> str:
        return f"<LtiScore context={self.context_id} attempt={self.attempt_id}>"
