#!/usr/bin/env bash
# Lighthouse scores for Warta's demo site: the home page, a section page and an article page,
# in Lighthouse's default (mobile, simulated throttling) configuration, in Debian's Chromium.
# Prints Performance / Accessibility / Best Practices / SEO (x100) per page, the article page's
# bytes over the wire, any render-blocking or third-party request, and every audit that does
# not pass (id and title). JSON (and HTML) reports go to bench/out/lighthouse/.
#
#   bash bench/lighthouse/run.sh                     # builds warta --release first
#   WARTA_BIN=target/release/warta bash bench/lighthouse/run.sh
#
# Settings (environment):
#   WARTA_BIN            use this binary and skip `cargo build --release -p warta`
#   CHROME_PATH          the Chromium to drive (default /usr/bin/chromium; apt-installed if missing)
#   LIGHTHOUSE_SECTION   section page to audit (default /kanal/nasional)
#   LIGHTHOUSE_ARTICLE   article page to audit (default: the newest article, from the API)
#
# Exit status: 0 when Lighthouse ran on every page (whatever the scores), non-zero when it
# could not run (or the site did not start).
set -euo pipefail

LH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=$(cd "$LH_DIR/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT_DIR="$BENCH_DIR/out/lighthouse"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
SECTION=${LIGHTHOUSE_SECTION:-/kanal/nasional}

log() { echo "[lighthouse] $*" >&2; }
die() { echo "[lighthouse] error: $*" >&2; exit 1; }

# --- cleanup: the server we start and its temp dir go on any exit ------------------------
TMP=""
WARTA_PID=""
cleanup() {
    local rc=$?
    set +e
    if [[ -n $WARTA_PID ]]; then
        kill -TERM "$WARTA_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$WARTA_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$WARTA_PID" 2>/dev/null
        wait "$WARTA_PID" 2>/dev/null
    fi
    [[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- system packages ------------------------------------------------------------------------
# Chromium, curl, and the fonts system-ui/sans-serif resolve to on Debian (as e2e/ uses),
# so text metrics (and so layout, CLS, LCP) are the same on every machine.
missing=()
[[ -x $CHROME_PATH ]] || missing+=(chromium)
command -v curl >/dev/null || missing+=(curl)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
dpkg -s fonts-liberation >/dev/null 2>&1 || missing+=(fonts-liberation)
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || die "missing ${missing[*]}: install them or run as root"
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
        log "apt-get update"
        apt-get update -qq
    fi
    log "apt-get install ${missing[*]}"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[[ -x $CHROME_PATH ]] || die "no Chromium at $CHROME_PATH"

# --- Node and the npm packages (lighthouse 12: Node >= 18.20; 13 would need >= 22.19) --------
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (Node 18.20 or newer)"
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 20) ? 0 : 1)' \
    || die "Node $(node --version) is too old for Lighthouse 12 (needs 18.20 or newer)"
stamp="$LH_DIR/node_modules/.lock-stamp"
want=$(cat "$LH_DIR/package.json" "$LH_DIR/package-lock.json" | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    log "npm ci in bench/lighthouse/"
    # No install scripts: none of these packages needs one, and nothing may fetch a browser.
    (cd "$LH_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2
    echo "$want" >"$stamp"
fi

# --- warta binary ---------------------------------------------------------------------------
if [[ -n ${WARTA_BIN:-} ]]; then
    WARTA=$WARTA_BIN
    log "using WARTA_BIN=$WARTA (not rebuilding)"
else
    log "cargo build --release -p warta"
    (cd "$ROOT" && cargo build --release -p warta)
    WARTA="${CARGO_TARGET_DIR:-$ROOT/target}/release/warta"
fi
[[ -x $WARTA ]] || die "warta binary not found at $WARTA"
WARTA=$(cd "$(dirname "$WARTA")" && pwd)/$(basename "$WARTA")

# A free port on 127.0.0.1 (nothing answers a connect there), below Linux's ephemeral range,
# never 8080/8099 which other local services use.
free_port() {
    local p
    for _ in $(seq 200); do
        p=$((20000 + RANDOM % 12000))
        [[ $p == 8080 || $p == 8099 ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    die "no free port found"
}

# --- the demo site, on a fresh temp data dir --------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/warta-lighthouse.XXXXXX")
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
(
    # Only our settings: a stray WARTA_* or DATABASE_URL must not change what is measured.
    for v in "${!WARTA_@}"; do unset "$v"; done
    unset DATABASE_URL
    export RUST_LOG=warn WARTA_BASE_URL="$BASE"
    exec "$WARTA" --data-dir "$TMP/data" serve --demo --addr "127.0.0.1:$PORT" --grace-seconds 2
) >"$TMP/warta.log" 2>&1 &
WARTA_PID=$!
for i in $(seq 300); do
    curl -sf -o /dev/null "$BASE/api/v1/articles?limit=1" && break
    kill -0 "$WARTA_PID" 2>/dev/null || { cat "$TMP/warta.log" >&2; die "warta exited before answering"; }
    ((i == 300)) && { cat "$TMP/warta.log" >&2; die "warta did not answer within 30s"; }
    sleep 0.1
done
log "warta up on $BASE (pid $WARTA_PID)"

ARTICLE=${LIGHTHOUSE_ARTICLE:-}
if [[ -z $ARTICLE ]]; then
    # The JSON is compact and the item's own "url" comes before its authors' urls.
    ARTICLE=$(curl -sf "$BASE/api/v1/articles?limit=1" | grep -o '"url":"/read/[^"]*"' | head -n1 | cut -d'"' -f4 || true)
    [[ $ARTICLE == /* ]] || die "could not find an article url in $BASE/api/v1/articles?limit=1"
fi
for p in / "$SECTION" "$ARTICLE"; do
    curl -sf -o /dev/null "$BASE$p" || die "$BASE$p does not answer 200"
done

# --- Lighthouse ------------------------------------------------------------------------------
mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR"/*.report.json "$OUT_DIR"/*.report.html "$OUT_DIR"/summary.txt
node "$LH_DIR/lighthouse.mjs" --base "$BASE" --out "$OUT_DIR" \
    --page "home=/" --page "section=$SECTION" --page "article=$ARTICLE"
log "reports in ${OUT_DIR#"$ROOT"/}/ (summary.txt, <page>.report.json, <page>.report.html)"
