"""Outbox rows that are register events (the journey's facts), without register changes (case views to rebuild,
written beside every bulk-marks request), for tests that read the events the register wrote."""

from __future__ import annotations

from services.register.models import OutboxEvent
from services.register.service.events import REGISTER_CHANGE

EVENTS_ONLY = OutboxEvent.event_type != REGISTER_CHANGE
