#!/usr/bin/python3
"""`rollcall import` and `rollcall export` show progress on a terminal only.

Starts a real rollcalld (free loopback port, temporary data directory) and
runs the real CLI with its stderr on a pseudo-terminal, then on a pipe, then
on a pseudo-terminal with --quiet. Binaries come from the environment:

  ROLLCALLD     rollcalld (default: build/server/rollcalld)
  ROLLCALL_CLI  rollcall  (default: build/client/cli/rollcall)
"""

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "data"))
from test_actors_import import NIGER, ROLLCALL, Server  # noqa: E402

STATEMENTS = 3000
# The progress line: redrawn in place, erased at the end.
ERASE = "\r\x1b[K"
IMPORT_LINE = re.compile(r"importing: [\d,]+ records(, [\d,]+/s)?, \d+% of the file")
END_LINE = re.compile(r"^imported 14 actors, 1 event, 3,?021 statements; 0 already present; "
                      r"0 errors\n$")


def run_with_stderr_on_terminal(args):
    """Runs args with stderr on a pseudo-terminal; returns (code, stdout, tty text)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    stdout, _ = proc.communicate(timeout=300)
    reader.join(timeout=30)
    os.close(master)
    return proc.returncode, stdout.decode(), b"".join(chunks).decode(errors="replace")


class ProgressTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="rollcall-progress-test-")
        # The Niger data set and a bulk of summary-only statements after it.
        cls.file = os.path.join(cls.dir, "bulk.jsonl")
        with open(NIGER, encoding="utf-8") as src, open(cls.file, "w", encoding="utf-8") as out:
            out.write(src.read().rstrip("\n") + "\n")
            for i in range(STATEMENTS):
                out.write(json.dumps({"statement": {
                    "event": "events/niger-coup-2023", "actor": "actors/benin",
                    "stance": "STANCE_NEUTRAL", "summary": f"Bulk statement {i}",
                    "issueTime": "2023-08-01T00:00:00Z"}, "requestId": f"bulk-{i}"}) + "\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.stop)

    def cli(self, *args):
        return [ROLLCALL, "--server", self.server.address, *args]

    def test_import_and_export_show_progress_on_a_terminal(self):
        code, stdout, tty = run_with_stderr_on_terminal(self.cli("import", self.file))
        self.assertEqual(code, 0, tty)
        self.assertRegex(tty, IMPORT_LINE)
        self.assertTrue(tty.startswith(ERASE), repr(tty[:80]))
        self.assertTrue(tty.endswith(ERASE), "the progress line is erased: " + repr(tty[-80:]))
        self.assertRegex(stdout, END_LINE)  # the end line as without a terminal

        code, stdout, tty = run_with_stderr_on_terminal(self.cli("export"))
        self.assertEqual(code, 0, tty)
        self.assertRegex(tty, r"exporting: [\d,]+ statements read")
        self.assertTrue(tty.endswith(ERASE), repr(tty[-80:]))
        self.assertEqual(stdout.count('{"statement"'), STATEMENTS + 21, "every statement")

    def test_no_progress_on_a_pipe_or_with_quiet(self):
        piped = subprocess.run(self.cli("import", self.file), capture_output=True, text=True,
                               timeout=300)
        self.assertEqual(piped.returncode, 0, piped.stderr)
        self.assertEqual(piped.stderr, "")
        self.assertRegex(piped.stdout, END_LINE)
        exported = subprocess.run(self.cli("export"), capture_output=True, text=True, timeout=300)
        self.assertEqual(exported.returncode, 0, exported.stderr)
        self.assertEqual(exported.stderr, "")

        code, stdout, tty = run_with_stderr_on_terminal(self.cli("export", "--quiet"))
        self.assertEqual(code, 0, tty)
        self.assertEqual(tty, "")
        self.assertIn('"statement"', stdout)
        code, stdout, tty = run_with_stderr_on_terminal(self.cli("import", "--quiet", self.file))
        self.assertEqual(code, 0, tty)
        self.assertEqual(tty, "")
        self.assertIn("already present", stdout)


if __name__ == "__main__":
    unittest.main()
