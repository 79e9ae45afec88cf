#!/usr/bin/env bash
# run_fuzzer.sh FUZZER SEEDS WORK SECONDS [extra libFuzzer flags...]
# Runs FUZZER for SECONDS from a fresh copy of the SEEDS folder in WORK (the
# seeds stay as written); crash, leak and timeout inputs are written to WORK.
# Exit status: libFuzzer's (0: nothing found).
set -euo pipefail
fuzzer=$(readlink -f "$1") seeds=$(readlink -f "$2") work=$(readlink -m "$3") seconds=$4
shift 4
rm -rf "$work"
mkdir -p "$work/corpus"
cp "$seeds"/* "$work/corpus/"
cd "$work"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/" "$@" "$work/corpus"
