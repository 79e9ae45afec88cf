#!/usr/bin/env python3
"""Word vectors of roots for the re-ranking prototype of analyze.py.

Trains fastText skipgram vectors (Debian's `fasttext`) on the roots of the
clickid articles as Cari cleans them (title and each body paragraph a line)
and of the facqa passages, with the shared Analyzer's cuts and stems
(tokens.cpp), and writes them as a .vec file. No question text is read:
the vectors see only documents, as an index would.

    benchmarks/ranking/vectors.py --out /tmp/roots.vec      # about 6 minutes on 2 cores
    python3 benchmarks/ranking/analyze.py --vectors /tmp/roots.vec

Usage: vectors.py --out FILE.vec [--bin DIR] [--shared DIR] [--dim 100] [--epoch 5]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from analyze import build_tokens_tool  # noqa: E402
from eval import read_lines  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True, help="the .vec file to write")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--shared", default=os.environ.get("CARI_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epoch", type=int, default=5)
    a = ap.parse_args()
    if not shutil.which("fasttext"):
        sys.exit("vectors.py needs fastText: apt-get install fasttext")
    clickid = os.path.join(a.shared, "corpus", "clickid", "clickid_articles.jsonl")
    facqa = os.path.join(a.shared, "retrieval", "facqa", "corpus.jsonl")
    for path in (clickid, facqa):
        if not os.path.exists(path):
            sys.exit(f"{path}: not found (set --shared or CARI_SHARED)")
    work = tempfile.mkdtemp(prefix="cari-vectors-")
    try:
        tool = build_tokens_tool(a.bin, work)
        cleaned = subprocess.run([os.path.join(a.bin, "cari-index"), "clean", "--format", "jsonl", "--json", clickid],
                                 capture_output=True, text=True, check=True).stdout
        rows = []
        for line in cleaned.split("\n"):
            if line.strip():
                d = json.loads(line)
                for para in [d.get("title", "")] + d.get("body", "").split("\n"):
                    if para.strip():
                        rows.append((f"c{len(rows)}", para))
        for line in read_lines(facqa):
            d = json.loads(line)
            rows.append((d["id"], d["text"]))
        # (each paragraph's roots, from the tool's "norm|stem|stop|pos" pieces;
        # a piece cut apart by a space inside a word's form is skipped)
        out = subprocess.run([tool], input="".join(f"{i}\t{' '.join(t.split())}\n" for i, t in rows),
                             capture_output=True, text=True, check=True).stdout
        text = os.path.join(work, "roots.txt")
        words = 0
        with open(text, "w", encoding="utf-8") as f:
            for line in out.split("\n"):
                if "\t" not in line:
                    continue
                pieces = [x.rsplit("|", 3) for x in line.split("\t", 1)[1].split(" ")]
                roots = [x[1] for x in pieces if len(x) == 4]
                words += len(roots)
                f.write(" ".join(roots) + "\n")
        print(f"{len(rows)} paragraphs, {words} roots", file=sys.stderr)
        prefix = os.path.join(work, "vectors")
        subprocess.run(["fasttext", "skipgram", "-input", text, "-output", prefix, "-dim", str(a.dim),
                        "-epoch", str(a.epoch), "-minCount", "2", "-thread", str(os.cpu_count() or 1),
                        "-verbose", "1"], check=True)
        shutil.move(prefix + ".vec", a.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
