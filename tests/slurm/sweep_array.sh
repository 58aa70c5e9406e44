#!/usr/bin/env bash
# A sharded sweep under a real (one-node) Slurm, as docs/cluster.md tells a user to run one:
#
# 1. `gotong sweep ... --emit-slurm sweep.sh --shards 3`, `bash sweep.sh`: the array of shards
#    and the merge job run under Slurm; the merged sweep.csv and sweep_summary.csv must be
#    byte-identical to an unsharded run's, with report.html and a "complete" manifest.
# 2. Recovery: the same sweep again, shard 2 failing (a wrapper named by GOTONG exits 3 after
#    its run); the merge job must be cancelled; `sbatch --array=2 sweep.sh` re-runs that shard
#    (it resumes its folder) and `gotong merge <shards>/shard-* --out DIR` by hand gives the
#    same bytes.
#
#   tests/slurm/sweep_array.sh     # needs root (it starts the cluster) and the release binary
#
# It starts the cluster with tests/slurm/cluster.sh and always stops it; on failure it prints
# the failed jobs' output and the daemons' logs, and keeps its scratch folder. It uses
# target/release/gotong (GOTONG_BIN overrides) and must never build it.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
cluster=$repo/tests/slurm/cluster.sh
gotong=${GOTONG_BIN:-$repo/target/release/gotong}
# Seconds to wait for the jobs of one submission.
JOB_TIMEOUT=${SLURM_TEST_JOB_TIMEOUT:-300}
SHARDS=3
# A small sweep: 3 values x 2 replicates of the classroom preset, 5 steps each.
SWEEP=(classroom --vary policy.transparency=0.2:0.8:3 --replicates 2 --steps 5 --seed 11)

fail() {
    echo "sweep_array.sh: FAILED: $*" >&2
    exit 1
}
phase() { echo "sweep_array.sh: $1 ($SECONDS s so far)"; }

[[ -x $gotong ]] || fail "no binary at $gotong (build it first: cargo build --release)"
scratch=$(mktemp -d /tmp/gotong-slurm.XXXXXX)

