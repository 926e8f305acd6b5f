# Helpers shared by the bench scripts (sourced, not run): messages, free ports, waiting for a
# server to answer.

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }

# A free port on 127.0.0.1: nothing answers a connect there. Picked below 32768 so it is
# outside Linux's ephemeral range (wrk's own client ports), and never 8080/8099 which
# other local services use. Ports handed out earlier in this run are skipped as well.
# Sets PORT (not echoed: a $(...) subshell would forget USED_PORTS).
USED_PORTS=" 8080 8099 "
PORT=""
free_port() {
    local p
    for _ in $(seq 200); do
        p=$((20000 + RANDOM % 12000))
        [[ $USED_PORTS == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            USED_PORTS+="$p "
            PORT=$p
            return 0
        fi
    done
    die "no free port found"
}

# Wait until URL answers 2xx, failing early if the server process died.
wait_for() {
    local url=$1 pid=$2 logfile=$3
    for _ in $(seq 300); do
        curl -sf -o /dev/null "$url" && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            cat "$logfile" >&2 || true
            die "server for $url exited before answering"
        fi
        sleep 0.1
    done
    cat "$logfile" >&2 || true
    die "$url did not answer within 30s"
}

# Wait until process PID has been idle (under 5% of a core) for a second: a server on a copied
# archive builds its search index at start, which would load the cores under the first page
# measured. Gives up after 180 s and says so.
wait_idle() {
    local pid=$1 before after
    for _ in $(seq 180); do
        read -ra before < "/proc/$pid/stat"
        sleep 1
        read -ra after < "/proc/$pid/stat"
        # utime + stime in clock ticks (100 per second): under 5 ticks is under 5%.
        if (( after[13] + after[14] - before[13] - before[14] < 5 )); then
            return 0
        fi
    done
    log "pid $pid still busy after 180 s; measuring anyway"
}
