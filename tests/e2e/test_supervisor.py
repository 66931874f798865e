"""`make run`'s supervisor (scripts/run.py, scripts/supervisor.py) as a real process: it restarts a child that
dies and says so, gives up with a clear message and a non-zero code only on a child that keeps dying, refuses
to start on a taken port or a data folder in use, and leaves no child behind however it ends, SIGKILL of itself
or of what started it included."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from scripts.embedded import REPO_ROOT, Component, EmbeddedSystem, SystemConfig
from scripts.supervisor import RestartPolicy, Supervisor
from tests.support.net import free_port
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

PORT_SETTINGS = ("TEMPORAL_PORT", "TEMPORAL_UI_PORT", "SMTP_PORT", "SMTP_WEB_PORT", "CASEWORK_PORT",
                 "REGISTER_PORT", "NOTIFICATIONS_PORT", "RETURNS_PORT")
# Starting seven processes on a busy 2-core machine, without the demo seed.
START_TIMEOUT = 120.0


@dataclass
class Run:
    process: subprocess.Popen[bytes]
    output: Path
    env: dict[str, str]

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_for_output(self, fragment: str, timeout: float = START_TIMEOUT) -> str:
        def seen() -> str | None:
            text = self.text()
            if fragment in text:
                return text
            assert self.process.poll() is None or fragment in self.text(), \
                f"supervisor exited ({self.process.returncode}) before printing {fragment!r}:\n{self.text()}"
            return None
        return wait_for(seen, timeout=timeout)

    def child(self, marker: str) -> int:
        pids = [pid for pid in children_of(self.process.pid) if marker in cmdline(pid)]
        assert len(pids) == 1, (marker, pids)
        return pids[0]


def run_env(data_dir: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("RUN_")}
    env.update({f"RUN_{name}": str(free_port()) for name in PORT_SETTINGS})
    env.update(RUN_DATA_DIR=str(data_dir), RUN_SEED_DEMO="false", RUN_TEMPORAL_UI="false", **overrides)
    return env


def start_run(tmp_path: Path, **overrides: str) -> Run:
    env = run_env(tmp_path / "data", **overrides)
    output = tmp_path / "run.out"
    with open(output, "wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "scripts.run"], cwd=REPO_ROOT, env=env, stdout=handle,
                                   stderr=subprocess.STDOUT)
    return Run(process, output, env)


def children_of(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces and parentheses; the fields after its closing one do not.
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == parent and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def stop(run: Run) -> None:
    if run.process.poll() is None:
        run.process.send_signal(signal.SIGTERM)
        try:
            run.process.wait(20)
        except subprocess.TimeoutExpired:
            run.process.kill()
            run.process.wait(5)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Run]:
    run = start_run(tmp_path, RUN_MAX_RESTARTS="1", RUN_RESTART_WINDOW_SECONDS="600")
    try:
        run.wait_for_output("is running")
        yield run
    finally:
        stop(run)


def test_a_killed_child_is_restarted_on_its_port_and_files_and_logged_and_one_that_keeps_dying_ends_the_run(
        running: Run) -> None:
    data = Path(running.env["RUN_DATA_DIR"])
    register_url = f"http://127.0.0.1:{running.env['RUN_REGISTER_PORT']}"
    database = data / "register.db"
    inode = database.stat().st_ino
    first = running.child("services.register.main")

    os.kill(first, signal.SIGKILL)
    running.wait_for_output("register is back")
    assert "! register exited (killed by SIGKILL); restart 1 of at most 1 within 600s, in 0.5s" in running.text()
    assert httpx.get(f"{register_url}/healthz", timeout=30).status_code == 200
    assert running.child("services.register.main") != first
    assert database.stat().st_ino == inode, "the restarted register must keep its database file"
    assert running.process.poll() is None

    # One more exit inside the window is more than RUN_MAX_RESTARTS allows.
    children = children_of(running.process.pid)
    os.kill(running.child("services.register.main"), signal.SIGKILL)
    assert running.process.wait(30) == 1
    text = running.text()
    assert "register keeps dying: it exited 2 times within 600s (last: killed by SIGKILL)" in text
    assert "a process kept failing" in text
    assert "Stopped in" in text
    assert [pid for pid in children if alive(pid)] == []


def test_killing_the_supervisor_with_sigkill_leaves_no_child(running: Run) -> None:
    children = children_of(running.process.pid)
    assert {name for name in ("temporal", "scripts.smtp_sink", "services.register.main", "services.casework.main",
                              "services.notifications.main", "services.returns.main", "workflows.worker")
            if any(name in cmdline(pid) for pid in children)} == {
        "temporal", "scripts.smtp_sink", "services.register.main", "services.casework.main",
        "services.notifications.main", "services.returns.main", "workflows.worker"}
    # Nothing a child started may survive either.
    grandchildren = [pid for child in children for pid in children_of(child)]
    os.kill(running.process.pid, signal.SIGKILL)
    running.process.wait(10)
    wait_for(lambda: not [pid for pid in children + grandchildren if alive(pid)], timeout=15)


def test_killing_what_started_the_supervisor_stops_it_and_every_child(tmp_path: Path) -> None:
    """`make run` killed with SIGKILL: the supervisor is make's child, hears of it and stops the system."""
    env = run_env(tmp_path / "data")
    output = tmp_path / "run.out"
    with open(output, "wb") as handle:
        # A shell that waits for the run, as make does (`; true` keeps it from exec-ing the command).
        parent = subprocess.Popen(["/bin/sh", "-c", f"{sys.executable} -m scripts.run; true"], cwd=REPO_ROOT,
                                  env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "is running" in output.read_text(errors="replace"), timeout=START_TIMEOUT)
        [supervisor] = children_of(parent.pid)
        children = children_of(supervisor)
        assert len(children) == 7, [cmdline(pid) for pid in children]
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        wait_for(lambda: not [pid for pid in [supervisor, *children] if alive(pid)], timeout=20)
        assert "Stopped in" in output.read_text(errors="replace")
    finally:
        if parent.poll() is None:
            parent.kill()


