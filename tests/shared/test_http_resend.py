"""A call between services whose connection fails under it: a read is asked again once, a write that may have
reached the service is not, and a service that is down is still reported as unreachable. Against a real TCP server
on loopback that hangs up on the first request it reads, as uvicorn does when its keep-alive timer closes a
connection a client has just sent on; and the services keep idle connections longer than their clients do."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from scripts.embedded import EmbeddedSystem, SystemConfig
from shared.http import CLIENT_KEEPALIVE_SECONDS, ServiceCallFailed, ServiceClient

RESPONSE = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n[]"


@dataclass
class HangsUpOnce:
    """Closes the connection on the first request without answering; answers 200 [] to every later one."""

    port: int = 0
    requests: list[bytes] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                if length:
                    await reader.readexactly(length)
                self.requests.append(head.split(b" ", 1)[0])
                if len(self.requests) == 1:
                    break
                writer.write(RESPONSE)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


@pytest.fixture
async def server() -> AsyncIterator[HangsUpOnce]:
    state = HangsUpOnce()
    listening = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield state


def _client(port: int) -> ServiceClient:
    return ServiceClient(f"http://127.0.0.1:{port}", token="test", timeout=5.0)


async def test_a_read_whose_connection_was_closed_under_it_is_asked_again(server: HangsUpOnce) -> None:
    client = _client(server.port)
    try:
        response = await client.request("GET", "/internal/pupils/allocated")
    finally:
        await client.aclose()
    assert response.json() == []
    assert server.requests == [b"GET", b"GET"]


async def test_a_write_that_may_have_arrived_is_not_sent_twice(server: HangsUpOnce) -> None:
    client = _client(server.port)
    try:
        with pytest.raises(ServiceCallFailed) as failed:
            await client.request("POST", "/internal/register-changes", json={"change_id": "x"})
    finally:
        await client.aclose()
    assert failed.value.status is None
    assert server.requests == [b"POST"]


async def test_a_service_that_is_down_is_reported_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    client = _client(free)
    try:
        with pytest.raises(ServiceCallFailed) as failed:
            await client.request("POST", "/internal/register-changes", json={})
    finally:
        await client.aclose()
    assert failed.value.status is None
    assert "ConnectError" in failed.value.detail


def test_the_services_keep_idle_connections_longer_than_their_clients(tmp_path: Path) -> None:
    commands = [c.command for c in EmbeddedSystem(SystemConfig(data_dir=tmp_path)).components.values()
                if "uvicorn" in c.command]
    assert len(commands) == 4
    for command in commands:
        server_keeps = float(command[command.index("--timeout-keep-alive") + 1])
        assert server_keeps > 2 * CLIENT_KEEPALIVE_SECONDS
