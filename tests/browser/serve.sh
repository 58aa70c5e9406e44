#!/usr/bin/env bash
# Browser test of `gotong serve`, as a teacher would use it: starts the server on a free port,
# opens the page in headless Debian chromium (driven by playwright-core from npm, with
# executablePath /usr/bin/chromium; no browser is downloaded), presses play, moves the
# transparency slider, switches to Bahasa Indonesia, sets off a scandal, and checks the step,
# the lever and the event through both the API and the page. Saves target/serve-screenshot.png.
# Installs chromium with apt-get if missing (root) and playwright-core into target/browser-test.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== gotong serve in headless chromium (tests/browser/serve.sh)"

if ! command -v chromium >/dev/null; then
    echo "installing Debian's chromium" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
work=target/browser-test
mkdir -p "$work"
cp tests/browser/package.json tests/browser/serve_page.mjs "$work/"
if [ ! -d "$work/node_modules/playwright-core" ]; then
    echo "installing playwright-core into $work" >&2
    (cd "$work" && npm install --no-audit --no-fund --silent)
fi
cargo build --release --quiet

log=$(mktemp)
target/release/gotong serve "${1:-default}" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
url=""
for _ in $(seq 1 120); do
    url=$(grep -o 'http://[0-9.:]*/' "$log" || true)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
done
[ -n "$url" ] || { echo "the server did not start" >&2; cat "$log" >&2; exit 1; }
echo "server at $url" >&2
node "$work/serve_page.mjs" "$url" "$PWD/target/serve-screenshot.png"
kill -0 "$server" || { echo "the server died during the test" >&2; cat "$log" >&2; exit 1; }
echo "browser test passed; screenshot in target/serve-screenshot.png"
