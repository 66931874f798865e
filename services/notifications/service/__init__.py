"""The notifications service's rules. `Notifier` is what every rule takes: one request's unit of work, and the
register client, templates, channels and settings the app holds for every request."""

from __future__ import annotations

from dataclasses import dataclass

from services.notifications.providers import Sender
from services.notifications.service.rendering import TemplateRenderer
from services.notifications.settings import NotificationsSettings
from shared.clients.register import RegisterClient
from shared.contracts.notifications import Channel
from shared.unit_of_work import UnitOfWork


@dataclass
class Notifier:
    """Delivery is split into short transactions (`uow.transaction()`, see service/delivery.py); reads take
    `uow.reading()`, so no transaction is held open while a channel or the register is asked."""

    uow: UnitOfWork
    register: RegisterClient
    renderer: TemplateRenderer
    senders: dict[Channel, Sender]
    settings: NotificationsSettings
