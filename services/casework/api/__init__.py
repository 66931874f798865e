"""Casework's HTTP API, one router per resource: /internal for register, the journey and returns; /api/v1 for
officers. `routers` is in the order main.py includes them (the OpenAPI document lists paths in that order)."""

from fastapi import APIRouter

from services.casework.api import audit, cases, internal, pupils, schools

routers: list[APIRouter] = [internal.router, cases.router, pupils.router, schools.router, audit.router]

__all__ = ["routers"]
