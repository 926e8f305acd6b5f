#!/usr/bin/env bash
# Every kind of reader page rendered from the database on each request, as signed-in readers
# get them (the page cache serves nobody signed in) and as anyone gets them right after a
# change. With REFERENCE_BIN, the same pages from another build in the same run, the two
# alternating page by page, for before/after figures. See bench/README.md.
#
#   bash bench/pages.sh                                       # builds warta --release first
#   REFERENCE_BIN=/tmp/warta-before WARTA_BIN=target/release/warta bash bench/pages.sh
#   DATA_DIR=/tmp/big WARTA_BIN=target/release/warta bash bench/pages.sh   # a large archive
#
# Settings (environment): DURATION (4s), CONNECTIONS (64), THREADS (2), WARTA_BIN,
# REFERENCE_BIN, DATA_DIR (a data dir to copy for each server; the demo when unset).
set -euo pipefail

DURATION=${DURATION:-4s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
[[ $DURATION =~ ^[0-9]+$ ]] && DURATION="${DURATION}s"

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# log, die, free_port, wait_for, wait_idle
source "$BENCH_DIR/lib.sh"

command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk (or run bench/run.sh once)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/warta-pages.XXXXXX")
PIDS=()
cleanup() {
    local rc=$? pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z ${WARTA_BIN:-} ]]; then
    log "cargo build --release -p warta"
    (cd "$ROOT" && cargo build --release -p warta)
    WARTA_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/warta"
fi

# Starts BIN without the page cache on a data dir of its own (an older build cannot open a
# dir a newer one has migrated). Sets STARTED_PID and STARTED_PORT.
STARTED_PID=""
STARTED_PORT=""
start() {
    local bin=$1 name=$2 dir="$TMP/$2" flags=(--no-page-cache)
    if [[ -n ${DATA_DIR:-} ]]; then
        cp -r "$DATA_DIR" "$dir"
    else
        flags+=(--demo)
    fi
    free_port
    (
        for v in "${!WARTA_@}"; do unset "$v"; done
        unset DATABASE_URL
        export RUST_LOG=warn
        exec "$bin" --data-dir "$dir" serve --addr "127.0.0.1:$PORT" --grace-seconds 1 "${flags[@]}"
    ) >"$TMP/$name.log" 2>&1 &
    STARTED_PID=$!
    STARTED_PORT=$PORT
    PIDS+=("$STARTED_PID")
    wait_for "http://127.0.0.1:$PORT/api/v1/articles?limit=1" "$STARTED_PID" "$TMP/$name.log"
    wait_idle "$STARTED_PID"
    log "$name ($bin) up on port $PORT"
}

start "$WARTA_BIN" warta
WARTA_PID=$STARTED_PID
WARTA_PORT=$STARTED_PORT
REF_PID=""
REF_PORT=""
if [[ -n ${REFERENCE_BIN:-} ]]; then
    start "$REFERENCE_BIN" reference
    REF_PID=$STARTED_PID
    REF_PORT=$STARTED_PORT
fi

# One of each page type, found by following the site's own links.
base="http://127.0.0.1:$WARTA_PORT"
first_link() { # page prefix
    curl -sf "$base$1" | grep -o "href=\"$2[^\"#?]*\"" | head -n1 | cut -d'"' -f2 || true
}
article=$(curl -sf "$base/api/v1/articles?limit=1" | grep -o '"url":"[^"]*"' | head -n1 |
    cut -d'"' -f4 || true)
[[ -n $article ]] || die "no article to measure: the site has none published"
story=$(first_link / /topik/)
story_article=""
if [[ -n $story ]]; then story_article=$(first_link "$story" /read/); fi
# A page type the site has none of (no running story in an imported archive) is left out.
PAGES=(
    "/" "$article" "$(first_link / /kanal/)" "$(first_link "$article" /tag/)"
    "$(first_link "$article" /penulis/)" "$story" "$story_article"
    "/api/v1/articles?limit=20"
)

# CPU seconds (user + system) the process has used, in clock ticks.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# One wrk run on PORT PATH, for process PID: "requests/s us-per-request p99". A run with
# errors (socket errors, answers other than 2xx/3xx) is not a measurement: it stops here.
measure() {
    local pid=$1 port=$2 path=$3 before after out n errors
    curl -sf -o /dev/null "http://127.0.0.1:$port$path" || die "$path does not answer on port $port"
    before=$(ticks "$pid")
    out=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "http://127.0.0.1:$port$path")
    after=$(ticks "$pid")
    n=$(awk '/requests in/ { print $1 }' <<<"$out")
    errors=$(awk '/Socket errors:/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 }
                  /Non-2xx or 3xx responses:/ { e += $NF }
                  END { print e + 0 }' <<<"$out")
    ((n > 0 && errors == 0)) || die "$path on port $port: $n requests, $errors errors"$'\n'"$out"
    awk -v rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")" \
        -v t=$((after - before)) -v n="$n" -v hz="$(getconf CLK_TCK)" \
        -v p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
        'BEGIN { printf "%.0f %.1f %s\n", rps, t / hz * 1e6 / n, p99 }'
}

printf '%-60s %10s %8s %9s' "page ($CONNECTIONS connections, $DURATION)" "req/s" "us/req" "p99"
[[ -n $REF_PID ]] && printf ' %12s %8s %9s %7s' "ref req/s" "us/req" "p99" "ratio"
echo
for path in "${PAGES[@]}"; do
    [[ -n $path ]] || continue
    read -r rps us p99 < <(measure "$WARTA_PID" "$WARTA_PORT" "$path")
    printf '%-60.60s %10s %8s %9s' "$path" "$rps" "$us" "$p99"
    if [[ -n $REF_PID ]]; then
        read -r rrps rus rp99 < <(measure "$REF_PID" "$REF_PORT" "$path")
        printf ' %12s %8s %9s %7s' "$rrps" "$rus" "$rp99" \
            "$(awk -v a="$rps" -v b="$rrps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
    fi
    echo
done
