#!/usr/bin/env bash
# Load benchmark: one warta article page against nginx serving the very same bytes as a
# static file. See bench/README.md for what is measured and how to read the numbers.
#
#   bash bench/run.sh                                  # builds warta --release first
#   DURATION=3 WARTA_BIN=target/debug/warta bash bench/run.sh   # quick check of the mechanics
#
# Settings (environment): DURATION (10s), CONNECTIONS (256), THREADS (2), WARMUP (2s),
# SETTLE (15: seconds of quiet before memory is read again), WARTA_BIN (skip the build and
# use this binary).
set -euo pipefail

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-256}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
SETTLE=${SETTLE:-15}
# wrk wants a unit; accept a bare number of seconds too (DURATION=3).
[[ $DURATION =~ ^[0-9]+$ ]] && DURATION="${DURATION}s"
[[ $WARMUP =~ ^[0-9]+$ ]] && WARMUP="${WARMUP}s"

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT_DIR="$BENCH_DIR/out"
STARTED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
OUT_FILE="$OUT_DIR/bench-$(date +%Y%m%d-%H%M%S).txt"

# log, die, free_port, wait_for, wait_idle
source "$BENCH_DIR/lib.sh"

# --- cleanup -------------------------------------------------------------------------
# Everything we start is recorded here and stopped on any exit (success, error, Ctrl-C),
# so a failed run never leaves a server holding a port or a temp dir behind.
TMP=""
PIDS=()
POLICY_RC_CREATED=""
cleanup() {
    local rc=$?
    set +e
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        # Give each a few seconds to exit cleanly, then insist.
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    [[ -n $POLICY_RC_CREATED ]] && rm -f /usr/sbin/policy-rc.d
    [[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Stop one process we started and forget it (used to restart warta between cases).
stop_pid() {
    local pid=$1 kept=() p
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
    PIDS=("${kept[@]}")
}

# --- tools ---------------------------------------------------------------------------
# A fresh Debian machine with only Rust has none of wrk, nginx (and maybe curl): install
# what is missing. nginx lives in /usr/sbin, which is not on every PATH.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
install_missing() {
    local pkgs=()
    command -v wrk >/dev/null || pkgs+=(wrk)
    [[ -x $NGINX ]] || pkgs+=(nginx-light)
    command -v curl >/dev/null || pkgs+=(curl)
    command -v gzip >/dev/null || pkgs+=(gzip)
    ((${#pkgs[@]})) || return 0
    [[ $(id -u) == 0 ]] || die "missing ${pkgs[*]}: install them or run as root"
    command -v apt-get >/dev/null || die "missing ${pkgs[*]} and no apt-get to install them"
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when they don't know the packages (fresh image).
    if ! apt-cache show "${pkgs[@]}" >/dev/null 2>&1; then
        log "apt-get update"
        apt-get update -qq
    fi
    # Installing nginx would start the system service on port 80 (we never use it):
    # a policy-rc.d that says "no" keeps it stopped. Only if none exists; removed at exit.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        POLICY_RC_CREATED=1
    fi
    log "apt-get install ${pkgs[*]}"
    if ! apt-get install -y -qq --no-install-recommends "${pkgs[@]}"; then
        # nginx-light is gone from newer Debian releases; plain nginx is the same server.
        apt-get install -y -qq --no-install-recommends "${pkgs[@]/nginx-light/nginx}"
    fi
    if [[ -n $POLICY_RC_CREATED ]]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=""; fi
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}
install_missing
[[ -x $NGINX ]] || die "nginx not found"
# More connections than the default 1024 descriptors allow should not fail mysteriously.
ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- warta binary --------------------------------------------------------------------
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

# --- helpers -------------------------------------------------------------------------
# Start warta on PORT with the shared data dir; further arguments are flags for `serve`.
# WARTA_* / DATABASE_URL from the caller's environment are dropped so that, e.g., a stray
# WARTA_NO_PAGE_CACHE or a PostgreSQL DATABASE_URL cannot change what is measured.
WARTA_PID=""
WARTA_PORT=""
WARTA_STARTS=0
start_warta() {
    WARTA_PORT=$1
    shift
    WARTA_STARTS=$((WARTA_STARTS + 1))
    local logfile="$TMP/warta-$WARTA_STARTS.log" port=$WARTA_PORT
    (
        # (this also drops our own WARTA_PORT etc., hence the local copy of the port)
        for v in "${!WARTA_@}"; do unset "$v"; done
        unset DATABASE_URL
        export RUST_LOG=warn   # request logging would cost throughput
        exec "$WARTA" --data-dir "$TMP/data" serve --demo --addr "127.0.0.1:$port" \
            --grace-seconds 2 "$@"
    ) >"$logfile" 2>&1 &
    WARTA_PID=$!
    PIDS+=("$WARTA_PID")
    wait_for "http://127.0.0.1:$WARTA_PORT/api/v1/articles?limit=1" "$WARTA_PID" "$logfile"
    # The first start indexes the demo in the background: measuring then would load the cores
    # under the first case (and the page saved for nginx would lack its related articles).
    wait_idle "$WARTA_PID"
    log "warta ${*:-(page cache on)} up on port $WARTA_PORT (pid $WARTA_PID)"
}

# Resident memory of a process in MB, from /proc (VmRSS now, VmHWM the peak).
mem_mb() { # pid field
    awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
}
# nginx is a master plus workers: add up the master and its children.
nginx_rss_mb() {
    local total=0 kb st
    for st in /proc/[0-9]*/status; do
        if awk -v m="$NGINX_PID" '($1 == "Pid:" && $2 == m) || ($1 == "PPid:" && $2 == m) { f = 1 } END { exit !f }' "$st" 2>/dev/null; then
            kb=$(awk '$1 == "VmRSS:" { print $2 }' "$st" 2>/dev/null || true)
            total=$((total + ${kb:-0}))
        fi
    done
    awk -v k="$total" 'BEGIN { printf "%.1f", k / 1024 }'
}

# --- wrk runs and parsing -----------------------------------------------------------
# Each case: a short warm-up (discarded: lets caches, allocators, CPU frequency settle),
# then the measured run. Results are kept in associative arrays keyed by case name.
declare -A RPS P99 BYTES ERRS
CASES=()

run_case() { # name url [curl-style header]
    local name=$1 url=$2 header=${3:-} hdr=() out
    [[ -n $header ]] && hdr=(-H "$header")
    log "warm-up $WARMUP: $name"
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" "${hdr[@]}" "$url" >/dev/null
    log "measure $DURATION: $name"
    out=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "${hdr[@]}" "$url")
    printf '=== %s: %s %s\n%s\n\n' "$name" "$url" "${header:+(-H '$header')}" "$out" >>"$RAW"

    RPS[$name]=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    # "99%    12.34ms" -> milliseconds (wrk prints us, ms or s).
    P99[$name]=$(awk '$1 == "99%" {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
        printf "%.2f", v }' <<<"$out")
    # "123456 requests in 3.00s, 1.23GB read" -> bytes per response, headers included: shows
    # at a glance whether the compressed or the plain page went over the wire.
    BYTES[$name]=$(awk '/requests in/ {
        n = $1; s = $5; u = s; sub(/[0-9.]+/, "", u); sub(/[A-Z]+$/, "", s)
        m = 1; if (u == "KB") m = 1024; else if (u == "MB") m = 1024^2; else if (u == "GB") m = 1024^3
        if (n > 0) printf "%d", s * m / n }' <<<"$out")
    # Socket errors and non-2xx answers: any of these means the numbers are suspect.
    ERRS[$name]=$(awk '/Socket errors:/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 }
                      /Non-2xx or 3xx responses:/ { e += $NF }
                      END { print e + 0 }' <<<"$out")
    [[ -n ${RPS[$name]} ]] || die "could not parse wrk output for $name:"$'\n'"$out"
    CASES+=("$name")
}

# --- set up ---------------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/warta-bench.XXXXXX")
# nginx workers run as an unprivileged user when started as root: they must be able to
# read the docroot, so open up the temp dir (it holds nothing secret).
chmod 755 "$TMP"
mkdir -p "$TMP/www/gz" "$OUT_DIR"
RAW="$TMP/wrk-raw.txt"   # every wrk output, appended to the report at the end

# warta with its in-memory page cache (the default), on a fresh demo database.
free_port
start_warta "$PORT"
API="http://127.0.0.1:$WARTA_PORT/api/v1/articles?limit=1"
# First article's "url": the JSON is compact, so a grep is enough (no jq on a fresh box).
ARTICLE=$(curl -sf "$API" | grep -o '"url":"[^"]*"' | head -n1 | cut -d'"' -f4 || true)
[[ $ARTICLE == /* ]] || die "could not find an article url in $API"
WARTA_URL="http://127.0.0.1:$WARTA_PORT$ARTICLE"
log "article: $ARTICLE"

# The static copy: exactly the bytes warta sends (identity), plus a gzip -9 sibling for
# gzip_static (-n: no name/time in the header, so it is reproducible).
curl -sf -o "$TMP/www/page.html" "$WARTA_URL"
cp "$TMP/www/page.html" "$TMP/www/gz/page.html"
gzip -9 -n -c "$TMP/www/page.html" >"$TMP/www/gz/page.html.gz"
chmod -R a+rX "$TMP/www"
SIZE_PLAIN=$(wc -c <"$TMP/www/page.html")
SIZE_NGINX_GZ=$(wc -c <"$TMP/www/gz/page.html.gz")
SIZE_WARTA_GZ=$(curl -sf -H 'Accept-Encoding: gzip' "$WARTA_URL" | wc -c)
# Make sure warta really compresses for gzip clients, or case (c) would compare apples and pears.
curl -sf -D - -o /dev/null -H 'Accept-Encoding: gzip' "$WARTA_URL" | grep -qi '^content-encoding: *gzip' \
    || die "warta did not answer Accept-Encoding: gzip with a gzip body"

# nginx from our own config in the temp dir (not /etc/nginx, not the system service).
free_port
NGINX_PORT=$PORT
sed -e "s|@PORT@|$NGINX_PORT|g" -e "s|@DIR@|$TMP|g" "$BENCH_DIR/nginx.conf.template" >"$TMP/nginx.conf"
# -e: nginx opens its error log before reading the config; keep even that one in TMP.
"$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/nginx-error.log" -t -q \
    || die "nginx rejected $TMP/nginx.conf"
"$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/nginx-error.log" >"$TMP/nginx-stdout.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
NGINX_URL="http://127.0.0.1:$NGINX_PORT/page.html"
NGINX_GZ_URL="http://127.0.0.1:$NGINX_PORT/gz/page.html"
wait_for "$NGINX_URL" "$NGINX_PID" "$TMP/nginx-error.log"
log "nginx up on port $NGINX_PORT (pid $NGINX_PID)"

# Both servers must hand out the same page, or the comparison means nothing.
curl -sf "$NGINX_URL" | cmp -s - "$TMP/www/page.html" || die "nginx does not serve the saved page"
curl -sf -D - -o /dev/null -H 'Accept-Encoding: gzip' "$NGINX_GZ_URL" | grep -qi '^content-encoding: *gzip' \
    || die "nginx gzip_static did not send the .gz file"

# --- the runs -------------------------------------------------------------------------
GZ='Accept-Encoding: gzip'
run_case "nginx static"            "$NGINX_URL"
run_case "warta cached"            "$WARTA_URL"
run_case "warta cached, gzip"      "$WARTA_URL" "$GZ"
run_case "nginx gzip_static, gzip" "$NGINX_GZ_URL" "$GZ"
NGINX_RSS=$(nginx_rss_mb)
WARTA_RSS_CACHED=$(mem_mb "$WARTA_PID" VmRSS)
WARTA_HWM_CACHED=$(mem_mb "$WARTA_PID" VmHWM)
# The allocator gives freed pages back to the system about ten seconds after the load stops
# (mimalloc's purge delay), so memory is read again once the server has been quiet.
settled_mb() { sleep "$SETTLE"; mem_mb "$1" VmRSS; }
WARTA_SETTLED_CACHED=$(settled_mb "$WARTA_PID")

# (d) restart warta without the page cache: every request renders from the database.
# Same data dir and the same port: the page holds absolute links (canonical, og:url,
# share buttons) with host:port in them, so only the same port gives the same bytes.
stop_pid "$WARTA_PID"
start_warta "$WARTA_PORT" --no-page-cache
curl -sf "$WARTA_URL" | cmp -s - "$TMP/www/page.html" \
    || log "warning: the uncached page differs from the cached one"
run_case "warta no page cache"     "$WARTA_URL"
WARTA_RSS_NOCACHE=$(mem_mb "$WARTA_PID" VmRSS)
WARTA_HWM_NOCACHE=$(mem_mb "$WARTA_PID" VmHWM)
WARTA_SETTLED_NOCACHE=$(settled_mb "$WARTA_PID")

# (e) the same without the automatic "Baca juga" block, to measure what the block costs.
stop_pid "$WARTA_PID"
start_warta "$WARTA_PORT" --no-page-cache --no-related-articles
run_case "warta no cache, no related" "$WARTA_URL"

# (f) ads and comments rendered (issue 5 asks for the article page to stay within 10%): an
# admin runs a campaign in each of the article page's slots and a reader comments, then the
# cached and uncached cases run again beside the plain ones above.
csrf_of() { grep -o 'name="csrf" value="[^"]*"' | head -n1 | cut -d'"' -f4; }
add_ads_and_a_comment() {
    local base="http://127.0.0.1:$WARTA_PORT" jar="$TMP/cookies" csrf slot article_id
    WARTA_USER_PASSWORD=bench-admin-password "$WARTA" --data-dir "$TMP/data" \
        user add --role admin bench@bench.test >/dev/null
    csrf=$(curl -sf -c "$jar" -b "$jar" "$base/masuk" | csrf_of)
    curl -sf -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" \
        --data-urlencode "email=bench@bench.test" --data-urlencode "password=bench-admin-password" "$base/masuk"
    for slot in top article sidebar; do
        csrf=$(curl -sf -c "$jar" -b "$jar" "$base/redaksi/iklan" | csrf_of)
        curl -sf -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" -d action=create \
            -d "name=Bench $slot" -d "slot=$slot" -d image_url=/favicon.svg -d link_url=https://example.com \
            -d alt=Iklan "$base/redaksi/iklan"
    done
    local page
    page=$(curl -sf -c "$jar" -b "$jar" "$base$ARTICLE")
    csrf=$(echo "$page" | csrf_of)
    article_id=$(echo "$page" | grep -o 'name="article_id" value="[0-9]*"' | head -n1 | cut -d'"' -f4)
    curl -sf -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" -d "article_id=$article_id" \
        --data-urlencode "body=Liputan yang bagus, terima kasih." "$base/komentar"
    sleep 1
    curl -sf "$base$ARTICLE" | grep -q 'class="ad ad-article"' || die "the ads did not show on the article page"
}
stop_pid "$WARTA_PID"
start_warta "$WARTA_PORT"
add_ads_and_a_comment
run_case "warta cached, ads"       "$WARTA_URL"
stop_pid "$WARTA_PID"
start_warta "$WARTA_PORT" --no-page-cache
run_case "warta no cache, ads"     "$WARTA_URL"

# --- report ---------------------------------------------------------------------------
# Which nginx case each warta case is compared with (same bytes, same request headers).
declare -A BASELINE=(
    ["warta cached"]="nginx static"
    ["warta cached, gzip"]="nginx gzip_static, gzip"
    ["warta no page cache"]="nginx static"
    ["warta no cache, no related"]="nginx static"
    ["warta cached, ads"]="warta cached"
    ["warta no cache, ads"]="warta no page cache"
)

report() {
    local kind=release
    [[ -n ${WARTA_BIN:-} ]] && kind="WARTA_BIN"
    echo "Warta load benchmark, started $STARTED"
    echo "commit:   $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty tree)')"
    echo "warta:    $WARTA ($kind)"
    echo "nginx:    $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), worker_processes auto"
    echo "wrk:      $(wrk -v 2>&1 | head -n1 | awk '{ print $2 }'), $THREADS threads, $CONNECTIONS connections, $DURATION per case after ${WARMUP} warm-up"
    echo "machine:  $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); wrk and the server share them"
    echo "page:     $ARTICLE"
    echo "size:     $SIZE_PLAIN bytes identity; gzip $SIZE_WARTA_GZ bytes from warta, $SIZE_NGINX_GZ bytes from gzip -9 for nginx"
    echo
    printf '%-26s %12s %10s %10s %8s  %s\n' "case" "requests/s" "p99 ms" "bytes/req" "errors" "warta/nginx req/s"
    printf '%-26s %12s %10s %10s %8s  %s\n' "----" "----------" "------" "---------" "------" "-----------------"
    local c ratio base
    for c in "${CASES[@]}"; do
        ratio="-"
        base=${BASELINE[$c]:-}
        if [[ -n $base ]]; then
            ratio=$(awk -v a="${RPS[$c]}" -v b="${RPS[$base]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }')
            ratio="$ratio  (vs $base)"
        fi
        printf '%-26s %12s %10s %10s %8s  %s\n' "$c" "${RPS[$c]}" "${P99[$c]:-?}" "${BYTES[$c]:-?}" "${ERRS[$c]}" "$ratio"
    done
    for c in "${CASES[@]}"; do
        if [[ ${ERRS[$c]} != 0 ]]; then
            echo "note: '$c' had socket errors or non-2xx answers (see raw output below): its numbers are suspect"
        fi
    done
    echo
    echo "memory (VmRSS right after its runs; after ${SETTLE} s quiet; VmHWM peak):"
    echo "  warta cached:        ${WARTA_RSS_CACHED} MB; ${WARTA_SETTLED_CACHED} MB (peak ${WARTA_HWM_CACHED} MB)"
    echo "  warta no page cache: ${WARTA_RSS_NOCACHE} MB; ${WARTA_SETTLED_NOCACHE} MB (peak ${WARTA_HWM_NOCACHE} MB)"
    echo "  nginx (master + workers): ${NGINX_RSS} MB"
}

report | tee "$OUT_FILE"
{ echo; echo "---- raw wrk output ----"; echo; cat "$RAW"; } >>"$OUT_FILE"
cp "$OUT_FILE" "$OUT_DIR/latest.txt"
log "report written to ${OUT_FILE#"$ROOT"/} (and bench/out/latest.txt)"
