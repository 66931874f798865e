"""Keeps the embedded system up: a child that dies is started again, with the same command, data folder and
ports, after a back-off; one that keeps dying is reported and ends the supervision (the caller exits non-zero).

Restarts happen on the thread that calls `watch` (or the one `start_watching` starts), which lives as long as
the system: each child is tied to the thread that spawned it (see `_die_with_parent` in scripts/embedded.py).
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scripts.embedded import EmbeddedSystem, SystemConfig, describe_exit

Log = Callable[[str], None]


@dataclass(frozen=True)
class RestartPolicy:
    """A child may be restarted `max_restarts` times within `window_seconds`; the next exit gives up."""

    max_restarts: int = 5
    window_seconds: float = 120.0
    first_delay: float = 0.5
    max_delay: float = 15.0

    def delay(self, attempt: int) -> float:
        return float(min(self.max_delay, self.first_delay * 2 ** max(0, attempt - 1)))


class GaveUp(Exception):
    """A child kept dying; the message names it, how often, its last exit and the tail of its log."""


class StartRefused(Exception):
    """Something the system needs is already taken; the message says what and what to do."""


def ports_in_use(config: SystemConfig) -> list[str]:
    """One sentence per port of the system that something else already listens on."""
    problems = []
    for port, component, setting in config.named_ports():
        if not _can_bind(port):
            problems.append(f"port {port} ({component}) is in use: stop the other process or set {setting}")
    return problems


def _can_bind(port: int) -> bool:
    with socket.socket() as sock:
        # Without SO_REUSEADDR the connections a stopped run left in TIME_WAIT would count as "in use".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def lock_data_dir(data_dir: Path) -> IO[str]:
    """An exclusive lock on the data folder for as long as the returned file stays open (the kernel drops it
    when the process dies, however it dies), so two runs never write the same databases."""
    data_dir.mkdir(parents=True, exist_ok=True)
    handle = open(data_dir / ".run.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise StartRefused(f"the data folder {data_dir} is in use by another run (pid {holder}): stop it or "
                           "set RUN_DATA_DIR") from None
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


class Supervisor:
    def __init__(self, system: EmbeddedSystem, policy: RestartPolicy | None = None,
                 log: Log = lambda line: print(line, flush=True)) -> None:
        self.system = system
        self.policy = policy or RestartPolicy()
        self.log = log
        self.gave_up: str | None = None
        self.restarts: dict[str, int] = dict.fromkeys(system.components, 0)
        self._exits: dict[str, deque[float]] = {name: deque() for name in system.components}
        self._due: dict[str, float] = {}
        self._coming_back: dict[str, float] = {}
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start_all(self, timeout: float = 120.0, stopping: threading.Event | None = None) -> None:
        """Each stage of the start order until it is ready; a child that dies on the way is restarted as it
        would be later. Raises GaveUp, or TimeoutError when a stage is not ready in `timeout` seconds."""
        stopping = stopping or self._stop
        for stage in self.system.start_order():
            if stopping.is_set():
                return
            self.log(f"  starting {', '.join(stage)} ...")
            self.system.spawn(stage)
            deadline = time.monotonic() + timeout
            while not all(self.system.is_ready(name) for name in stage):
                self.tick()
                if self.gave_up:
                    raise GaveUp(self.gave_up)
                if stopping.wait(0.1):
                    return
                if time.monotonic() > deadline:
                    late = [n for n in stage if not self.system.is_ready(n)]
                    raise TimeoutError(f"{', '.join(late)} not ready after {timeout:.0f}s:\n"
                                       + "\n".join(self.system.log_tail(n) for n in late))
            self._coming_back.clear()

    def tick(self) -> None:
        """Notice children that died, and start again those whose back-off is over."""
        with self._lock:
            if self._stop.is_set() or self.gave_up:
                return
            now = time.monotonic()
            for name in self.system.components:
                returncode = self.system.returncode(name)
                if returncode is not None and name not in self._due:
                    self._exited(name, returncode, now)
                    if self.gave_up:
                        return
            for name, due in list(self._due.items()):
                if now >= due:
                    del self._due[name]
                    self.system.spawn([name])
                    self._coming_back[name] = now
            for name, since in list(self._coming_back.items()):
                if self.system.is_ready(name):
                    del self._coming_back[name]
                    self.log(f"  {name} is back (ready {time.monotonic() - since:.1f}s after restart "
                             f"{self.restarts[name]})")

    def _exited(self, name: str, returncode: int, now: float) -> None:
        exits = self._exits[name]
        exits.append(now)
        while exits and exits[0] < now - self.policy.window_seconds:
            exits.popleft()
        self._coming_back.pop(name, None)
        log_file = self.system.log_dir / f"{name}.log"
        if len(exits) > self.policy.max_restarts:
            self.gave_up = (
                f"{name} keeps dying: it exited {len(exits)} times within {self.policy.window_seconds:.0f}s "
                f"(last: {describe_exit(returncode)}); not restarting it again (RUN_MAX_RESTARTS, "
                f"RUN_RESTART_WINDOW_SECONDS). Last lines of {log_file}:\n{self.system.log_tail(name)}")
            self.log(f"! {self.gave_up}")
            return
        self.restarts[name] += 1
        delay = self.policy.delay(len(exits))
        self._due[name] = now + delay
        self.log(f"! {name} exited ({describe_exit(returncode)}); restart {len(exits)} of at most "
                 f"{self.policy.max_restarts} within {self.policy.window_seconds:.0f}s, in {delay:.1f}s "
                 f"(log: {log_file})")

    def watch(self, stopping: threading.Event, interval: float = 0.25) -> int:
        """Supervise until `stopping` is set (0) or a child kept dying (1); the caller stops the system."""
        while not stopping.wait(interval):
            self.tick()
            if self.gave_up:
                return 1
        return 0

    def start_watching(self, interval: float = 0.25) -> None:
        """Supervise on a thread of its own (for tests; `make run` watches on its main thread)."""
        self._thread = threading.Thread(target=self.watch, args=(self._stop, interval), name="supervisor",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """No more restarts; then every child is stopped within the system's stop timeout."""
        with self._lock:
            self._stop.set()
            self._due.clear()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(10)
        self.system.stop_all()
