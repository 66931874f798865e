"""The whole system as real processes (embedded Temporal, SMTP sink, four services, worker) on free ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scripts.embedded import SERVICES, EmbeddedSystem, SystemConfig
from tests.support.databases import DatabaseFactory
from tests.support.net import free_port


@pytest.fixture(scope="package")
def system(databases: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedSystem]:
    config = SystemConfig(
        data_dir=tmp_path_factory.mktemp("system"), environment="test", temporal_port=free_port(),
        temporal_ui=False, smtp_port=free_port(), smtp_web_port=free_port(),
        ports={service: free_port() for service in SERVICES},
        database_urls={service: databases.create(service) for service in SERVICES}, seed_demo=True)
    embedded = EmbeddedSystem(config)
    try:
        embedded.start_all()
        yield embedded
    finally:
        embedded.stop_all()
