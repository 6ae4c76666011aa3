#!/usr/bin/python3
"""The data checks fail on broken directories, and pass on the shipped ones.

Each test writes a deliberately broken copy of data/actors.jsonl or of
data/extract/office-holders.jsonl to a temporary directory, runs the real
check script on it and expects exit status 1 and an error line naming the
fault; the shipped files must pass.

Run: /usr/bin/python3 tests/data/test_data_checks.py PY_STUBS_DIR
(PY_STUBS_DIR holds the generated rollcall/v1/*_pb2.py, as in tests/data/CMakeLists.txt.)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "data")
ACTORS = os.path.join(DATA, "actors.jsonl")
HOLDERS = os.path.join(DATA, "extract", "office-holders.jsonl")
STUBS = None


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_lines(directory, name, objs):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        for o in objs:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    return path


def run(*args):
    proc = subprocess.run(["/usr/bin/python3", *args], capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


class ActorMentionsCheck(unittest.TestCase):
    """check_actors.py on copies of actors.jsonl with broken demonyms or metonyms."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.records = read_lines(ACTORS)
        self.by_id = {r["actor"]["name"][len("actors/"):]: r["actor"] for r in self.records}

    def tearDown(self):
        self.tmp.cleanup()

    def check(self):
        path = write_lines(self.tmp.name, "actors.jsonl", self.records)
        return run(os.path.join(DATA, "check_actors.py"), path, STUBS)

    def assertRejected(self, message):
        status, out = self.check()
        self.assertEqual(status, 1, out)
        self.assertIn(message, out)

    def test_shipped_directory_passes(self):
        status, out = self.check()
        self.assertEqual(status, 0, out)

    def test_every_state_has_demonyms_or_metonyms(self):
        for actor_id in ("france", "niger", "nigeria", "united-states", "russia", "china",
                         "united-kingdom", "benin"):
            a = self.by_id[actor_id]
            self.assertTrue(a.get("demonyms") and a.get("metonyms"), actor_id)
        self.assertIn("Nigerien", self.by_id["niger"]["demonyms"])
        self.assertIn("nigérienne", self.by_id["niger"]["demonyms"])
        self.assertIn("Nigerian", self.by_id["nigeria"]["demonyms"])
        self.assertNotIn("Nigerian", self.by_id["niger"]["demonyms"])
        self.assertIn("the Kremlin", self.by_id["russia"]["metonyms"])
        self.assertIn("le Quai d'Orsay", self.by_id["france"]["metonyms"])
        self.assertIn("Brussels", self.by_id["european-union"]["metonyms"])
        self.assertIn("Addis Ababa", self.by_id["african-union"]["metonyms"])
        states = [a for a in self.by_id.values() if a["kind"] == "ACTOR_KIND_STATE"]
        bare = [a["name"] for a in states if not a.get("demonyms") and not a.get("metonyms")]
        self.assertEqual(bare, [])

    def test_metonym_claimed_by_two_actors_is_rejected(self):
        self.by_id["france"]["metonyms"].append("the Kremlin")
        self.assertRejected("'the kremlin' is claimed by actors/france (metonyms), "
                            "actors/russia (metonyms)")

    def test_demonym_claimed_by_two_actors_is_rejected(self):
        # Case does not make a demonym another one.
        self.by_id["niger"]["demonyms"].append("NIGERIAN")
        self.assertRejected("'nigerian' is claimed by actors/niger (demonyms), "
                            "actors/nigeria (demonyms)")

    def test_metonym_that_is_another_actors_alias_is_rejected(self):
        self.by_id["ghana"]["metonyms"].append("CEDEAO")
        self.assertRejected("'cedeao' (actors/ghana) is also a name or alias of actors/ecowas")

    def test_empty_entries_are_rejected(self):
        self.by_id["france"]["demonyms"].append(" ")
        self.assertRejected("actors/france: empty or padded entry in demonyms")
        self.by_id["france"]["demonyms"].pop()
        self.by_id["russia"]["metonyms"].append("")
        self.assertRejected("actors/russia: empty or padded entry in metonyms")

    def test_repeated_entry_is_rejected(self):
        self.by_id["france"]["demonyms"].append("French")
        self.assertRejected("actors/france: repeated entry in demonyms")


