#!/usr/bin/env bash
# Peer benchmark: gotong against Mesa's own pd_grid example, on the same grids (issue 6).
#
# Owns: building gotong (cargo build --release), the pinned mesa in the peers virtualenv
# (target/peers-venv, shared with tests/peers_mesa.rs: same pins, lock file and install
# marker as tests/support/python.rs), and running benches/peers/mesa_pd_grid_time.py, which
# times both tools, checks that they count the same cooperators at every step, and prints
# the table of docs/performance.md ("Against Mesa").
# Must never: install outside that virtualenv, assert a timing, or pass when the two tools
# disagree (it exits 1).
#
# Usage: benches/peers/mesa_pd_grid.sh [--steps N] [--sizes 50,100,200] [--repeats N]
#            [--threads N] [--all-metrics] [--json FILE] [--quick]
#   --steps N      steps per run (default 50: the whole script takes about 2–3 minutes here)
#   --sizes LIST   grid sides (default 50,100,200: 50×50, 100×100, 200×200 tori)
#   --repeats N    runs per tool and size; the median is reported (default 3)
#   --threads N    gotong's --threads (default: gotong's own, all cores)
#   --all-metrics  gotong records every metric, not only strategy_share
#   --json FILE    also write every run's timing as JSON
#   --quick        CI size: 50 and 100, 10 steps, 1 run each (seconds once mesa is
#                  installed); skips (exit 0, SKIPPED on stderr) where the peer tests skip:
#                  no Python, or a package index that cannot be reached.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
requirements=("mesa==3.3.1" "networkx==3.6.1")
target=${CARGO_TARGET_DIR:-target}
case "$target" in /*) ;; *) target="$root/$target" ;; esac
venv="$target/peers-venv"
lock="$target/peers-venv.lock"

say() { echo "mesa_pd_grid: $*" >&2; }
usage() { sed -n '/^# Usage/,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit "$1"; }

steps=50 sizes=50,100,200 repeats=3 quick=0 extra=()
while (($#)); do
    case "$1" in
        --steps) steps=${2:?--steps needs a number}; shift ;;
        --sizes) sizes=${2:?--sizes needs a list}; shift ;;
        --repeats) repeats=${2:?--repeats needs a number}; shift ;;
        --threads) extra+=(--threads "${2:?--threads needs a number}"); shift ;;
        --json) extra+=(--json "${2:?--json needs a file}"); shift ;;
        --all-metrics) extra+=(--all-metrics) ;;
        --quick) quick=1 ;;
        -h | --help) usage 0 ;;
        *) say "unknown option $1"; usage 2 ;;
    esac
    shift
done
if ((quick)); then steps=10 sizes=50,100 repeats=1; fi

# Where the peer tests skip, --quick skips; a benchmark asked for by hand fails instead.
cannot_run() {
    if ((quick)); then say "SKIPPED: $1"; exit 0; fi
    say "cannot run: $1"; exit 1
}

say "building gotong (cargo build --release)"
cargo build --release --quiet
gotong="$target/release/gotong"

# The lock of tests/support/python.rs: created atomically, stale after 20 minutes.
take_lock() {
    local waited=0
    until (set -C; : >"$lock") 2>/dev/null; do
        if [[ -n $(find "$lock" -mmin +20 2>/dev/null) ]]; then
            say "removing stale lock $lock"; rm -f "$lock"; continue
        fi
        ((waited++ % 40 == 0)) && say "waiting for $lock (another install is running)"
        sleep 0.25
    done
    trap 'rm -f "$lock"' EXIT
}

make_venv() {
    "$venv/bin/python" -c "import sys" 2>/dev/null && return 0
    local system
    system=$(command -v python3 || command -v python) || cannot_run "no python3 or python on PATH"
    rm -rf "$venv" "$venv.partial"
    say "creating a virtualenv at $venv with $system"
    "$system" -m venv "$venv.partial" || cannot_run "$system cannot create a virtualenv"
    mv "$venv.partial" "$venv"
}

# The marker python.rs writes after pip succeeded: FNV-1a (64 bit) of the requirements,
# one a line.
marker_path() {
    "$venv/bin/python" - "${requirements[@]}" <<'PY'
import sys
digest = 0xCBF29CE484222325
for byte in "\n".join(sys.argv[1:]).encode():
    digest = ((digest ^ byte) * 0x100000001B3) % 2**64
print(f"gotong-installed-{digest:016x}.txt")
PY
}

index_reachable() {
    "$venv/bin/python" - <<'PY'
import os, subprocess, sys, urllib.request
url = os.environ.get("PIP_INDEX_URL")
if not url:
    listed = subprocess.run([sys.executable, "-m", "pip", "config", "list"],
                            capture_output=True, text=True).stdout
    found = [v for k, v in (l.split("=", 1) for l in listed.splitlines() if "=" in l)
             if k.endswith(".index-url")]
    url = found[0].strip().strip("'") if found else "https://pypi.org/simple/"
try:
    urllib.request.urlopen(url, timeout=20)
except Exception as e:
    sys.exit(f"package index {url} unreachable ({e})")
PY
}

install_mesa() {
    local marker
    marker="$venv/$(marker_path)"
    if [[ -e $marker ]]; then
        say "using ${requirements[*]} from $venv (already installed)"
        return 0
    fi
    say "installing ${requirements[*]} into $venv ($("$venv/bin/python" --version)) with pip"
    if "$venv/bin/python" -m pip install --no-input --disable-pip-version-check \
        --retries 2 --timeout 30 "${requirements[@]}" >&2; then
        (IFS=$'\n'; printf '%s' "${requirements[*]}") >"$marker"
        return 0
    fi
    local why
    why=$(index_reachable 2>&1) || cannot_run "$why"
    say "pip install ${requirements[*]} failed while the package index answers"
    exit 1
}

mkdir -p "$target"
take_lock
make_venv
install_mesa
rm -f "$lock"
trap - EXIT

exec "$venv/bin/python" benches/peers/mesa_pd_grid_time.py --gotong "$gotong" \
    --scenario scenarios/validation/mesa_pd_grid.toml \
    --sizes "$sizes" --steps "$steps" --repeats "$repeats" "${extra[@]}"
