#!/usr/bin/env python3
"""1,000 benchmark queries from a JSON Lines corpus's vocabulary, deterministic.

A quarter each: one word, two words (from the same article), a two-word
phrase (adjacent in an article), and a NEAR/5 pair (within five words in an
article). Words are lower-case letters only, at least 4 long, in 10 to 5% of
the articles (no stop words, no hapaxes). The same seed and corpus give the
same file. Usage: make_queries.py CORPUS.jsonl OUT.txt [N]
"""
import json
import random
import re
import sys

WORD = re.compile(r"[a-z]+")


def main() -> int:
    src, dst = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    docs = []
    with open(src, "rb") as f:
        for raw in f.read().split(b"\n"):
            if not raw.strip():
                continue
            try:
                o = json.loads(raw)
            except ValueError:
                continue
            text = (str(o.get("title", "")) + " . " + str(o.get("text", ""))).lower()
            docs.append(WORD.findall(text))
    df = {}
    for words in docs:
        for w in set(words):
            df[w] = df.get(w, 0) + 1
    hi = max(10, len(docs) // 20)
    ok = {w for w, c in df.items() if len(w) >= 4 and 10 <= c <= hi}
    vocab = sorted(ok)
    rnd = random.Random(20261124)
    out = []

    def pick_doc():
        while True:
            words = docs[rnd.randrange(len(docs))]
            if len(words) > 30:
                return words

    kinds = ["one", "two", "phrase", "near"]
    for i in range(n):
        kind = kinds[i % 4]
        if kind == "one":
            out.append(rnd.choice(vocab))
            continue
        for _ in range(1000):
            words = pick_doc()
            a = rnd.randrange(len(words) - 6)
            if kind == "two":
                b = rnd.randrange(len(words))
            elif kind == "phrase":
                b = a + 1
            else:
                b = a + rnd.randint(2, 5)
            wa, wb = words[a], words[b]
            if wa in ok and wb in ok and wa != wb:
                break
        if kind == "two":
            out.append(f"{wa} {wb}")
        elif kind == "phrase":
            out.append(f'"{wa} {wb}"')
        else:
            out.append(f"{wa} NEAR/5 {wb}")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"{len(out)} queries from {len(docs)} articles, vocabulary {len(vocab)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
