"""Client of returns' sickness expectations API (/api/v1/schools/{urn}/sickness-expectations), called as the
signed-in person: returns applies its own scope rules to them and records who recorded or withdrew each one.

It has no token of its own on purpose: a call that forgot to pass the person's token must fail (401), not be
made with a service's token, which returns would let through for any school.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import TypeAdapter

from shared.contracts.returns import SicknessExpectationIn, SicknessExpectationView
from shared.http import PersonTokenClient

_VIEWS = TypeAdapter(list[SicknessExpectationView])
PATH = "/api/v1/schools/{urn}/sickness-expectations"


class SicknessExpectationsClient(PersonTokenClient):
    service_name = "returns"

    async def current(self, token: str, urn: str) -> list[SicknessExpectationView]:
        """The school's expectations that are not withdrawn, oldest sickness first."""
        response = await self.request("GET", PATH, headers=self.as_person(token), path_params={"urn": urn})
        return _VIEWS.validate_python(response.json())

    async def record(self, token: str, urn: str, expectation: SicknessExpectationIn) -> SicknessExpectationView:
        return await self.post_model(PATH, expectation, SicknessExpectationView, headers=self.as_person(token),
                                     path_params={"urn": urn})

    async def withdraw(self, token: str, urn: str, expectation_id: UUID) -> SicknessExpectationView:
        return await self.post_model(PATH + "/{expectation_id}/withdraw", {}, SicknessExpectationView,
                                     headers=self.as_person(token),
                                     path_params={"urn": urn, "expectation_id": expectation_id})
