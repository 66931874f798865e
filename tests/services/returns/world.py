"""Known registers for the returns tests (a school calendar with weekends and a half term, pupils and marks)
and a stand-in for register's internal API serving them as extracts."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI, Header, HTTPException, Query

from shared.contracts.register import SchoolSummary, SessionName
from shared.contracts.returns import ExtractMark, ExtractParent, ExtractPupil, ExtractSchool, RegisterExtract

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

    @app.get("/internal/schools/{urn}/terms")
    async def terms(urn: str, authorization: str = Header()) -> list[dict[str, Any]]:
        assert authorization.startswith("Bearer ")
        if urn not in worlds:
            raise HTTPException(404, "no such school")
        return worlds[urn].terms

    return app
