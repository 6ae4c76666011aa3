"""The example scripts run against a real server loaded with the Niger data
set (imported with the real CLI)."""

from __future__ import annotations

import os
import pathlib
import select
import subprocess
import sys
import unittest

import rollcall
from server_process import NIGER_DATA, ROLLCALL_CLI, start_server

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
_TIMEOUT = 15.0


def example(name: str, *args: str) -> list[str]:
    """The command line that runs an example script."""
    return [sys.executable, str(EXAMPLES / name), *args]


class ExamplesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.server = start_server(cls.addClassCleanup)
        subprocess.run([ROLLCALL_CLI, "--server", cls.server.address, "import", str(NIGER_DATA)],
                       check=True, capture_output=True, timeout=_TIMEOUT)
        cls.client = rollcall.Client(cls.server.address)
        cls.addClassCleanup(cls.client.close)
        cls.niger = list(cls.client.list_statements('event = "events/niger-coup-2023"'))
        # Statements the tests add go to another event, keeping the roll call as imported.
        cls.client.add_event("test-additions", title="Test additions", start_time="2023-07-26")

    def run_example(self, name: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(example(name, "--server", self.server.address, *args),
                              capture_output=True, text=True, timeout=_TIMEOUT)

    def test_roll_call_lists_every_niger_statement(self) -> None:
        result = self.run_example("roll_call.py")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(len(self.niger), 21)
        self.assertEqual(len(lines), len(self.niger) + 1)
        self.assertTrue(lines[-1].startswith(f"{len(self.niger)} statements: "))
        self.assertEqual([line.split()[1] for line in lines[:-1]],
                         [s.actor.removeprefix("actors/") for s in self.niger])

    def test_roll_call_filters_by_stance(self) -> None:
        result = self.run_example("roll_call.py", "--stance", "condemns")
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = result.stdout.splitlines()[:-1]
        self.assertGreater(len(rows), 0)
        self.assertLess(len(rows), len(self.niger))
        self.assertTrue(all(row.split()[2] == "condemns" for row in rows), rows)

    def test_add_statement_records_it(self) -> None:
        result = self.run_example(
            "add_statement.py", "--event", "test-additions", "--actor", "european-union",
            "--stance", "condemns", "--issue-time", "2023-07-27",
            "--quote", "The EU condemns the coup.",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        name = result.stdout.split()[1]
        statement = self.client.get_statement(name)
        self.assertEqual(statement.quote, "The EU condemns the coup.")
        self.assertEqual(statement.actor, "actors/european-union")

    def test_add_statement_reports_the_rejected_field(self) -> None:
        result = self.run_example(
            "add_statement.py", "--event", "test-additions", "--actor", "nobody-at-all",
            "--stance", "condemns", "--issue-time", "2023-07-27", "--quote", "q",
        )
        self.assertEqual(result.returncode, 1)
        self.assertIn("FAILED_PRECONDITION", result.stderr)

    def test_watch_replays_from_start(self) -> None:
        result = self.run_example("watch.py", "--from-start", "--count", "3")
        self.assertEqual(result.returncode, 0, result.stderr)
        first = sorted(s.sequence for s in self.niger)[:3]
        self.assertEqual([line.split()[0] for line in result.stdout.splitlines()],
                         [f"#{sequence}" for sequence in first])

    def test_watch_prints_new_changes_live(self) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        watch = subprocess.Popen(example("watch.py", "--server", self.server.address,
                                         "--event", "test-additions", "--count", "2"),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.addCleanup(watch.kill)
        ready, _, _ = select.select([watch.stderr], [], [], _TIMEOUT)
        self.assertTrue(ready, "watch did not catch up")
        self.assertIn("caught up", watch.stderr.readline())

        added = self.client.add_statement(event="test-additions", actor="russia",
                                          stance="concerned", quote="live", issue_time="2023-07-28")
        self.client.retract_statement(added.name, "test")
        out, err = watch.communicate(timeout=_TIMEOUT)
        self.assertEqual(watch.returncode, 0, err)
        lines = out.splitlines()
        self.assertEqual([line.split()[1:3] for line in lines],
                         [["created", added.name], ["retracted", added.name]])


if __name__ == "__main__":
    unittest.main()
