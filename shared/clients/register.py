"""Client of register's internal API."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter

from shared.contracts import register as contract
from shared.http import ServiceClient

_MARKS = TypeAdapter(list[contract.MarkView])
_SCHOOLS = TypeAdapter(list[contract.SchoolSummary])
_IDS = TypeAdapter(list[UUID])
_PUPILS = TypeAdapter(list[contract.PupilSummary])


def _range(from_date: date | None, to_date: date | None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if from_date is not None:
        params["from"] = from_date.isoformat()
    if to_date is not None:
        params["to"] = to_date.isoformat()
    return params


class RegisterClient(ServiceClient):
    service_name = "register"

    async def pupil_contacts(self, pupil_id: UUID) -> contract.PupilContacts:
        return await self.get_model("/internal/pupils/{pupil_id}/contacts", contract.PupilContacts,
                                    path_params={"pupil_id": pupil_id})

    async def pupil_summary(self, pupil_id: UUID) -> contract.PupilSummary:
        return await self.get_model("/internal/pupils/{pupil_id}/summary", contract.PupilSummary,
                                    path_params={"pupil_id": pupil_id})

    async def pupil_figures(self, pupil_id: UUID, from_date: date | None = None,
                            to_date: date | None = None) -> contract.PupilFigures:
        return await self.get_model("/internal/pupils/{pupil_id}/figures", contract.PupilFigures,
                                    params=_range(from_date, to_date), path_params={"pupil_id": pupil_id})

    async def pupil_marks(self, pupil_id: UUID, from_date: date | None = None,
                          to_date: date | None = None) -> list[contract.MarkView]:
        response = await self.request("GET", "/internal/pupils/{pupil_id}/marks", params=_range(from_date, to_date),
                                       path_params={"pupil_id": pupil_id})
        return _MARKS.validate_python(response.json())

    async def allocated_pupils(self, worker_email: str) -> list[UUID]:
        """Pupils whose social worker has this email (a social worker's scope at sign-in)."""
        response = await self.request("GET", "/internal/pupils/allocated", params={"worker_email": worker_email})
        return _IDS.validate_python(response.json())

    async def schools(self) -> list[contract.SchoolSummary]:
        response = await self.request("GET", "/internal/schools")
        return _SCHOOLS.validate_python(response.json())

    async def family(self, pupil_id: UUID) -> list[contract.PupilSummary]:
        """Siblings and other children of the same parents in the LA's schools (the pupil excluded)."""
        response = await self.request("GET", "/internal/pupils/{pupil_id}/family", path_params={"pupil_id": pupil_id})
        return _PUPILS.validate_python(response.json())

    async def school_figures(self, urn: str, academic_year: int | None = None) -> contract.SchoolFigures:
        """A school's figures for an academic year (the current one when None), with its PA and at-risk pupils."""
        params = {"academic_year": academic_year} if academic_year is not None else {}
        return await self.get_model("/internal/schools/{urn}/figures", contract.SchoolFigures, params=params,
                                    path_params={"urn": urn})

    async def school_days(self, urn: str, from_date: date, to_date: date) -> contract.SchoolDays:
        """The days the school meets between the two dates (inclusive), from its calendar."""
        return await self.get_model("/internal/schools/{urn}/school-days", contract.SchoolDays,
                                    params=_range(from_date, to_date), path_params={"urn": urn})


    async def school_duties(self, urn: str) -> contract.SchoolDuties:
        """The school's attendance policy, senior attendance champion and the LA's named point of contact."""
        return await self.get_model("/internal/schools/{urn}/duties", contract.SchoolDuties, path_params={"urn": urn})

    async def admission_entry(self, pupil_id: UUID) -> contract.AdmissionEntry:
        """The pupil's admission entry as far as AdmissionEntry reads it (the UPN, the contacts)."""
        return await self.get_model("/api/v1/pupils/{pupil_id}", contract.AdmissionEntry,
                                    path_params={"pupil_id": pupil_id})
