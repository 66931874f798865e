"""The demo seed: about 300 realistic pupils with a half term of marks, fast, idempotent, with PA/SA events."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scripts.demo_register import demo_academic_year, demo_terms, seed_demo
from services.register.domain.figures import figures_from_codes
from services.register.domain.upn import is_valid_upn
from services.register.main import MIGRATIONS_DIR
from services.register.models import AttendanceMark, OutboxEvent, Pupil, PupilContact, PupilTally, School
from services.register.repository.pupils import pupils_allocated_to
from services.register.service import Register
from services.register.service.admissions import pupil_and_school
from services.register.service.family import family
from services.register.settings import RegisterSettings
from shared.db import create_engine, run_migrations, session_factory
from shared.unit_of_work import UnitOfWork
from tests.services.register.outbox_rows import EVENTS_ONLY

pytestmark = pytest.mark.services

TODAY = date(2026, 11, 25)  # marks run from 3 September to 24 November, skipping half term


async def test_demo_seed_is_realistic_fast_and_idempotent(register_settings: RegisterSettings) -> None:
    url = register_settings.resolved_database_url
    run_migrations(MIGRATIONS_DIR, url)
    engine = create_engine(url)
    factory: async_sessionmaker[AsyncSession] = session_factory(engine)
    settings = register_settings.model_copy(update={"min_possible_sessions_for_flags": 20})
    try:
        started = time.monotonic()
        assert await seed_demo(factory, settings, TODAY) is True
        assert time.monotonic() - started < 20
        assert await seed_demo(factory, settings, TODAY) is False
        async with factory() as session:
            assert await session.scalar(select(func.count()).select_from(School)) == 3
            pupils = (await session.scalars(select(Pupil))).all()
            marks = (await session.execute(select(AttendanceMark.pupil_id, AttendanceMark.session_date,
                                                  AttendanceMark.code))).all()
            events = (await session.scalars(select(OutboxEvent).where(EVENTS_ONLY))).all()
            tallies = {t.pupil_id: t for t in (await session.scalars(select(PupilTally))).all()}
            helen = await pupils_allocated_to(session, "h.carter@northshire-childrens.example.gov")
            parents = await session.scalar(select(func.count()).select_from(PupilContact)
                                           .where(PupilContact.kind == "parent"))
            contacts = (await session.scalars(select(PupilContact))).all()
            school_of = {p.id: p.school_urn for p in (await session.scalars(select(Pupil))).all()}
        reg = Register(UnitOfWork(factory), settings)
        try:
            families = {pid: await family(reg, *(await pupil_and_school(reg, pid)), TODAY) for pid in school_of}
        finally:
            await reg.uow.close()
    finally:
        await engine.dispose()
    assert len(pupils) == 300
    assert all(is_valid_upn(p.upn) for p in pupils)
    assert len({p.upn for p in pupils}) == 300
    assert 0.18 < sum(p.free_school_meals for p in pupils) / 300 < 0.33
    assert 0.02 < sum(p.ehcp for p in pupils) / 300 < 0.07
    assert {p.school_urn for p in pupils if p.ehcp} == {"900003"}
    assert 1 <= sum(p.looked_after for p in pupils) <= 6
    assert 300 <= (parents or 0) <= 600
    assert 5 <= len(helen) <= 15
    # No parent or grandparent shares a first name with the child or the other parent.
    forename = {p.id: p.legal_forename for p in pupils}
    for pid in forename:
        names = [c.name.split()[0] for c in contacts if c.pupil_id == pid and c.kind in ("parent", "emergency")]
        assert forename[pid] not in names, (forename[pid], names)
        assert len(set(names)) == len(names), names
    # About 20 families of 2 or 3 children across the primary and the secondary/special schools.
    groups = {frozenset({pid, *(m.pupil_id for m in members)}) for pid, members in families.items() if members}
    assert 18 <= len(groups) <= 22, len(groups)
    assert {len(g) for g in groups} == {2, 3}
    assert all({school_of[p] for p in g} >= {"900001"} and len({school_of[p] for p in g}) == 2 for g in groups)
    assert all(families[p] and {m.pupil_id for m in families[p]} == g - {p} for g in groups for p in g)
    days = {d for _, d, _ in marks}
    assert min(days) == date(2026, 9, 3)
    assert max(days) == date(2026, 11, 24)
    assert not any(date(2026, 10, 26) <= d <= date(2026, 10, 30) or d.weekday() >= 5 for d in days)
    assert len(days) == 54
    codes = Counter(code for _, _, code in marks)
    assert {"/", "\\", "I", "M", "L", "O", "N", "G"} <= set(codes)
    by_pupil: dict[uuid.UUID, list[str]] = {}
    for pupil_id, _, code in marks:
        by_pupil.setdefault(pupil_id, []).append(code)
    figures = {pid: figures_from_codes(c) for pid, c in by_pupil.items()}
    persistent = {pid for pid, f in figures.items() if f.persistent_absence}
    severe = {pid for pid, f in figures.items() if f.severe_absence}
    assert 0.10 < len(persistent) / 300 < 0.25
    assert 2 <= len(severe) <= 12
    typical = sorted(f.attendance_rate or 0 for f in figures.values())[150]
    assert typical >= 94
    # Tallies agree with a recount, and one crossing event per PA/SA pupil, none for same-day absence.
    assert all(tallies[pid].possible == f.possible and tallies[pid].unauthorised == f.unauthorised
               for pid, f in figures.items())
    # Thresholds already met in the seeded history count as reported (only later crossings raise events).
    assert any(t.penalty_threshold_met for t in tallies.values())
    assert any(t.illness_days_reached for t in tallies.values()) or not any(t.illness >= 30 for t in tallies.values())
    stage_events = [e for e in events if e.event_type in ("became_persistently_absent", "became_severely_absent")]
    assert sorted(str(e.pupil_id) for e in stage_events) == sorted(str(p) for p in persistent)
    at_risk = {str(e.pupil_id) for e in events if e.event_type == "entered_at_risk"}
    assert at_risk == {str(pid) for pid, t in tallies.items() if t.at_risk and pid not in persistent}
    assert {e.event_type for e in events} <= {"became_persistently_absent", "became_severely_absent",
                                             "entered_at_risk", "penalty_threshold_met"}
    assert {str(e.pupil_id) for e in events if e.event_type == "became_severely_absent"} == {str(p) for p in severe}
    # PA pupils over the penalty threshold tell their journeys so, so that a penalty notice can be considered.
    threshold_events = {str(e.pupil_id) for e in events if e.event_type == "penalty_threshold_met"}
    assert threshold_events
    assert threshold_events == {str(pid) for pid, t in tallies.items() if t.penalty_threshold_met and pid in persistent}


@pytest.mark.parametrize(("today", "year", "autumn_start"), [
    (date(2026, 11, 25), 2026, date(2026, 9, 3)),
    (date(2027, 8, 20), 2026, date(2026, 9, 3)),  # the summer holiday shows the year just ended
    (date(2027, 9, 6), 2026, date(2026, 9, 3)),  # the first fortnight too: the new year has no marks yet
    (date(2027, 10, 4), 2027, date(2027, 9, 2)),
    (date(2031, 1, 15), 2030, date(2030, 9, 5)),
])
def test_the_demo_calendar_follows_the_date(today: date, year: int, autumn_start: date) -> None:
    assert demo_academic_year(today) == year
    terms = demo_terms(year)
    assert terms[0].start == autumn_start
    # Whole weeks: every term still starts and ends on the weekdays of the 2026/27 model.
    assert [(t.start.weekday(), t.end.weekday(), t.half_term_start and t.half_term_start.weekday())
            for t in terms] == [(3, 4, 0), (0, 4, 0), (0, 2, 0)]
    assert abs((terms[0].start - date(year, 9, 3)).days) <= 3
