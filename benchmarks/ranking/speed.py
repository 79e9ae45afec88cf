#!/usr/bin/env python3
"""Query time of cari-search on a clickid index: p50/p99 of `took_ms`
(parsing, search, collapse, snippets and spelling suggestion for the top 10).

Mixed queries are drawn (fixed seed) from clickid titles: single words,
2-4 word bags, "phrases", A NEAR/5 B, questions, prefix*, words with a typo,
date-sorted. Usage:
    speed.py --db DIR [--bin DIR] [--shared DIR] [--queries N] [--build]
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def titles(path, limit=5000):
    out = []
    with open(path, encoding="utf-8", newline="\n") as f:
        for line in f.read().split("\n"):
            if not line.strip():
                continue
            t = json.loads(line).get("title") or ""
            words = [w for w in re.findall(r"[A-Za-z]+", t) if len(w) > 3]
            if len(words) >= 3:
                out.append(words)
            if len(out) >= limit:
                break
    return out


def typo(w, rnd):
    i = rnd.randrange(1, len(w) - 1)
    return w[:i] + w[i + 1:]


def make_queries(ts, n, seed=7):
    rnd = random.Random(seed)
    qs = []
    kinds = ["word", "bag", "bag", "phrase", "near", "question", "prefix", "typo"]
    for i in range(n):
        ws = rnd.choice(ts)
        k = kinds[i % len(kinds)]
        if k == "word":
            qs.append(rnd.choice(ws))
        elif k == "bag":
            qs.append(" ".join(rnd.sample(ws, min(len(ws), rnd.randint(2, 4)))))
        elif k == "phrase":
            j = rnd.randrange(0, len(ws) - 1)
            qs.append('"%s %s"' % (ws[j], ws[j + 1]))
        elif k == "near":
            qs.append("%s NEAR/5 %s" % (ws[0], ws[-1]))
        elif k == "question":
            qs.append("Siapa %s yang %s?" % (" ".join(ws[:2]), " ".join(ws[2:4])))
        elif k == "prefix":
            qs.append(rnd.choice(ws)[:4] + "*")
        else:
            qs.append(" ".join([typo(max(ws, key=len), rnd)] + ws[:1]))
    return qs


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--shared", default=os.environ.get("CARI_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--build", action="store_true", help="build the index at --db first")
    ap.add_argument("--extra", default="", help="extra cari-search options, e.g. '--no-collapse'")
    a = ap.parse_args()
    src = os.path.join(a.shared, "corpus", "clickid", "clickid_articles.jsonl")
    if a.build:
        subprocess.run([os.path.join(a.bin, "cari-index"), "build", "--quiet", "--db", a.db, src], check=True)
    qs = make_queries(titles(src), a.queries)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(qs) + "\n")
        qfile = f.name
    try:
        # Twice: the first pass warms the page cache; the second is measured.
        for _ in range(2):
            out = subprocess.run([os.path.join(a.bin, "cari-search"), "--db", a.db, "--batch", qfile, "--json",
                                  "--limit", "10"] + a.extra.split(), capture_output=True, text=True)
    finally:
        os.unlink(qfile)
    if out.returncode not in (0, 1):
        sys.exit("cari-search failed: " + out.stderr)
    rs = [json.loads(l) for l in out.stdout.split("\n") if l.strip()]
    took = [r["took_ms"] for r in rs]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{len(rs)} queries: took_ms p50 {pct(took, 50):.2f} p90 {pct(took, 90):.2f} "
          f"p99 {pct(took, 99):.2f} max {max(took):.2f}; "
          f"with a suggestion {sum(1 for r in rs if r.get('suggestion'))}")
    slow = sorted(zip(took, (r["query"] for r in rs)), reverse=True)[:5]
    for t, q in slow:
        print(f"  {t:8.2f} ms  {q}")


if __name__ == "__main__":
    main()
