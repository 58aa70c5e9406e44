"""Times Mesa's pd_grid example against gotong's scenario of it, on the same starting grids.

Owns: the measurement and the table of benches/peers/mesa_pd_grid.sh (which builds gotong,
sets up the virtualenv and runs this script with that virtualenv's Python), and the check
that both tools count the same cooperators at every step on every timed run.
Must never: install anything, assert a timing, or hide a disagreement (it exits 1).

What is timed:
- Mesa: `model.run(steps)` of mesa.examples.advanced.pd_grid's PdGrid(w, h, "Simultaneous",
  seed) on a torus, in this process after the import and the model's construction (both
  are reported apart, as setup). Its DataCollector counts cooperators at every step, as the
  example does.
- gotong: the whole command `gotong run scenarios/validation/mesa_pd_grid.toml
  --initial-moves <Mesa's grid> --set network.width=W --set network.height=H --steps S
  --quiet --no-plots --out <temp dir>`, from process start to exit: reading the scenario,
  building the world, stepping, recording and writing files, which is what a user waits
  for. By default it records only `strategy_share` (`run.metrics`), the one count Mesa's
  example collects; `--all-metrics` records every metric instead.
Each is run `repeats` times per size and the median wall time is reported.

Usage: python mesa_pd_grid_time.py --gotong BIN --scenario TOML [--sizes 50,100,200]
       [--steps 50] [--repeats 3] [--seed 1] [--threads N] [--all-metrics] [--json FILE]
"""

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import mesa
from mesa.examples.advanced.pd_grid.model import PdGrid


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gotong", required=True, help="the gotong release binary")
    parser.add_argument("--scenario", required=True, help="mesa_pd_grid.toml")
    parser.add_argument("--sizes", default="50,100,200", help="grid sides, comma-separated")
    parser.add_argument("--steps", type=int, default=50, help="steps per run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per tool and size")
    parser.add_argument("--seed", type=int, default=1, help="Mesa's seed (the grid)")
    parser.add_argument("--threads", type=int, default=None, help="gotong --threads")
    parser.add_argument("--all-metrics", action="store_true",
                        help="gotong records every metric, not only strategy_share")
    parser.add_argument("--json", default=None, help="also write the results here")
    args = parser.parse_args()
    try:
        args.sizes = [int(side) for side in args.sizes.split(",") if side.strip()]
    except ValueError:
        parser.error(f"--sizes must be integers separated by commas, not {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 2:
        parser.error("--sizes needs at least one side, each at least 2")
    if args.steps < 1 or args.repeats < 1:
        parser.error("--steps and --repeats must be at least 1")
    return args


def mesa_run(side, steps, seed, moves_path):
    """One timed Mesa run: (setup seconds, step seconds, step CPU seconds, cooperators at
    steps 0..=steps). Writes the starting grid to moves_path (x,y,move) when it is given."""
    payoffs = {("C", "C"): 1, ("C", "D"): 0, ("D", "C"): 1.6, ("D", "D"): 0}
    started = time.perf_counter()
    model = PdGrid(side, side, "Simultaneous", payoffs=payoffs, seed=seed)
    setup = time.perf_counter() - started
    if moves_path is not None:
        with open(moves_path, "w") as out:
            out.write("x,y,move\n")
            for agent in model.agents:
                x, y = agent.cell.coordinate
                out.write(f"{x},{y},{agent.move}\n")
    started, cpu_started = time.perf_counter(), time.process_time()
    model.run(steps)
    stepping = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    counts = model.datacollector.get_model_vars_dataframe()["Cooperating_Agents"]
    return setup, stepping, cpu, [int(count) for count in counts]


def gotong_command(args, side, moves, out):
    command = [args.gotong, "run", args.scenario, "--initial-moves", moves,
               "--set", f"network.width={side}", "--set", f"network.height={side}",
               "--steps", str(args.steps), "--quiet", "--no-plots", "--out", out]
    if not args.all_metrics:
        command += ["--set", 'run.metrics=["strategy_share"]']
    if args.threads is not None:
        command += ["--threads", str(args.threads)]
    return command


def gotong_run(args, side, moves, scratch):
    """One timed gotong command: (wall seconds, CPU seconds of all its threads,
    cooperators at steps 0..=steps)."""
    out = os.path.join(scratch, "run")
    command = gotong_command(args, side, moves, out)
    cpu_started = children_cpu_seconds()
    started = time.perf_counter()
    finished = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    cpu = children_cpu_seconds() - cpu_started
    if finished.returncode != 0:
        fail(f"gotong failed ({finished.returncode}): {' '.join(command)}\n"
             + finished.stderr.decode(errors="replace"))
    counts = cooperator_counts(os.path.join(out, "timeseries.csv"), side * side)
    shutil.rmtree(out)
    return seconds, cpu, counts


def children_cpu_seconds():
    """User + system seconds of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cooperator_counts(timeseries, cells):
    """Cooperators (allc) at each recorded step of replicate 0, from strategy_share."""
    counts = {}
    with open(timeseries, newline="") as rows:
        for row in csv.DictReader(rows):
            if row["metric"] == "strategy_share" and row["group"] == "allc":
                counts[int(row["step"])] = round(float(row["value"]) * cells)
    return [counts[step] for step in sorted(counts)]


def fail(message):
    print(f"FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check_agree(side, mesa_counts, gotong_counts):
    if mesa_counts == gotong_counts:
        return
    if len(mesa_counts) != len(gotong_counts):
        fail(f"{side}x{side}: Mesa recorded {len(mesa_counts)} steps, "
             f"gotong {len(gotong_counts)}")
    step = next(s for s, (m, g) in enumerate(zip(mesa_counts, gotong_counts)) if m != g)
    fail(f"{side}x{side}: cooperators differ first at step {step}: "
         f"Mesa {mesa_counts[step]}, gotong {gotong_counts[step]}")


def say(line):
    print(line, file=sys.stderr, flush=True)


def measure_size(args, side, scratch):
    """Median timings of both tools on a side x side torus; fails if their counts differ."""
    moves = os.path.join(scratch, f"moves-{side}.csv")
    mesa_setup, mesa_steps, mesa_cpu, gotong_wall, gotong_cpu = [], [], [], [], []
    for repeat in range(args.repeats):
        say(f"  Mesa   {side}x{side}, {args.steps} steps, run {repeat + 1}/{args.repeats}")
        setup, stepping, cpu, counts = mesa_run(side, args.steps, args.seed,
                                           moves if repeat == 0 else None)
        if repeat == 0:
            mesa_counts = counts
        elif counts != mesa_counts:
            fail(f"Mesa gave different counts on two runs with seed {args.seed}")
        mesa_setup.append(setup)
        mesa_steps.append(stepping)
        mesa_cpu.append(cpu)
    for repeat in range(args.repeats):
        say(f"  gotong {side}x{side}, {args.steps} steps, run {repeat + 1}/{args.repeats}")
        seconds, cpu, counts = gotong_run(args, side, moves, scratch)
        check_agree(side, mesa_counts, counts)
        gotong_wall.append(seconds)
        gotong_cpu.append(cpu)
    agent_steps = side * side * args.steps
    mesa_seconds = statistics.median(mesa_steps)
    gotong_seconds = statistics.median(gotong_wall)
    return {
        "side": side, "steps": args.steps, "agent_steps": agent_steps,
        "mesa_seconds": mesa_seconds, "gotong_seconds": gotong_seconds,
        "mesa_setup_seconds": statistics.median(mesa_setup),
        "mesa_runs": mesa_steps, "gotong_runs": gotong_wall,
        "mesa_cpu_seconds": statistics.median(mesa_cpu),
        "gotong_cpu_seconds": statistics.median(gotong_cpu),
        "mesa_rate": agent_steps / mesa_seconds, "gotong_rate": agent_steps / gotong_seconds,
        "ratio": mesa_seconds / gotong_seconds,
        "final_cooperators": mesa_counts[-1],
    }


def cpu_model():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(args):
    version = subprocess.run([args.gotong, "--version"], stdout=subprocess.PIPE)
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "mesa": mesa.__version__,
        "gotong": version.stdout.decode().strip(),
        "gotong_threads": args.threads if args.threads is not None else "default (all cores)",
        "gotong_metrics": "every metric" if args.all_metrics else "strategy_share only",
        "load_average_before": os.getloadavg(),
    }


def cpu_ratio(result):
    if result["gotong_cpu_seconds"] <= 0:
        return "gotong too short to measure"
    return f"{result['mesa_cpu_seconds'] / result['gotong_cpu_seconds']:.1f}×"


def runs(count):
    return "1 run" if count == 1 else f"{count} runs"


def print_table(results, info):
    print(f"Mesa's pd_grid (Simultaneous, torus) vs gotong's mesa_pd_grid.toml: "
          f"median of {runs(info['repeats'])} each; Mesa: model.run(steps) only; "
          f"gotong: the whole command (recording {info['gotong_metrics']}).")
    print()
    print("| size | steps | agent-steps | Mesa s | gotong s | Mesa agent-steps/s "
          "| gotong agent-steps/s | gotong/Mesa |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for r in results:
        print(f"| {r['side']}×{r['side']} | {r['steps']} | {r['agent_steps']:,} "
              f"| {r['mesa_seconds']:.3f} | {r['gotong_seconds']:.3f} "
              f"| {r['mesa_rate']:,.0f} | {r['gotong_rate']:,.0f} | {r['ratio']:.1f}× |")
    print()
    cpu = "; ".join(f"{r['side']}×{r['side']} Mesa {r['mesa_cpu_seconds']:.3f} s, gotong "
                    f"{r['gotong_cpu_seconds']:.3f} s "
                    f"({cpu_ratio(r)})" for r in results)
    print(f"CPU time (user + system, all threads; less sensitive than wall time to other "
          f"load on the machine), medians: {cpu}.")
    setups = ", ".join(f"{r['side']}×{r['side']} {r['mesa_setup_seconds']:.2f} s"
                       for r in results)
    print(f"Mesa's model construction, not in the table: {setups}.")
    agreed = ", ".join(f"{r['side']}×{r['side']} {r['final_cooperators']}" for r in results)
    print(f"Both counted the same cooperators at every step of every run "
          f"(final: {agreed}).")
    load = ", ".join(f"{x:.2f}" for x in info["load_average_before"])
    print(f"Machine: {info['nproc']} CPUs, {info['cpu']}; {info['os']}; load average "
          f"before {load}. Python {info['python']}, mesa {info['mesa']}, "
          f"{info['gotong']} (threads: {info['gotong_threads']}).")


def main():
    args = parse_args()
    info = machine(args)
    info["repeats"] = args.repeats
    results = []
    with tempfile.TemporaryDirectory(prefix="gotong-mesa-bench-") as scratch:
        for side in args.sizes:
            results.append(measure_size(args, side, scratch))
    print_table(results, info)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"machine": info, "results": results}, out, indent=2)


if __name__ == "__main__":
    main()
