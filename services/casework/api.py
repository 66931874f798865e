"""Casework's HTTP API: /internal for register and the journey, /api/v1 for officers (thin routers)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from services.casework import service
from services.casework.dependencies import (
    AUDIT_READERS,
    CASE_OPENERS,
    CASE_READERS,
    DECISION_RECORDERS,
    PRIOR_NOTICE_RECORDERS,
    STEP_TAKERS,
    CaseInScope,
    CaseworkDep,
    CaseworkIdentity,
    Today,
)
from services.casework.schemas import (
    AuditPage,
    CaseFileView,
    CasePage,
    CaseSearch,
    DecisionRecordIn,
    DecisionRecordOut,
    FamilyView,
    LedgerEntryView,
    OfficerActionIn,
    OpenCaseIn,
    PreviewIn,
    PriorNoticeIn,
    PupilView,
    SchoolSummaryView,
)
from services.casework.service import ledger
from services.casework.service.stages import cases_by_stage
from shared.auth import Identity, service_caller
from shared.callers import SCHOOL_FIGURES
from shared.contracts.casework import CaseProjection, CasesByStage, EventReceipt
from shared.contracts.identifiers import LaCode, Urn
from shared.contracts.journey import JourneyView
from shared.contracts.notifications import TemplatePreview
from shared.contracts.register import RegisterEvent

internal = APIRouter(prefix="/internal", tags=["internal"])
public = APIRouter(prefix="/api/v1", tags=["cases"])

# Which service each internal endpoint answers (their tokens name them); a person's token is refused there.
RegisterCaller = Annotated[Identity, Depends(service_caller("register"))]
JourneyWorkerCaller = Annotated[Identity, Depends(service_caller("journey-worker"))]
ReturnsCaller = Annotated[Identity, Depends(service_caller("returns"))]

Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int | None, Query(ge=1, le=200)]


@internal.post("/events", summary="A register event (from register's outbox relay)")
async def receive_event(event: RegisterEvent, _: RegisterCaller, cw: CaseworkDep) -> EventReceipt:
    return await service.receive_event(cw, event)


@internal.post("/cases/{pupil_id}/projection", summary="The journey's case record (single writer)")
async def record_projection(pupil_id: UUID, projection: CaseProjection, _: JourneyWorkerCaller,
                            cw: CaseworkDep) -> CaseProjection:
    return await service.record_projection(cw, pupil_id, projection)


@internal.get("/las/{la_code}/cases-by-stage", summary="An LA's open case files counted by stage (returns)")
async def las_cases_by_stage(la_code: LaCode, _: ReturnsCaller,
                             cw: CaseworkDep, today: Today) -> CasesByStage:
    return await cases_by_stage(cw, la_code, today)


@public.get("/cases", dependencies=[Depends(CASE_READERS)], summary="Open journeys in the caller's scope")
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


@public.post("/cases/search", dependencies=[Depends(CASE_READERS)],
             summary="Find cases by pupil name (in the body, never in the URL)")
async def search_cases(search: CaseSearch, identity: CaseworkIdentity, cw: CaseworkDep, offset: Offset = 0,
                       limit: Limit = None) -> CasePage:
    return await service.list_cases(cw, identity, offset=offset, limit=limit, stage=search.stage,
                                    school_urn=search.school, include_closed=search.include_closed,
                                    search=search.name.strip())


@public.post("/cases", dependencies=[Depends(CASE_OPENERS)], summary="Open a case by hand (update-with-start)")
async def open_case(body: OpenCaseIn, identity: CaseworkIdentity, cw: CaseworkDep) -> JourneyView:
    return await service.open_case(cw, identity, body.pupil_id, body)


@public.get("/cases/{pupil_id}", dependencies=[Depends(CASE_READERS)], summary="One pupil's case file")
async def case_file(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> CaseFileView:
    return await service.case_file(cw, identity, pupil_id)


@public.post("/cases/{pupil_id}/actions", dependencies=[Depends(STEP_TAKERS)],
             summary="An officer's step in the journey")
async def take_action(pupil_id: CaseInScope, body: OfficerActionIn, identity: CaseworkIdentity,
                      cw: CaseworkDep) -> JourneyView:
    return await service.take_action(cw, identity, pupil_id, body)


@public.post("/cases/{pupil_id}/decisions", dependencies=[Depends(DECISION_RECORDERS)],
             summary="Record the factors considered before a legal step")
async def record_decision(pupil_id: CaseInScope, body: DecisionRecordIn, identity: CaseworkIdentity,
                          cw: CaseworkDep) -> DecisionRecordOut:
    return await service.record_decision(cw, identity, pupil_id, body)


@public.get("/cases/{pupil_id}/evidence-bundle", dependencies=[Depends(CASE_READERS)],
            summary="The evidence bundle as PDF",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
async def evidence_bundle(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> Response:
    pdf = await service.evidence_bundle(cw, identity, pupil_id)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="evidence-bundle.pdf"', "Cache-Control": "no-store"})


@public.get("/cases/{pupil_id}/family", dependencies=[Depends(CASE_READERS)],
            summary="Siblings and other children of the same parents, in scope")
async def family(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> FamilyView:
    return await service.family_view(cw, identity, pupil_id)


@public.post("/cases/{pupil_id}/previews", dependencies=[Depends(CASE_READERS)],
             summary="Render a letter or message with the pupil's data, unsent")
async def preview(pupil_id: CaseInScope, body: PreviewIn, identity: CaseworkIdentity,
                  cw: CaseworkDep) -> TemplatePreview:
    return await service.preview(cw, identity, pupil_id, body)


@public.get("/pupils/{pupil_id}", dependencies=[Depends(CASE_READERS)],
            summary="A pupil's summary, figures, recent marks and case (if any)")
async def pupil(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> PupilView:
    return await service.pupil_view(cw, identity, pupil_id)


@public.get("/pupils/{pupil_id}/penalty-notices", dependencies=[Depends(CASE_READERS)],
            summary="The child's penalty notices (notice ledger)")
async def penalty_notices(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> list[LedgerEntryView]:
    return await ledger.list_notices(cw, identity, pupil_id)


@public.post("/pupils/{pupil_id}/prior-penalty-notices", dependencies=[Depends(PRIOR_NOTICE_RECORDERS)],
             status_code=201,
             summary="Record a penalty notice another LA issued to one of the child's parents")
async def record_prior_notice(pupil_id: CaseInScope, body: PriorNoticeIn, identity: CaseworkIdentity,
                              cw: CaseworkDep) -> LedgerEntryView:
    return await ledger.record_other_la_notice(cw, identity, pupil_id, body)


@public.get("/schools/{urn}/summary", dependencies=[Depends(SCHOOL_FIGURES)],
            summary="A school's figures, cohorts and open cases (figures only for governors)")
async def school_summary(urn: Urn, identity: CaseworkIdentity, cw: CaseworkDep,
                         academic_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                         ) -> SchoolSummaryView:
    return await service.school_summary(cw, identity, urn, academic_year)


@public.get("/schools/{urn}/tsm-pack", dependencies=[Depends(CASE_READERS)],
            summary="Targeting Support Meeting pack for one school")
async def tsm_pack(urn: Urn, identity: CaseworkIdentity,
                   cw: CaseworkDep) -> service.TsmPack:
    return await service.tsm_pack(cw, identity, urn)


@public.get("/audit", dependencies=[Depends(AUDIT_READERS)],
            summary="Who read or changed pupils' records (data protection lead)")
async def audit_log(identity: CaseworkIdentity, cw: CaseworkDep, offset: Offset = 0, limit: Limit = None,
                    pupil_id: UUID | None = None) -> AuditPage:
    return await service.list_audit(cw, identity, pupil_id=pupil_id, offset=offset,
                                    limit=limit or cw.settings.page_size)
