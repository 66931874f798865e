"""The whole system as local processes: embedded Temporal, SMTP sink, four services and the journey worker.

`make run` uses it in the foreground under scripts/supervisor.py; the end-to-end tests use it on free ports
with fresh databases, and stop, kill and restart single components to show that nothing is lost.

No child outlives the process that started it, however that process ends: each child asks the kernel for
SIGKILL when its parent dies (Linux PR_SET_PDEATHSIG), so a SIGKILLed `make run` or test run leaves nothing
holding its ports.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.http import SERVER_KEEPALIVE_SECONDS
from shared.temporal import bundled_binary

REPO_ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("register", "notifications", "returns", "casework")
PR_SET_PDEATHSIG = 1
# Long enough for uvicorn to finish a request and the worker to hand back its tasks, short enough that Ctrl-C
# stops the whole system within 10 seconds.
STOP_TIMEOUT = 8.0


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
    # More than one machine on one: further register processes on these ports (same register database, so
    # their outbox relays compete for the same events) and further journey workers (same task queue).
    # Off by default; bench/two_instances.py turns them on.
    extra_register_ports: list[int] = field(default_factory=list)
    extra_workers: int = 0

    def named_ports(self) -> list[tuple[int, str, str]]:
        """(port, component, the RUN_* setting that moves it) for every port the system listens on."""
        ports = [(self.temporal_port, "temporal", "RUN_TEMPORAL_PORT")]
        if self.temporal_ui:
            ports.append((self.temporal_ui_port, "temporal UI", "RUN_TEMPORAL_UI_PORT"))
        ports += [(self.smtp_port, "smtp-sink", "RUN_SMTP_PORT"),
                  (self.smtp_web_port, "smtp-sink web view", "RUN_SMTP_WEB_PORT")]
        ports += [(self.ports[s], s, f"RUN_{s.upper()}_PORT") for s in SERVICES]
        ports += [(port, f"register-{n}", "SystemConfig.extra_register_ports")
                  for n, port in enumerate(self.extra_register_ports, start=2)]
        return ports

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
            # The DfE daily share's file drop writes into the data folder (the demo's stand-in for the DfE pick-up).
            "RETURNS_DFE_SHARE_DROP_DIR": str(self.data_dir / "dfe-share"),
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
        def uvicorn(service: str, port: int) -> list[str]:
            return [python, "-m", "uvicorn", "--factory", f"services.{service}.main:create_app", "--host",
                    "127.0.0.1", "--port", str(port), "--no-access-log", "--timeout-graceful-shutdown", "3",
                    "--timeout-keep-alive", str(SERVER_KEEPALIVE_SECONDS)]

        for service in SERVICES:
            components.append(Component(service, uvicorn(service, cfg.ports[service]), ready_port=cfg.ports[service],
                                        health_url=f"{cfg.url(service)}/healthz"))
        components.append(Component("worker", [python, "-m", "workflows.worker"]))
        # Started after the first register (start_order's last stage), so only one of them seeds the demo.
        for n, port in enumerate(cfg.extra_register_ports, start=2):
            components.append(Component(f"register-{n}", uvicorn("register", port), ready_port=port,
                                        health_url=f"http://127.0.0.1:{port}/healthz"))
        for n in range(2, cfg.extra_workers + 2):
            components.append(Component(f"worker-{n}", [python, "-m", "workflows.worker"]))
        return components

    @property
    def maildir(self) -> Path:
        return self.config.data_dir / "mail"

    def start(self, name: str, timeout: float = 90.0) -> None:
        self.start_together([name], timeout)

    def start_together(self, names: list[str], timeout: float = 90.0) -> None:
        """Spawn the named processes at once, then wait until each is ready (services start in parallel)."""
        for component in self.spawn(names):
            self._wait_until_ready(component, timeout)

    def spawn(self, names: list[str]) -> list[Component]:
        """Start the named processes that are not running, without waiting for them."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        (self.config.data_dir / "temporal").mkdir(parents=True, exist_ok=True)
        return [self._spawn(self.components[name]) for name in names]

    def _spawn(self, component: Component) -> Component:
        if component.process is not None and component.process.poll() is None:
            return component
        log = open(self.log_dir / f"{component.name}.log", "ab")  # the child process keeps its own copy
        # A new session, so Ctrl-C reaches only the supervisor, which then stops children in order.
        component.process = subprocess.Popen(
            component.command, cwd=REPO_ROOT, env={**os.environ, **self.config.environment_variables()},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent())
        log.close()
        return component

    def is_ready(self, name: str) -> bool:
        """Running, listening and (for a service) answering /healthz; never waits long."""
        component = self.components[name]
        if component.process is None or component.process.poll() is not None:
            return False
        if component.ready_port is not None and not _port_open(component.ready_port):
            return False
        return component.health_url is None or _answers(component.health_url)

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

    def start_order(self) -> list[list[str]]:
        """Temporal and the SMTP sink first, then the four services together, then the worker (then any
        other component a test added)."""
        stages = [["temporal", "smtp-sink"], list(SERVICES), ["worker"]]
        known = {name for stage in stages for name in stage}
        stages.append([name for name in self.components if name not in known])
        present = [[name for name in stage if name in self.components] for stage in stages]
        return [stage for stage in present if stage]

    def stop(self, name: str, timeout: float = STOP_TIMEOUT) -> None:
        self._stop_together([name], time.monotonic() + timeout)

    def kill(self, name: str) -> None:
        """SIGKILL: the crash case, no chance to clean up."""
        process = self.components[name].process
        if process is not None and process.poll() is None:
            _signal_group(process, signal.SIGKILL)
            process.wait(5)

    def stop_all(self, timeout: float = STOP_TIMEOUT) -> None:
        """The worker and services first (they still talk to Temporal and the sink while they stop), then the
        rest; whatever has not exited when its share of `timeout` is up is killed."""
        deadline = time.monotonic() + timeout
        stages = self.start_order()[::-1]
        for index, stage in enumerate(stages):
            # An even share of what is left, so a slow stage cannot leave the next one no time at all.
            share = (deadline - time.monotonic()) / (len(stages) - index)
            self._stop_together(stage, time.monotonic() + max(share, 0.5))

    def _stop_together(self, names: list[str], deadline: float) -> None:
        running = [p for p in (self.components[n].process for n in names) if p is not None and p.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        for process in running:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(5)

    def pid(self, name: str) -> int | None:
        process = self.components[name].process
        return process.pid if process is not None and process.poll() is None else None

    def returncode(self, name: str) -> int | None:
        process = self.components[name].process
        return None if process is None else process.poll()

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


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    # The child leads its own process group, so this reaches anything it started too.
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn that makes the kernel SIGKILL the child when the thread that spawned it ends (so spawn
    from the main thread or a thread that lives as long as the system). None where there is no prctl."""
    if not sys.platform.startswith("linux"):
        return None
    # Looked up before the fork: the child runs this between fork and exec, where loading a library could hang.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent, sigkill = os.getpid(), int(signal.SIGKILL)

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, sigkill)
        if os.getppid() != parent:
            # The parent died between the fork and the prctl, so no signal would ever come.
            os._exit(1)

    return preexec


def stop_with_parent(signum: int = signal.SIGTERM) -> None:
    """Ask the kernel for `signum` when the process that started this one dies (Linux; elsewhere nothing), so a
    supervisor whose `make` was killed stops its children instead of running on unseen."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signum))


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"
