"""What the service functions work with: the database, the journeys and the other services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.casework.journeys import Journeys
from services.casework.settings import CaseworkSettings
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient


@dataclass
class Casework:
    settings: CaseworkSettings
    sessions: async_sessionmaker[AsyncSession]
    journeys: Journeys
    register: RegisterClient
    notifications: NotificationsClient
