"""A school's duties the guidance lists for every pupil (rules.md s10, "All pupils"): the school's attendance
policy on its website with the items it must set out, its senior attendance champion, and the LA's named point of
contact for the school. The school's staff record the policy and the champion; the LA's officers name the contact.
"""

from __future__ import annotations

from datetime import date

from services.register import repository
from services.register.models import School
from services.register.schemas.duties import AttendanceChampion, AttendancePolicyIn, SchoolLaContact
from services.register.service import access, events
from services.register.service.context import Register
from shared.auth import Identity, Role
from shared.contracts.register import AttendancePolicy, PolicyItem, RegisterChangeKind, SchoolDuties, SchoolSummary
from shared.db import utcnow
from shared.errors import InvalidInput, OutOfScope


def can_read_duties(identity: Identity, school: School) -> bool:
    """The school's staff and governors, the LA's officers, and services: everyone who sees its figures."""
    return identity.can_see_school_figures(school_urn=school.urn, la_code=school.la_code)


def require_la_officer(identity: Identity, school: School) -> None:
    """The LA names its point of contact: an LA officer of the school's own LA (or a service acting for one)."""
    if identity.role is Role.SERVICE:
        return
    if identity.role is Role.LA_EWO and identity.scope.la_code == school.la_code:
        return
    raise OutOfScope("Only the school's local authority officers may name its point of contact.")


def policy_view(school: School, items: dict[str, str], today: date) -> AttendancePolicy | None:
    if school.attendance_policy_url is None or school.attendance_policy_review_date is None:
        return None
    covered = set(school.attendance_policy_covers or [])
    lines = [PolicyItem(key=key, label=label, covered=key in covered) for key, label in items.items()]
    return AttendancePolicy(url=school.attendance_policy_url, review_date=school.attendance_policy_review_date,
                            review_overdue=school.attendance_policy_review_date < today, items=lines,
                            missing=[line.key for line in lines if not line.covered],
                            updated_at=school.attendance_policy_updated_at)


def champion_view(school: School) -> AttendanceChampion | None:
    if not (school.champion_name and school.champion_role and school.champion_email):
        return None
    return AttendanceChampion(name=school.champion_name, role=school.champion_role, email=school.champion_email)


def la_contact_view(school: School) -> SchoolLaContact | None:
    if not (school.la_contact_name and school.la_contact_email):
        return None
    return SchoolLaContact(name=school.la_contact_name, email=school.la_contact_email, phone=school.la_contact_phone)


def duties_view(school: School, items: dict[str, str], today: date) -> SchoolDuties:
    return SchoolDuties(urn=school.urn, name=school.name, la_code=school.la_code, independent=school.independent,
                        attendance_policy=policy_view(school, items, today), attendance_champion=champion_view(school),
                        la_contact=la_contact_view(school))


def read_duties(identity: Identity, school: School, items: dict[str, str], today: date) -> SchoolDuties:
    if not can_read_duties(identity, school):
        raise OutOfScope("You do not have access to this school.")
    return duties_view(school, items, today)


async def set_policy(reg: Register, identity: Identity, school: School, body: AttendancePolicyIn, items: dict[str, str],
               today: date) -> AttendancePolicy:
    """Record where the policy is published, when it is next reviewed and which required items it covers."""
    access.require_register_keeper(identity, school)
    unknown = sorted(set(body.covers) - set(items))
    if unknown:
        raise InvalidInput(f"These are not items an attendance policy is asked to cover: {', '.join(unknown)}. "
                           f"The items are: {', '.join(items)}.", field="covers")
    school.attendance_policy_url = str(body.url)
    school.attendance_policy_review_date = body.review_date
    # Kept in the settings' order, so the answer reads the same whatever order the school sent.
    school.attendance_policy_covers = [key for key in items if key in set(body.covers)]
    school.attendance_policy_updated_at = utcnow()
    view = policy_view(school, items, today)
    assert view is not None
    await reg.commit()
    return view


async def set_champion(reg: Register, identity: Identity, school: School,
                       body: AttendanceChampion) -> AttendanceChampion:
    access.require_register_keeper(identity, school)
    school.champion_name, school.champion_role, school.champion_email = body.name, body.role, str(body.email)
    await reg.commit()
    return body


async def set_la_contact(reg: Register, identity: Identity, school: School, body: SchoolLaContact) -> SchoolLaContact:
    require_la_officer(identity, school)
    school.la_contact_name, school.la_contact_email = body.name, str(body.email)
    school.la_contact_phone = body.phone
    events.emit_change(reg.db, RegisterChangeKind.SCHOOL, school.urn)  # case pages name the contact
    await reg.commit()
    return body


async def clear_la_contact(reg: Register, identity: Identity, school: School) -> None:
    """Back to the LA-wide named contact."""
    require_la_officer(identity, school)
    school.la_contact_name = school.la_contact_email = school.la_contact_phone = None
    events.emit_change(reg.db, RegisterChangeKind.SCHOOL, school.urn)
    await reg.commit()


async def set_independent(reg: Register, identity: Identity, school: School, independent: bool) -> None:
    """The LA keeps its roll of schools; each pupil's events from now on carry the school's status."""
    require_la_officer(identity, school)
    school.independent = independent
    await reg.commit()


async def school_summaries(reg: Register) -> list[SchoolSummary]:
    """Every school with its LA and the LA's point of contact for it (for service callers)."""
    return [SchoolSummary(urn=s.urn, name=s.name, phase=s.phase, la_code=s.la_code, independent=s.independent,
                          la_contact=la_contact_view(s))
            for s in await repository.schools.list_schools(reg.db)]
