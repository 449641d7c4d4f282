"""No network, for every test: the app never opens a connection, and this
proves it. Imported by tests/conftest.py, so the block covers the whole suite.

Connections to Internet addresses (IPv4, IPv6) and name look-ups raise;
local sockets (AF_UNIX, socketpair: asyncio's own wake-up pipe, a keyring's
D-Bus) are not the network and stay allowed.
"""

from __future__ import annotations

import socket

import pytest


class NetworkBlocked(AssertionError):
    """Something tried to reach the network during a test."""


def _refuse(*args: object, **kwargs: object) -> None:
    raise NetworkBlocked(f"a network look-up was attempted: {args[:2]!r}")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise NetworkBlocked(f"a network connection was attempted to {address!r}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise NetworkBlocked(f"a network connection was attempted to {address!r}")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    monkeypatch.setattr(socket, "gethostbyname", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
