#!/usr/bin/env bash
# Soak test: warta (release) with the demo site under many connections for minutes, against a
# mix of every page type, watching its memory. See bench/README.md.
#
#   bash bench/soak.sh                                   # builds warta --release first; 5 min, 1000 conns
#   SOAK_SECONDS=20 WARTA_BIN=target/release/warta bash bench/soak.sh   # quick check
#
# Settings (environment):
#   SOAK_SECONDS (300)       length of the measured run
#   SOAK_CONNECTIONS (1000)  wrk's open connections
#   SOAK_THREADS (2)         wrk's threads
#   SOAK_WARMUP (10)         seconds of unmeasured load before the start RSS is taken
#   SOAK_SAMPLE (30)         seconds between RSS samples
#   SOAK_TIMEOUT (5)         wrk's per-request timeout in seconds (a timeout counts as an error)
#   SOAK_ACCEPT_ENCODING     Accept-Encoding sent (default "gzip, br", like a browser; empty: none)
#   WARTA_BIN                use this binary and skip `cargo build --release -p warta`
#
# Exit status: non-zero if there was any error (socket errors, answers >= 400), if warta died,
# or if the run could not be set up.
set -euo pipefail

SOAK_SECONDS=${SOAK_SECONDS:-300}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-1000}
SOAK_THREADS=${SOAK_THREADS:-2}
SOAK_WARMUP=${SOAK_WARMUP:-10}
SOAK_SAMPLE=${SOAK_SAMPLE:-30}
SOAK_TIMEOUT=${SOAK_TIMEOUT:-5}
export SOAK_ACCEPT_ENCODING=${SOAK_ACCEPT_ENCODING-gzip, br}
for v in SOAK_SECONDS SOAK_CONNECTIONS SOAK_THREADS SOAK_WARMUP SOAK_SAMPLE SOAK_TIMEOUT; do
    [[ ${!v} =~ ^[0-9]+$ ]] || { echo "[soak] error: $v must be a whole number (seconds or a count), got '${!v}'" >&2; exit 2; }
done
((SOAK_SECONDS > 0 && SOAK_CONNECTIONS > 0 && SOAK_THREADS > 0 && SOAK_SAMPLE > 0 && SOAK_TIMEOUT > 0)) \
    || { echo "[soak] error: SOAK_SECONDS, SOAK_CONNECTIONS, SOAK_THREADS, SOAK_SAMPLE and SOAK_TIMEOUT must be > 0" >&2; exit 2; }

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT_DIR="$BENCH_DIR/out"
STARTED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
OUT_FILE="$OUT_DIR/soak-$(date +%Y%m%d-%H%M%S).txt"

log() { echo "[soak] $*" >&2; }
die() { echo "[soak] error: $*" >&2; exit 1; }

