"""The harness itself: databases are created empty on the configured backend, Temporal servers start, and the
embedded runner's start-up checks (scripts/supervisor.py) name what is taken."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from temporalio.testing import WorkflowEnvironment

from scripts.embedded import SERVICES, SystemConfig, describe_exit
from scripts.supervisor import RestartPolicy, StartRefused, lock_data_dir, ports_in_use
from shared.db import create_engine
from tests.support.databases import DatabaseFactory
from tests.support.net import free_port


@pytest.mark.services
async def test_database_factory_gives_a_working_empty_database(databases: DatabaseFactory) -> None:
    url = databases.create("harness")
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE probe (n INTEGER)"))
        await conn.execute(text("INSERT INTO probe VALUES (41)"))
        assert (await conn.execute(text("SELECT n + 1 FROM probe"))).scalar_one() == 42
    await engine.dispose()
    expected = "postgresql" if databases.postgres_url else "sqlite"
    assert url.startswith(expected)


@pytest.mark.workflows
async def test_time_skipping_server_skips_time(time_skipping_env: WorkflowEnvironment) -> None:
    before = await time_skipping_env.get_current_time()
    await time_skipping_env.sleep(timedelta(days=30))
    after = await time_skipping_env.get_current_time()
    assert after - before >= timedelta(days=30)


def _free_config(data_dir: Path) -> SystemConfig:
    return SystemConfig(data_dir=data_dir, temporal_port=free_port(), temporal_ui_port=free_port(),
                        smtp_port=free_port(), smtp_web_port=free_port(),
                        ports={service: free_port() for service in SERVICES})


@pytest.mark.unit
def test_a_port_in_use_is_named_with_its_component_and_setting(tmp_path: Path) -> None:
    config = _free_config(tmp_path)
    assert ports_in_use(config) == []
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", config.ports["notifications"]))
        squatter.listen()
        assert ports_in_use(config) == [f"port {config.ports['notifications']} (notifications) is in use: "
                                        "stop the other process or set RUN_NOTIFICATIONS_PORT"]


@pytest.mark.unit
def test_a_data_folder_in_use_is_refused_until_its_run_ends(tmp_path: Path) -> None:
    first = lock_data_dir(tmp_path)
    with pytest.raises(StartRefused, match="in use by another run .*set RUN_DATA_DIR"):
        lock_data_dir(tmp_path)
    first.close()
    lock_data_dir(tmp_path).close()


@pytest.mark.unit
def test_restart_delays_double_up_to_a_cap_and_exits_are_described() -> None:
    policy = RestartPolicy(first_delay=0.5, max_delay=4)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(3) == "exit code 3"
