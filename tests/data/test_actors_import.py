#!/usr/bin/python3
"""End to end: data/actors.jsonl loaded into a real rollcalld with the real CLI.

Each test starts its own rollcalld on 127.0.0.1 (a free port) with an empty
data directory, imports with `rollcall import`, and reads back with
`rollcall actors list/get`. Binaries come from the environment:

  ROLLCALLD     rollcalld (default: build/server/rollcalld)
  ROLLCALL_CLI  rollcall  (default: build/client/cli/rollcall)

Run: ROLLCALLD=... ROLLCALL_CLI=... /usr/bin/python3 tests/data/test_actors_import.py
"""

import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLLCALLD = os.environ.get("ROLLCALLD", os.path.join(ROOT, "build", "server", "rollcalld"))
ROLLCALL = os.environ.get("ROLLCALL_CLI", os.path.join(ROOT, "build", "client", "cli", "rollcall"))
ACTORS = os.path.join(ROOT, "data", "actors.jsonl")
NIGER = os.path.join(ROOT, "data", "niger-coup-2023.jsonl")
LISTENING = "rollcalld listening on "

ECOWAS_MEMBERS = {"benin", "cape-verde", "cote-divoire", "gambia", "ghana", "guinea",
                  "guinea-bissau", "liberia", "nigeria", "senegal", "sierra-leone", "togo"}
# Actors of the Niger data set that are also in the directory.
SHARED = {"united-nations", "european-union", "african-union", "ecowas", "united-states",
          "russia", "france", "benin", "nigeria", "niger"}


def count_lines(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.strip() and not line.startswith("#"))


def count_actors(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.startswith('{"actor"'))


