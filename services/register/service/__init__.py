"""Register's business rules: admissions, marking and amendments, figures and the events they raise.

Every rule a route calls takes the request's `Register` (service/context.py)."""

from __future__ import annotations

from services.register.service.context import Register

__all__ = ["Register"]
