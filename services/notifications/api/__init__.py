"""The notifications service's HTTP API: service-to-service routes in internal.py, Notify's in callbacks.py."""

from __future__ import annotations

from fastapi import APIRouter

from services.notifications.api import callbacks, internal

# In the order main.py includes them (the OpenAPI document lists paths in this order).
ROUTERS: list[APIRouter] = [internal.router, callbacks.router]
