#!/usr/bin/env python3
"""Compares cari-search --batch --json outputs of the same queries over several
index layouts against the first (the reference): top-10 ids and order, scores,
snippets, estimated totals; and reports took_ms percentiles of each.

Usage: compare.py NAME=REF.jsonl NAME=OTHER.jsonl... > table (Markdown)
"""
import json
import sys


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line.strip():
                rows.append(json.loads(line))
    return rows


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def main():
    runs = []
    for arg in sys.argv[1:]:
        name, path = arg.split("=", 1)
        runs.append((name, load(path)))
    ref_name, ref = runs[0]
    out = []
    out.append("| layout | queries | same top-10 ids and order | same scores (1e-12 relative) | same snippets | "
               "same total | p50 ms | p90 ms | p99 ms | mean ms |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    first_diffs = []
    for name, rows in runs:
        n = len(rows)
        same_ids = same_scores = same_snip = same_total = 0
        for a, b in zip(ref, rows):
            if a["query"] != b["query"]:
                raise SystemExit(f"{name}: query order differs at {a['query']!r} / {b['query']!r}")
            ia = [h["id"] for h in a["hits"]]
            ib = [h["id"] for h in b["hits"]]
            if ia == ib:
                same_ids += 1
            elif len(first_diffs) < 5:
                first_diffs.append(f"{name}: {a['query']!r}: {ia} vs {ib}")
            sa = [h["score"] for h in a["hits"]]
            sb = [h["score"] for h in b["hits"]]
            if len(sa) == len(sb) and all(abs(x - y) <= 1e-12 * max(abs(x), 1.0) for x, y in zip(sa, sb)):
                same_scores += 1
            if [h["snippet"] for h in a["hits"]] == [h["snippet"] for h in b["hits"]]:
                same_snip += 1
            if a["total"] == b["total"]:
                same_total += 1
        t = [r["took_ms"] for r in rows]
        out.append(f"| {name} | {n} | {same_ids} | {same_scores} | {same_snip} | {same_total} | "
                   f"{pct(t, 50):.2f} | {pct(t, 90):.2f} | {pct(t, 99):.2f} | {sum(t) / max(n, 1):.2f} |")
        if n != len(ref):
            out.append(f"| {name}: {n} answers for {len(ref)} queries | | | | | | | | | |")
    print("\n".join(out))
    if first_diffs:
        print("\nFirst differences in top-10:\n")
        for d in first_diffs:
            print("- " + d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
