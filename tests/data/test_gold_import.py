#!/usr/bin/python3
"""End to end: every gold set's coding is a roll call a real rollcalld accepts.

Starts a rollcalld (a free loopback port, an empty data directory), imports
data/actors.jsonl, then each coded set of data/gold/ and data/gold/heldout/
(its lines after the header) with the real `rollcall import`. Every actor, event and statement must
be accepted: the gold statements pass the same validation and duplicate check
as an accepted draft would. Then reads them back by their `gold` label and
compares actor, stance, stanceToward, modality, action kinds, speaker and quote.

Run: ROLLCALLD=... ROLLCALL_CLI=... /usr/bin/python3 tests/data/test_gold_import.py
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_actors_import import ACTORS, ROLLCALL, ROLLCALLD, ROOT, Server  # noqa: E402

GOLD = os.path.join(ROOT, "data", "gold")


def coded_sets(folder=GOLD):
    """(slug, records after the header) for every set that is coded in folder."""
    sets = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        if "statementsFrom" not in records[0]["gold"]:
            sets.append((name[:-len(".jsonl")], records[1:]))
    return sets


def essentials(statement):
    """What the comparison looks at, with the server's defaults filled in."""
    return (statement["actor"], statement["stance"], statement.get("stanceToward", ""),
            statement.get("modality", "MODALITY_UNSPECIFIED"),
            tuple(a["kind"] for a in statement.get("actions", [])),
            statement.get("speaker", {}).get("personName", ""),
            statement.get("speaker", {}).get("office", ""), statement.get("quote", ""))


class GoldImportTest(unittest.TestCase):
    def setUp(self):
        for binary in (ROLLCALLD, ROLLCALL):
            if not os.access(binary, os.X_OK):
                self.fail(f"{binary} is not an executable; set ROLLCALLD and ROLLCALL_CLI")
        self.server = Server()
        self.addCleanup(self.server.stop)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def rollcall(self, *args):
        result = subprocess.run([ROLLCALL, "--server", self.server.address, *args],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0,
                         f"rollcall {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def test_every_coded_set_imports_and_reads_back(self):
        self.rollcall("import", ACTORS)
        heldout = coded_sets(os.path.join(GOLD, "heldout"))
        self.assertGreaterEqual(len(heldout), 6)
        sets = coded_sets() + heldout
        self.assertGreaterEqual(len(sets), 16)
        defined = set()
        for slug, records in sets:
            with self.subTest(gold=slug):
                path = os.path.join(self.tmp.name, slug + ".jsonl")
                with open(path, "w", encoding="utf-8") as f:
                    for rec in records:
                        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                actors = [r["actor"]["name"] for r in records if "actor" in r]
                new = [a for a in actors if a not in defined]
                defined.update(actors)
                statements = [r["statement"] for r in records if "statement" in r]
                out = self.rollcall("import", path)
                self.assertIn(f"imported {len(new)} actor", out)
                self.assertIn(f"1 event, {len(statements)} statements; "
                              f"{len(actors) - len(new)} already present; 0 errors", out)

                listed = self.rollcall("statements", "list", "--label", f"gold={slug}",
                                       "--output", "json", "--limit", "0")
                got = sorted(essentials(json.loads(line)) for line in listed.splitlines() if line)
                self.assertEqual(got, sorted(essentials(s) for s in statements))


if __name__ == "__main__":
    unittest.main(verbosity=2)
