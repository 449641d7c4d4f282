"""Running a terminal program in a pseudo-terminal, as a person would see it."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence


class PtyProcess:
    """A command in a pseudo-terminal of ``columns`` x ``rows``; its output is collected."""

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None,
                 columns: int = 100, rows: int = 30, controlling_tty: bool = False) -> None:
        """``controlling_tty``: the pty is the process's terminal (/dev/tty), as
        in a real shell; needed where it reads a passphrase with getpass."""
        master, slave = pty.openpty()

        def take_terminal() -> None:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave,
            env={**os.environ, "TERM": "xterm-256color", **(env or {})},
            start_new_session=True,
            preexec_fn=take_terminal if controlling_tty else None,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_for(self, text: bytes, timeout: float = 30.0) -> float:
        """Seconds from start until ``text`` appeared in the output."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never appeared")
            time.sleep(0.005)
        return time.monotonic() - self.started

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        try:
            os.close(self.master)
        except OSError:
            pass


def poll(condition, what: str, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    """Wait for ``condition()`` to be truthy and return it; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