def test_sigterm_stops_everything_within_ten_seconds(running: Run) -> None:
    children = children_of(running.process.pid)
    started = time.monotonic()
    running.process.send_signal(signal.SIGTERM)
    assert running.process.wait(15) == 0
    assert time.monotonic() - started < 10, running.text()
    assert [pid for pid in children if alive(pid)] == []


def test_a_taken_port_is_refused_by_name(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        run = start_run(tmp_path, RUN_REGISTER_PORT=str(port))
        assert run.process.wait(60) == 2
    assert (f"port {port} (register) is in use: stop the other process or set RUN_REGISTER_PORT"
            in run.text()), run.text()
    assert children_of(run.process.pid) == []
    assert not (tmp_path / "data" / "logs").exists(), "nothing may have been started"


def test_a_second_run_on_the_same_ports_and_data_is_refused_naming_both(running: Run, tmp_path: Path) -> None:
    first_children = children_of(running.process.pid)
    output = tmp_path / "second.out"
    with open(output, "wb") as handle:
        second = subprocess.Popen([sys.executable, "-m", "scripts.run"], cwd=REPO_ROOT, env=running.env,
                                  stdout=handle, stderr=subprocess.STDOUT)
    assert second.wait(60) == 2
    text = output.read_text(errors="replace")
    register = running.env["RUN_REGISTER_PORT"]
    assert f"port {register} (register) is in use: stop the other process or set RUN_REGISTER_PORT" in text, text
    assert f"the data folder {running.env['RUN_DATA_DIR']} is in use by another run (pid {running.process.pid})" \
        in text, text
    # The first run goes on as it was.
    assert running.process.poll() is None
    assert children_of(running.process.pid) == first_children
    assert httpx.get(f"http://127.0.0.1:{register}/healthz", timeout=30).status_code == 200


def test_a_child_that_keeps_dying_is_reported_once_the_restarts_are_used_up(tmp_path: Path) -> None:
    system = EmbeddedSystem(SystemConfig(data_dir=tmp_path))
    system.components = {"flaky": Component("flaky", [sys.executable, "-c", "import sys; sys.exit(3)"])}
    lines: list[str] = []
    supervisor = Supervisor(system, RestartPolicy(max_restarts=2, window_seconds=60, first_delay=0.1),
                            log=lines.append)
    system.spawn(["flaky"])
    stopping = threading.Event()
    try:
        assert supervisor.watch(stopping, interval=0.02) == 1
    finally:
        supervisor.stop()
    assert [line for line in lines if line.startswith("! flaky exited")] == [
        "! flaky exited (exit code 3); restart 1 of at most 2 within 60s, in 0.1s "
        f"(log: {tmp_path / 'logs' / 'flaky.log'})",
        "! flaky exited (exit code 3); restart 2 of at most 2 within 60s, in 0.2s "
        f"(log: {tmp_path / 'logs' / 'flaky.log'})"]
    assert supervisor.gave_up is not None
    assert supervisor.gave_up.startswith("flaky keeps dying: it exited 3 times within 60s (last: exit code 3)")
