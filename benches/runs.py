#!/usr/bin/env python3
"""Whole runs of gotong, timed as a user waits for them: wall time, agent-steps per second and
peak resident memory, per agent and per directed tie view.

Owns: the "Whole runs" and "Memory" figures of docs/performance.md.
Must never: assert a timing (it prints; tests assert behaviour).

Run from anywhere: `python3 benches/runs.py` (both runs), or name them:
`python3 benches/runs.py default` / `python3 benches/runs.py school_1m`. It builds the release
binary first (`cargo build --release`). Standard library only. Peak memory is the child's
maximum resident set size as the kernel counts it (wait4's rusage of that one process), so it
includes everything: code, allocator slack, the recorder, outputs being written.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "gotong")

# label -> arguments of `gotong run` (before --out, --quiet, --no-plots)
RUNS = {
    "default": ["default", "--replicates", "100"],
    "school_1m": [os.path.join(ROOT, "scenarios", "bench", "school_1m.toml")],
}


def final_ties(folder):
    """Ties at the last recorded step (mean over replicates), from summary.csv."""
    last, ties = -1, None
    with open(os.path.join(folder, "summary.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["metric"] == "ties" and row["group"] == "all":
                step = int(row["step"])
                if step > last:
                    last, ties = step, float(row["mean"])
    return ties


def measure(label, args, scratch):
    out = os.path.join(scratch, label)
    command = [BINARY, "run", *args, "--out", out, "--quiet", "--no-plots"]
    start = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own resource usage
    wall = time.monotonic() - start
    if status != 0:
        sys.exit(f"{' '.join(command)} failed (wait status {status})")
    peak = usage.ru_maxrss * 1024  # KiB -> bytes
    with open(os.path.join(out, "manifest.json")) as f:
        manifest = json.load(f)
    agents, steps, replicates = manifest["agents"], manifest["steps"], manifest["replicates"]
    ties = final_ties(out)
    views = 2 * ties if ties is not None else None
    print(
        f"{label:>10} {agents:>9} {replicates:>4} {steps:>5} {wall:>9.1f} "
        f"{agents * steps * replicates / wall:>13.3e} {peak / 2**20:>9.0f} "
        f"{peak / agents:>10.0f} "
        + (f"{views:>12.0f} {peak / views:>9.1f}" if views else f"{'-':>12} {'-':>9}"),
        flush=True,
    )


def main():
    wanted = sys.argv[1:] or list(RUNS)
    unknown = [w for w in wanted if w not in RUNS]
    if unknown:
        sys.exit(f"unknown run {unknown}; runs: {', '.join(RUNS)}")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    print(f"# {os.cpu_count()} CPUs; peak = maximum resident set size of the run")
    print(
        f"{'run':>10} {'agents':>9} {'reps':>4} {'steps':>5} {'wall_s':>9} "
        f"{'agent-steps/s':>13} {'peak_MiB':>9} {'B/agent':>10} {'final_views':>12} {'B/view':>9}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for label in wanted:
            measure(label, RUNS[label], scratch)


if __name__ == "__main__":
    main()
