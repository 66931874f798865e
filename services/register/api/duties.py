"""Register's public API for a school's duties (rules.md s10): the attendance policy and senior attendance champion
(set by the school's staff) and the LA's named point of contact for the school (set by the LA's officers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from services.register.api.problems import PROBLEMS
from services.register.dependencies import LA_CONTACT_NAMERS, KeptSchool, RegisterDep, Settings, Today
from services.register.models import School
from services.register.schemas.duties import AttendanceChampion, AttendancePolicyIn, IndependentIn, SchoolLaContact
from services.register.service import admissions, school_duties
from shared.auth import CurrentIdentity
from shared.callers import SCHOOL_FIGURES, checked_by
from shared.contracts.identifiers import Urn
from shared.contracts.register import AttendancePolicy, SchoolDuties

router = APIRouter(prefix="/api/v1", tags=["school duties"])


@checked_by(LA_CONTACT_NAMERS)
async def _named_by_la(urn: Urn, identity: CurrentIdentity, reg: RegisterDep) -> School:
    """The school in the path, if the caller is an officer of its LA (checked before the body, so a caller
    outside hears 403, never which fields the body lacks)."""
    school = await admissions.school_or_404(reg, urn)
    school_duties.require_la_officer(identity, school)
    return school


LaSchool = Annotated[School, Depends(_named_by_la)]


@router.get("/schools/{urn}/duties", dependencies=[Depends(SCHOOL_FIGURES)],
            response_model=SchoolDuties, responses=PROBLEMS,
            summary="The school's attendance policy (with the required items it covers and whether its review is "
                    "overdue), its senior attendance champion and the LA's named point of contact")
async def get_duties(urn: Urn, identity: CurrentIdentity, reg: RegisterDep, today: Today,
                     settings: Settings) -> SchoolDuties:
    school = await admissions.school_or_404(reg, urn)
    return school_duties.read_duties(identity, school, settings.attendance_policy_items, today)


@router.put("/schools/{urn}/attendance-policy", response_model=AttendancePolicy, responses=PROBLEMS,
            summary="Record the school's published attendance policy: its address, review date and the required "
                    "items it covers (the school's staff)")
async def put_policy(school: KeptSchool, body: AttendancePolicyIn, identity: CurrentIdentity, reg: RegisterDep,
                     today: Today, settings: Settings) -> AttendancePolicy:
    return await school_duties.set_policy(reg, identity, school, body, settings.attendance_policy_items, today)


@router.put("/schools/{urn}/attendance-champion", response_model=AttendanceChampion, responses=PROBLEMS,
            summary="Name the school's senior attendance champion (the school's staff)")
async def put_champion(school: KeptSchool, body: AttendanceChampion, identity: CurrentIdentity,
                       reg: RegisterDep) -> AttendanceChampion:
    return await school_duties.set_champion(reg, identity, school, body)


@router.put("/schools/{urn}/la-contact", response_model=SchoolLaContact, responses=PROBLEMS,
            summary="Name the LA's point of contact for the school, in place of the LA-wide named contact "
                    "(the school's LA officers)")
async def put_la_contact(school: LaSchool, body: SchoolLaContact, identity: CurrentIdentity,
                         reg: RegisterDep) -> SchoolLaContact:
    return await school_duties.set_la_contact(reg, identity, school, body)


@router.delete("/schools/{urn}/la-contact", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               responses=PROBLEMS, summary="Go back to the LA-wide named contact for the school")
async def delete_la_contact(school: LaSchool, identity: CurrentIdentity, reg: RegisterDep) -> Response:
    await school_duties.clear_la_contact(reg, identity, school)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/schools/{urn}/independent", response_model=IndependentIn, responses=PROBLEMS,
            summary="Record whether the school is independent (the school's LA officers): its registers and returns "
                    "go on, penalty notices are refused for its pupils, and the DfE daily share leaves it out")
async def put_independent(school: LaSchool, body: IndependentIn, identity: CurrentIdentity,
                          reg: RegisterDep) -> IndependentIn:
    await school_duties.set_independent(reg, identity, school, body.independent)
    return body
