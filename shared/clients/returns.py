"""Client of the returns service's internal API."""

from __future__ import annotations

from shared.http import ServiceClient


class ReturnsClient(ServiceClient):
    service_name = "returns"
