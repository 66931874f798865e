"""Client of returns' report API (the governor report and the LA's page as JSON), called as the signed-in person
so returns applies its own scope rules to them: casework renders what returns lets that person see.

Like the sickness expectations client it holds no token of its own: a call that forgot the person's token fails
(401) rather than going out with a service's token.
"""

from __future__ import annotations

from datetime import date

from shared.contracts.reports import GovernorReport, LaPage
from shared.http import PersonTokenClient


def _dates(**named: date | None) -> dict[str, str]:
    return {name: day.isoformat() for name, day in named.items() if day is not None}


class ReturnsReportsClient(PersonTokenClient):
    service_name = "returns"

    async def la_page(self, token: str, la_code: str, from_date: date | None = None,
                      to_date: date | None = None) -> LaPage:
        """The LA's dashboard, compliance view and returns; without dates, the school year so far."""
        response = await self.request("GET", "/api/v1/las/{la_code}/page", headers=self.as_person(token),
                                      path_params={"la_code": la_code},
                                      params={**_dates(**{"from": from_date, "to": to_date})})
        return LaPage.model_validate(response.json())

    async def governor_report(self, token: str, urn: str, term_start: date | None = None,
                              term_end: date | None = None) -> GovernorReport:
        """One school's report; without dates, the school year so far."""
        response = await self.request("GET", "/api/v1/schools/{urn}/governor-report.json",
                                      headers=self.as_person(token), path_params={"urn": urn},
                                      params=_dates(term_start=term_start, term_end=term_end))
        return GovernorReport.model_validate(response.json())
