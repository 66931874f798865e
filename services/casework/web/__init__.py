"""The officer UI: GOV.UK Frontend pages rendered on the server."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from services.casework.settings import CaseworkSettings
from services.casework.web.la_lists import router as la_list_pages
from services.casework.web.legal_steps import router as legal_steps_page
from services.casework.web.notices import router as notice_forms
from services.casework.web.oidc import router as oidc_router
from services.casework.web.pages import router as more_pages
from services.casework.web.reports import router as report_pages
from services.casework.web.routes import router
from services.casework.web.sickness import router as sickness_forms
from services.casework.web.sickness_card import KeptExpectations
from services.casework.web.steps import router as step_forms
from services.casework.web.templating import make_templates
from shared.clients.oidc import OidcProvider
from shared.settings import Environment

logger = logging.getLogger(__name__)


def install_web(app: FastAPI, settings: CaseworkSettings) -> None:
    """Pages, templates and the compiled GOV.UK Frontend assets (built by scripts/build_frontend.sh)."""
    app.state.sickness_kept = KeptExpectations(settings.sickness_card_max_age_seconds)
    app.state.templates = make_templates(
        auto_reload=settings.platform.environment is Environment.DEVELOPMENT)
    issuer = settings.platform.oidc_issuer
    app.state.oidc = OidcProvider(issuer) if issuer else None
    app.include_router(router)
    app.include_router(more_pages)
    app.include_router(report_pages)
    app.include_router(la_list_pages)
    app.include_router(sickness_forms)
    app.include_router(step_forms)
    app.include_router(notice_forms)
    app.include_router(legal_steps_page)
    app.include_router(oidc_router)
    frontend = settings.frontend_dir
    if (frontend / "casework.min.css").exists():
        # The CSS refers to /assets/images/...; the page template to /govuk/*.css and *.js.
        app.mount("/assets", StaticFiles(directory=frontend / "assets"), name="assets")
        app.mount("/govuk", StaticFiles(directory=frontend), name="govuk")
    else:
        logger.warning("GOV.UK Frontend assets not found in %s; run scripts/build_frontend.sh", frontend)