on_exit() {
    local status=$?
    cd "$repo"
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
trap 'echo "sweep_array.sh: FAILED: line $LINENO: $BASH_COMMAND" >&2' ERR

# Print "job state reason stdout-file" for each record of a job (an array job has one per
# task, named ARRAY_TASK). Slurm keeps finished jobs for MinJobAge (300 s by default).
job_records() {
    scontrol show job -o "$1" 2>/dev/null | while read -r line; do
        local task state reason out
        task=$(sed -nE 's/.*ArrayTaskId=([0-9]+).*/\1/p' <<<"$line")
        state=$(sed -nE 's/.*JobState=([^ ]+).*/\1/p' <<<"$line")
        reason=$(sed -nE 's/.*Reason=([^ ]+).*/\1/p' <<<"$line")
        out=$(sed -nE 's/.*StdOut=([^ ]+).*/\1/p' <<<"$line")
        echo "$1${task:+_$task} $state $reason $out"
    done | sort
}

# Wait until none of the jobs (ids as arguments) is queued or running.
wait_jobs() {
    local deadline=$((SECONDS + JOB_TIMEOUT)) ids
    ids=$(
        IFS=,
        echo "$*"
    )
    while [[ -n $(squeue -h -j "$ids" 2>/dev/null) ]]; do
        if ((SECONDS >= deadline)); then
            squeue >&2
            fail "jobs $ids not finished after ${JOB_TIMEOUT}s"
        fi
        sleep 0.5
    done
}

# Fail unless every record of the jobs says STATE, except the records named in EXCEPT
# (job_STATE pairs, e.g. "41_2=FAILED 42=CANCELLED"), which must say what they name.
# Usage: expect_states "EXCEPT" JOB...
expect_states() {
    local except=" $1 " id job state reason out want bad=0
    shift
    for id in "$@"; do
        [[ -n $(job_records "$id") ]] || fail "Slurm knows nothing of job $id"
        while read -r job state reason out; do
            want=COMPLETED
            [[ $except =~ \ $job=([A-Z]+)\  ]] && want=${BASH_REMATCH[1]}
            [[ $state == "$want" ]] && continue
            bad=1
            echo "sweep_array.sh: job $job ended $state ($reason), expected $want; its output ($out):" >&2
            cat "$out" >&2 2>/dev/null || echo "(no output file)" >&2
        done < <(job_records "$id")
    done
    ((bad == 0)) || fail "a job did not end as expected"
}

# Emit sweep script $1 for results $2 and submit it with bash; set array_id and merge_id.
submit() {
    "$gotong" sweep "${SWEEP[@]}" --emit-slurm "$1" --shards "$SHARDS" --out "$2" >/dev/null
    [[ -s $1 ]] || fail "--emit-slurm wrote no $1"
    bash "$1" >"$1.log" 2>&1 || {
        cat "$1.log" >&2
        fail "bash $1 failed"
    }
    # It prints "submitted array job A (N shards) and merge job M".
    read -r array_id merge_id < <(sed -nE \
        's/^submitted array job ([0-9]+) .*and merge job ([0-9]+)$/\1 \2/p' "$1.log") || true
    [[ -n ${merge_id:-} ]] || {
        cat "$1.log" >&2
        fail "bash $1 did not print the two job ids"
    }
}

# Fail unless results folder $1 holds the unsharded run's tables, a report and a complete
# manifest.
same_as_unsharded() {
    local file
    for file in sweep.csv sweep_summary.csv; do
        [[ -s unsharded/$file ]] || fail "the unsharded run wrote no $file"
        cmp "$1/$file" "unsharded/$file" || fail "$1/$file differs from the unsharded run's"
    done
    [[ -s $1/report.html ]] || fail "$1 has no report.html"
    grep -q '"status": "complete"' "$1/manifest.json" ||
        fail "$1/manifest.json does not say status complete"
}

"$cluster" start
phase "cluster up"
cd "$scratch"

"$gotong" sweep "${SWEEP[@]}" --out unsharded --quiet >/dev/null
phase "unsharded run done"

submit sweep.sh sharded
phase "submitted array $array_id and merge $merge_id"
wait_jobs "$array_id" "$merge_id"
expect_states "" "$array_id" "$merge_id"
same_as_unsharded sharded
for i in $(seq 1 "$SHARDS"); do
    [[ -d sharded-shards/shard-$i ]] || fail "no shard folder sharded-shards/shard-$i"
done
phase "array and merge done; merged results identical to the unsharded run"

# Recovery: shard 2 fails after its run; re-submit it alone, merge by hand.
cat >fail_shard_2.sh <<EOF
#!/bin/bash
"$gotong" "\$@" || exit
for arg in "\$@"; do
    [ "\$arg" != 2/$SHARDS ] || { echo "fail_shard_2.sh: shard 2 fails on purpose" >&2; exit 3; }
done
EOF
chmod +x fail_shard_2.sh
GOTONG=$scratch/fail_shard_2.sh submit retry.sh retried
wait_jobs "$array_id" "$merge_id"
expect_states "${array_id}_2=FAILED ${merge_id}_0=CANCELLED" "$array_id" "$merge_id"
[[ ! -e retried ]] || fail "the merge ran although shard 2 failed"
phase "shard 2 failed and the merge was cancelled, as they should"
resubmitted=$(sbatch --parsable --array=2 retry.sh)
resubmitted=${resubmitted%%;*}
wait_jobs "$resubmitted"
expect_states "" "$resubmitted"
grep -q '0 jobs run, 2 already done' retried-shards/slurm-"$resubmitted"_2.out ||
    fail "the re-submitted shard 2 did not resume its folder"
"$gotong" merge retried-shards/shard-* --out retried --quiet >/dev/null
same_as_unsharded retried
phase "shard 2 re-submitted and merged by hand; identical to the unsharded run"
echo "sweep_array.sh: passed"