class MentionsTable(unittest.TestCase):
    """make_actors.py refuses a broken data/actors/mentions.tsv."""

    def generate(self, edit):
        with tempfile.TemporaryDirectory() as tmp:
            tables = os.path.join(tmp, "tables")
            shutil.copytree(os.path.join(DATA, "actors"), tables)
            path = os.path.join(tables, "mentions.tsv")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(edit(text))
            return run(os.path.join(DATA, "make_actors.py"), "--stubs", STUBS, "--tables", tables,
                       "--out", os.path.join(tmp, "actors.jsonl"),
                       "--ids", os.path.join(tmp, "ids.tsv"))

    def test_unchanged_table_generates(self):
        status, out = self.generate(lambda text: text)
        self.assertEqual(status, 0, out)

    def test_empty_entry_is_refused(self):
        status, out = self.generate(lambda text: text.replace("Nigerien|", "Nigerien||"))
        self.assertEqual(status, 1, out)
        self.assertIn("empty entry in demonyms", out)

    def test_table_without_version_is_refused(self):
        status, out = self.generate(lambda text: text.split("\n", 1)[1])
        self.assertEqual(status, 1, out)
        self.assertIn("the first line must be '# version: YYYY-MM-DD'", out)

    def test_unknown_actor_and_second_row_are_refused(self):
        status, out = self.generate(lambda text: text + "atlantis\tAtlantean\t\n")
        self.assertEqual(status, 1, out)
        self.assertIn("unknown actor 'atlantis'", out)
        status, out = self.generate(lambda text: text + "niger\t\tNiamey\n")
        self.assertEqual(status, 1, out)
        self.assertIn("second row for 'niger'", out)


