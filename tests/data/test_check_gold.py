#!/usr/bin/python3
"""Runs data/gold/check_gold.py on broken copies of the gold sets and checks
that each defect is reported with a non-zero exit, and that the unbroken copy
passes.

Usage: test_check_gold.py REPO_ROOT PROTO_STUBS_DIR
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile


def run_check(data_dir, stubs, *extra):
    result = subprocess.run(
        [sys.executable, os.path.join(data_dir, "gold", "check_gold.py"),
         os.path.join(data_dir, "gold"), stubs, *extra],
        capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def write_lines(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def first_statement(records):
    return next(r["statement"] for r in records if "statement" in r)


def quote_not_in_text(records):
    first_statement(records)["quote"] = "words the article never printed"
    return "is not a substring"


def unknown_actor(records):
    first_statement(records)["actor"] = "actors/atlantis"
    return "'actors/atlantis' is neither in the directory"


def unknown_target(records):
    s = first_statement(records)
    s["actions"] = [{"kind": "ACTION_KIND_CONDEMN", "targets": ["actors/atlantis"]}]
    return "targets 'actors/atlantis'"


def header_without_publish_time(records):
    del records[0]["gold"]["document"]["publishTime"]
    return "document.publishTime is required"


def header_with_unknown_field(records):
    records[0]["gold"]["document"]["headline"] = "x"
    return "document:"


def statement_with_unknown_field(records):
    first_statement(records)["mood"] = "grim"
    return "mood"


def wrong_label(records):
    first_statement(records)["labels"] = {"gold": "another-set"}
    return "labels must be exactly"


def no_stance(records):
    del first_statement(records)["stance"]
    return "stance is unspecified"


def statement_of_another_event(records):
    first_statement(records)["event"] = "events/something-else"
    return "is not the file's event"


def redefined_directory_actor(records):
    records.insert(1, {"actor": {"name": "actors/france", "displayName": "France",
                                 "kind": "ACTOR_KIND_STATE"}})
    return "is in the directory"


MUTATIONS = [quote_not_in_text, unknown_actor, unknown_target, header_without_publish_time,
             header_with_unknown_field, statement_with_unknown_field, wrong_label, no_stance,
             statement_of_another_event, redefined_directory_actor]


def check_heldout(data, gold, stubs, tuned_slug):
    """The held-out sets (gold/heldout/) are checked like the others, and stay
    apart from the tuned sets: no slug or event of gold/ may be held out."""
    failures = []
    heldout = os.path.join(gold, "heldout")
    held = sorted(n[:-len(".jsonl")] for n in os.listdir(heldout) if n.endswith(".jsonl"))
    if not held:
        return ["no held-out set to break"]
    target = os.path.join(heldout, held[0] + ".jsonl")
    saved = open(target, encoding="utf-8").read()

    records = read_lines(target)
    quote_not_in_text(records)
    write_lines(target, records)
    code, out = run_check(data, stubs)
    if code == 0 or f"heldout/{held[0]}.jsonl" not in out or "is not a substring" not in out:
        failures.append(f"held-out quote not in the text: exit {code}:\n{out}")

    tuned_event = read_lines(os.path.join(gold, tuned_slug + ".jsonl"))[0]["gold"]["event"]
    records = [json.loads(line) for line in saved.splitlines()]
    records[0]["gold"]["event"] = tuned_event
    for rec in records:
        for kind in ("event", "statement"):
            if kind in rec:
                rec[kind]["name" if kind == "event" else "event"] = tuned_event
    write_lines(target, records)
    code, out = run_check(data, stubs)
    if code == 0 or "is also an event of" not in out:
        failures.append(f"held-out set of a tuned event: exit {code}:\n{out}")
    with open(target, "w", encoding="utf-8") as f:
        f.write(saved)

    copies = [os.path.join(gold, held[0] + ext) for ext in (".jsonl", ".txt")]
    for ext, copy in zip((".jsonl", ".txt"), copies):
        shutil.copy(os.path.join(heldout, held[0] + ext), copy)
    code, out = run_check(data, stubs)
    if code == 0 or "is also a set of" not in out:
        failures.append(f"held-out slug also a tuned set: exit {code}:\n{out}")
    for copy in copies:
        os.remove(copy)
    return failures


def main(argv):
    repo, stubs = argv[1], argv[2]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        os.makedirs(data)
        for name in ("actors.jsonl", "niger-coup-2023.jsonl"):
            shutil.copy(os.path.join(repo, "data", name), data)
        gold = os.path.join(data, "gold")
        shutil.copytree(os.path.join(repo, "data", "gold"), gold)
        original = os.path.join(gold, "seed-article.txt")

        code, out = run_check(data, stubs, "--seed-original", original)
        if code != 0:
            failures.append(f"the unbroken copy fails:\n{out}")

        sets = sorted(n[:-len(".jsonl")] for n in os.listdir(gold)
                      if n.endswith(".jsonl") and n != "seed-article.jsonl")
        if not sets:
            failures.append("no coded gold set to break")
        for mutate in MUTATIONS:
            target = os.path.join(gold, sets[0] + ".jsonl")
            saved = open(target, encoding="utf-8").read()
            records = read_lines(target)
            expected = mutate(records)
            write_lines(target, records)
            code, out = run_check(data, stubs)
            if code == 0 or expected not in out:
                failures.append(f"{mutate.__name__}: exit {code}, expected {expected!r} in:\n{out}")
            with open(target, "w", encoding="utf-8") as f:
                f.write(saved)

        # A seed article that is not the shared original.
        copy = os.path.join(tmp, "original.txt")
        with open(copy, "w", encoding="utf-8") as f:
            f.write(open(original, encoding="utf-8").read() + " ")
        code, out = run_check(data, stubs, "--seed-original", copy)
        if code == 0 or "differs from" not in out:
            failures.append(f"altered seed original: exit {code}:\n{out}")

        # A seed statement whose quote is not in the seed article.
        niger = os.path.join(data, "niger-coup-2023.jsonl")
        records = read_lines(niger)
        for rec in records:
            s = rec.get("statement")
            if s and s["labels"].get("source_basis") == "seed-article" and s.get("quote"):
                s["quote"] = "a quote the seed article does not hold"
                break
        write_lines(niger, records)
        code, out = run_check(data, stubs)
        if code == 0 or "is not in seed-article.txt" not in out:
            failures.append(f"seed quote not in the article: exit {code}:\n{out}")

        failures += check_heldout(data, gold, stubs, sets[0])

        # A .txt without its coding.
        shutil.copy(original, os.path.join(gold, "orphan.txt"))
        code, out = run_check(data, stubs)
        if code == 0 or "has no .jsonl coding" not in out:
            failures.append(f"orphan text: exit {code}:\n{out}")

    for f in failures:
        print("FAIL", f)
    print(f"{'FAILED' if failures else 'OK'}: {len(MUTATIONS) + 7} cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
