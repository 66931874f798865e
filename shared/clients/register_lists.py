"""Client of register's LA lists (GET /api/v1/las/{la_code}/persistent-absentees), called as the signed-in
person so register applies its own scope rules: an LA's officers see every pupil, its virtual school head only
looked-after pupils. Like the reports client it holds no token of its own: a call that forgot the person's token
fails (401) rather than going out with a service's token.
"""

from __future__ import annotations

from shared.contracts.register import FlaggedPupilsPage
from shared.http import PersonTokenClient


class RegisterListsClient(PersonTokenClient):
    service_name = "register"

    async def flagged_pupils(self, token: str, la_code: str, severity: str, *, after: str | None = None,
                             limit: int = 50) -> FlaggedPupilsPage:
        """One page of the LA's list for the current academic year, with how many the whole list has."""
        params: dict[str, str | int] = {"severity": severity, "limit": limit, "with_total": "true"}
        if after:
            params["after"] = after
        response = await self.request("GET", "/api/v1/las/{la_code}/persistent-absentees", params=params,
                                      headers=self.as_person(token),
                                      path_params={"la_code": la_code})
        return FlaggedPupilsPage.model_validate(response.json())
