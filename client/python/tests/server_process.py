"""Test support: a real rollcalld on a temporary data directory.

The binaries come from $ROLLCALLD and $ROLLCALL_CLI, by default the
repository's build tree.
"""

from __future__ import annotations

import datetime
import os
import pathlib
import select
import shutil
import signal
import subprocess
import tempfile
import unittest
from typing import Callable, Sequence

import rollcall

REPO = pathlib.Path(__file__).resolve().parents[3]
ROLLCALLD = os.environ.get("ROLLCALLD", str(REPO / "build/server/rollcalld"))
ROLLCALL_CLI = os.environ.get("ROLLCALL_CLI", str(REPO / "build/client/cli/rollcall"))
NIGER_DATA = REPO / "data/niger-coup-2023.jsonl"

_READY_PREFIX = "rollcalld listening on "
# util-linux's setpriv makes the kernel send the server SIGTERM when the test
# process dies, so a killed test run leaves no server behind.
_WITH_PARENT = ["setpriv", "--pdeathsig", "TERM"] if shutil.which("setpriv") else []

_START_TIMEOUT = 10.0


class RollcallServer:
    """A rollcalld process. ``start()`` runs it on ``listen`` (port 0 picks
    a free port) and records the address it reports; ``restart()`` stops it
    with SIGTERM and runs it again on the same address and data directory.
    ``extra_args`` are more rollcalld flags (e.g. ``--tokens_file=...``)."""

    def __init__(
        self, data_dir: str, listen: str = "127.0.0.1:0", extra_args: Sequence[str] = ()
    ) -> None:
        self.data_dir = data_dir
        self.address = listen
        self._extra_args = list(extra_args)
        self._process: subprocess.Popen[str] | None = None
        self._log = open(os.path.join(data_dir, "rollcalld.log"), "a")

    def start(self) -> str:
        """Starts the server and returns its host:port once it serves."""
        self._process = subprocess.Popen(
            [
                *_WITH_PARENT,
                ROLLCALLD,
                f"--listen={self.address}",
                f"--data_dir={self.data_dir}",
                *self._extra_args,
            ],
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        ready, _, _ = select.select([self._process.stdout], [], [], _START_TIMEOUT)
        line = self._process.stdout.readline() if ready else ""
        if not line.startswith(_READY_PREFIX):
            self.stop()
            raise RuntimeError(f"rollcalld did not start: {line!r}; see {self._log.name}")
        self.address = line[len(_READY_PREFIX):].strip()
        return self.address

    def stop(self) -> None:
        """Shuts the server down with SIGTERM and waits for it to exit."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()
        self._process = None

    def restart(self) -> None:
        """Stops the server and starts it again on the same address."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stops the server and closes its log."""
        self.stop()
        self._log.close()


def start_server(
    add_cleanup: Callable[..., None], extra_args: Sequence[str] = ()
) -> RollcallServer:
    """Starts a server on a new temporary data directory; ``add_cleanup``
    (a TestCase's addCleanup or addClassCleanup) registers its removal.
    ``extra_args`` are more rollcalld flags."""
    data_dir = tempfile.TemporaryDirectory(prefix="rollcall-python-test-")
    add_cleanup(data_dir.cleanup)
    server = RollcallServer(data_dir.name, extra_args=extra_args)
    add_cleanup(server.close)
    server.start()
    return server


class ServerTestCase(unittest.TestCase):
    """Runs one server per test class, with the actors tests refer to.

    Each test that writes statements should use its own event
    (``self.new_event()``) so that tests do not see each other's data.
    """

    server: RollcallServer
    client: rollcall.Client

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = start_server(cls.addClassCleanup)
        cls.client = rollcall.Client(cls.server.address)
        cls.addClassCleanup(cls.client.close)
        cls.client.add_actor("ecowas", display_name="ECOWAS", kind="regional-bloc")
        cls.client.add_actor("african-union", display_name="African Union", kind="regional-bloc")
        cls._events = 0
        cls._statements_by_event: dict[str, int] = {}

    def new_event(self) -> str:
        """Creates a fresh event and returns its name."""
        type(self)._events += 1
        event = self.client.add_event(
            f"event-{self._events}", title=self.id(), start_time="2023-07-26"
        )
        return event.name

    def add_statements(self, event: str, count: int, day: int = 26) -> list:
        """Records ``count`` statements on ``event``, one second apart.

        The statements on an event are numbered across calls ("statement
        0", "statement 1", ...), so that a second call does not repeat the
        quotes of the first: the server refuses a near-identical quote by
        the same actor on the same event within 24 hours."""
        added = type(self)._statements_by_event.get(event, 0)
        type(self)._statements_by_event[event] = added + count
        start = datetime.datetime(2023, 7, day, 10, tzinfo=datetime.timezone.utc)
        return [
            self.client.add_statement(
                event=event,
                actor="ecowas",
                stance="condemns",
                quote=f"statement {i}",
                issue_time=start + datetime.timedelta(seconds=i),
            )
            for i in range(added, added + count)
        ]
