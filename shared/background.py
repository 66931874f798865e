"""A loop a service runs beside its requests (register's outbox relay, casework's case view refresh): started by
the app's lifespan, cancelled at shutdown, then given the chance to put its work down cleanly."""

from __future__ import annotations

import asyncio
import contextlib


class BackgroundLoop:
    """Subclasses set `task_name` and implement `_run`; `_after_stop` releases what the loop held."""

    task_name = "background-loop"
    _task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        raise NotImplementedError

    async def _after_stop(self) -> None:
        """Nothing to release by default."""

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.task_name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._after_stop()
