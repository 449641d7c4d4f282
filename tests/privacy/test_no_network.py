"""Nothing in the app opens a network connection. The block in
``netblock.py`` is on for every test of the suite; here it is shown to work,
and the app is walked through its screens and commands under it."""

from __future__ import annotations

import socket

import pytest

from companion.cli import main
from tests.privacy.conftest import OLD
from tests.privacy.netblock import NetworkBlocked
from tests.ui.helpers import wait_until


def test_the_block_is_on() -> None:
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.org", 443)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(NetworkBlocked):
        s.connect(("127.0.0.1", 9))


async def test_walk_the_app_without_a_network(paths, build_app, clock) -> None:  # noqa: F811
    from companion.ui.screens.home import HomeScreen, MENU

    app = build_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        for action, _label, key in MENU:
            if action == "begin":
                continue
            await pilot.press(key)
            await wait_until(pilot, lambda: not isinstance(app.screen, HomeScreen))
            await pilot.pause()
            while not isinstance(app.screen, HomeScreen):
                app.pop_screen()
                await pilot.pause()
        await pilot.press("enter", "y")  # begin a session (asked first): Preparation
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()


def test_every_command_without_a_network(paths, typed: list[str], tmp_path) -> None:
    assert main(["note", "offline"]) == 0
    typed += [OLD, OLD]
    assert main(["encrypt"]) == 0
    assert main(["scores"]) == 0
    assert main(["privacy"]) == 0
    assert main(["export", "--format", "html", "--out", str(tmp_path / "r.html")]) == 0
    assert main(["doctor"]) in (0, 1)
