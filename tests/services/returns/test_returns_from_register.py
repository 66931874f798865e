"""The real register (demo LA seeded) and the real returns service in process: the LA's statutory returns for
the demo period hold the rows the seeded registers imply."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from scripts.demo_register import seed_demo
from services.register.dependencies import today as register_today
from services.register.domain.school_age import is_compulsory_school_age
from services.register.main import create_app as create_register
from services.register.models import Pupil, PupilTally
from services.register.settings import RegisterSettings
from services.returns.builders import ReturnRules, build_returns
from services.returns.main import create_app as create_returns
from services.returns.reports.figures import statistics_census
from services.returns.reports.la import la_dashboard, la_dashboard_of_figures
from services.returns.service.la_returns import extract_request, school_year_start
from services.returns.settings import ReturnsSettings
from shared.auth import Role
from shared.clients.register import RegisterClient
from shared.clients.register_extract import RegisterExtractClient
from shared.contracts.returns import EVENT_RETURN_KINDS, PERIODIC_RETURN_KINDS, GenerateReturnsRequest
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, service_headers, token_for

pytestmark = pytest.mark.services

TODAY = date(2026, 11, 25)  # the demo has marks from 3 September to 24 November
PERIOD = (date(2026, 9, 1), date(2026, 11, 24))
FIRST_DAY = date(2026, 9, 3)
JUNIOR = {"900001": "R", "900002": "7", "900003": "3"}
UNAUTHORISED = {"G", "N", "O", "U"}


@dataclass
class System:
    register: httpx.AsyncClient
    returns: httpx.AsyncClient
    register_client: RegisterClient
    pupils: list[Pupil]
    tallies: dict[uuid.UUID, PupilTally]
    register_app: FastAPI


@pytest.fixture
async def system(databases: DatabaseFactory, platform_settings: PlatformSettings) -> AsyncIterator[System]:
    register_settings = RegisterSettings(database_url=databases.create("register_demo"), outbox_relay_enabled=False,
                                         platform=platform_settings)
    register = create_register(register_settings)
    register.dependency_overrides[register_today] = lambda: TODAY
    returns = create_returns(ReturnsSettings(database_url=databases.create("returns_demo"), platform=platform_settings),
                             register_transport=httpx.ASGITransport(app=register))
    async with register.router.lifespan_context(register), returns.router.lifespan_context(returns):
        assert await seed_demo(register.state.session_factory, register_settings, TODAY)
        async with register.state.session_factory() as session:
            pupils = list((await session.scalars(select(Pupil))).all())
            tallies = {t.pupil_id: t for t in (await session.scalars(select(PupilTally))).all()}
        token = service_headers(platform_settings, "casework", "register")["Authorization"].removeprefix("Bearer ")
        client = RegisterClient("http://register", token, transport=httpx.ASGITransport(app=register))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=register), base_url="http://register") as r, \
                httpx.AsyncClient(transport=httpx.ASGITransport(app=returns), base_url="http://returns") as s:
            try:
                yield System(r, s, client, pupils, tallies, register)
            finally:
                await client.aclose()


async def returns_of(system: System, platform: PlatformSettings) -> dict[str, list[dict[str, Any]]]:
    """Every generated return's rows, by kind, across the LA's schools."""
    officer = bearer(token_for(platform, Role.LA_EWO, la_code=DEMO_LA_CODE))
    listed = await system.returns.get("/api/v1/returns", headers=officer,
                                      params={"period": f"{PERIOD[0].isoformat()}_{PERIOD[1].isoformat()}"})
    assert listed.status_code == 200, listed.text
    rows: dict[str, list[dict[str, Any]]] = {}
    for summary in listed.json():
        detail = await system.returns.get(f"/api/v1/returns/{summary['id']}", headers=officer)
        assert detail.status_code == 200, detail.text
        assert len(detail.json()["content"]) == summary["row_count"]
        rows.setdefault(summary["kind"], []).extend(detail.json()["content"])
    return rows


async def test_demo_la_returns_match_the_seeded_registers(system: System, platform_settings: PlatformSettings) -> None:
    generated = await system.returns.post(
        "/internal/returns/generate", headers=service_headers(platform_settings, "returns-worker", "returns"),
        json={"la_code": DEMO_LA_CODE, "period_start": PERIOD[0].isoformat(), "period_end": PERIOD[1].isoformat()})
    assert generated.status_code == 200, generated.text
    assert generated.json()["schools"] == 3
    rows = await returns_of(system, platform_settings)
    csa = {p.id for p in system.pupils if is_compulsory_school_age(p.date_of_birth, PERIOD[1])}

    # New pupil return: every admission in the period, less the most junior classes starting on the first day.
    admitted = {p.id for p in system.pupils if PERIOD[0] <= p.admission_date <= PERIOD[1]
                and not (p.admission_date == FIRST_DAY and p.year_group == JUNIOR[p.school_urn])}
    listed = [uuid.UUID(r["pupil_id"]) for r in rows["new_pupil"]]
    assert len(admitted) >= 5
    assert sorted(listed) == sorted(admitted)
    by_id = {p.id: p for p in system.pupils}
    for row in rows["new_pupil"]:
        pupil = by_id[uuid.UUID(row["pupil_id"])]
        assert (row["upn"], row["legal_surname"], row["admission_date"]) == (
            pupil.upn, pupil.legal_surname, pupil.admission_date.isoformat())
        assert row["parents"]
        assert all(p["full_name"] and p["address"] for p in row["parents"])

    # Sickness return: the pupils whose illness reached 15 school days, as the register's own tallies say.
    sick = {uuid.UUID(r["pupil_id"]) for r in rows.get("sickness", [])}
    reached = {pid for pid, t in system.tallies.items() if t.illness_days_reached and pid in csa}
    assert reached, "the demo has pupils with long illness"
    assert sick == reached
    assert all(r["school_days_of_sickness_in_school_year"] >= 15 for r in rows["sickness"])

    # Attendance return, failing to attend regularly: exactly the CSA pupils whose unauthorised absence is at
    # least 10% of their possible sessions in the period by register's figures.
    attendance = rows.get("attendance", [])
    irregular = {uuid.UUID(r["pupil_id"]) for r in attendance if r["reason"] == "failing_to_attend_regularly"}
    expected = set()
    for pupil_id in sorted(csa):
        figures = await system.register_client.pupil_figures(pupil_id, *PERIOD)
        if figures.possible_sessions >= 10 and Fraction(figures.unauthorised_absence_sessions,
                                                        figures.possible_sessions) >= Fraction(1, 10):
            expected.add(pupil_id)
    assert len(expected) >= 5
    assert irregular == expected
    # Continuous absence: each run is 10 or more school days coded G, N, O or U in the register.
    for row in (r for r in attendance if r["reason"] == "continuous_unauthorised_absence"):
        assert row["school_days_absent"] >= 10
        marks = await system.register_client.pupil_marks(uuid.UUID(row["pupil_id"]),
                                                         date.fromisoformat(row["absence_start"]),
                                                         date.fromisoformat(row["absence_end"]))
        assert {m.code for m in marks} <= UNAUTHORISED
        assert len({m.session_date for m in marks}) == row["school_days_absent"]
    # Nobody has been deleted in the demo, so the deletion returns are empty.
    assert rows.get("deletion", []) == []


@pytest.mark.parametrize("period", [PERIOD, (date(2026, 11, 2), date(2026, 11, 20))])
async def test_register_sums_give_the_returns_and_dashboard_every_mark_gives(
        system: System, platform_settings: PlatformSettings, period: tuple[date, date]) -> None:
    """The register's returns-extract and attendance-figures (summed in its database) against its full extracts
    (every mark): the same return rows and the same dashboard, for a period from the start of the year and one
    within it (irregular attendance counted over the period only, runs and illness over the year)."""
    token = service_headers(platform_settings, "returns", "register")["Authorization"].removeprefix("Bearer ")
    source = RegisterExtractClient("http://register", token, transport=httpx.ASGITransport(app=system.register_app))
    rules = ReturnRules()
    try:
        schools = await source.schools_of_la(DEMO_LA_CODE)
        full = [await source.extract(s.urn, school_year_start(period[0]), period[1]) for s in schools]
        sick = [p.id for p in system.pupils[:3]]  # listed whatever their illness, as with an expectation
        named = 0
        for kinds in (None, list(PERIODIC_RETURN_KINDS), list(EVENT_RETURN_KINDS)):
            request = GenerateReturnsRequest(la_code=DEMO_LA_CODE, period_start=period[0], period_end=period[1],
                                             kinds=kinds)
            cut = await source.returns_extracts(DEMO_LA_CODE, extract_request(request, rules, sick))
            assert [e.school for e in cut] == [e.school for e in full]
            assert {p.pupil_id for p in cut[0].pupils} < {p.pupil_id for p in full[0].pupils}
            for short, every in zip(cut, full, strict=True):
                assert short.school_days == every.school_days
                built, expected = (build_returns(e, *period, rules, kinds) for e in (short, every))
                assert [b.model_dump() for b in built] == [b.model_dump() for b in expected]
                named += sum(len(b.rows) for b in expected if b.kind in PERIODIC_RETURN_KINDS)
        assert named > 0
        figures = await source.attendance_figures(DEMO_LA_CODE, *period, statistics_census(period[0]))
        every_mark = [await source.extract(s.urn, *period) for s in schools]
        assert la_dashboard_of_figures(DEMO_LA_CODE, schools, figures, [], *period, 3) == la_dashboard(
            DEMO_LA_CODE, every_mark, [], *period, 3)
    finally:
        await source.aclose()
