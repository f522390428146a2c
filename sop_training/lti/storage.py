"""Launch data for pylti1p3, kept in the database so any worker can finish a launch."""

from datetime import timedelta

import sqlalchemy as sa
from pylti1p3.launch_data_storage.cache import CacheDataStorage

from ..db import utcnow
from ..extensions import db
from .models import LtiCacheEntry, LtiUsedNonce

DEFAULT_LIFETIME = 7200


class DatabaseCache:
    """The small cache interface pylti1p3 expects: get and set with an expiry."""

    def get(self, key: str):
        entry = db.session.get(LtiCacheEntry, key)
        if entry is None or entry.expires_at <= utcnow():
            return None
        return entry.value

    def set(self, key: str, value, exp: int | None = None) -> None:
        expires_at = utcnow() + timedelta(seconds=exp or DEFAULT_LIFETIME)
        entry = db.session.get(LtiCacheEntry, key)
        if entry is None:
            db.session.add(LtiCacheEntry(key=key, value=value, expires_at=expires_at))
        else:
            entry.value, entry.expires_at = value, expires_at
        db.session.flush()


#: Used nonces are kept well past any id_token's lifetime, then forgotten.
NONCES_KEPT_FOR = timedelta(days=2)


def purge_expired() -> int:
    """Delete expired launch data and old used nonces; return how many rows went."""
    now = utcnow()
    data = db.session.execute(sa.delete(LtiCacheEntry).where(LtiCacheEntry.expires_at <= now))
    nonces = db.session.execute(
        sa.delete(LtiUsedNonce).where(LtiUsedNonce.used_at <= now - NONCES_KEPT_FOR)
    )
    return data.rowcount + nonces.rowcount


class DatabaseLaunchStorage(CacheDataStorage):
    """pylti1p3 launch-data storage backed by :class:`DatabaseCache`."""

    def __init__(self, **kwargs):
        self._cache = DatabaseCache()
        super().__init__(self._cache, **kwargs)
