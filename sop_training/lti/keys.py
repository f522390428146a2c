"""The tool's RSA keys: made on first use, encrypted at rest, rotated, published as a JWKS."""

import base64
import logging
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from jwcrypto.jwk import JWK

from ..db import utcnow
from ..extensions import db
from .models import ToolKey

logger = logging.getLogger(__name__)

#: How long a retired key stays published, so launches signed just before rotation verify.
RETIRED_KEYS_PUBLISHED_FOR = timedelta(days=7)


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"].encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sop-lti-keys").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def _new_key() -> ToolKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # The key's RFC 7638 thumbprint is its kid, as pylti1p3 computes it when signing.
    jwk = JWK.from_pem(public_pem).export_public(as_dict=True)
    jwk.update({"alg": "RS256", "use": "sig"})
    kid = jwk["kid"]
    return ToolKey(
        kid=kid,
        private_key_encrypted=_fernet().encrypt(pem).decode(),
        public_jwk=jwk,
    )


def current_key() -> ToolKey:
    """Return the signing key, making the first one when there is none."""
    key = db.session.scalar(
        sa.select(ToolKey).where(ToolKey.retired_at.is_(None)).order_by(ToolKey.id.desc())
    )
    if key is None:
        key = _new_key()
        db.session.add(key)
        db.session.flush()
        logger.info("Created LTI tool key %s", key.kid)
    return key


def private_pem(key: ToolKey) -> str:
    """Return the decrypted private key of ``key`` (PEM)."""
    return _fernet().decrypt(key.private_key_encrypted.encode()).decode()


def rotate(now: datetime | None = None) -> ToolKey:
    """Make a new signing key; the old one stays published for a week."""
    now = now or utcnow()
    for key in db.session.scalars(sa.select(ToolKey).where(ToolKey.retired_at.is_(None))):
        key.retired_at = now
    key = _new_key()
    db.session.add(key)
    db.session.flush()
    logger.info("Rotated LTI tool keys; new key %s", key.kid)
    return key


def published_keys(now: datetime | None = None) -> dict:
    """Return the JWKS: the signing key and keys retired less than a week ago."""
    current_key()
    since = (now or utcnow()) - RETIRED_KEYS_PUBLISHED_FOR
    keys = db.session.scalars(
        sa.select(ToolKey)
        .where(sa.or_(ToolKey.retired_at.is_(None), ToolKey.retired_at > since))
        .order_by(ToolKey.id.desc())
    )
    return {"keys": [dict(key.public_jwk) for key in keys]}


def random_id() -> str:
    """Return an unguessable identifier (for deployment or client ids made here)."""
    return secrets.token_hex(16)


def public_pem(key: ToolKey) -> str:
    """Return the public key of ``key`` (PEM)."""
    return JWK(**key.public_jwk).export_to_pem().decode()
