"""The whole system as local processes: embedded Temporal, SMTP sink, four services and the journey worker.

`make run` uses it in the foreground; the end-to-end tests use it on free ports with fresh databases, and
stop, kill and restart single components to show that nothing is lost.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.temporal import bundled_binary

REPO_ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("register", "notifications", "returns", "casework")


@dataclass
class SystemConfig:
    data_dir: Path
    environment: str = "development"
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    temporal_ui: bool = True
    smtp_port: int = 1025
    smtp_web_port: int = 1080
    ports: dict[str, int] = field(default_factory=lambda: {
        "casework": 8000, "register": 8001, "notifications": 8002, "returns": 8003})
    # Empty means each service's SQLite file in data_dir.
    database_urls: dict[str, str] = field(default_factory=dict)
    seed_demo: bool = True
    extra_env: dict[str, str] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def environment_variables(self) -> dict[str, str]:
        env = {
            "ATT_ENVIRONMENT": self.environment,
            "ATT_DATA_DIR": str(self.data_dir),
            "ATT_TEMPORAL_ADDRESS": f"127.0.0.1:{self.temporal_port}",
            "NOTIFICATIONS_SMTP_HOST": "127.0.0.1",
            "NOTIFICATIONS_SMTP_PORT": str(self.smtp_port),
            "REGISTER_SEED_DEMO": "true" if self.seed_demo else "false",
            "PYTHONUNBUFFERED": "1",
        }
        for service in SERVICES:
            env[f"ATT_{service.upper()}_URL"] = self.url(service)
            if service in self.database_urls:
                env[f"{service.upper()}_DATABASE_URL"] = self.database_urls[service]
        return {**env, **self.extra_env}


@dataclass
class Component:
    name: str
    command: list[str]
    ready_port: int | None = None
    health_url: str | None = None
    process: subprocess.Popen[bytes] | None = None


class EmbeddedSystem:
    """Starts, stops and kills the system's processes; each writes its log to data_dir/logs/<name>.log."""

    def __init__(self, config: SystemConfig) -> None:
        self.config = config
        self.log_dir = config.data_dir / "logs"
        self.components = {c.name: c for c in self._components()}

    def _components(self) -> list[Component]:
        cfg = self.config
        python = sys.executable
        temporal = [bundled_binary("temporal"), "server", "start-dev", "--ip", "127.0.0.1",
                    "--port", str(cfg.temporal_port), "--db-filename", str(cfg.data_dir / "temporal" / "temporal.db"),
                    "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
                    "--log-level", "warn"]
        temporal += ["--ui-port", str(cfg.temporal_ui_port)] if cfg.temporal_ui else ["--headless"]
        components = [
            Component("temporal", temporal, ready_port=cfg.temporal_port),
            Component("smtp-sink", [python, "-m", "scripts.smtp_sink", "--smtp-port", str(cfg.smtp_port),
                                    "--web-port", str(cfg.smtp_web_port), "--maildir", str(self.maildir)],
                      ready_port=cfg.smtp_port),
        ]
        for service in SERVICES:
            components.append(Component(
                service,
                [python, "-m", "uvicorn", "--factory", f"services.{service}.main:create_app", "--host", "127.0.0.1",
                 "--port", str(cfg.ports[service]), "--no-access-log"],
                ready_port=cfg.ports[service], health_url=f"{cfg.url(service)}/healthz"))
        components.append(Component("worker", [python, "-m", "workflows.worker"]))
        return components

    @property
    def maildir(self) -> Path:
        return self.config.data_dir / "mail"

    def start(self, name: str, timeout: float = 90.0) -> None:
        self.start_together([name], timeout)

    def start_together(self, names: list[str], timeout: float = 90.0) -> None:
        """Spawn the named processes at once, then wait until each is ready (services start in parallel)."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        (self.config.data_dir / "temporal").mkdir(parents=True, exist_ok=True)
        spawned = [self._spawn(self.components[name]) for name in names]
        for component in spawned:
            self._wait_until_ready(component, timeout)

    def _spawn(self, component: Component) -> Component:
        if component.process is not None and component.process.poll() is None:
            return component
        log = open(self.log_dir / f"{component.name}.log", "ab")  # the child process keeps its own copy
        # A new session, so Ctrl-C reaches only the supervisor, which then stops children in order.
        component.process = subprocess.Popen(
            component.command, cwd=REPO_ROOT, env={**os.environ, **self.config.environment_variables()},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        return component

    def _wait_until_ready(self, component: Component, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if component.process is not None and component.process.poll() is not None:
                raise RuntimeError(f"{component.name} exited with {component.process.returncode}; "
                                   f"see {self.log_dir / (component.name + '.log')}:\n{self.log_tail(component.name)}")
            if component.ready_port is None or _port_open(component.ready_port):
                if component.health_url is None or _answers(component.health_url):
                    return
            time.sleep(0.1)
        raise TimeoutError(f"{component.name} not ready after {timeout}s:\n{self.log_tail(component.name)}")

    def start_all(self) -> None:
        for stage in self.start_order():
            self.start_together(stage)

    @staticmethod
    def start_order() -> list[list[str]]:
        """Temporal and the SMTP sink first, then the four services together, then the worker."""
        return [["temporal", "smtp-sink"], list(SERVICES), ["worker"]]

    def stop(self, name: str, timeout: float = 15.0) -> None:
        component = self.components[name]
        process = component.process
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def kill(self, name: str) -> None:
        """SIGKILL: the crash case, no chance to clean up."""
        process = self.components[name].process
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def stop_all(self) -> None:
        for name in reversed(list(self.components)):
            self.stop(name)

    def exited(self) -> list[str]:
        return [c.name for c in self.components.values() if c.process is not None and c.process.poll() is not None]

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2.0).status_code in (200, 503)
    except httpx.HTTPError:
        return False
