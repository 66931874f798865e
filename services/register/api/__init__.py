"""Register's HTTP API: one router per resource under /api/v1, and the service-to-service routes under /internal."""

from __future__ import annotations

from services.register.api import ctf, duties, internal, leave, pupils, schools

ROUTERS = [pupils.router, schools.router, duties.router, leave.router, ctf.router, internal.router]
