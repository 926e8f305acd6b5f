#!/usr/bin/env bash
# Newsletter sending throughput: a release build of warta sends one digest to N confirmed
# subscribers (WARTA_BENCH_SUBSCRIBERS, default 2000) through a local SMTP sink that accepts at
# once, and prints messages per second. The sink runs in the test process on the same cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo test --release -p warta --test newsletters -- --ignored --nocapture newsletter_throughput 2>&1 |
  grep -E "^newsletter:|test result"
