"""Known registers for the returns tests (a school calendar with weekends and a half term, pupils and marks)
and a stand-in for register's internal API serving them as extracts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI, Header, HTTPException, Query

from services.returns.builders.days import NOT_POSSIBLE_CODES, UNAUTHORISED_CODES
from services.returns.reports.figures import ATTENDED_CODES, AUTHORISED_CODES
from shared.contracts.register import SchoolSummary, SessionName
from shared.contracts.returns import (
    CohortCell,
    DayFigures,
    ExtractMark,
    ExtractParent,
    ExtractPupil,
    ExtractSchool,
    LaAttendanceFigures,
    PupilPeriodCounts,
    RegisterExtract,
    ReturnsExtract,
    ReturnsExtractRequest,
)

FIRST_DAY = date(2026, 9, 3)  # a Thursday
HALF_TERM = (date(2026, 10, 26), date(2026, 10, 30))
LAST_DAY = date(2027, 7, 21)
PRESENT = {SessionName.AM: "/", SessionName.PM: "\\"}


def weekdays(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


class World:
    """One school's register: school days from 3 Sep 2026 to 21 Jul 2027 less half terms and the holidays."""

    def __init__(self, urn: str = "900001", la_code: str = "999", junior: str = "R", senior: str = "6") -> None:
        self.school = ExtractSchool(urn=urn, la_code=la_code, name=f"School {urn}", most_junior_year_group=junior,
                                    most_senior_year_group=senior, first_day_of_school_year=FIRST_DAY,
                                    last_day_of_school_year=LAST_DAY)
        holidays = set(weekdays(*HALF_TERM)) | set(weekdays(date(2026, 12, 19), date(2027, 1, 4)))
        self.school_days = [d for d in weekdays(FIRST_DAY, LAST_DAY) if d not in holidays]
        self.pupils: list[ExtractPupil] = []
        self._marks: dict[tuple[uuid.UUID, date, SessionName], str] = {}
        self._n = 0
        self.independent = False
        # The school's calendar terms as register lists them (the termly governor reports follow them).
        self.terms: list[dict[str, Any]] = []

    def pupil(self, **fields: Any) -> ExtractPupil:
        self._n += 1
        values: dict[str, Any] = {
            "pupil_id": uuid.UUID(int=self._n), "legal_forename": f"Pupil{self._n:02d}", "legal_surname": "Test",
            "address": f"{self._n} High Street, Northtown", "date_of_birth": date(2018, 5, 1), "sex": "F",
            "year_group": "3", "admission_date": FIRST_DAY, "compulsory_school_age": True,
            "parents": [ExtractParent(full_name="Parent One", address="1 High Street", emergency_phone="0700",
                                      lives_with_pupil=True),
                        ExtractParent(full_name="Parent Away", address="9 Far Road", emergency_phone="0799",
                                      lives_with_pupil=False)]}
        values.update(fields)
        pupil = ExtractPupil(**values)
        self.pupils.append(pupil)
        return pupil

    def mark(self, pupil: ExtractPupil, days: list[date] | date, code: str, session: SessionName | None = None
             ) -> None:
        for day in days if isinstance(days, list) else [days]:
            assert day in self.school_days, f"{day} is not a school day"
            for s in [session] if session else [SessionName.AM, SessionName.PM]:
                self._marks[(pupil.pupil_id, day, s)] = code

    def days(self, start: date, end: date) -> list[date]:
        return [d for d in self.school_days if start <= d <= end]

    def extract(self, from_date: date = date(2026, 8, 1), to_date: date = date(2026, 12, 31)) -> RegisterExtract:
        """Every pupil on roll is marked present unless the test marked otherwise."""
        marks = []
        for pupil in self.pupils:
            for day in self.days(max(from_date, pupil.admission_date), to_date):
                if pupil.deletion_date and day >= pupil.deletion_date:
                    break
                for session in (SessionName.AM, SessionName.PM):
                    code = self._marks.get((pupil.pupil_id, day, session), PRESENT[session])
                    marks.append(ExtractMark(pupil_id=pupil.pupil_id, session_date=day, session=session,
                                             code=code))
        return RegisterExtract(school=self.school, from_date=from_date, to_date=to_date,
                               school_days=self.days(from_date, to_date), pupils=self.pupils, marks=marks)


def _counts(marks: list[ExtractMark]) -> dict[str, int]:
    """Sessions of these marks as register counts them."""
    possible = [m.code for m in marks if m.code not in NOT_POSSIBLE_CODES]
    return {"possible": len(possible), "attended": sum(c in ATTENDED_CODES for c in possible),
            "authorised": sum(c in AUTHORISED_CODES for c in possible),
            "unauthorised": sum(c in UNAUTHORISED_CODES for c in possible)}


