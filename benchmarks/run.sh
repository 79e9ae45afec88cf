#!/usr/bin/env bash
# Cari's benchmarks in one command: indexing side by side with Xapian's own
# scriptindex, growth at 1x/4x/10x, 1,000 queries against stock Xapian, stage
# timings and the Google Benchmark microbenchmarks; writes benchmarks/RESULTS.md.
# Build first (make build). Environment: CARI_BIN (default build/bin),
# CARI_SHARED (default ../shared), BENCH_SCALES (default 1,4,10),
# BENCH_REPEAT (default 2), BENCH_WORK, BENCH_OUT (see benchmarks/run.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARI_BIN="${CARI_BIN:-build/bin}"
export CARI_SHARED="${CARI_SHARED:-../shared}"
exec python3 benchmarks/run.py "$@"
