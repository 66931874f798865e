"""Sickness expectations from the case page: record one (on a page of its own), withdraw one (a button on the case
page's card). Both post to returns as the signed-in officer (returns' API and rules: services/returns/README.md
"Sickness expectations"); returns' refusals come back with the GOV.UK error summary, on the form page keeping what
the officer typed, or on the case page for a withdrawal."""

from __future__ import annotations

from uuid import UUID

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from services.casework.dependencies import CaseworkDep, SicknessExpectationsDep
from services.casework.models import CaseFile
from services.casework.service.cases import visible_case
from services.casework.web.officer import Officer, forged_form, page_router, posted_form, render
from services.casework.web.routes import case_file_page
from services.casework.web.sickness_card import (
    FORM_ANCHOR,
    LIST_ANCHOR,
    SicknessForm,
    kept_expectations,
    may_record,
    officer_token,
    parse_form,
    refusal,
)
from shared.auth import Identity
from shared.http import ServiceCallFailed

router = page_router()
UNREADABLE = ("The returns service's answer could not be read. Check the list of expectations before trying "
              "again.")


async def _recorder_case(request: Request, cw: CaseworkDep, identity: Identity,
                         pupil_id: UUID) -> CaseFile | Response:
    """The case, if the officer may record sickness expectations for its pupil."""
    case = await visible_case(cw, identity, pupil_id)
    if not may_record(identity, case.school_urn, case.la_code):
        return render(request, "error.html", status_code=403, title="You do not have access to this page",
                      message="You may not record or withdraw this pupil's sickness expectations.")
    return case


def _form_page(request: Request, case: CaseFile, form: SicknessForm, status_code: int = 200) -> Response:
    return render(request, "sickness_expectation.html", status_code=status_code,
                  title="Record sickness expected to reach 15 days", active="cases", pupil_id=case.pupil_id,
                  display_name=case.display_name, form=form, errors=form.summary())


@router.get("/cases/{pupil_id}/sickness-expectations/new")
async def sickness_expectation_form(request: Request, identity: Officer, pupil_id: UUID,
                                    cw: CaseworkDep) -> Response:
    case = await _recorder_case(request, cw, identity, pupil_id)
    if isinstance(case, Response):
        return case
    return _form_page(request, case, SicknessForm())


@router.post("/cases/{pupil_id}/sickness-expectations")
async def record_sickness_expectation(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep,
                                      returns: SicknessExpectationsDep) -> Response:
    posted = await posted_form(request)
    if posted is None:
        return forged_form(request)
    case = await _recorder_case(request, cw, identity, pupil_id)
    if isinstance(case, Response):
        return case
    expectation, form = parse_form(posted, pupil_id)
    if expectation is None:
        return _form_page(request, case, form, status_code=422)
    try:
        await returns.record(officer_token(request), case.school_urn, expectation)
        kept_expectations(request).forget(case.school_urn)
    except ServiceCallFailed as exc:
        status_code = refusal(exc, form, anchor=FORM_ANCHOR, undone="nothing was saved")
        return _form_page(request, case, form, status_code=status_code)
    except ValidationError:
        form.problems.append((UNREADABLE, FORM_ANCHOR))
        return _form_page(request, case, form)
    return RedirectResponse(f"/cases/{pupil_id}?done=sickness{LIST_ANCHOR}", status_code=303)


@router.post("/cases/{pupil_id}/sickness-expectations/{expectation_id}/withdraw")
async def withdraw_sickness_expectation(request: Request, identity: Officer,
                                        pupil_id: UUID, expectation_id: UUID, cw: CaseworkDep,
                                        returns: SicknessExpectationsDep) -> Response:
    if await posted_form(request) is None:
        return forged_form(request)
    case = await _recorder_case(request, cw, identity, pupil_id)
    if isinstance(case, Response):
        return case
    form = SicknessForm()
    try:
        # Returns checks only that the expectation is the school's: it must also be this pupil's, and current.
        current = await returns.current(officer_token(request), case.school_urn)
        if not any(e.id == expectation_id and e.pupil_id == pupil_id for e in current):
            return render(request, "error.html", status_code=404, title="Page not found",
                          message="This pupil has no such sickness expectation: it may have been withdrawn already. "
                                  "Go back to the case to see the current ones.")
        await returns.withdraw(officer_token(request), case.school_urn, expectation_id)
        kept_expectations(request).forget(case.school_urn)
    except ServiceCallFailed as exc:
        status_code = refusal(exc, form, anchor=LIST_ANCHOR, undone="the expectation was not withdrawn")
        return await case_file_page(request, cw, identity, pupil_id, returns, status_code=status_code,
                                    sickness_form=form)
    except ValidationError:
        form.problems.append((UNREADABLE, LIST_ANCHOR))
        return await case_file_page(request, cw, identity, pupil_id, returns, sickness_form=form)
    return RedirectResponse(f"/cases/{pupil_id}?done=sickness_withdrawn{LIST_ANCHOR}", status_code=303)
