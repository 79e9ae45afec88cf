#!/usr/bin/env python3
"""Writes N copies of a JSON Lines corpus, each copy's ids made new.

Copy 0 is the corpus as it is; copy k appends "-rK" to every "id" value, so
the index holds N times the documents, none replacing another.
Usage: replicate.py IN.jsonl OUT.jsonl N
"""
import re
import sys

ID = re.compile(rb'("id"\s*:\s*"[^"]*)"')


def main() -> int:
    src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(src, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    with open(dst, "wb") as out:
        for k in range(n):
            if k == 0:
                out.write(data if data.endswith(b"\n") else data + b"\n")
                continue
            suffix = b"-r%d" % k
            out.write(b"\n".join(ID.sub(lambda m: m.group(1) + suffix + b'"', l, count=1) for l in lines))
            if not data.endswith(b"\n"):
                out.write(b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
