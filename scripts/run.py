"""`make run`: the whole system in the foreground, embedded, with demo data; Ctrl-C stops it all."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from scripts.demo_journeys import advance_demo_journeys
from scripts.demo_la import demo_la_activity
from scripts.embedded import REPO_ROOT, EmbeddedSystem, SystemConfig
from shared.settings import PlatformSettings


class RunSettings(BaseSettings):
    """Ports and paths of the embedded system (RUN_* environment variables)."""

    model_config = SettingsConfigDict(env_prefix="RUN_")

    data_dir: Path = REPO_ROOT / "data"
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    smtp_port: int = 1025
    smtp_web_port: int = 1080
    casework_port: int = 8000
    register_port: int = 8001
    notifications_port: int = 8002
    returns_port: int = 8003
    seed_demo: bool = True


def main() -> int:
    settings = RunSettings()
    config = SystemConfig(
        data_dir=settings.data_dir, temporal_port=settings.temporal_port, temporal_ui_port=settings.temporal_ui_port,
        smtp_port=settings.smtp_port, smtp_web_port=settings.smtp_web_port, seed_demo=settings.seed_demo,
        ports={"casework": settings.casework_port, "register": settings.register_port,
               "notifications": settings.notifications_port, "returns": settings.returns_port})
    system = EmbeddedSystem(config)
    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    started = time.monotonic()
    try:
        for stage in system.start_order():
            if stopping.is_set():
                break
            print(f"  starting {', '.join(stage)} ...", flush=True)
            system.start_together(stage)
    except (RuntimeError, TimeoutError) as exc:
        print(f"\nCould not start the system: {exc}", file=sys.stderr)
        system.stop_all()
        return 1
    if not stopping.is_set() and settings.seed_demo:
        platform = PlatformSettings(register_url=config.url("register"), casework_url=config.url("casework"))
        for line in advance_demo_journeys(config.url("casework"), config.data_dir, platform):
            print(f"  demo journey: {line}", flush=True)
        for line in demo_la_activity(platform, config.url("register"), config.url("returns"), config.data_dir):
            print(f"  demo LA: {line}", flush=True)
    if not stopping.is_set():
        print(f"""
Attendance casework is running (started in {time.monotonic() - started:.1f}s). Press Ctrl-C to stop.

  Officer UI and casework API   {config.url('casework')}/            (sign in as a demo user)
  Register API                  {config.url('register')}/docs
  Notifications API             {config.url('notifications')}/docs
  Returns API                   {config.url('returns')}/docs
  Temporal UI                   http://127.0.0.1:{config.temporal_ui_port}/  (gRPC 127.0.0.1:{config.temporal_port})
  Messages sent (SMTP sink)     http://127.0.0.1:{config.smtp_web_port}/   (SMTP 127.0.0.1:{config.smtp_port})
  Data and logs                 {config.data_dir}/ (logs/<process>.log)
""", flush=True)
    while not stopping.wait(1.0):
        for name in system.exited():
            print(f"! {name} stopped unexpectedly; last lines of its log:\n{system.log_tail(name)}", flush=True)
            stopping.set()
    print("\nStopping ...", flush=True)
    system.stop_all()
    print("Stopped. Data is kept in", config.data_dir, flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
