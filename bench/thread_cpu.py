#!/usr/bin/python3
"""CPU of each of rollcalld's threads (by name) during one rollcall-bench
write scenario, against a fresh rollcalld on a fresh data directory.

Usage: bench/thread_cpu.py ROLLCALLD BENCH SCENARIO [BENCH OPTIONS...]
e.g.   bench/thread_cpu.py build/server/rollcalld build/bench/rollcall-bench \\
           ingest --concurrency=16 --seconds=10

Prints the scenario's JSON line, then one line per thread name: CPU
seconds (user+system, from /proc/PID/task/*/stat) over the scenario and
that as a share of its wall time (100% is one core busy), then the load
program's own CPU, how long rollcalld took to stop after the scenario
(a clean stop first applies what the deferred apply left pending) and the
errors rollcalld logged.
"""
import collections
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TICKS = os.sysconf("SC_CLK_TCK")


def thread_cpu(pid):
    """{thread name: CPU seconds so far} for the threads of `pid`."""
    totals = collections.Counter()
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except FileNotFoundError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        # utime and stime are fields 14 and 15 of stat(5); fields[] starts at 3.
        totals[name] += (int(fields[11]) + int(fields[12])) / TICKS
    return totals


def main():
    rollcalld, bench, scenario, *options = sys.argv[1:]
    work = tempfile.mkdtemp()
    try:
        err = open(os.path.join(work, "err"), "w+")
        server = subprocess.Popen(
            [rollcalld, "--listen=127.0.0.1:0", f"--data_dir={work}/data", "--log_level=warn"],
            stdout=subprocess.PIPE, stderr=err, text=True)
        address = None
        for line in server.stdout:
            match = re.search(r"listening on (\S+)", line)
            if match:
                address = match.group(1)
                break
        try:
            before, started = thread_cpu(server.pid), time.monotonic()
            usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            result = subprocess.run([bench, scenario, f"--target={address}", *options],
                                    stdout=subprocess.PIPE, text=True)
            after, wall = thread_cpu(server.pid), time.monotonic() - started
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        finally:
            # A clean stop applies every change still pending (the deferred
            # apply) before it exits: the time it takes is the backlog.
            stopping = time.monotonic()
            server.send_signal(signal.SIGTERM)
            server.wait()
            drain = time.monotonic() - stopping
        lines = [result.stdout.strip(),
                 f"wall {wall:.1f} s; CPU by rollcalld thread name (seconds, share of wall):"]
        for name, seconds in sorted((after - before).items(), key=lambda kv: -kv[1]):
            if seconds > 0:
                lines.append(f"  {name:16} {seconds:7.2f} s  {100 * seconds / wall:5.1f}%")
        total = sum((after - before).values())
        lines.append(f"  {'rollcalld total':16} {total:7.2f} s  {100 * total / wall:5.1f}%")
        bench_cpu = (usage.ru_utime + usage.ru_stime) - (usage_before.ru_utime +
                                                          usage_before.ru_stime)
        lines.append(f"  {'load program':16} {bench_cpu:7.2f} s  {100 * bench_cpu / wall:5.1f}%")
        lines.append(f"  stopped in {drain:.1f} s (applies what is pending first)")
        err.seek(0)
        lines += ["  rollcalld: " + line.strip() for line in err
                  if "LOCKTIMING" in line or "error" in line.lower()]
        print("\n".join(lines), flush=True)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
