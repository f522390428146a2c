"""Who may see what: login and role decorators, and current-user loading."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .accounts.models import Role, User
from .extensions import db, login_manager

__all__ = ["login_required", "role_required", "has_role"]


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in user; a deactivated account is logged out."""
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active:
        return None
    return user


def has_role(*roles: Role) -> bool:
    """Return whether the current user holds one of ``roles`` (admins hold every role)."""
    if not current_user.is_authenticated:
        return False
    return current_user.role == Role.ADMIN or current_user.role in roles


def role_required(*roles: Role):
    """Allow the view only to logged-in users with one of ``roles``; admins always pass."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
