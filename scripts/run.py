"""`make run`: the whole system in the foreground, embedded, with demo data; Ctrl-C stops it all.

A child that dies is started again (scripts/supervisor.py); the run ends with a non-zero code only when one
keeps dying. Demo data is loaded on a thread of its own, so a slow or failing demo step never stops the system.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from scripts import demo_http
from scripts.demo_journeys import advance_demo_journeys
from scripts.demo_la import demo_la_activity
from scripts.embedded import REPO_ROOT, SERVICES, EmbeddedSystem, SystemConfig, stop_with_parent
from scripts.supervisor import GaveUp, RestartPolicy, StartRefused, Supervisor, lock_data_dir, ports_in_use
from shared.settings import PlatformSettings


class RunSettings(BaseSettings):
    """Ports and paths of the embedded system (RUN_* environment variables)."""

    model_config = SettingsConfigDict(env_prefix="RUN_")

    data_dir: Path = REPO_ROOT / "data"
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    temporal_ui: bool = True
    smtp_port: int = 1025
    smtp_web_port: int = 1080
    casework_port: int = 8000
    register_port: int = 8001
    notifications_port: int = 8002
    returns_port: int = 8003
    seed_demo: bool = True
    # A child may be restarted this many times within the window; one more exit stops the run.
    max_restarts: int = 5
    restart_window_seconds: float = 120.0


def say(line: str) -> None:
    print(line, flush=True)


def load_demo_data(config: SystemConfig, stopping: threading.Event) -> None:
    """Runs on its own thread: waits until the services answer, then takes the demo steps, each retried."""
    urls = [config.url(s) for s in SERVICES]
    late = demo_http.wait_until_healthy(urls)
    if stopping.is_set():
        return
    if late:
        say(f"! demo data not loaded: {', '.join(late)} did not become healthy; the system keeps running")
        return
    platform = PlatformSettings(register_url=config.url("register"), casework_url=config.url("casework"))
    steps = [("demo journey", lambda: advance_demo_journeys(config.url("casework"), config.data_dir, platform)),
             ("demo LA", lambda: demo_la_activity(platform, config.url("register"), config.url("returns"),
                                                  config.data_dir))]
    for label, step in steps:
        try:
            lines = step()
        except Exception as exc:  # any failure of one demo step leaves the system as it is
            if not stopping.is_set():
                say(f"! {label}: could not load ({type(exc).__name__}: {exc}); the system keeps running")
            continue
        for line in lines:
            if not stopping.is_set():
                say(f"  {label}: {line}")


def main() -> int:
    # SIGKILL of `make run` (not only of this process) must leave nothing behind: the kernel then sends SIGTERM,
    # which stops the system as Ctrl-C does.
    stop_with_parent(signal.SIGTERM)
    settings = RunSettings()
    config = SystemConfig(
        data_dir=settings.data_dir, temporal_port=settings.temporal_port, temporal_ui_port=settings.temporal_ui_port,
        temporal_ui=settings.temporal_ui, smtp_port=settings.smtp_port, smtp_web_port=settings.smtp_web_port,
        seed_demo=settings.seed_demo,
        ports={"casework": settings.casework_port, "register": settings.register_port,
               "notifications": settings.notifications_port, "returns": settings.returns_port})
    # Every reason at once: a second `make run` beside a running one hears of its data folder and of each port.
    problems: list[str] = []
    lock = None
    try:
        lock = lock_data_dir(config.data_dir)
    except StartRefused as exc:
        problems.append(str(exc))
    problems += ports_in_use(config)
    if problems or lock is None:
        say("Not starting: " + "\n             ".join(problems))
        if lock is not None:
            lock.close()
        return 2
    system = EmbeddedSystem(config)
    supervisor = Supervisor(system, RestartPolicy(max_restarts=settings.max_restarts,
                                                  window_seconds=settings.restart_window_seconds), log=say)
    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    started = time.monotonic()
    code = 0
    try:
        supervisor.start_all(stopping=stopping)
        if not stopping.is_set():
            say(f"""
Attendance casework is running (started in {time.monotonic() - started:.1f}s). Press Ctrl-C to stop.

  Officer UI and casework API   {config.url('casework')}/            (sign in as a demo user)
  Register API                  {config.url('register')}/docs
  Notifications API             {config.url('notifications')}/docs
  Returns API                   {config.url('returns')}/docs
  Temporal UI                   http://127.0.0.1:{config.temporal_ui_port}/  (gRPC 127.0.0.1:{config.temporal_port})
  Messages sent (SMTP sink)     http://127.0.0.1:{config.smtp_web_port}/   (SMTP 127.0.0.1:{config.smtp_port})
  Data and logs                 {config.data_dir}/ (logs/<process>.log)
""")
            if settings.seed_demo:
                threading.Thread(target=load_demo_data, args=(config, stopping), name="demo-data",
                                 daemon=True).start()
            code = supervisor.watch(stopping)
            if code:
                say("\nThe system stops because a process kept failing (see above).")
    except (GaveUp, TimeoutError) as exc:
        say(f"\nCould not start the system: {exc}")
        code = 1
    except Exception:
        say(f"\nThe supervisor failed:\n{traceback.format_exc()}")
        code = 1
    finally:
        stopping.set()
        say("\nStopping ...")
        stop_started = time.monotonic()
        supervisor.stop()
        say(f"Stopped in {time.monotonic() - stop_started:.1f}s. Data is kept in {config.data_dir}")
        lock.close()
    return code


if __name__ == "__main__":
    try:
        exit_code = main()
    except BaseException:
        traceback.print_exc()
        exit_code = 1
    # The Temporal core can crash the interpreter while it finalises (tooling.md gotcha 1).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)
