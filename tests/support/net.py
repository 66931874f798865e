"""Free ports, so the suite can run beside `make run`.

Ports come from below the kernel's ephemeral range: a port that bind(0) hands out can be taken a moment later
as the source port of some outgoing connection, before the process we started binds it.
"""

from __future__ import annotations

import random
import socket
import time

_RANGE = (15000, 30000)
_handed_out: set[int] = set()


def _ephemeral_floor() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError):
        return 32768


def free_port() -> int:
    """A port nothing listens on, outside the ephemeral range, not handed out before in this run."""
    low, high = _RANGE[0], min(_RANGE[1], _ephemeral_floor() - 1)
    for _ in range(200):
        port = random.randint(low, high)
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free port found")


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")
