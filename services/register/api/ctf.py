"""Register's public API for the Common Transfer File: import a CTF to admit its pupils, export a leaving pupil's."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Query, Request, Response

from services.register.api.problems import PROBLEMS
from services.register.dependencies import REGISTER_KEEPERS, RegisterDep, Settings, Today
from services.register.schemas import CtfImportReport
from services.register.service import admissions, ctf
from shared.auth import CurrentIdentity
from shared.errors import InvalidInput

router = APIRouter(prefix="/api/v1", tags=["register"])

XML_TYPES = ("application/xml", "text/xml")
CTF_BODY = {"requestBody": {"required": True, "content": {
    **{t: {"schema": {"type": "string"}} for t in XML_TYPES},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}, "required": ["file"]}}}}}


async def _file(request: Request, limit: int) -> bytes:
    """The XML sent as the body or as the `file` field of a form upload, refused unread past the size limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise InvalidInput(f"The file is larger than {limit} bytes.", field="file")
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InvalidInput("Send the CTF as the form's file field.", field="file")
        data = await upload.read(limit + 1)
    else:
        data = await request.body()
    if len(data) > limit:
        raise InvalidInput(f"The file is larger than {limit} bytes.", field="file")
    if not data.strip():
        raise InvalidInput("The file is empty.", field="file")
    return data


@router.post("/schools/{urn}/ctf", dependencies=[Depends(REGISTER_KEEPERS)],
             response_model=CtfImportReport, status_code=201, openapi_extra=CTF_BODY,
             responses={**PROBLEMS, 422: {"description": "Malformed or invalid file: `errors` name each XML path; "
                                                         "nobody was admitted"}},
             summary="Admit the pupils of a Common Transfer File (all or none), keeping their prior attendance")
async def import_ctf(urn: str, request: Request, identity: CurrentIdentity, reg: RegisterDep, today: Today,
                     settings: Settings, admission_date: date | None = Query(
                         None, description="The day the pupils join (default today)")) -> CtfImportReport:
    school = await admissions.school_or_404(reg, urn)
    data = await _file(request, settings.ctf_max_bytes)
    return await ctf.import_ctf(reg, identity, school, data, admission_date or today, today, settings)


@router.get("/pupils/{pupil_id}/ctf", dependencies=[Depends(REGISTER_KEEPERS)], response_class=Response,
            responses={**PROBLEMS, 200: {"content": {"application/xml": {}}, "description": "The CTF"},
                       409: {"description": "The pupil has not left and no deletion is pending"}},
            summary="A leaving pupil's Common Transfer File, addressed to the new school or 'destination unknown'")
async def export_ctf(pupil_id: uuid.UUID, identity: CurrentIdentity, reg: RegisterDep, today: Today,
                     settings: Settings) -> Response:
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    data, destination = await ctf.export_ctf(reg, identity, pupil, school, today, settings)
    # The file name carries the schools' numbers only, never the pupil's name or UPN.
    name = f"{school.la_code}{school.estab}_CTF_{destination.la}{destination.estab}_001.xml"
    return Response(data, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

