#!/usr/bin/env bash
# A sharded sweep under a real (one-node) Slurm: the script that `gotong sweep --emit-slurm`
# writes is submitted with bash, its array of shards and its merge job run under Slurm, and
# the merged sweep.csv and sweep_summary.csv must be byte-identical to an unsharded run's.
#
#   tests/slurm/sweep_array.sh     # needs root (it starts the cluster) and the release binary
#
# It starts the cluster with tests/slurm/cluster.sh and always stops it; on failure it prints
# the failed job's output and the daemons' logs, and keeps its scratch folder. It uses
# target/release/gotong (GOTONG_BIN overrides) and must never build it.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
cluster=$repo/tests/slurm/cluster.sh
gotong=${GOTONG_BIN:-$repo/target/release/gotong}
# Seconds to wait for the array and the merge job together.
JOB_TIMEOUT=${SLURM_TEST_JOB_TIMEOUT:-300}
SHARDS=3
# A small sweep: 3 values x 2 replicates of the classroom preset, 5 steps each.
SWEEP=(classroom --vary policy.transparency=0.2:0.8:3 --replicates 2 --steps 5 --seed 11)

fail() {
    echo "sweep_array.sh: FAILED: $*" >&2
    exit 1
}
phase_start=$SECONDS
phase() {
    echo "sweep_array.sh: $1 ($((SECONDS - phase_start)) s so far)"
}

[[ -x $gotong ]] || fail "no binary at $gotong (build it first: cargo build --release)"
scratch=$(mktemp -d /tmp/gotong-slurm.XXXXXX)

on_exit() {
    local status=$?
    if ((status != 0)); then
        "$cluster" logs >&2 || true
        echo "sweep_array.sh: scratch folder kept: $scratch" >&2
    else
        rm -rf "$scratch"
    fi
    "$cluster" stop || true
    exit "$status"
}
trap on_exit EXIT

"$cluster" start
phase "cluster up"

# Print "state stdout-file" for each job record (an array job has one per task).
job_records() {
    scontrol show job -o "$1" 2>/dev/null |
        sed -nE 's/.*JobState=([^ ]+).*StdOut=([^ ]+).*/\1 \2/p'
}

# Wait until none of the jobs is queued or running, then fail if any did not complete.
wait_jobs() {
    local deadline=$((SECONDS + JOB_TIMEOUT)) id state out bad=0
    while [[ -n $(squeue -h -j "$(
        IFS=,
        echo "$*"
    )" 2>/dev/null) ]]; do
        ((SECONDS < deadline)) || {
            squeue >&2
            fail "jobs $* not finished after ${JOB_TIMEOUT}s"
        }
        sleep 0.5
    done
    for id in "$@"; do
        while read -r state out; do
            [[ $state == COMPLETED ]] && continue
            bad=1
            echo "sweep_array.sh: job $id ended $state; its output ($out):" >&2
            cat "$out" >&2 2>/dev/null || echo "(no output file)" >&2
        done < <(job_records "$id")
        [[ -n $(job_records "$id") ]] || fail "Slurm knows nothing of job $id"
    done
    ((bad == 0)) || fail "a job did not complete"
}

cd "$scratch"
"$gotong" sweep "${SWEEP[@]}" --emit-slurm sweep.sh --shards "$SHARDS" --out sharded --quiet
[[ -s sweep.sh ]] || fail "--emit-slurm wrote no sweep.sh"
bash sweep.sh >submit.log 2>&1 || {
    cat submit.log >&2
    fail "bash sweep.sh failed"
}
mapfile -t job_ids < <(grep -oE '\b[0-9]+\b' submit.log)
((${#job_ids[@]} == 2)) || {
    cat submit.log >&2
    fail "expected two job ids from bash sweep.sh"
}
phase "submitted array ${job_ids[0]} and merge ${job_ids[1]}"
wait_jobs "${job_ids[@]}"
phase "array and merge done"

"$gotong" sweep "${SWEEP[@]}" --out unsharded --quiet
phase "unsharded run done"

for file in sweep.csv sweep_summary.csv; do
    [[ -s unsharded/$file ]] || fail "the unsharded run wrote no $file"
    cmp "sharded/$file" "unsharded/$file" || fail "$file differs between merged shards and the unsharded run"
done
[[ -s sharded/report.html ]] || fail "the merge job wrote no report.html"
grep -q '"status": "complete"' sharded/manifest.json ||
    fail "the merge job's manifest.json does not say status complete"
for i in $(seq 1 "$SHARDS"); do
    [[ -d sharded-shards/shard-$i ]] || fail "no shard folder sharded-shards/shard-$i"
done
phase "merged results identical to the unsharded run"
echo "sweep_array.sh: passed"
