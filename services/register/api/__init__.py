"""Register's HTTP API: one router per resource under /api/v1, and the service-to-service routes under /internal.
Routes take the request's `Register` (services.register.dependencies) and call the rules in service/ with it."""

from __future__ import annotations

from services.register.api import (
    ctf,
    deletions,
    duties,
    figures,
    imports,
    internal,
    leave,
    marks,
    part_time,
    pupils,
    returns_figures,
    schools,
)

ROUTERS = [pupils.router, marks.router, figures.router, schools.router, deletions.router, imports.router,
           duties.router, leave.router, part_time.router, ctf.router, internal.router,
           returns_figures.router]
