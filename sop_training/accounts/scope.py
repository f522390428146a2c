"""Whose data a staff member may see: everyone, one region, one agency, or only themselves."""

from dataclasses import dataclass

import sqlalchemy as sa

from .models import Role, User

STAFF_ROLES = (Role.TRAINER, Role.REPORTER, Role.ADMIN)


@dataclass(frozen=True)
class Scope:
    """A filter on people by region and agency; ``user_id`` limits it to one person."""

    region_id: int | None = None
    agency_id: int | None = None
    user_id: int | None = None

    @property
    def is_everyone(self) -> bool:
        return self.region_id is None and self.agency_id is None and self.user_id is None

    def contains(self, region_id: int | None, agency_id: int | None, user_id: int) -> bool:
        """Return whether a record with these owners lies inside the scope."""
        return (
            (self.user_id is None or self.user_id == user_id)
            and (self.region_id is None or self.region_id == region_id)
            and (self.agency_id is None or self.agency_id == agency_id)
        )

    def where(self, region_column, agency_column, user_column) -> list:
        """Return SQL conditions that keep rows inside the scope."""
        conditions = []
        if self.user_id is not None:
            conditions.append(user_column == self.user_id)
        if self.region_id is not None:
            conditions.append(region_column == self.region_id)
        if self.agency_id is not None:
            conditions.append(agency_column == self.agency_id)
        return conditions or [sa.true()]


def scope_of(user: User) -> Scope:
    """Return what ``user`` may see: admins everything, staff their scope, others themselves."""
    if user.role == Role.ADMIN:
        return Scope()
    if user.role in STAFF_ROLES:
        return Scope(region_id=user.scope_region_id, agency_id=user.scope_agency_id)
    return Scope(user_id=user.id)
