#!/usr/bin/env bash
# Ranking regression on facqa (MRR@10, Recall@10 on train and valid, stock
# Xapian beside it) -> benchmarks/ranking/RESULTS.md.
#   benchmarks/ranking/run.sh                 # uses build/bin
#   BIN=build-rank/bin benchmarks/ranking/run.sh
#   benchmarks/ranking/run.sh --speed         # also query time on a clickid index
#   benchmarks/ranking/run.sh --dups          # also SimHash distances of near-duplicates on clickid
# Every run appends the error analysis of analyze.py (what ranks above the
# relevant passage and why, collapse as a user gets it, the lexical ceiling,
# re-ranking features fitted on train); `analyze.py --fit` adds a coordinate
# ascent over all features.
# Ranking parameters are the built-in ones (common/search.h); $CARI_RANKING
# overrides them for experiments, `eval.py --tune` sweeps them on train.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${BIN:-$root/build/bin}"
shared="${CARI_SHARED:-$root/../shared}"
[ -x "$bin/cari-search" ] || { echo "no $bin/cari-search: build first (make build)" >&2; exit 2; }
python3 "$here/eval.py" --bin "$bin" --shared "$shared" --baseline --results "$here/RESULTS.md"
results="$here/RESULTS.md"
{
  echo
  echo "## Error analysis"
  echo
  echo "\`benchmarks/ranking/analyze.py\`: for each question whose relevant passage is not first, what ranks above it;"
  echo "collapse as a user gets it; how much of the query the relevant passages hold; re-ranking features fitted on train."
  echo
  python3 "$here/analyze.py" --bin "$bin" --shared "$shared"
} >> "$results"
for arg in "$@"; do
  case "$arg" in
    --speed)
      db="$(mktemp -d)/clickid"
      {
        echo
        echo "## Query time on clickid"
        echo
        echo "\`benchmarks/ranking/speed.py\`: 400 mixed queries (words, bags, phrases, NEAR/5, questions, prefixes, typos),"
        echo "top 10 with snippets, near-duplicate collapse and spelling suggestions; second of two passes."
        echo
        echo '```'
        python3 "$here/speed.py" --build --db "$db" --bin "$bin" --shared "$shared"
        echo '```'
      } >> "$results"
      rm -rf "$(dirname "$db")" ;;
    --dups)
      lib="$(dirname "$bin")/libcari_common.a"
      out="$(mktemp -d)"
      c++ -O2 -std=c++20 -I"$root/common" "$here/dup_distances.cpp" "$lib" \
        $(pkg-config --cflags --libs xapian-core icu-uc icu-i18n libxml-2.0) -lpthread -o "$out/dup_distances"
      {
        echo
        echo "## SimHash distances of near-duplicates on clickid"
        echo
        echo "\`dup_distances.cpp\`: article pairs by Jaccard similarity of their 3-root shingles, and random pairs;"
        echo "share of pairs within t bits (the search threshold is \`SearchOptions::duplicate_bits\`)."
        echo
        echo '```'
        "$out/dup_distances" "$shared/corpus/clickid/clickid_articles.jsonl"
        echo '```'
      } >> "$results"
      rm -rf "$out" ;;
  esac
done
cat "$results"
