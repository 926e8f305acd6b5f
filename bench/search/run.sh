#!/usr/bin/env bash
# Search benchmark over a generated corpus of Indonesian-like articles:
#   1. generates the corpus (bench/search/gen_corpus.py; COUNT articles, default 100,000),
#   2. imports it into a fresh data dir with `warta import` (in files of 10,000 articles),
#   3. rebuilds the index with `warta reindex` (indexing throughput),
#   4. times the 1,000 queries of bench/search/queries.txt and related-article lookups
#      (examples/query_latency.rs in warta-search).
# Prints the figures and keeps them in bench/out/. Builds release binaries first.
#
#   bash bench/search/run.sh            COUNT=20000 bash bench/search/run.sh
set -euo pipefail

COUNT=${COUNT:-100000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT="$ROOT/bench/out/search-$(date +%Y%m%d-%H%M%S).txt"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$ROOT/bench/out"
log() { echo "[search-bench] $*" | tee -a "$OUT" >&2; }

cd "$ROOT"
cargo build --release -p warta --quiet
cargo build --release -p warta-search --example query_latency --quiet
WARTA="$ROOT/target/release/warta"

log "machine: $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
log "generating $COUNT articles"
python3 "$HERE/gen_corpus.py" --count "$COUNT" --seed 7 --out "$WORK/corpus.json" >&2
# Split into files of 10,000 articles: one transaction per file, bounded memory.
python3 - "$WORK/corpus.json" "$WORK" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))["items"]
for n in range(0, len(items), 10000):
    with open(f"{sys.argv[2]}/part-{n // 10000:03d}.json", "w") as f:
        json.dump({"items": items[n:n + 10000], "next": None}, f)
PY
rm "$WORK/corpus.json"

DATA="$WORK/data"
mkdir -p "$DATA"
started=$(date +%s.%N)
"$WARTA" --data-dir "$DATA" import "$WORK"/part-*.json >&2
ended=$(date +%s.%N)
log "import: $COUNT articles in $(echo "$ended - $started" | bc) s"

"$WARTA" --data-dir "$DATA" reindex 2>&1 | tr '\r' '\n' | tail -n 1 | tee -a "$OUT" >&2
log "index size: $(du -sh "$DATA/search" | cut -f1)"
"$ROOT/target/release/examples/query_latency" "$DATA/search" "$HERE/queries.txt" | tee -a "$OUT"
log "figures kept in ${OUT#"$ROOT"/}"
