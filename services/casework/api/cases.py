"""Officers' case files: the lists, one case file, its steps, decisions, evidence bundle, family and previews."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from services.casework import service
from services.casework.dependencies import (
    CASE_OPENERS,
    CASE_READERS,
    DECISION_RECORDERS,
    STEP_TAKERS,
    CaseInScope,
    CaseworkDep,
    CaseworkIdentity,
    Limit,
    Offset,
)
from services.casework.schemas import (
    CaseFileView,
    CasePage,
    CaseSearch,
    DecisionRecordIn,
    DecisionRecordOut,
    FamilyView,
    OfficerActionIn,
    OpenCaseIn,
    PreviewIn,
)
from shared.contracts.identifiers import Urn
from shared.contracts.journey import JourneyView
from shared.contracts.notifications import TemplatePreview

router = APIRouter(prefix="/api/v1", tags=["cases"])


@router.get("/cases", dependencies=[Depends(CASE_READERS)], summary="Open journeys in the caller's scope")
async def list_cases(identity: CaseworkIdentity, cw: CaseworkDep, offset: Offset = 0, limit: Limit = None,
                     stage: Annotated[str | None, Query(max_length=40)] = None,
                     school: Urn | None = None,
                     include_closed: bool = False, mine: bool = False,
                     deadline_by: date | None = None,
                     case_list: Annotated[str, Query(alias="list", pattern="^(|new_unexplained|newly_pa_sa)$")] = "",
                     ) -> CasePage:
    return await service.list_cases(cw, identity, offset=offset, limit=limit, stage=stage, school_urn=school,
                                    include_closed=include_closed, mine=mine, deadline_by=deadline_by,
                                    case_list=case_list)


@router.post("/cases/search", dependencies=[Depends(CASE_READERS)],
             summary="Find cases by pupil name (in the body, never in the URL)")
async def search_cases(search: CaseSearch, identity: CaseworkIdentity, cw: CaseworkDep, offset: Offset = 0,
                       limit: Limit = None) -> CasePage:
    return await service.list_cases(cw, identity, offset=offset, limit=limit, stage=search.stage,
                                    school_urn=search.school, include_closed=search.include_closed,
                                    search=search.name.strip())


@router.post("/cases", dependencies=[Depends(CASE_OPENERS)], summary="Open a case by hand (update-with-start)")
async def open_case(body: OpenCaseIn, identity: CaseworkIdentity, cw: CaseworkDep) -> JourneyView:
    return await service.open_case(cw, identity, body.pupil_id, body)


@router.get("/cases/{pupil_id}", dependencies=[Depends(CASE_READERS)], summary="One pupil's case file")
async def case_file(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> CaseFileView:
    return await service.case_file(cw, identity, pupil_id)


@router.post("/cases/{pupil_id}/actions", dependencies=[Depends(STEP_TAKERS)],
             summary="An officer's step in the journey")
async def take_action(pupil_id: CaseInScope, body: OfficerActionIn, identity: CaseworkIdentity,
                      cw: CaseworkDep) -> JourneyView:
    return await service.take_action(cw, identity, pupil_id, body)


@router.post("/cases/{pupil_id}/decisions", dependencies=[Depends(DECISION_RECORDERS)],
             summary="Record the factors considered before a legal step")
async def record_decision(pupil_id: CaseInScope, body: DecisionRecordIn, identity: CaseworkIdentity,
                          cw: CaseworkDep) -> DecisionRecordOut:
    return await service.record_decision(cw, identity, pupil_id, body)


@router.get("/cases/{pupil_id}/evidence-bundle", dependencies=[Depends(CASE_READERS)],
            summary="The evidence bundle as PDF",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
async def evidence_bundle(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> Response:
    pdf = await service.evidence_bundle(cw, identity, pupil_id)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="evidence-bundle.pdf"', "Cache-Control": "no-store"})


@router.get("/cases/{pupil_id}/family", dependencies=[Depends(CASE_READERS)],
            summary="Siblings and other children of the same parents, in scope")
async def family(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> FamilyView:
    return await service.family_view(cw, identity, pupil_id)


@router.post("/cases/{pupil_id}/previews", dependencies=[Depends(CASE_READERS)],
             summary="Render a letter or message with the pupil's data, unsent")
async def preview(pupil_id: CaseInScope, body: PreviewIn, identity: CaseworkIdentity,
                  cw: CaseworkDep) -> TemplatePreview:
    return await service.preview(cw, identity, pupil_id, body)
