#!/usr/bin/env bash
# Browser tests for Warta, as a reader would use the site: starts the demo site from a built
# binary, runs e2e/tests/*.test.mjs with Node's test runner in Debian's Chromium, stops the site.
#
# Usage (from anywhere):
#   bash e2e/run.sh                          all tests
#   bash e2e/run.sh tests/visual.test.mjs    some test files (paths relative to e2e/)
#   UPDATE_BASELINES=1 bash e2e/run.sh       write new screenshot baselines instead of comparing
#
# Environment:
#   WARTA_BIN      the binary to test (default target/debug/warta, relative to the repo root);
#                  this script never builds it: run `cargo build -p warta` first
#   WARTA_URL      test a server that is already running instead of starting one (it must be
#                  `serve --demo` with WARTA_BASE_URL set to this same URL)
#   WARTA_OUTBOX   with WARTA_URL: that server's outbox folder (DATA_DIR/outbox), for the
#                  newsletter test, which is skipped without it
#   CHROMIUM_PATH  the Chromium to drive (default /usr/bin/chromium)
#
# Installs what is missing on a Debian machine: chromium, a Java runtime for the HTML checker,
# the fonts the screenshot baselines were drawn with, and the npm packages (npm ci).
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$E2E_DIR/.." && pwd)"
OUT_DIR="$E2E_DIR/out"
mkdir -p "$OUT_DIR"

log() { printf '== %s\n' "$*" >&2; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "run.sh: need root to run: $*" >&2; return 1
  fi
}

# --- system packages -------------------------------------------------------------------------
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM_PATH" ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# system-ui and sans-serif resolve to these on Debian; the baselines depend on them.
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
dpkg -s fonts-liberation >/dev/null 2>&1 || missing+=(fonts-liberation)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing with apt: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "installing Node.js with apt"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null || true
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "run.sh: node and npm are needed (Node 20 or newer)" >&2
  exit 2
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "run.sh: Node $(node --version) is too old; the tests need Node 20 or newer" >&2
  exit 2
fi

# --- npm packages: npm ci when node_modules is missing or older than the lock file ------------
stamp="$E2E_DIR/node_modules/.e2e-lock-stamp"
want="$(cat "$E2E_DIR/package.json" "$E2E_DIR/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "npm ci in e2e/"
  # No install scripts: none of our packages needs one (vnu-jar's would fetch a JRE; we use Debian's).
  (cd "$E2E_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

# --- the site under test ---------------------------------------------------------------------
WARTA_PID=""
DATA_DIR=""
TESTS_PID=""
cleanup() {
  if [ -n "$TESTS_PID" ] && kill -0 "$TESTS_PID" 2>/dev/null; then
    kill "$TESTS_PID" 2>/dev/null || true
    wait "$TESTS_PID" 2>/dev/null || true
  fi
  if [ -n "$WARTA_PID" ] && kill -0 "$WARTA_PID" 2>/dev/null; then
    kill "$WARTA_PID" 2>/dev/null || true
    wait "$WARTA_PID" 2>/dev/null || true
  fi
  if [ -n "$DATA_DIR" ]; then rm -rf "$DATA_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
answers() {
  node -e 'fetch(process.argv[1]).then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))' "$1/"
}

if [ -n "${WARTA_URL:-}" ]; then
  log "testing the server already running at $WARTA_URL"
  answers "$WARTA_URL" || { echo "run.sh: nothing answers at $WARTA_URL" >&2; exit 2; }
else
  WARTA_BIN="${WARTA_BIN:-target/debug/warta}"
  case "$WARTA_BIN" in /*) ;; *) WARTA_BIN="$REPO_DIR/$WARTA_BIN" ;; esac
  if [ ! -x "$WARTA_BIN" ]; then
    echo "run.sh: no warta binary at $WARTA_BIN; build it (cargo build -p warta) or set WARTA_BIN" >&2
    exit 2
  fi
  DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/warta-e2e.XXXXXX")"
  started=""
  # A port picked free can be taken before warta binds it; try a few.
  for attempt in 1 2 3; do
    port="$(free_port)"
    export WARTA_URL="http://127.0.0.1:$port"
    log "starting $WARTA_BIN (demo site) on $WARTA_URL"
    rm -rf "$DATA_DIR/site"
    # The newsroom tests sign in as these (password in lib/harness.mjs).
    for role in contributor editor admin; do
      WARTA_USER_PASSWORD="sandi-uji-redaksi" "$WARTA_BIN" --data-dir "$DATA_DIR/site" \
        user add --role "$role" --name "Uji $role" "$role@redaksi.test" >/dev/null
    done
    # Page views are not written during the run: "most read" lists would appear mid-way and
    # change the pages the screenshots compare.
    WARTA_BASE_URL="$WARTA_URL" RUST_LOG="${RUST_LOG:-warn}" WARTA_VIEWS_FLUSH_SECONDS=86400 \
      "$WARTA_BIN" --data-dir "$DATA_DIR/site" serve --demo --addr "127.0.0.1:$port" \
      >"$OUT_DIR/warta.log" 2>&1 &
    WARTA_PID=$!
    # No SMTP server is configured: mail goes to the outbox, where the newsletter test reads it.
    export WARTA_OUTBOX="$DATA_DIR/site/outbox"
    for _ in $(seq 150); do  # up to 30 s: the demo import runs first
      if ! kill -0 "$WARTA_PID" 2>/dev/null; then break; fi
      if answers "$WARTA_URL"; then started=1; break; fi
      sleep 0.2
    done
    [ -n "$started" ] && break
    log "warta did not come up (attempt $attempt); its log:"
    tail -n 20 "$OUT_DIR/warta.log" >&2 || true
    kill "$WARTA_PID" 2>/dev/null || true
    wait "$WARTA_PID" 2>/dev/null || true
    WARTA_PID=""
  done
  if [ -z "$started" ]; then
    echo "run.sh: warta did not start; see $OUT_DIR/warta.log" >&2
    exit 1
  fi
fi
export WARTA_URL

# --- the tests -------------------------------------------------------------------------------
cd "$E2E_DIR"
if [ "$#" -gt 0 ]; then files=("$@"); else files=(tests/*.test.mjs); fi
log "node --test ${files[*]}"
status=0
# Readable progress on stdout (spec); the TAP report goes to out/results.tap and its closing
# summary ("# pass N", "# fail N", ...) is printed last.
# In the background with `wait`, so that an INT or TERM sent to this script stops the tests
# and the server at once (bash runs traps only between commands).
node --test \
  --test-concurrency=1 \
  --test-timeout=180000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$OUT_DIR/results.tap" \
  "${files[@]}" &
TESTS_PID=$!
wait "$TESTS_PID" || status=$?
TESTS_PID=""
echo
grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$OUT_DIR/results.tap" || true
if [ "$status" -ne 0 ]; then
  echo "e2e: failed (exit $status); screenshots, diffs, axe reports and page HTML are in $OUT_DIR" >&2
fi
exit "$status"
