#!/usr/bin/env python3
"""Ranking regression on facqa: MRR@10 and Recall@10 of cari-search.

Builds an index of the facqa passages with cari-index, runs every question of
the chosen splits through `cari-search --batch --json --limit 10 --no-collapse`
and scores the ranking against the qrels (one relevant passage per question).
Optionally scores stock Xapian (scriptindex + quest, Snowball stems, BM25) on
the same data, and sweeps ranking parameters on the train split
(--tune, through $CARI_RANKING; the values kept live in common/search.h).

Usage: eval.py [--bin DIR] [--shared DIR] [--splits train,valid] [--baseline]
               [--results FILE] [--tune]
"""
import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def read_lines(path):
    # JSON Lines and TSV are split on '\n' only (see shared/NOTES.md).
    with open(path, encoding="utf-8", newline="\n") as f:
        return [l.rstrip("\r") for l in f.read().split("\n") if l.strip()]


def load_split(facqa, split):
    queries = []
    for line in read_lines(os.path.join(facqa, f"queries.{split}.tsv")):
        qid, text = line.split("\t", 1)
        queries.append((qid, " ".join(text.split())))
    rel = {}
    for line in read_lines(os.path.join(facqa, f"qrels.{split}.txt")):
        qid, _, doc, grade = line.split()
        if int(grade) > 0:
            rel.setdefault(qid, set()).add(doc)
    return queries, rel


def score(ranked, rel, k=10):
    """ranked: qid -> list of doc ids (best first). Returns (MRR@k, R@k, n)."""
    mrr = rec = 0.0
    n = 0
    for qid, docs in rel.items():
        n += 1
        got = ranked.get(qid, [])[:k]
        for i, d in enumerate(got):
            if d in docs:
                mrr += 1.0 / (i + 1)
                break
        rec += len(docs & set(got)) / len(docs)
    return mrr / n, rec / n, n


def run_cari(bin_dir, db, queries, env=None):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        for _, text in queries:
            f.write(text + "\n")
        qfile = f.name
    try:
        out = subprocess.run(
            [os.path.join(bin_dir, "cari-search"), "--db", db, "--batch", qfile, "--json", "--limit", "10",
             "--no-collapse"],
            capture_output=True, text=True, env=env)
    finally:
        os.unlink(qfile)
    if out.returncode not in (0, 1):
        sys.exit(f"cari-search failed ({out.returncode}): {out.stderr.strip()}")
    lines = [l for l in out.stdout.split("\n") if l.strip()]
    if len(lines) != len(queries):
        sys.exit(f"cari-search answered {len(lines)} of {len(queries)} queries")
    ranked, took = {}, []
    for (qid, _), line in zip(queries, lines):
        r = json.loads(line)
        ranked[qid] = [h["id"] for h in r["hits"]]
        took.append(r["took_ms"])
    return ranked, took


def build_cari(bin_dir, facqa, db):
    subprocess.run([os.path.join(bin_dir, "cari-index"), "build", "--quiet", "--db", db,
                    os.path.join(facqa, "corpus.jsonl")], check=True)


def baseline_xapian(facqa, work, splits):
    """Stock Xapian: scriptindex (Snowball 'indonesian', BM25) and quest with default flags."""
    if not (shutil.which("scriptindex") and shutil.which("quest")):
        return None
    script = os.path.join(work, "script")
    with open(script, "w") as f:
        f.write("id : field=id boolean=Q unique=Q\ntext : index\n")
    dump = os.path.join(work, "records.txt")
    with open(dump, "w", encoding="utf-8") as o:
        for line in read_lines(os.path.join(facqa, "corpus.jsonl")):
            d = json.loads(line)
            o.write("id=%s\ntext=%s\n\n" % (d["id"], " ".join(d["text"].split())))
    db = os.path.join(work, "xapian-db")
    subprocess.run(["scriptindex", "--overwrite", "-s", "indonesian", db, script, dump], check=True,
                   capture_output=True)
    res = {}
    for split in splits:
        queries, rel = load_split(facqa, split)
        ranked = {}
        for qid, text in queries:
            out = subprocess.run(["quest", "-d", db, "-s", "indonesian", "-m", "10", text],
                                 capture_output=True, text=True)
            ranked[qid] = [l[3:] for l in out.stdout.split("\n") if l.startswith("id=")]
        res[split] = score(ranked, rel)
    return res


