"""An admission names the child's earlier admissions in the LA (same UPN), so that casework can carry the case file
on to the new school: pupil ids and schools only, never the UPN."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from services.register.models import OutboxEvent
from tests.services.register.conftest import LA_CODE, OTHER_URN, SCHOOL_URN, RegisterHarness, add_school

pytestmark = pytest.mark.services


async def admitted_details(register: RegisterHarness, pupil_id: str) -> dict[str, Any]:
    async with register.factory() as session:
        rows = (await session.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "pupil_admitted"))).all()
    payload = next(r.payload for r in rows if str(r.pupil_id) == pupil_id)
    details: dict[str, Any] = payload["details"]
    return details


async def test_an_admission_lists_the_same_childs_earlier_admissions_in_the_la(register: RegisterHarness) -> None:
    first = await register.admit(SCHOOL_URN, admission_date="2026-09-03")
    upn = first["upn"]
    later = await register.admit(OTHER_URN, upn=upn, admission_date="2026-11-02")
    someone_else = await register.admit(OTHER_URN, admission_date="2026-11-02")

    assert (await admitted_details(register, first["id"]))["earlier_admissions"] == []
    details = await admitted_details(register, later["id"])
    assert details["school_urn"] == OTHER_URN
    assert details["earlier_admissions"] == [{"pupil_id": first["id"], "school_urn": SCHOOL_URN,
                                              "leaving_date": None}]
    assert upn not in str(details)
    assert (await admitted_details(register, someone_else["id"]))["earlier_admissions"] == []


async def test_another_las_admissions_are_not_listed(register: RegisterHarness) -> None:
    await add_school(register.factory, "200001", la_code=f"{int(LA_CODE) - 1}")
    elsewhere = await register.admit("200001", admission_date="2026-09-03")
    here = await register.admit(SCHOOL_URN, upn=elsewhere["upn"], admission_date="2026-11-02")
    assert (await admitted_details(register, here["id"]))["earlier_admissions"] == []