# --- cleanup: everything we start goes on any exit (success, error, Ctrl-C) -----------------
TMP=""
PIDS=()
cleanup() {
    local rc=$?
    set +e
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    [[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------------------------
install_missing() {
    local pkgs=()
    command -v wrk >/dev/null || pkgs+=(wrk)
    command -v curl >/dev/null || pkgs+=(curl)
    ((${#pkgs[@]})) || return 0
    [[ $(id -u) == 0 ]] || die "missing ${pkgs[*]}: install them or run as root"
    command -v apt-get >/dev/null || die "missing ${pkgs[*]} and no apt-get to install them"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache show "${pkgs[@]}" >/dev/null 2>&1; then
        log "apt-get update"
        apt-get update -qq
    fi
    log "apt-get install ${pkgs[*]}"
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
}
install_missing

# 1000 connections are 1000 descriptors in wrk and 1000 in warta (which inherits this limit),
# beyond the usual soft limit of 1024. Raise it (to the hard limit if 65535 is not allowed).
ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)
[[ $NOFILE == unlimited ]] || ((NOFILE >= SOAK_CONNECTIONS + 256)) \
    || die "open files limit is $NOFILE, too low for $SOAK_CONNECTIONS connections (raise the hard limit: ulimit -Hn)"

# --- warta binary --------------------------------------------------------------------------
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

# A free port on 127.0.0.1 (nothing answers a connect there), below Linux's ephemeral range
# (wrk's own client ports), never 8080/8099 which other local services use.
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

# --- warta with the demo site, on a fresh temp data dir ---------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/warta-soak.XXXXXX")
mkdir -p "$OUT_DIR"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
(
    # Only our settings: a stray WARTA_* (e.g. WARTA_NO_PAGE_CACHE) or DATABASE_URL must not
    # change what is measured.
    for v in "${!WARTA_@}"; do unset "$v"; done
    unset DATABASE_URL
    export RUST_LOG=warn WARTA_BASE_URL="$BASE"
    exec "$WARTA" --data-dir "$TMP/data" serve --demo --addr "127.0.0.1:$PORT" --grace-seconds 2
) >"$TMP/warta.log" 2>&1 &
WARTA_PID=$!
PIDS+=("$WARTA_PID")
for i in $(seq 300); do
    curl -sf -o /dev/null "$BASE/api/v1/articles?limit=1" && break
    kill -0 "$WARTA_PID" 2>/dev/null || { cat "$TMP/warta.log" >&2; die "warta exited before answering"; }
    ((i == 300)) && { cat "$TMP/warta.log" >&2; die "warta did not answer within 30s"; }
    sleep 0.1
done
log "warta up on $BASE (pid $WARTA_PID)"

# --- the mix of paths ------------------------------------------------------------------------
# Found on the running site, so the mix follows the demo data: every article (twice: they are
# most of a news site's traffic), every section, tags and authors, the home page and the API.
API_ALL="$BASE/api/v1/articles?limit=100"
curl -sf "$API_ALL" >"$TMP/articles.json" || die "GET $API_ALL failed"
# Each item's own "url" is the first /read/ url in it (related articles come inside body_html
# as href=\"...\", with escaped quotes, so they do not match).
grep -o '"url":"/read/[^"]*"' "$TMP/articles.json" | cut -d'"' -f4 | awk '!seen[$0]++' >"$TMP/articles.txt"
grep -o '"url":"/penulis/[^"]*"' "$TMP/articles.json" | cut -d'"' -f4 | awk '!seen[$0]++' >"$TMP/authors.txt"
curl -sf "$BASE/" | grep -o 'href="/kanal/[^"]*"' | cut -d'"' -f2 | awk '!seen[$0]++' >"$TMP/sections.txt"
: >"$TMP/tags.txt"
while read -r a; do
    curl -sf "$BASE$a" | grep -o 'href="/tag/[^"]*"' | cut -d'"' -f2 >>"$TMP/tags.txt" || true
done < <(head -n 12 "$TMP/articles.txt")
awk '!seen[$0]++' "$TMP/tags.txt" >"$TMP/tags.u" && mv "$TMP/tags.u" "$TMP/tags.txt"
N_ART=$(wc -l <"$TMP/articles.txt")
N_SEC=$(wc -l <"$TMP/sections.txt")
((N_ART >= 5)) || die "found only $N_ART article urls in $API_ALL"
((N_SEC >= 1)) || die "found no /kanal/ links on the home page"

PATHS="$TMP/paths.txt"
{
    for _ in 1 2 3 4; do echo /; done
    for _ in 1 2; do echo /api/v1/articles; done
    echo '/api/v1/articles?limit=100'
    cat "$TMP/sections.txt"
    head -n 10 "$TMP/tags.txt"
    head -n 6 "$TMP/authors.txt"
    cat "$TMP/articles.txt" "$TMP/articles.txt"
} >"$PATHS"
N_PATHS=$(wc -l <"$PATHS")
MIX="$N_PATHS paths per cycle: home x4, API list x3, $N_SEC sections, $(head -n 10 "$TMP/tags.txt" | wc -l) tags, $(head -n 6 "$TMP/authors.txt" | wc -l) authors, $N_ART articles x2"
log "mix: $MIX"
# Every path must answer 200 before the run, so an error in the run is the load's fault.
while read -r p; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$p")
    [[ $code == 200 ]] || die "$BASE$p answered $code before the run"
done < <(awk '!seen[$0]++' "$PATHS")
export SOAK_PATHS_FILE=$PATHS

# --- memory sampling ------------------------------------------------------------------------
kb_of() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
SAMPLES="$TMP/samples.txt"
sample() { # label
    local rss hwm fds threads
    rss=$(kb_of "$WARTA_PID" VmRSS)
    hwm=$(kb_of "$WARTA_PID" VmHWM)
    threads=$(awk '$1 == "Threads:" { print $2 }' "/proc/$WARTA_PID/status" 2>/dev/null || echo '?')
    fds=$(find "/proc/$WARTA_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    printf '%-8s %10s %10s %8s %8s\n' "$1" "$(awk -v k="${rss:-0}" 'BEGIN { printf "%.1f", k / 1024 }')" \
        "$(awk -v k="${hwm:-0}" 'BEGIN { printf "%.1f", k / 1024 }')" "$fds" "$threads" >>"$SAMPLES"
    echo "${rss:-0}"
}

# --- the run --------------------------------------------------------------------------------
WRK_ARGS=(-t "$SOAK_THREADS" -c "$SOAK_CONNECTIONS" --timeout "${SOAK_TIMEOUT}s" -s "$BENCH_DIR/soak.lua")
if ((SOAK_WARMUP > 0)); then
    log "warm-up ${SOAK_WARMUP}s at $SOAK_CONNECTIONS connections (not measured)"
    wrk "${WRK_ARGS[@]}" -d "${SOAK_WARMUP}s" "$BASE" >"$TMP/wrk-warmup.txt" 2>&1 || true
    sleep 1   # let the warm-up's connections close
fi
kill -0 "$WARTA_PID" 2>/dev/null || { cat "$TMP/warta.log" >&2; die "warta died during the warm-up"; }

printf '%-8s %10s %10s %8s %8s\n' "t" "VmRSS MB" "VmHWM MB" "fds" "threads" >"$SAMPLES"
RSS_START=$(sample "start")
log "soak ${SOAK_SECONDS}s at $SOAK_CONNECTIONS connections, $SOAK_THREADS threads; RSS sampled every ${SOAK_SAMPLE}s"
wrk "${WRK_ARGS[@]}" -d "${SOAK_SECONDS}s" "$BASE" >"$TMP/wrk.txt" 2>&1 &
WRK_PID=$!
PIDS+=("$WRK_PID")
T0=$SECONDS
next=$SOAK_SAMPLE
WARTA_DIED=""
LAST_DONE=""
while kill -0 "$WRK_PID" 2>/dev/null; do
    sleep 1
    if ! kill -0 "$WARTA_PID" 2>/dev/null; then WARTA_DIED=1; break; fi
    el=$((SECONDS - T0))
    if ((el >= next && el < SOAK_SECONDS)); then
        sample "${next}s" >/dev/null
        log "t=${next}s  $(tail -n1 "$SAMPLES")"
        next=$((next + SOAK_SAMPLE))
    elif [[ -z $LAST_DONE ]] && ((el >= SOAK_SECONDS - 2 && el < SOAK_SECONDS)); then
        # One more just before wrk stops, with all connections still open.
        sample "${el}s" >/dev/null
        LAST_DONE=1
    fi
done
WRK_RC=0
wait "$WRK_PID" || WRK_RC=$?
PIDS=("$WARTA_PID")
ELAPSED=$((SECONDS - T0))
if [[ -z $WARTA_DIED ]] && kill -0 "$WARTA_PID" 2>/dev/null; then
    RSS_END=$(sample "end")
    sleep 5   # idle: what is kept once the connections are gone
    RSS_IDLE=$(sample "end+5s")
else
    WARTA_DIED=1
    RSS_END=""
    RSS_IDLE=""
fi

# --- report ---------------------------------------------------------------------------------
val() { awk -v k="$1" '$1 == "SOAK" && $2 == k { print $3 }' "$TMP/wrk.txt"; }
REQS=$(val requests)
[[ -n $REQS ]] || { cat "$TMP/wrk.txt" >&2; die "wrk did not finish its report (exit $WRK_RC)"; }
SOCKET_ERRS=$(($(val err_connect) + $(val err_read) + $(val err_write) + $(val err_timeout)))
BAD_STATUS=$(($(val status_4xx) + $(val status_5xx) + $(val status_other)))
# wrk counts answers >= 400 itself too (errors.status); take the larger of the two counts.
WRK_BAD=$(val err_status)
((WRK_BAD > BAD_STATUS)) && BAD_STATUS=$WRK_BAD
ERRORS=$((SOCKET_ERRS + BAD_STATUS))
mb() { awk -v k="${1:-0}" 'BEGIN { printf "%.1f", k / 1024 }'; }

report() {
    local kind=release
    [[ -n ${WARTA_BIN:-} ]] && kind="WARTA_BIN"
    echo "Warta soak test, started $STARTED"
    echo "commit:   $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty tree)')"
    echo "warta:    $WARTA ($kind), page cache on, demo data, RUST_LOG=warn"
    echo "wrk:      $(wrk -v 2>&1 | head -n1 | awk '{ print $2 }'), $SOAK_THREADS threads, $SOAK_CONNECTIONS connections, ${SOAK_SECONDS}s after ${SOAK_WARMUP}s warm-up, timeout ${SOAK_TIMEOUT}s, Accept-Encoding '${SOAK_ACCEPT_ENCODING}'"
    echo "machine:  $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); wrk and warta share them; open files limit $NOFILE"
    echo "mix:      $MIX"
    echo
    echo "requests:     $REQS in $(val duration_s)s = $(val rps) requests/s, $(awk -v b="$(val bytes)" -v n="$REQS" 'BEGIN { if (n > 0) printf "%.0f", b / n }') bytes/response"
    echo "latency:      p50 $(val p50_ms) ms, p90 $(val p90_ms) ms, p99 $(val p99_ms) ms, p99.9 $(val p99.9_ms) ms, max $(val lat_max_ms) ms"
    echo "statuses:     2xx $(val status_2xx), 3xx $(val status_3xx), 4xx $(val status_4xx), 5xx $(val status_5xx), other $(val status_other) (wrk: $(val err_status) answers >= 400)"
    echo "socket errs:  connect $(val err_connect), read $(val err_read), write $(val err_write), timeout $(val err_timeout)"
    echo "errors:       $ERRORS"
    if [[ -n $WARTA_DIED ]]; then
        echo "warta:        DIED during the run"
    else
        echo "RSS:          start $(mb "$RSS_START") MB, end $(mb "$RSS_END") MB ($(awk -v a="$RSS_START" -v b="$RSS_END" 'BEGIN { printf "%+.1f", (b - a) / 1024 }') MB), 5 s idle after $(mb "$RSS_IDLE") MB"
    fi
    echo
    echo "warta over time (start = after warm-up):"
    cat "$SAMPLES"
}
report | tee "$OUT_FILE"
{ echo; echo "---- raw wrk output ----"; cat "$TMP/wrk.txt"; echo; echo "---- warta log ----"; cat "$TMP/warta.log"; } >>"$OUT_FILE"
cp "$OUT_FILE" "$OUT_DIR/soak-latest.txt"
log "report written to ${OUT_FILE#"$ROOT"/} (and bench/out/soak-latest.txt)"

[[ -z $WARTA_DIED ]] || { tail -n 50 "$TMP/warta.log" >&2; die "warta died during the soak"; }
((WRK_RC == 0)) || die "wrk exited with status $WRK_RC"
((ERRORS == 0)) || die "$ERRORS errors during the soak"
log "no errors"
