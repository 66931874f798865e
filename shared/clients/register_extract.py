"""Client of register's internal extract API: the schools, their terms, their registers and N marks, as returns
reads them. Failures are `shared.http.ServiceCallFailed`; returns says them in its own words (its
`service.register.from_register`)."""

from __future__ import annotations

from datetime import date

from pydantic import TypeAdapter

from shared.contracts.register import NMarkRecord, SchoolSummary, SchoolTermDates
from shared.contracts.returns import LaAttendanceFigures, RegisterExtract, ReturnsExtract, ReturnsExtractRequest
from shared.http import ServiceClient

_SCHOOLS = TypeAdapter(list[SchoolSummary])
_N_MARKS = TypeAdapter(list[NMarkRecord])
_TERMS = TypeAdapter(list[SchoolTermDates])
_RETURNS_EXTRACTS = TypeAdapter(list[ReturnsExtract])


class RegisterExtractClient(ServiceClient):
    service_name = "register"

    async def schools(self) -> list[SchoolSummary]:
        """Every school register keeps, with its LA (GET /internal/schools)."""
        response = await self.request("GET", "/internal/schools")
        return _SCHOOLS.validate_python(response.json())

    async def schools_of_la(self, la_code: str) -> list[SchoolSummary]:
        """The LA's schools, from GET /internal/schools (every school with its LA)."""
        response = await self.request("GET", "/internal/schools")
        return [s for s in _SCHOOLS.validate_python(response.json()) if s.la_code == la_code]

    async def extract(self, urn: str, from_date: date, to_date: date) -> RegisterExtract:
        """GET /internal/schools/{urn}/extract?from=&to=: pupils on roll in the range and their marks."""
        return await self.get_model("/internal/schools/{urn}/extract", RegisterExtract,
                                    params={"from": from_date.isoformat(), "to": to_date.isoformat()},
                                    path_params={"urn": urn})

    async def terms(self, urn: str) -> list[SchoolTermDates]:
        """GET /internal/schools/{urn}/terms: every term of the school's own calendars, oldest first."""
        response = await self.request("GET", "/internal/schools/{urn}/terms", path_params={"urn": urn})
        return _TERMS.validate_python(response.json())

    async def n_marks(self, urn: str, from_date: date, to_date: date) -> list[NMarkRecord]:
        """GET /internal/schools/{urn}/n-marks?from=&to=: every session in the range that carried N, with when it
        was replaced against the limit and when register raised the same-day alert."""
        response = await self.request("GET", "/internal/schools/{urn}/n-marks",
                                      params={"from": from_date.isoformat(), "to": to_date.isoformat()},
                                      path_params={"urn": urn})
        return _N_MARKS.validate_python(response.json())


    async def returns_extracts(self, la_code: str, asked: ReturnsExtractRequest) -> list[ReturnsExtract]:
        """POST /internal/las/{la_code}/returns-extract: each school's extract for a return period, holding only
        the pupils a return may name and their absence days' marks (summed in register's database)."""
        response = await self.request("POST", "/internal/las/{la_code}/returns-extract",
                                      json=asked.model_dump(mode="json"), path_params={"la_code": la_code})
        # Parsed and validated in one pass from the bytes: an LA's extract names thousands of pupils, and building
        # Python dicts first and validating those was the largest single cost on returns' side (profiled).
        return _RETURNS_EXTRACTS.validate_json(response.content)

    async def attendance_figures(self, la_code: str, from_date: date, to_date: date,
                                 census: date) -> LaAttendanceFigures:
        """GET /internal/las/{la_code}/attendance-figures?from=&to=&census=: the LA's sessions over the range
        summed by cohort cell and by day."""
        return await self.get_model("/internal/las/{la_code}/attendance-figures", LaAttendanceFigures,
                                    params={"from": from_date.isoformat(), "to": to_date.isoformat(),
                                            "census": census.isoformat()},
                                    path_params={"la_code": la_code})