class Server:
    """A rollcalld on a free loopback port with a temporary data directory."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="rollcall-actors-test-")
        self.proc = subprocess.Popen(
            [ROLLCALLD, "--listen=127.0.0.1:0", "--data_dir=" + os.path.join(self.dir, "data")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = queue.Queue()

        def pump():
            for line in self.proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        seen = []
        while True:
            try:
                line = lines.get(timeout=30)
            except queue.Empty:
                self.stop()
                raise RuntimeError("rollcalld did not start listening within 30 s: " + "".join(seen))
            if line is None:
                self.stop()
                raise RuntimeError("rollcalld exited: " + "".join(seen))
            seen.append(line)
            if line.startswith(LISTENING):
                self.address = line[len(LISTENING):].strip()
                return

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class ActorsImportTest(unittest.TestCase):
    def setUp(self):
        for binary in (ROLLCALLD, ROLLCALL):
            if not os.access(binary, os.X_OK):
                self.fail(f"{binary} is not an executable; set ROLLCALLD and ROLLCALL_CLI")
        self.server = Server()
        self.addCleanup(self.server.stop)

    def rollcall(self, *args, check=True):
        result = subprocess.run([ROLLCALL, "--server", self.server.address, *args],
                                capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            self.fail(f"rollcall {' '.join(args)} exited {result.returncode}:\n"
                      f"{result.stdout}\n{result.stderr}")
        return result

    def import_file(self, path):
        return self.rollcall("import", path, check=False)

    def list_ids(self, *flags):
        out = self.rollcall("actors", "list", *flags, "--output", "json").stdout
        return {json.loads(line)["name"][len("actors/"):] for line in out.splitlines() if line}

    def assert_directory_queries(self):
        self.assertEqual(self.list_ids("--member-of", "ecowas"), ECOWAS_MEMBERS)
        self.assertEqual(len(self.list_ids("--member-of", "united-nations", "--kind", "state")), 193)
        self.assertEqual(len(self.list_ids("--member-of", "african-union")), 55)
        self.assertEqual(len(self.list_ids("--member-of", "european-union")), 27)
        self.assertEqual(self.list_ids("--member-of", "alliance-of-sahel-states"),
                         {"mali", "burkina-faso", "niger"})

    def test_import_directory(self):
        result = self.import_file(ACTORS)
        self.assertEqual(result.returncode, 0, result.stderr)
        n = count_lines(ACTORS)
        self.assertIn(f"imported {n} actors, 0 events, 0 statements; 0 already present; 0 errors",
                      result.stdout)
        self.assertEqual(len(self.list_ids()), n)
        self.assert_directory_queries()

        # `actors get niger` shows its memberships, the ended ECOWAS one with its end.
        shown = self.rollcall("actors", "get", "niger").stdout
        self.assertIn("actors/ecowas from 1975-05-28 until 2025-01-29", shown)
        self.assertIn("actors/alliance-of-sahel-states from 2023-09-16", shown)
        self.assertIn("actors/african-union from 2002-07-09", shown)
        niger = json.loads(self.rollcall("actors", "get", "niger", "--output", "json").stdout)
        self.assertEqual(niger["kind"], "ACTOR_KIND_STATE")
        self.assertEqual(niger["countryCode"], "NER")
        # Demonyms and metonyms survive the import, for the draft extractor.
        self.assertIn("nigérienne", niger["demonyms"])
        self.assertEqual(niger["metonyms"], ["Niamey"])
        france = json.loads(self.rollcall("actors", "get", "france", "--output", "json").stdout)
        self.assertIn("le Quai d'Orsay", france["metonyms"])
        ecowas = [m for m in niger["memberOf"] if m["organisation"] == "actors/ecowas"]
        self.assertEqual(ecowas, [{"organisation": "actors/ecowas",
                                   "startTime": "1975-05-28T00:00:00Z",
                                   "endTime": "2025-01-29T00:00:00Z"}])

        # Importing it again changes nothing and is not an error.
        again = self.import_file(ACTORS)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn(f"imported 0 actors, 0 events, 0 statements; {n} already present; 0 errors",
                      again.stdout)

    def test_directory_then_niger_data_set(self):
        self.assertEqual(self.import_file(ACTORS).returncode, 0)
        result = self.import_file(NIGER)
        self.assertEqual(result.returncode, 0, result.stderr)
        own = count_actors(NIGER) - len(SHARED)
        self.assertIn(f"imported {own} actors, 1 event, 21 statements; {len(SHARED)} already "
                      "present; 0 errors", result.stdout)
        # The directory's versions of the shared actors stay.
        self.assert_directory_queries()
        statements = self.rollcall("statements", "list", "--event", "niger-coup-2023",
                                   "--bloc", "ecowas", "--output", "json", "--limit", "0").stdout
        self.assertTrue(statements.strip())

    def test_niger_data_set_then_directory_imports_without_errors(self):
        self.assertEqual(self.import_file(NIGER).returncode, 0)
        result = self.import_file(ACTORS)
        self.assertEqual(result.returncode, 0, result.stderr)
        n = count_lines(ACTORS)
        self.assertIn(f"imported {n - len(SHARED)} actors, 0 events, 0 statements; "
                      f"{len(SHARED)} already present; 0 errors", result.stdout)

    def test_niger_data_set_then_directory_with_update_gives_current_memberships(self):
        # The Niger data set's ten shared actors are thinner (Niger without
        # its AES, CEN-SAD and OIC memberships, ECOWAS open-ended); a plain
        # import skips existing actors, `import --update` brings them up to
        # date with the directory.
        self.assertEqual(self.import_file(NIGER).returncode, 0)
        plain = self.import_file(ACTORS)
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertIn("niger", self.list_ids("--member-of", "ecowas"),
                      "without --update the Niger data set's membership stays")
        updated = self.rollcall("import", "--update", ACTORS, check=False)
        self.assertEqual(updated.returncode, 0, updated.stderr)
        self.assertRegex(updated.stdout, r"; [1-9][0-9]* updated; 0 errors")
        self.assert_directory_queries()
        again = self.rollcall("import", "--update", ACTORS, check=False)
        self.assertIn("; 0 updated; 0 errors", again.stdout, "a second run changes nothing")

if __name__ == "__main__":
    unittest.main(verbosity=2)
