"""Account services: registration, authentication, tokens, roles, reference data."""

import functools
import hashlib
import logging
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import utcnow
from ..errors import DomainError
from ..extensions import db
from . import seed
from .csv_import import RowError, UnreadableFile, parse_participants
from .models import Agency, Region, Role, User

logger = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10


class AccountError(DomainError):
    """An account operation was refused."""


def normalise_email(email: str) -> str:
    """Return the canonical (trimmed, lower-case) form of an email address."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Return the user with this email, if any."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("Choose a password of at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )


def create_user(
    *,
    email: str,
    full_name: str,
    password: str | None = None,
    role: Role = Role.TRAINEE,
    agency: Agency | None = None,
    region: Region | None = None,
    position: str = "",
    locale: str = "en",
) -> User:
    """Create an account; without a password it waits for an invitation to be accepted."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(_("An account with this email address already exists."))
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        agency=agency,
        region=region,
        position=position.strip(),
        locale=locale,
    )
    if password is not None:
        check_password_strength(password)
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    logger.info("Created user %s (%s) as %s", user.id, email, role.value)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None whatever the reason."""
    user = find_user_by_email(email)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal which emails exist.
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password")


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one."""
    if not user.check_password(current):
        raise AccountError(_("Your current password is not correct."))
    check_password_strength(new)
    user.set_password(new)
    logger.info("User %s changed their password", user.id)


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _password_fingerprint(user: User) -> str:
    # Tokens embed this, so a link stops working once the password it was for has changed.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def make_password_token(user: User, purpose: str = "reset") -> str:
    """Return a signed, single-use token to set a password (``reset`` or ``invite``)."""
    return _serializer(purpose).dumps({"uid": user.id, "fp": _password_fingerprint(user)})


def user_from_password_token(token: str, purpose: str = "reset") -> User:
    """Return the user a valid token was made for, or refuse it with a readable reason."""
    max_age = current_app.config[
        "PASSWORD_RESET_MAX_AGE" if purpose == "reset" else "INVITATION_MAX_AGE"
    ]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise AccountError(_("This link has expired. Ask for a new one.")) from None
    except BadSignature:
        raise AccountError(_("This link is not valid.")) from None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.is_active or data.get("fp") != _password_fingerprint(user):
        raise AccountError(_("This link has already been used or is no longer valid."))
    return user


def set_password_from_token(token: str, password: str, purpose: str = "reset") -> User:
    """Set a new password through a reset or invitation link."""
    user = user_from_password_token(token, purpose)
    check_password_strength(password)
    user.set_password(password)
    logger.info("User %s set a password through a %s link", user.id, purpose)
    return user


def set_role(user: User, role: Role, acting: User) -> None:
    """Change a user's role; an admin cannot remove their own admin role."""
    if user.id == acting.id and role != Role.ADMIN:
        raise AccountError(_("You cannot remove your own administrator role."))
    logger.info("User %s changed role of %s from %s to %s", acting.id, user.id, user.role, role)
    user.role = role


def set_scope(user: User, region_id: int | None, agency_id: int | None) -> None:
    """Limit what a trainer or reporter sees to one region and/or agency (None: everything)."""
    user.scope_region_id = region_id or None
    user.scope_agency_id = agency_id or None
    db.session.flush()
    logger.info("User %s now sees region %s, agency %s", user.id, region_id, agency_id)


def set_active(user: User, active: bool, acting: User) -> None:
    """Deactivate or reactivate an account; nobody deactivates themselves."""
    if user.id == acting.id and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    user.is_active = active
    logger.info("User %s set account %s active=%s", acting.id, user.id, active)


def search_users(query: str = "", role: Role | None = None) -> sa.Select:
    """Return a select of users matching a name/email fragment and role, newest first."""
    stmt = sa.select(User).order_by(User.full_name, User.id)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(User.full_name).like(like), User.email.like(like)))
    if role is not None:
        stmt = stmt.where(User.role == role)
    return stmt


def active_regions() -> list[Region]:
    """Return the regions users can choose from, in seed order."""
    return list(db.session.scalars(sa.select(Region).where(Region.is_active).order_by(Region.id)))


