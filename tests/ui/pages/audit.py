"""The audit log the data protection lead reads."""

from __future__ import annotations

from tests.ui.pages.base import BasePage


class AuditLogPage(BasePage):
    name = "audit-log"
    heading = "Audit log"
