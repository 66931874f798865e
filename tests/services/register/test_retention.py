"""The register's retention job (rules.md s3 [H]: every entry kept at least 6 years from its date): a pupil who left
goes with all their entries only once every entry is more than 6 years old; a day short of that, or a pupil still on
roll, or one late correction, and nothing goes. The period cannot be set below 6 years; each run is recorded."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from services.register.models import (
    AttendanceMark,
    MarkAmendment,
    PriorAttendance,
    Pupil,
    PupilContact,
    PupilDeletion,
    RetentionRun,
)
from services.register.settings import RegisterSettings
from shared import clock
from shared.auth import Role
from shared.retention import RETENTION_CALLER, resolve_as_of
from shared.settings import Environment
from tests.services.register.conftest import RegisterHarness
from tests.support.identities import bearer, token_for
from tests.support.routes import api_routes

pytestmark = pytest.mark.services

LEFT_ON = date(2026, 10, 1)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


async def left_pupil(register: RegisterHarness, *, amended_at: datetime | None = None) -> uuid.UUID:
    """A pupil admitted through the API, then deleted from the roll with one mark (and maybe a later correction)."""
    pupil = uuid.UUID((await register.admit(admission_date="2026-09-03"))["id"])
    async with register.factory() as session, session.begin():
        row = await session.get(Pupil, pupil)
        assert row is not None
        row.on_roll, row.leaving_date = False, LEFT_ON
        session.add(PupilDeletion(pupil_id=pupil, ground="9(1)(a)", deletion_date=LEFT_ON, details="Moved school",
                                  status="completed", recorded_by_name="Priya Officer",
                                  recorded_by_position="Attendance officer"))
        mark = AttendanceMark(pupil_id=pupil, school_urn=row.school_urn, session_date=LEFT_ON - timedelta(days=1),
                              session="AM", code="N", recorded_by_name="Priya Officer",
                              recorded_by_role="Attendance officer")
        session.add(mark)
        await session.flush()
        if amended_at is not None:
            session.add(MarkAmendment(mark_id=mark.id, original_code="N", new_code="I", reason="Parent rang",
                                      amended_at=amended_at, amended_by_name="Priya Officer",
                                      amended_by_position="Attendance officer"))
    return pupil


async def run(register: RegisterHarness, as_of: date, pupils: list[uuid.UUID]) -> dict[str, Any]:
    response = await register.client.post("/internal/retention/run", headers=register.service(RETENTION_CALLER),
                                          json={"as_of": as_of.isoformat(), "pupil_ids": [str(p) for p in pupils]})
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


async def held(register: RegisterHarness, pupil: uuid.UUID) -> dict[str, int]:
    async with register.factory() as session:
        marks = select(AttendanceMark.id).where(AttendanceMark.pupil_id == pupil)
        return {
            "admissions": await session.scalar(select(func.count()).select_from(Pupil).where(Pupil.id == pupil)),
            "contacts": await session.scalar(select(func.count()).select_from(PupilContact)
                                             .where(PupilContact.pupil_id == pupil)),
            "marks": await session.scalar(select(func.count()).select_from(marks.subquery())),
            "deletions": await session.scalar(select(func.count()).select_from(PupilDeletion)
                                              .where(PupilDeletion.pupil_id == pupil)),
        }


async def test_nothing_younger_than_six_years_goes_and_a_day_later_it_all_goes(register: RegisterHarness) -> None:
    pupil = await left_pupil(register)
    # The youngest entry about the pupil is dated today (admitted and deleted through the API today).
    youngest = max(clock.today(), LEFT_ON)
    kept = {"admissions": 1, "contacts": 2, "marks": 1, "deletions": 1}
    assert await held(register, pupil) == kept
    for as_of in (clock.today(), years_after(youngest, 6) - timedelta(days=1), years_after(youngest, 6)):
        report = await run(register, as_of, [pupil])
        assert report["removed"]["admissions"] == 0, as_of
        assert await held(register, pupil) == kept, as_of
    report = await run(register, years_after(youngest, 6) + timedelta(days=1), [pupil])
    assert report["cutoffs"] == {"register_entries": (youngest + timedelta(days=1)).isoformat()}
    assert {k: report["removed"][k] for k in kept} == kept
    assert await held(register, pupil) == dict.fromkeys(kept, 0)
    gone = await register.client.get(f"/api/v1/pupils/{pupil}", headers=register.officer())
    assert gone.status_code == 404

    # Each run is recorded and reported to the LA's data protection lead; officers of a school do not see it.
    dpl = bearer(token_for(register.platform, Role.DATA_PROTECTION_LEAD, la_code="998"))
    runs = (await register.client.get("/api/v1/retention/runs", headers=dpl)).json()
    assert len(runs) == 4
    assert runs[0]["removed"]["admissions"] == 1
    assert runs[0]["service"] == "register"
    assert runs[0]["ran_by"] == f"service:{RETENTION_CALLER}"
    async with register.factory() as session:
        assert await session.scalar(select(func.count()).select_from(RetentionRun)) == 4
    assert (await register.client.get("/api/v1/retention/runs", headers=register.officer())).status_code == 403


async def test_a_pupil_on_roll_or_with_a_recent_correction_stays(register: RegisterHarness) -> None:
    on_roll = uuid.UUID((await register.admit())["id"])
    # Corrected today, although the mark and the leaving are old: the correction is an entry of today.
    corrected = await left_pupil(register, amended_at=clock.now())
    far = years_after(clock.today(), 6) - timedelta(days=1)
    report = await run(register, far, [on_roll, corrected])
    assert report["removed"]["admissions"] == 0
    assert report["removed"]["marks"] == 0
    assert (await held(register, corrected))["admissions"] == 1
    assert (await held(register, on_roll))["admissions"] == 1
    report = await run(register, years_after(max(clock.today(), LEFT_ON), 6) + timedelta(days=1),
                       [on_roll, corrected])
    assert report["removed"]["admissions"] == 1
    assert report["removed"]["amendments"] == 1
    assert (await held(register, on_roll))["admissions"] == 1


async def test_only_services_run_it_and_the_period_is_never_below_six_years(register: RegisterHarness) -> None:
    dpl = bearer(token_for(register.platform, Role.DATA_PROTECTION_LEAD, la_code="998"))
    assert (await register.client.post("/internal/retention/run", headers=dpl, json={})).status_code == 403
    with pytest.raises(ValidationError):
        RegisterSettings(retention_years=5)
    assert RegisterSettings().retention_years == 6
    today = clock.today()
    # In production a run counts back from today at the latest, so nothing can be removed early.
    with pytest.raises(Exception, match="today or an earlier day"):
        resolve_as_of(today + timedelta(days=1), today, Environment.PRODUCTION)
    assert resolve_as_of(None, today, Environment.PRODUCTION) == today
    assert resolve_as_of(today + timedelta(days=1), today, Environment.TEST) == today + timedelta(days=1)
    report = await run(register, today, [])
    assert sum(report["removed"].values()) == 0


async def test_no_register_route_deletes_but_the_retention_run(register: RegisterHarness) -> None:
    routes = list(api_routes(register.app.routes))
    # Only the school's LA point of contact may be taken away: school configuration an LA officer names, not an
    # entry in either register.
    assert [r.path for r in routes if "DELETE" in r.methods] == ["/api/v1/schools/{urn}/la-contact"]
    assert [r.path for r in routes if "retention" in r.path] == ["/internal/retention/run", "/api/v1/retention/runs"]


async def test_a_pupil_who_came_with_a_transfer_file_goes_with_their_prior_attendance(
        register: RegisterHarness) -> None:
    pupil = await left_pupil(register)
    async with register.factory() as session, session.begin():
        session.add(PriorAttendance(pupil_id=pupil, academic_year=2025, la_code="999", estab="2001",
                                    school_name="Earlier School", sessions_possible=300, sessions_attended=280,
                                    sessions_authorised=12, sessions_unauthorised=8, source_laestab="9992001"))
    report = await run(register, years_after(max(clock.today(), LEFT_ON), 6) + timedelta(days=1), [pupil])
    assert report["removed"]["admissions"] == 1
    assert report["removed"]["prior_attendance"] == 1
    async with register.factory() as session:
        assert await session.scalar(select(func.count()).select_from(PriorAttendance)
                                    .where(PriorAttendance.pupil_id == pupil)) == 0
