#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for tests of job arrays (tests/slurm/sweep_array.sh).
#
#   tests/slurm/cluster.sh start   # install slurm-wlm + munge if missing, start the daemons,
#                                  # wait until sinfo shows the node idle
#   tests/slurm/cluster.sh stop    # stop the daemons by the PIDs in their pid files
#   tests/slurm/cluster.sh logs    # print the daemons' logs
#
# Needs root and Debian's packages (apt-get). No systemd: the daemons are started by hand.
# It owns /etc/slurm/slurm.conf and the daemons it starts; it must never kill a process by
# name (only the PIDs in the pid files below). Both start and stop are idempotent.
# On a real cluster none of this is needed (see docs/cluster.md).
set -euo pipefail

CONF=/etc/slurm/slurm.conf
MUNGE_PID=/run/munge/munged.pid
CTLD_PID=/run/slurm/slurmctld.pid
SLURMD_PID=/run/slurm/slurmd.pid
CTLD_LOG=/var/log/slurm/slurmctld.log
SLURMD_LOG=/var/log/slurm/slurmd.log
MUNGE_LOG=/var/log/munge/munged.log
# Seconds to wait for the node to become idle.
START_TIMEOUT=${SLURM_TEST_START_TIMEOUT:-60}

say() { echo "cluster.sh: $*" >&2; }

# True when process $1 is alive and its command is $2.
pid_is() {
    local pid=$1 comm=$2 actual
    actual=$(cat /proc/"$pid"/comm 2>/dev/null) || return 1
    [[ $actual == "$comm" ]]
}

# True when the pid file names a live process whose command is $2 (guards against a stale
# pid file whose number now belongs to another process).
alive() {
    local pidfile=$1 comm=$2 pid
    [[ -s $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    pid_is "$pid" "$comm"
}

install_packages() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
        command -v sbatch >/dev/null && command -v munged >/dev/null; then
        return
    fi
    say "installing slurm-wlm and munge (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        slurm-wlm munge >/dev/null
}

prepare_dirs() {
    mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge /run/slurm \
        /var/log/munge /var/lib/munge
    chown slurm:slurm /var/spool/slurmctld /var/log/slurm /run/slurm
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    if [[ ! -s /etc/munge/munge.key ]]; then
        mungekey --create --keyfile=/etc/munge/munge.key
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
}

write_conf() {
    local host cpus mem_mb
    host=$(hostname)
    cpus=$(nproc)
    # 90% of the machine's memory, so that an emitted #SBATCH --mem fits on this node.
    mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
    cat >"$CONF" <<CONF
# Written by gotong's tests/slurm/cluster.sh: a one-node test cluster.
ClusterName=gotongtest
SlurmctldHost=localhost
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1,bf_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
# A job whose afterok dependency failed is cancelled instead of pending forever.
DependencyParameters=kill_invalid_depend
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$CTLD_LOG
SlurmdLogFile=$SLURMD_LOG
NodeName=localhost NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

# Print the node's state as sinfo shows it (idle, mix, alloc, down, unk, ...).
node_state() { sinfo -h -N -o '%t' 2>/dev/null | head -n 1; }

wait_idle() {
    local deadline=$((SECONDS + START_TIMEOUT)) state=""
    while ((SECONDS < deadline)); do
        state=$(node_state)
        case $state in
        idle | mix | alloc) return 0 ;;
        esac
        sleep 0.5
    done
    say "the node is not idle after ${START_TIMEOUT}s (sinfo says '${state:-nothing}')"
    logs >&2
    return 1
}

start() {
    install_packages
    prepare_dirs
    if ! alive "$CTLD_PID" slurmctld && ! alive "$SLURMD_PID" slurmd; then
        write_conf
    fi
    if ! alive "$MUNGE_PID" munged; then
        runuser -u munge -- /usr/sbin/munged --force
        if ! munge -n | unmunge >/dev/null; then
            say "munge does not work"
            logs >&2
            return 1
        fi
    fi
    # -c: start without the jobs a previous (crashed) test left behind.
    alive "$CTLD_PID" slurmctld || /usr/sbin/slurmctld -c
    alive "$SLURMD_PID" slurmd || /usr/sbin/slurmd -N localhost
    wait_idle
    say "node idle: $(sinfo -h -N -o '%N %c CPUs %m MB')"
}

# Send TERM to the process in each pid file named (a pid file, its command, ...), then wait
# up to 10 s for them to exit (the daemons remove their pid file before they are gone, so
# wait on the PIDs), then KILL the ones still there.
stop_all() {
    local pids=() comms=() pid i
    while (($# >= 2)); do
        if alive "$1" "$2"; then
            pid=$(<"$1")
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
            comms+=("$2")
        fi
        rm -f "$1"
        shift 2
    done
    for i in "${!pids[@]}"; do
        for _ in $(seq 1 100); do
            pid_is "${pids[i]}" "${comms[i]}" || break
            sleep 0.1
        done
        if pid_is "${pids[i]}" "${comms[i]}"; then
            say "${comms[i]} (${pids[i]}) ignored TERM for 10 s; sending KILL"
            kill -KILL "${pids[i]}" 2>/dev/null || true
        fi
    done
}

# Cancel every job of this test cluster and wait up to 10 s for them to end, so that no job
# step outlives the daemons.
cancel_jobs() {
    alive "$CTLD_PID" slurmctld || return 0
    [[ -n $(squeue -h 2>/dev/null) ]] || return 0
    say "cancelling the jobs still queued or running"
    scancel --full --partition=debug 2>/dev/null || true
    for _ in $(seq 1 100); do
        [[ -n $(squeue -h 2>/dev/null) ]] || return 0
        sleep 0.1
    done
    say "jobs still there after 10 s:"
    squeue >&2 || true
}

stop() {
    cancel_jobs
    stop_all "$SLURMD_PID" slurmd "$CTLD_PID" slurmctld
    stop_all "$MUNGE_PID" munged
}

logs() {
    local log
    for log in "$CTLD_LOG" "$SLURMD_LOG" "$MUNGE_LOG"; do
        # Without the PMIx lines: that library is not installed and no job here needs it.
        echo "---- $log (last 40 lines, PMIx errors left out)"
        if [[ -r $log ]]; then
            grep -v -e 'pmix' -e 'MPI: Cannot create context' "$log" | tail -n 40
        else
            echo "(none)"
        fi
    done
}

case ${1:-} in
start) start ;;
stop) stop ;;
logs) logs ;;
*)
    echo "usage: $0 start|stop|logs" >&2
    exit 2
    ;;
esac