def active_agencies() -> list[Agency]:
    """Return the agencies users can choose from, by name."""
    return list(db.session.scalars(sa.select(Agency).where(Agency.is_active).order_by(Agency.name)))


def seed_reference_data() -> tuple[int, int]:
    """Create the seven regions and the referral agencies that are missing; return counts added."""
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    added_regions = 0
    for code, name_sq, name_sr in seed.REGIONS:
        if code not in regions:
            regions[code] = Region(code=code, name_sq=name_sq, name_sr=name_sr)
            db.session.add(regions[code])
            added_regions += 1
    db.session.flush()
    existing = set(db.session.scalars(sa.select(Agency.name)))
    wanted = [(name, kind, None) for name, kind in seed.NATIONAL_AGENCIES]
    for code, *_names in seed.REGIONS:
        region = regions[code]
        for pattern, kind in seed.REGIONAL_AGENCIES:
            wanted.append((pattern.format(region=region.name), kind, region))
    added_agencies = 0
    for name, kind, region in wanted:
        if name not in existing:
            db.session.add(Agency(name=name, type=kind, region=region))
            added_agencies += 1
    db.session.flush()
    logger.info("Seeded %s regions and %s agencies", added_regions, added_agencies)
    return added_regions, added_agencies


@dataclass
class ImportResult:
    """Outcome of a participants import."""

    created: list[User] = field(default_factory=list)
    existing: list[User] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def users(self) -> list[User]:
        return self.created + self.existing


def _lookup_tables() -> tuple[dict[str, int], dict[str, int]]:
    agencies = {a.name.lower(): a.id for a in active_agencies()}
    regions: dict[str, int] = {}
    for r in active_regions():
        for key in (r.code, r.name_sq, r.name_sr, r.name):
            regions[key.lower()] = r.id
    return agencies, regions


def import_participants(data: bytes) -> ImportResult:
    """Create accounts (awaiting invitation) for new rows and collect existing ones.

    :raise AccountError: when the file cannot be read; nothing is created then.
    """
    agencies, regions = _lookup_tables()
    try:
        rows, errors = parse_participants(data, agencies, regions)
    except UnreadableFile as exc:
        raise AccountError(str(exc)) from exc
    result = ImportResult(errors=errors)
    for row in rows:
        user = find_user_by_email(row.email)
        if user is not None:
            if not user.is_active:
                result.errors.append(RowError(row.line, _("This account is deactivated.")))
                continue
            result.existing.append(user)
            continue
        user = User(
            email=row.email,
            full_name=row.name,
            agency_id=row.agency_id,
            region_id=row.region_id,
            position=row.position,
            role=Role.TRAINEE,
        )
        db.session.add(user)
        result.created.append(user)
    db.session.flush()
    result.errors.sort(key=lambda e: e.line)
    logger.info(
        "Imported participants: %s new, %s existing, %s rejected",
        len(result.created),
        len(result.existing),
        len(result.errors),
    )
    return result


DEMO_PASSWORD = "sop-demo-2026"


def create_demo_accounts() -> list[tuple[User, bool]]:
    """Create one demo account per role if missing; return (user, created) pairs."""
    region = db.session.scalar(sa.select(Region).where(Region.code == "prizren"))
    agency = db.session.scalar(sa.select(Agency).where(Agency.region == region).order_by(Agency.id))
    result = []
    for role, name in [
        (Role.TRAINEE, "Arta Krasniqi"),
        (Role.TRAINER, "Dragan Petrović"),
        (Role.REPORTER, "Elira Gashi"),
        (Role.ADMIN, "Besnik Hoxha"),
    ]:
        email = f"{role.value}@demo.sop-training.local"
        user = find_user_by_email(email)
        if user is None:
            user = create_user(
                email=email,
                full_name=name,
                password=DEMO_PASSWORD,
                role=role,
                agency=agency,
                region=region,
                position="Demo account",
            )
            result.append((user, True))
        else:
            result.append((user, False))
    return result
