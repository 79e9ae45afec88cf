#!/usr/bin/env bash
# Scores Cari's cleaner on the article-extraction-benchmark (181 pages):
# the HTML pages and the same pages flattened to text lines, beside the
# published extractors' outputs. Writes benchmarks/extraction/RESULTS.md.
#
#   CARI_BIN   folder with cari-index   (default: build/bin)
#   CARI_SHARED  the shared data folder (default: ../shared beside the repo)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${CARI_BIN:-$repo/build/bin}"
shared="${CARI_SHARED:-$repo/../shared}"
bench="$shared/boilerplate/article-extraction-benchmark"
score="$shared/tools/score_extraction.py"
[[ -x "$bin/cari-index" ]] || { echo "run.sh: no $bin/cari-index (set CARI_BIN)" >&2; exit 2; }
[[ -d "$bench" ]] || { echo "run.sh: no benchmark at $bench (set CARI_SHARED)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/html"
for f in "$bench"/html/*.html.gz; do
    gunzip -c "$f" > "$work/html/$(basename "$f" .gz)"
done

# cari-index clean --json prints one article a line; key it by file name.
to_scorer() {
    python3 -c '
import json, os, sys
out = {}
for line in sys.stdin:
    a = json.loads(line)
    name = os.path.basename(a["path"])
    out[name.split(".")[0]] = {"articleBody": a["body"]}
json.dump(out, open(sys.argv[1], "w"), ensure_ascii=False)
' "$1"
}

start=$(date +%s.%N)
"$bin/cari-index" clean --json "$work/html" | to_scorer "$work/cari_html.json"
mid=$(date +%s.%N)
"$bin/cari-index" clean --json --format text "$bench/text" | to_scorer "$work/cari_text.json"
end=$(date +%s.%N)

html_row=$(python3 "$score" "$bench/ground-truth.json" "$work/cari_html.json")
text_row=$(python3 "$score" "$bench/ground-truth.json" "$work/cari_text.json")
peer_rows=$(python3 "$score" "$bench/ground-truth.json" "$bench"/peers/*.json)
[[ -n "${KEEP_OUTPUT:-}" ]] && cp "$work/cari_html.json" "$work/cari_text.json" "$KEEP_OUTPUT/"

python3 - "$here/RESULTS.md" "$html_row" "$text_row" "$peer_rows" \
    "$(python3 -c "print(f'{$mid-$start:.2f}')")" "$(python3 -c "print(f'{$end-$mid:.2f}')")" <<'PY'
import re, sys
path, html_row, text_row, peer_rows, t_html, t_text = sys.argv[1:]
def parse(row):
    name, f1, p, r = re.match(r"(\S+)\tf1 ([\d.]+)\tprecision ([\d.]+)\trecall ([\d.]+)", row).groups()
    return name, float(f1), float(p), float(r)
rows = [("**Cari, HTML** (`clean --json` on `html/*.html`)",) + parse(html_row)[1:],
        ("**Cari, text lines** (`clean --json --format text` on `text/*.txt`)",) + parse(text_row)[1:]]
for line in peer_rows.strip().splitlines():
    name, f1, p, r = parse(line)
    rows.append((name.split("/")[-1].removesuffix(".json"),) + (f1, p, r))
rows.sort(key=lambda x: -x[1])
with open(path, "w") as out:
    out.write("# Main-text extraction: article-extraction-benchmark\n\n")
    out.write("181 pages (`shared/boilerplate/article-extraction-benchmark`), scored with\n")
    out.write("`shared/tools/score_extraction.py` (word 4-gram shingles, macro precision and recall).\n")
    out.write("Cari's rows come from `benchmarks/extraction/run.sh`; the other rows are the published\n")
    out.write("outputs of each extractor (`peers/*.json`), scored the same way. The text rows use only\n")
    out.write("the flattened lines of each page (no markup at all).\n\n")
    out.write("| extractor | F1 | precision | recall |\n|---|---|---|---|\n")
    for name, f1, p, r in rows:
        out.write(f"| {name} | {f1:.3f} | {p:.3f} | {r:.3f} |\n")
    out.write("\nFor the text rows the fair comparison is another extractor that sees only lines:\n")
    out.write("jusText's rules applied to the same lines score about 0.78 F1 (shared/README.md).\n")
    out.write(f"\nCari's run times on this machine: HTML {t_html} s, text {t_text} s (181 pages each,\n")
    out.write("including process start and JSON output).\n")
    out.write("\nRegenerate with `CARI_BIN=<build>/bin benchmarks/extraction/run.sh`.\n")
print(html_row); print(text_row)
PY