class OfficeHoldersCheck(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.lines = read_lines(HOLDERS)

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, objs):
        path = write_lines(self.tmp.name, "holders.jsonl", objs)
        return run(os.path.join(DATA, "check_office_holders.py"), path, ACTORS)

    def line(self, person, actor=None):
        for o in self.lines:
            if o["person"] == person and (actor is None or o["actor"] == actor):
                return dict(o)
        self.fail(f"{person} is not in {HOLDERS}")

    def assertRejected(self, objs, message):
        status, out = self.check(objs)
        self.assertEqual(status, 1, out)
        self.assertIn(message, out)

    def test_shipped_file_passes(self):
        status, out = self.check(self.lines)
        self.assertEqual(status, 0, out)
        self.assertIn("OK ", out)

    def test_covers_the_offices_the_extractor_needs(self):
        def holder(actor, office, day):
            return {o["person"] for o in self.lines if o["actor"] == "actors/" + actor
                    and o["office"] == office and o["start"] <= day
                    and (not o.get("end") or day < o["end"])}
        self.assertEqual(holder("united-states", "Secretary of State", "2023-07-27"),
                         {"Antony Blinken"})
        self.assertEqual(holder("united-nations", "Secretary-General", "2023-07-27"),
                         {"António Guterres"})
        self.assertEqual(holder("ecowas", "Chair of the Authority of Heads of State and "
                                "Government", "2023-07-30"), {"Bola Tinubu"})
        self.assertEqual(holder("niger", "President", "2023-07-20"), {"Mohamed Bazoum"})
        self.assertEqual(holder("niger", "President", "2024-01-01"), {"Abdourahamane Tiani"})
        self.assertEqual(holder("european-union", "High Representative of the Union for "
                                "Foreign Affairs and Security Policy", "2023-07-29"),
                         {"Josep Borrell"})
        for coup_leader in ("Assimi Goïta", "Ibrahim Traoré", "Abdourahamane Tiani",
                            "Mamadi Doumbouya", "Brice Oligui Nguema", "Abdel Fattah al-Burhan"):
            self.line(coup_leader)

    def test_unknown_actor_is_rejected(self):
        bad = self.line("Antony Blinken")
        bad["actor"] = "actors/atlantis"
        self.assertRejected(self.lines + [bad], "'actors/atlantis' is not in the actor directory")

    def test_alias_that_names_an_actor_is_rejected(self):
        bad = self.line("Antony Blinken")
        bad["aliases"] = ["Blinken", "Washington"]
        self.assertRejected([bad], "'Washington' is a name, alias, demonym or metonym of "
                            "actors/united-states")

    def test_end_before_start_is_rejected(self):
        bad = self.line("Antony Blinken")
        bad["end"] = "2020-01-01"
        self.assertRejected([bad], "is before start")

    def test_bad_date_is_rejected(self):
        bad = self.line("Antony Blinken")
        bad["start"] = "2021-02-30"
        self.assertRejected([bad], "is not a valid date")
        bad["start"] = "26/01/2021"
        self.assertRejected([bad], "is not YYYY-MM-DD")

    def test_missing_and_unknown_fields_are_rejected(self):
        bad = self.line("Antony Blinken")
        del bad["gender"]
        self.assertRejected([bad], "missing required field 'gender'")
        bad = self.line("Antony Blinken")
        bad["version"] = "1"
        self.assertRejected([bad], "unknown field 'version'")
        bad = self.line("Antony Blinken")
        bad["aliases"] = ["Blinken", ""]
        self.assertRejected([bad], "aliases holds an empty or non-string entry")

    def test_overlapping_holders_of_a_single_office_are_rejected(self):
        rival = self.line("Antony Blinken")
        rival["person"], rival["aliases"] = "Someone Else", []
        rival["start"], rival["end"] = "2024-06-01", "2024-07-01"
        self.assertRejected(self.lines + [rival],
                            "Someone Else and Antony Blinken")

    def test_same_person_twice_in_one_office_is_rejected(self):
        again = self.line("Antony Blinken")
        again["start"] = "2022-01-01"
        self.assertRejected(self.lines + [again], "holds 'Secretary of State' of "
                            "actors/united-states twice")

    def test_terms_that_touch_do_not_overlap(self):
        # Biden's term ends on the day Trump's second begins: the shipped file has it.
        status, out = self.check([self.line("Joe Biden"),
                                  self.line("Donald Trump", "actors/united-states")])
        self.assertEqual(status, 0, out)

    def test_multi_holder_offices_allow_concurrent_holders(self):
        spokes = [o for o in self.lines if o["office"] == "Foreign Ministry Spokesperson"
                  and o["actor"] == "actors/china"]
        self.assertGreater(len(spokes), 2)
        status, out = self.check(spokes)
        self.assertEqual(status, 0, out)
        spokes[0] = dict(spokes[0])
        del spokes[0]["multiHolder"]
        self.assertRejected(spokes, "multiHolder must be the same on every line")

    def test_a_name_two_people_use_at_once_is_rejected(self):
        other = self.line("Antony Blinken")
        other["person"], other["aliases"] = "Sergio Blinken", ["Blinken"]
        other["actor"], other["office"] = "actors/italy", "Minister of Foreign Affairs"
        other["start"], other["end"] = "2030-01-01", ""
        self.assertRejected([self.line("Antony Blinken"), other], "outside the coverage")
        other["start"] = "2024-12-01"
        self.assertRejected([self.line("Antony Blinken"), other],
                            "the name 'blinken' is used by")

    def test_lines_of_one_office_must_agree(self):
        blinken = self.line("Antony Blinken")
        blinken["officeAliases"] = ["Secretary of State"]
        self.assertRejected([self.line("Mike Pompeo"), blinken],
                            "officeAliases must be the same on every line")
        blinken = self.line("Antony Blinken")
        pompeo = self.line("Mike Pompeo")
        pompeo["person"], pompeo["gender"] = "Antony Blinken", "f"
        pompeo["aliases"] = []
        self.assertRejected([pompeo, blinken], "has another gender on another line")

    def test_office_alias_of_two_actors_is_rejected(self):
        macron, tinubu = self.line("Emmanuel Macron"), self.line("Bola Tinubu", "actors/nigeria")
        tinubu["officeAliases"] = tinubu["officeAliases"] + ["président de la République"]
        macron["officeAliases"] = macron["officeAliases"] + ["Président de la République"]
        self.assertRejected([macron, tinubu], "office alias 'président de la république' is "
                            "used by actors/france, actors/nigeria")
        tinubu = self.line("Bola Tinubu", "actors/nigeria")
        tinubu["officeAliases"] = tinubu["officeAliases"] + ["Secretary of State"]
        self.assertRejected([self.line("Antony Blinken"), tinubu],
                            "office alias 'secretary of state' is used by")

    def test_outside_coverage_is_rejected(self):
        old = self.line("Antony Blinken")
        old["start"], old["end"] = "2001-01-01", "2005-01-01"
        self.assertRejected([old], "outside the coverage")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        STUBS = sys.argv.pop(1)
    unittest.main()