def percentile(v, p):
    v = sorted(v)
    if not v:
        return 0.0
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def tune(bin_dir, db, facqa):
    """Coordinate sweep on train of the $CARI_RANKING knobs, starting from the built-in values."""
    queries, rel = load_split(facqa, "train")
    grid = {
        "k1": [0.4, 0.6, 0.8, 1.0, 1.2, 1.5],
        "b": [0.5, 0.6, 0.75, 0.9, 1.0],
        "delta": [0, 0.25, 0.5, 1, 2],
        "all": [0, 0.5, 1, 2, 4],
        "exact": [0, 0.25, 0.5, 1, 2],
        "prox": [0, 0.25, 0.5, 1, 2, 4],
        "window": [2, 3, 4, 6, 8, 12],
        "stop": [0, 1],
    }
    best = {}
    def evaluate(params):
        env = dict(os.environ)
        env["CARI_RANKING"] = ",".join(f"{k}={v}" for k, v in params.items())
        ranked, _ = run_cari(bin_dir, db, queries, env)
        return score(ranked, rel)
    base = evaluate(best)
    print(f"built-in: MRR@10 {base[0]:.4f} R@10 {base[1]:.4f}")
    cur = base[0]
    for _round in range(2):
        for knob, values in grid.items():
            for v in values:
                trial = dict(best, **{knob: v})
                m, r, _ = evaluate(trial)
                print(f"  {trial}: MRR@10 {m:.4f} R@10 {r:.4f}")
                if m > cur + 1e-4:
                    cur, best = m, trial
        print(f"round {_round + 1}: best {best} MRR@10 {cur:.4f}")
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--shared", default=os.environ.get("CARI_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--splits", default="train,valid")
    ap.add_argument("--baseline", action="store_true", help="also score stock Xapian (scriptindex + quest)")
    ap.add_argument("--results", help="write a Markdown report here")
    ap.add_argument("--tune", action="store_true", help="sweep ranking knobs on train via $CARI_RANKING")
    a = ap.parse_args()
    facqa = os.path.join(a.shared, "retrieval", "facqa")
    splits = [s for s in a.splits.split(",") if s]
    work = tempfile.mkdtemp(prefix="cari-rank-")
    try:
        db = os.path.join(work, "db")
        build_cari(a.bin, facqa, db)
        if a.tune:
            print("best on train:", tune(a.bin, db, facqa))
            return
        stemmer = subprocess.run([os.path.join(a.bin, "cari-index"), "stats", "--db", db, "--json"],
                                 capture_output=True, text=True)
        try:
            stemmer = json.loads(stemmer.stdout).get("stemmer", "?")
        except ValueError:
            stemmer = "?"
        rows = []
        for split in splits:
            queries, rel = load_split(facqa, split)
            ranked, took = run_cari(a.bin, db, queries)
            m, r, n = score(ranked, rel)
            rows.append((split, n, m, r, percentile(took, 50), percentile(took, 99)))
            print(f"cari {split}: n={n} MRR@10 {m:.4f} R@10 {r:.4f} "
                  f"took_ms p50 {percentile(took, 50):.2f} p99 {percentile(took, 99):.2f}")
        base = baseline_xapian(facqa, work, splits) if a.baseline else None
        if base:
            for split, (m, r, n) in base.items():
                print(f"xapian {split}: n={n} MRR@10 {m:.4f} R@10 {r:.4f}")
        if a.results:
            with open(a.results, "w", encoding="utf-8") as f:
                f.write("# Ranking on facqa\n\n")
                head = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h", "--",
                                       "common/stemmer_indonesian.cpp"], capture_output=True, text=True).stdout.strip()
                f.write(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by "
                        "`benchmarks/ranking/run.sh`; index stemmer: `" + stemmer + "`" +
                        (f" (last stemmer commit {head})" if head else "") + ".\n")
                f.write("One relevant passage per question; 1,369 passages. "
                        "Parameters: the built-in values of `common/search.h` and `common/query.h`.\n\n")
                f.write("| system | split | questions | MRR@10 | Recall@10 |\n|---|---|---|---|---|\n")
                for split, n, m, r, _, _ in rows:
                    f.write(f"| Cari | {split} | {n} | {m:.3f} | {r:.3f} |\n")
                if base:
                    for split, (m, r, n) in base.items():
                        f.write(f"| stock Xapian (scriptindex/quest, Snowball, BM25) | {split} | {n} | {m:.3f} | {r:.3f} |\n")
                f.write("\nQuery time (`took_ms`, parse + search + snippets, top 10, batch mode):\n\n")
                f.write("| split | p50 ms | p99 ms |\n|---|---|---|\n")
                for split, _, _, _, p50, p99 in rows:
                    f.write(f"| {split} | {p50:.2f} | {p99:.2f} |\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
