"""Who may read or write which part of the register (scope checks on top of shared.auth)."""

from __future__ import annotations

from services.register.models import Pupil, School
from shared.auth import LA_ROLES, SCHOOL_ROLES, Identity, Role
from shared.errors import OutOfScope

# Roles that keep a school's registers (the headteacher is accountable for them).
REGISTER_KEEPERS = SCHOOL_ROLES


def can_read_school_register(identity: Identity, school: School) -> bool:
    """School staff of that school, the LA's officers and services may list a school's pupils."""
    if identity.role is Role.SERVICE:
        return True
    if identity.role in SCHOOL_ROLES:
        return school.urn in identity.scope.school_urns
    if identity.role in LA_ROLES:
        return school.la_code == identity.scope.la_code
    return False


def require_school_reader(identity: Identity, school: School) -> None:
    if not can_read_school_register(identity, school):
        raise OutOfScope(identity.school_scope_missing(school.urn, school.la_code, "this school's register"))


def require_register_keeper(identity: Identity, school: School) -> None:
    """Only the school's own staff (or a service acting for them) write its registers."""
    if identity.role is Role.SERVICE:
        return
    if identity.role in REGISTER_KEEPERS and school.urn in identity.scope.school_urns:
        return
    raise OutOfScope(f"Only staff of this school may write its registers (a school role with school {school.urn} "
                     f"in scope); you are signed in as {identity.role.label.lower()} for "
                     f"{', '.join(identity.scope.school_urns) or identity.scope.la_code or 'no school'}.")


def require_pupil_reader(identity: Identity, pupil: Pupil, school: School) -> None:
    identity.require_pupil(pupil_id=pupil.id, school_urn=school.urn, la_code=school.la_code,
                           looked_after=pupil.looked_after)


def actor_position(identity: Identity) -> str:
    """The position recorded against a register entry (the regulations ask for name and position)."""
    return identity.role.label
