#!/usr/bin/env python3
"""JSON Lines (id, source, date, title, text, url, ...) -> scriptindex input.

One record per non-blank JSON line, fields as `name=value`, newlines in a value
escaped as scriptindex wants ("\n=" continues the value), records separated by
a blank line. Lines are split on b"\n" only: the corpus has a U+2028 inside a
JSON string, which str.splitlines() would wrongly split on.

Usage: jsonl_to_scriptindex.py IN.jsonl OUT.txt
"""
import json
import sys

FIELDS = ("id", "source", "date", "url", "title", "text")


def main() -> int:
    src, dst = sys.argv[1], sys.argv[2]
    n = bad = 0
    with open(src, "rb") as fin, open(dst, "w", encoding="utf-8", newline="\n") as fout:
        for raw in fin.read().split(b"\n"):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except ValueError:
                bad += 1
                continue
            for name in FIELDS:
                v = obj.get(name)
                if v is None:
                    continue
                v = str(v).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\n=")
                fout.write(f"{name}={v}\n")
            fout.write("\n")
            n += 1
    print(f"{n} records, {bad} bad lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
