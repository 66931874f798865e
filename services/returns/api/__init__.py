"""The returns service's HTTP API: one router module per resource, service-to-service routes in internal.py."""

from __future__ import annotations

from fastapi import APIRouter

from services.returns.api import dfe_share, governor_reports, internal, reports, returns, sickness_expectations

# In the order main.py includes them (the OpenAPI document lists paths in this order).
ROUTERS: list[APIRouter] = [
    internal.router,
    returns.router,
    reports.router,
    governor_reports.router,
    sickness_expectations.router,
    dfe_share.collector,
    dfe_share.la_router,
]
