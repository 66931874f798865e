"""The evidence bundle: one PDF for court or an LA panel, assembled from the case file (register extract
with amendments, timeline of events, steps and letters, notifications sent, decision log, deadlines)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from uuid import UUID

from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.casework import repository
from services.casework.schemas import CaseFileView
from services.casework.service.audit import audit
from services.casework.service.cases import case_file, require_caseworker_or_reader
from services.casework.service.context import Casework
from services.casework.service.england_time import day, england_time
from shared import clock
from shared.auth import Identity
from shared.contracts.register import MarkView
from shared.http import ServiceCallFailed

PDF_TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates" / "pdf"
_pdf_templates = Environment(loader=FileSystemLoader(PDF_TEMPLATES), autoescape=select_autoescape(["html"]))
# A bundle is read in England (a court, a panel): its times are England's, as on the officer's screens.
_pdf_templates.filters.update(day=day, moment=england_time)


def _render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads pango on first use

    return bytes(HTML(string=html).write_pdf())


async def evidence_bundle(cw: Casework, identity: Identity, pupil_id: UUID) -> bytes:
    """The bundle as PDF bytes. The register extract is essential evidence, so register must answer."""
    require_caseworker_or_reader(identity)
    view: CaseFileView = await case_file(cw, identity, pupil_id)
    since = clock.today() - timedelta(days=cw.settings.evidence_register_days)
    try:
        marks: list[MarkView] = await cw.register.pupil_marks(pupil_id, from_date=since)
    except ServiceCallFailed as exc:
        raise exc.for_caller(not_found="Register does not know this pupil.",
                             unavailable="The register extract could not be fetched, so the bundle cannot be "
                                         "assembled now. Try again shortly.") from exc
    async with cw.uow.transaction() as db:
        case = await repository.get_case(db, pupil_id)
        await audit(db, identity, "read", "evidence_bundle", case)
    html = _pdf_templates.get_template("evidence.html").render(
        view=view, marks=marks, since=since, generated_at=clock.now(), prepared_by=identity.name)
    return await asyncio.to_thread(_render_pdf, html)
