"""Register's public API for imports from a school's MIS: pupils and marks as CSV, all rows or none."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.register.api.problems import PROBLEMS
from services.register.dependencies import KeptSchool, RegisterDep, Settings, Today
from services.register.schemas import ImportReport
from services.register.service import imports
from shared.auth import CurrentIdentity
from shared.errors import InvalidInput

router = APIRouter(prefix="/api/v1", tags=["register"])

CSV_BODY = {"requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}}


async def _csv_text(request: Request) -> str:
    raw = await request.body()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("Send the file as UTF-8 text.", field="file") from exc


@router.post("/schools/{urn}/imports/pupils", response_model=ImportReport, openapi_extra=CSV_BODY,
             responses=PROBLEMS, summary="Import pupils from a MIS CSV export (all rows or none)")
async def import_pupils(school: KeptSchool, request: Request, identity: CurrentIdentity, reg: RegisterDep,
                        today: Today, settings: Settings) -> ImportReport:
    count = await imports.import_pupils(reg, identity, school, await _csv_text(request), today, settings)
    return ImportReport(imported=count, unchanged=0)


@router.post("/schools/{urn}/imports/marks", response_model=ImportReport, openapi_extra=CSV_BODY,
             responses=PROBLEMS, summary="Import marks from a MIS CSV export (all rows or none)")
async def import_marks(school: KeptSchool, request: Request, identity: CurrentIdentity, reg: RegisterDep,
                       today: Today, settings: Settings) -> ImportReport:
    created, unchanged = await imports.import_marks(reg, identity, school, await _csv_text(request), today,
                                                    settings)
    return ImportReport(imported=created, unchanged=unchanged)
