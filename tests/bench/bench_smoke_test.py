"""rollcall-bench's scenarios, each for about a second at tiny sizes,
against a real rollcalld and the tool's own no-op service; and the report
that turns their lines into docs/BENCHMARKS.md tables."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

ROLLCALLD = os.environ["ROLLCALLD"]
BENCH = os.environ["ROLLCALL_BENCH"]
REPORT = os.environ["ROLLCALL_BENCH_REPORT"]


def start(argv, marker):
    """Starts argv and returns (process, address) once it prints marker."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    for line in process.stdout:
        if line.startswith(marker):
            return process, line[len(marker):].strip()
    raise AssertionError(f"{argv[0]} exited before listening")


def stop(process):
    process.terminate()
    process.wait(timeout=30)
    process.stdout.close()


class BenchSmokeTest(unittest.TestCase):
    lines = []  # every figure line printed, for the report test

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="bench-smoke-")
        cls.server, cls.target = start(
            [ROLLCALLD, "--listen=127.0.0.1:0", f"--data_dir={cls.dir}/db", "--log_level=warn"],
            "rollcalld listening on ")
        cls.noop, cls.noop_target = start(
            [BENCH, "serve-baseline", "--target=127.0.0.1:0"], "noop service listening on ")

    @classmethod
    def tearDownClass(cls):
        stop(cls.noop)
        stop(cls.server)
        shutil.rmtree(cls.dir)

    def bench(self, *args, target=None):
        """Runs a scenario; returns its JSON lines (one per figure set)."""
        argv = [BENCH, *args]
        if target is not None:
            argv.append(f"--target={target}")
        done = subprocess.run(argv, capture_output=True, text=True, timeout=240)
        self.assertEqual(done.returncode, 0, f"{args}: {done.stdout} {done.stderr}")
        lines = [json.loads(text) for text in done.stdout.splitlines()]
        self.assertTrue(lines, f"{args} printed nothing")
        BenchSmokeTest.lines.extend(lines)
        return lines

    def assert_latencies_ordered(self, line, prefix=""):
        p = f"{prefix}_" if prefix else ""
        self.assertLessEqual(line[p + "p50_ms"], line[p + "p99_ms"])
        self.assertLessEqual(line[p + "p99_ms"], line[p + "p999_ms"])
        self.assertLessEqual(line[p + "p999_ms"], line[p + "max_ms"])

    def test_01_write_scenarios_store_statements_without_a_failed_call(self):
        for args in (["ingest", "--concurrency=8"],
                     ["batch-ingest", "--batch=10", "--concurrency=2"],
                     ["stream-ingest", "--streams=2", "--window=16"]):
            (line,) = self.bench(*args, "--seconds=1", target=self.target)
            self.assertEqual(line["scenario"], args[0])
            self.assertGreater(line["statements"], 0)
            self.assertEqual(line["failed"], 0, line["first_error"])
            self.assertGreater(line["statements_per_s"], 0)
            self.assert_latencies_ordered(line)

    def test_02_baseline_carries_the_message_sizes_of_each_write_path(self):
        sizes = {}
        for payload in ("create", "batch", "stream"):
            (line,) = self.bench("baseline", f"--payload={payload}", "--batch=10",
                                 "--concurrency=4", "--streams=2", "--window=16",
                                 "--seconds=1", target=self.noop_target)
            self.assertEqual(line["failed"], 0)
            self.assertGreater(line["statements_per_s"], 0)
            self.assert_latencies_ordered(line)
            sizes[payload] = line["request_bytes"]
        # A batch of ten statements is about ten single requests.
        self.assertGreater(sizes["create"], 200)
        self.assertGreater(sizes["batch"], 9 * sizes["create"])
        self.assertGreater(sizes["stream"], sizes["create"])

    def test_03_fanout_delivers_every_change_once_to_every_matching_subscription(self):
        for events in (1, 5):
            (line,) = self.bench("fanout", "--subscriptions=20", f"--events={events}",
                                 "--rate=40", "--seconds=1", f"--server-pid={self.server.pid}",
                                 target=self.target)
            self.assertTrue(line["all_caught_up"])
            self.assertGreater(line["committed"], 0)
            self.assertEqual(line["delivered"], line["expected"])
            expected = line["committed"] * (20 if events == 1 else 4)
            self.assertEqual(line["expected"], expected)
            self.assertEqual((line["gaps"], line["duplicates"], line["missing"]), (0, 0, 0))
            self.assert_latencies_ordered(line)
            self.assert_latencies_ordered(line, "from_commit_time")
            self.assertGreater(line["server_rss_kib_before"], 0)

    def test_03b_fanout_baseline_delivers_in_order_through_the_noop_service(self):
        for events in (1, 5):
            (line,) = self.bench("baseline", "--payload=fanout", "--subscriptions=20",
                                 f"--events={events}", "--rate=40", "--seconds=1",
                                 target=self.noop_target)
            self.assertEqual((line["scenario"], line["payload"]), ("baseline", "fanout"))
            self.assertTrue(line["all_caught_up"])
            self.assertGreater(line["committed"], 0)
            self.assertEqual(line["failed_writes"], 0)
            self.assertEqual(line["expected"], line["committed"] * (20 if events == 1 else 4))
            self.assertEqual(line["delivered"], line["expected"])
            self.assertEqual((line["gaps"], line["duplicates"], line["missing"]), (0, 0, 0))
            self.assert_latencies_ordered(line, "from_commit_time")

    def test_04_seeded_store_is_replayed_and_queried(self):
        (seed,) = self.bench("seed", "--statements=600", "--events=5", "--batch=100",
                             "--concurrency=2", target=self.target)
        self.assertEqual(seed["statements"], 600)
        (catch_up,) = self.bench("catch-up", target=self.target)
        self.assertTrue(catch_up["caught_up"])
        self.assertGreaterEqual(catch_up["changes"], 600)
        self.assertEqual((catch_up["gaps"], catch_up["duplicates"]), (0, 0))
        lines = self.bench("query", "--events=5", "--concurrency=2", "--seconds=3",
                           target=self.target)
        self.assertEqual([l["filter"] for l in lines],
                         ["event-stance", "actor-time", "text", "event", "time", "all"])
        for line in lines:
            self.assertGreater(line["queries"], 0)
            self.assertEqual(line["failed"], 0, line["first_error"])
            self.assert_latencies_ordered(line)
        # 600 statements over 5 events and 5 stances: 24 per pair, a full page;
        # 120 per event (merged across stances), 600 in all.
        self.assertEqual(lines[0]["mean_results"], 20)
        self.assertEqual(lines[3]["mean_results"], 20)
        self.assertEqual(lines[5]["mean_results"], 20)

    def test_05_stalled_subscriber_gets_everything_once_it_reads(self):
        (line,) = self.bench("stalled", "--seconds=0.5", "--batch=20",
                             f"--server-pid={self.server.pid}", target=self.target)
        self.assertTrue(line["live_received_all"])
        self.assertTrue(line["stalled_received_all"])
        self.assertEqual((line["gaps"], line["duplicates"]), (0, 0))

    def test_06_startup_times_a_server_to_serving(self):
        data = os.path.join(self.dir, "startup")
        (line,) = self.bench("startup", f"--rollcalld={ROLLCALLD}", f"--data-dir={data}")
        self.assertTrue(line["serving"])
        self.assertGreater(line["seconds_to_serving"], 0)
        self.assertGreaterEqual(line["seconds_to_serving"], line["seconds_to_listening"])

    def test_06a_bulk_load_builds_a_store_that_serves(self):
        data = os.path.join(self.dir, "bulk")
        (line,) = self.bench("bulk-load", f"--rollcalld={ROLLCALLD}", f"--data-dir={data}",
                             "--statements=500", "--events=5")
        self.assertEqual((line["exit_status"], line["statements"]), (0, 500), line)
        self.assertGreater(line["statements_per_s"], 0)
        (startup,) = self.bench("startup", f"--rollcalld={ROLLCALLD}", f"--data-dir={data}")
        self.assertTrue(startup["serving"])

    def test_06b_restart_brings_every_subscription_back_exactly(self):
        data = os.path.join(self.dir, "restart")
        (line,) = self.bench("restart", f"--rollcalld={ROLLCALLD}", f"--data-dir={data}",
                             "--subscriptions=200", "--events=10", "--channels=2",
                             "--rate=20", "--outage=0.5", "--seconds=1")
        self.assertTrue(line["ok"], line)
        self.assertEqual((line["gaps"], line["duplicates"]), (0, 0))
        self.assertGreater(line["statements_committed"], 0)
        # Every subscription was resubscribed at least once, and caught up.
        self.assertGreaterEqual(line["streams"], 2 * 200)
        self.assert_latencies_ordered(line, "caught_up_after_serving")
        self.assert_latencies_ordered(line, "first_change_after_restart")
        # The first change after SERVING, decomposed: the clients connected
        # again, the writer's first write after SERVING committed, then
        # acknowledged and delivered; each subscription's first change was
        # committed no earlier than that first write.
        for key in ("writer_connected_ms", "subscriber_channels_connected_max_ms",
                    "first_write_committed_ms"):
            self.assertGreaterEqual(line[key], 0, key)
        self.assertLessEqual(line["subscriber_channels_connected_min_ms"],
                             line["subscriber_channels_connected_max_ms"])
        self.assertLess(line["first_write_sent_ms"], line["first_write_committed_ms"])
        self.assertLessEqual(line["first_write_committed_ms"], line["first_write_acked_ms"])
        self.assertGreaterEqual(line["first_change_committed_since_serving_p50_ms"],
                                line["first_write_committed_ms"])
        for prefix in ("first_change_since_serving", "first_change_committed_since_serving",
                       "first_write_delivered", "write_before_stop"):
            self.assert_latencies_ordered(line, prefix)
        self.assertGreater(line["write_before_stop_p50_ms"], 0)
        # Where the first write found the subscriptions: each in one place;
        # its event's 20 subscribers had it live or in their resume.
        self.assertEqual(line["back_at_first_write"] + line["catching_up_at_first_write"]
                         + line["reconnecting_at_first_write"], 200)
        self.assertEqual(line["first_write_delivered_live_count"]
                         + line["first_write_delivered_resumed_count"], 20)
        self.assertLessEqual(line["first_write_delivered_min_ms"],
                             line["first_write_delivered_max_ms"])
        # The last subscription's first change is its event's: the writer's
        # reach of every event bounds it, and the two agree.
        self.assertGreaterEqual(line["writes_to_reach_every_event"], 10)
        self.assertGreaterEqual(line["every_event_written_ms"],
                                line["first_write_committed_ms"])
        self.assertAlmostEqual(line["first_change_committed_since_serving_max_ms"],
                               line["every_event_written_ms"], delta=0.01)

    def test_06c_restart_with_the_writer_in_a_process_of_its_own(self):
        data = os.path.join(self.dir, "restart-writer-process")
        (line,) = self.bench("restart", f"--rollcalld={ROLLCALLD}", f"--data-dir={data}",
                             "--subscriptions=50", "--events=5", "--channels=1",
                             "--rate=20", "--outage=0.5", "--seconds=1", "--writer-process")
        self.assertTrue(line["ok"], line)
        self.assertTrue(line["writer_process"])
        self.assertEqual((line["gaps"], line["duplicates"]), (0, 0))
        # The child reported its writes: the first after SERVING among them.
        self.assertGreater(line["statements_committed"], 0)
        self.assertGreaterEqual(line["first_write_committed_ms"], 0)
        self.assertLessEqual(line["first_write_committed_ms"], line["first_write_acked_ms"])
        self.assertGreaterEqual(line["writer_connected_ms"], 0)

    def test_07_bad_options_are_refused(self):
        for args in (["baseline", "--payload=huge"], ["ingest", "--rate=5"], ["nonsense"]):
            done = subprocess.run([BENCH, *args], capture_output=True, text=True, timeout=30)
            self.assertNotEqual(done.returncode, 0, args)
        done = subprocess.run([BENCH, "startup"], capture_output=True, text=True, timeout=30)
        self.assertEqual(done.returncode, 1)
        self.assertIn("--rollcalld", done.stdout)

    def test_08_report_rewrites_only_the_generated_part(self):
        self.assertTrue(self.lines, "run the scenarios first")
        results = os.path.join(self.dir, "results.jsonl")
        with open(results, "w") as f:
            f.writelines(json.dumps(line) + "\n" for line in self.lines)
        markdown = os.path.join(self.dir, "BENCHMARKS.md")
        with open(markdown, "w") as f:
            f.write("# Benchmarks\n\nHand-written history.\n")
        for _ in range(2):  # the second run replaces the first run's tables
            subprocess.run(["/usr/bin/python3", REPORT, results, markdown,
                            "--command=scripts/bench --quick", "--cores=2"], check=True)
        with open(markdown) as f:
            text = f.read()
        self.assertTrue(text.startswith("# Benchmarks\n\nHand-written history.\n"))
        self.assertEqual(text.count("## Standard set"), 1)
        self.assertIn("**2 cores**", text)
        self.assertIn("`scripts/bench --quick`", text)
        for name in ("`ingest`", "`batch-ingest`", "`stream-ingest`", "`event-stance`",
                     "`catch-up`", "`startup`", "`stalled`"):
            self.assertIn(name, text)
        # Each write row shows its ratio to the no-op baseline measured with it.
        ingest_row = next(l for l in text.splitlines() if l.startswith("| `ingest`"))
        cells = [cell.strip() for cell in ingest_row.strip("|").split("|")]
        # (columns 3 and 4: the PostgreSQL equivalent, not measured here)
        rate, baseline = (float(cells[i].replace(",", "")) for i in (2, 5))
        ratio = float(cells[6].strip("*"))
        self.assertAlmostEqual(ratio, rate / baseline, delta=0.02 * rate / baseline + 0.01)
        # Each fanout row shows the no-op fan-out measured with the same load.
        fanout_row = next(l for l in text.splitlines() if l.startswith("| 20 | all | 40 |"))
        base = next(l for l in self.lines if l["scenario"] == "baseline"
                    and l.get("payload") == "fanout" and l["events"] == 1)
        self.assertIn(f"{base['p99_ms']:,.2f} / {base['from_commit_time_p99_ms']:,.2f}",
                      fanout_row)


if __name__ == "__main__":
    unittest.main(verbosity=2)