def returns_extract(world: World, asked: ReturnsExtractRequest) -> ReturnsExtract:
    """What register's returns-extract gives for the world's school, worked out from every mark."""
    full = world.extract(asked.from_date, asked.to_date)
    by_pupil: dict[uuid.UUID, list[ExtractMark]] = defaultdict(list)
    for mark in full.marks:
        by_pupil[mark.pupil_id].append(mark)
    listed, counts = [], []
    for pupil in full.pupils:
        marks = by_pupil[pupil.pupil_id]
        period = _counts([m for m in marks if m.session_date >= asked.period_start])
        reaches = (asked.unauthorised_sessions_at_least is not None
                   and sum(m.code in UNAUTHORISED_CODES for m in marks) >= asked.unauthorised_sessions_at_least
                   or asked.illness_sessions_at_least is not None
                   and sum(m.code == "I" for m in marks) >= asked.illness_sessions_at_least
                   or asked.unauthorised_per_thousand_at_least is not None
                   and period["possible"] >= asked.possible_at_least
                   and period["unauthorised"] * 1000 >= period["possible"] * asked.unauthorised_per_thousand_at_least)
        if (reaches or pupil.pupil_id in asked.pupil_ids or asked.with_deletion and pupil.deletion_date is not None
                or asked.admitted_in_period and asked.period_start <= pupil.admission_date <= asked.to_date):
            listed.append(pupil)
            counts.append(PupilPeriodCounts(pupil_id=pupil.pupil_id, possible=period["possible"],
                                            unauthorised=period["unauthorised"]))
    ids = {p.pupil_id for p in listed}
    return ReturnsExtract(**{**full.model_dump(), "pupils": listed, "period_start": asked.period_start,
                             "period_counts": counts,
                             "marks": [m for m in full.marks if m.pupil_id in ids
                                       and m.code in UNAUTHORISED_CODES | {"I", "#"}]})


def attendance_figures(worlds: list[World], la_code: str, from_date: date, to_date: date,
                       census: date) -> LaAttendanceFigures:
    """What register's attendance-figures gives for these worlds, worked out from every mark."""
    cells: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    days: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for world in worlds:
        extract = world.extract(from_date, to_date)
        for pupil in extract.pupils:
            marks = [m for m in extract.marks if m.pupil_id == pupil.pupil_id]
            if not marks:
                continue
            for mark in marks:
                counted = _counts([mark])
                days[mark.session_date]["possible"] += counted["possible"]
                days[mark.session_date]["attended"] += counted["attended"]
                days[mark.session_date]["absent"] += counted["authorised"] + counted["unauthorised"]
            born = pupil.date_of_birth
            age = census.year - born.year - ((census.month, census.day) < (born.month, born.day))
            key = (world.school.urn, pupil.year_group, age, pupil.sex.upper(),
                   tuple(pupil.characteristics.model_dump().items()))
            sums, cell = _counts(marks), cells[key]
            absent = sums["authorised"] + sums["unauthorised"]
            cell["pupils"] += 1
            cell["counted"] += sums["possible"] > 0
            cell["persistent"] += sums["possible"] > 0 and absent * 10 >= sums["possible"]
            cell["severe"] += sums["possible"] > 0 and absent * 2 >= sums["possible"]
            for name, value in sums.items():
                cell[name] += value
    return LaAttendanceFigures(
        la_code=la_code, from_date=from_date, to_date=to_date, census=census,
        cells=[CohortCell(school_urn=urn, year_group=year, age=age, sex=sex, characteristics=dict(traits), **cell)
               for (urn, year, age, sex, traits), cell in cells.items()],
        days=[DayFigures(session_date=day, **sums) for day, sums in sorted(days.items())])


def fake_register(worlds: dict[str, World]) -> FastAPI:
    """`worlds` maps URN to a World; the worlds are read at each request, so tests may change them."""
    app = FastAPI()
    app.state.calls = []

    @app.get("/internal/schools")
    async def schools(authorization: str = Header()) -> list[dict[str, Any]]:
        assert authorization.startswith("Bearer ")
        elsewhere = SchoolSummary(urn="800001", la_code="888", name="Another LA's school", phase="primary")
        return [SchoolSummary(urn=urn, la_code=w.school.la_code, name=w.school.name, phase="primary",
                              independent=w.independent).model_dump()
                for urn, w in worlds.items()] + [elsewhere.model_dump()]

    @app.get("/internal/schools/{urn}/extract")
    async def extract(urn: str, from_date: date = Query(alias="from"), to_date: date = Query(alias="to"),
                      authorization: str = Header()) -> dict[str, Any]:
        assert authorization.startswith("Bearer ")
        app.state.calls.append((urn, from_date, to_date))
        if urn not in worlds:
            raise HTTPException(404, "no such school")
        return worlds[urn].extract(from_date, to_date).model_dump(mode="json")

    @app.post("/internal/las/{la_code}/returns-extract")
    async def returns_extracts(la_code: str, asked: ReturnsExtractRequest,
                               authorization: str = Header()) -> list[dict[str, Any]]:
        assert authorization.startswith("Bearer ")
        mine = [(urn, w) for urn, w in worlds.items() if w.school.la_code == la_code]
        if not mine:
            raise HTTPException(404, "no such local authority")
        app.state.calls += [(urn, asked.from_date, asked.to_date) for urn, _ in mine]
        return [returns_extract(w, asked).model_dump(mode="json") for _, w in mine]

    @app.get("/internal/las/{la_code}/attendance-figures")
    async def figures(la_code: str, from_date: date = Query(alias="from"), to_date: date = Query(alias="to"),
                      census: date = Query(), authorization: str = Header()) -> dict[str, Any]:
        assert authorization.startswith("Bearer ")
        mine = [w for w in worlds.values() if w.school.la_code == la_code]
        if not mine:
            raise HTTPException(404, "no such local authority")
        app.state.calls += [(w.school.urn, from_date, to_date) for w in mine]
        return attendance_figures(mine, la_code, from_date, to_date, census).model_dump(mode="json")

    @app.get("/internal/schools/{urn}/terms")
    async def terms(urn: str, authorization: str = Header()) -> list[dict[str, Any]]:
        assert authorization.startswith("Bearer ")
        if urn not in worlds:
            raise HTTPException(404, "no such school")
        return worlds[urn].terms

    return app
