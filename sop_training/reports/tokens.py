"""Personal API tokens: created and revoked by their owner; only a hash is kept."""

import hashlib
import logging
import secrets

import sqlalchemy as sa

from ..accounts.models import User
from ..db import utcnow
from ..extensions import db
from .models import ApiToken

logger = logging.getLogger(__name__)
PREFIX = "sop_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; return it with its secret, which is shown once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name.strip()[:100], token_hash=_digest(secret), prefix=secret[:10]
    )
    db.session.add(token)
    db.session.flush()
    logger.info("User %s created API token %s", user.id, token.id)
    return token, secret


def user_tokens(user: User) -> list[ApiToken]:
    """Return the user's tokens, newest first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of the user's tokens; return False if it is not theirs or already revoked."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.session.flush()
    logger.info("User %s revoked API token %s", user.id, token.id)
    return True


def user_for_token(secret: str) -> User | None:
    """Return the active owner of an active token, noting its use; None otherwise."""
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    token.last_used_at = utcnow()
    return token.user
