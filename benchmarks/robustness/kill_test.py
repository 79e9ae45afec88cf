#!/usr/bin/env python3
"""Batch re-indexing under SIGKILL and searches during an update, on the whole
clickid corpus (21,940 articles, 44.5 MB). Writes RESULTS.md beside itself.

  python3 benchmarks/robustness/kill_test.py [--bin build/bin] [--shared ../shared] [--kills 20]

Kill trials (--kills, half of each kind):
  add:     the index holds the first half of the corpus; `cari-index update` of the
           whole corpus is SIGKILLed at a random moment of its run;
  replace: the index holds all articles; an update that changes every title
           (every document replaced) is SIGKILLed at a random moment.
After each kill: the index must open, hold every document id it held before the
killed run (all ids compared, not a sample), and answer a search; then an update
left alone must complete to exactly the ids of an uninterrupted build.

Searches during an update: `cari-search` in a loop (one process per query, as a
user or a web front end would run it) while an update replaces all 21,940
documents with the default batch size; every search must exit 0 with hits.
"""
import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def ids_of(db):
    """Every document id (Q term) of the index; raises when it does not open."""
    p = subprocess.run(["xapian-delve", "-1", "-A", "Q", db], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("index does not open: " + p.stderr.strip())
    return set(line for line in p.stdout.split("\n") if line.startswith("Q"))


def doc_count(db):
    p = subprocess.run(["xapian-delve", db], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("index does not open: " + p.stderr.strip())
    for line in p.stdout.split("\n"):
        if line.startswith("number of documents"):
            return int(line.split("=")[1])
    raise RuntimeError("no document count in: " + p.stdout)


def modified_skips(stderr):
    """Lines skipped with DatabaseModifiedError: from the summary's reasons when
    the run ended ("skipped 207 (207 DatabaseModifiedError)"), else the lines shown."""
    m = re.search(r"[(, ](\d+) DatabaseModifiedError", stderr)
    return int(m.group(1)) if m else stderr.count("DatabaseModifiedError")


def revised_count(db):
    """Documents whose title carries the revision mark (title term 'Srevisi')."""
    p = subprocess.run(["xapian-delve", "-1", "-t", "Srevisi", db], capture_output=True, text=True)
    if p.returncode != 0:
        return 0
    return sum(1 for line in p.stdout.split("\n")[1:] if line.strip().isdigit())


def revised(src, dst):
    """The same articles, every title changed (split on '\\n' only: the corpus
    has a U+2028 inside one string)."""
    with open(src, "rb") as f, open(dst, "wb") as g:
        for line in f.read().split(b"\n"):
            if not line:
                continue
            line = line.replace(b'"title": "', b'"title": "(Revisi) ', 1)
            g.write(line + b"\n")


def run_index(bin_dir, args):
    t0 = time.monotonic()
    p = subprocess.run([os.path.join(bin_dir, "cari-index")] + args, capture_output=True, text=True)
    return p.returncode, time.monotonic() - t0, p.stderr


def search_ok(bin_dir, db, query="jakarta"):
    p = subprocess.run([os.path.join(bin_dir, "cari-search"), "--json", "--limit", "5", "--db", db, query],
                       capture_output=True, text=True)
    return p.returncode == 0 and p.stdout.startswith("{"), p


def killed_update(bin_dir, db, feed, delay, batch):
    """Starts an update, SIGKILLs it after delay seconds; returns (killed, seconds)."""
    log = open(db + ".log", "w+")
    proc = subprocess.Popen([os.path.join(bin_dir, "cari-index"), "update", "--batch", str(batch),
                             "--db", db, feed], stdout=subprocess.DEVNULL, stderr=log)
    t0 = time.monotonic()
    try:
        proc.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = proc.returncode == -signal.SIGKILL
    took = time.monotonic() - t0
    log.seek(0)
    err = log.read()
    log.close()
    return killed, took, err


def kill_trials(a, work, feed, orig, rev, bin_dir):
    half = os.path.join(work, "half.jsonl")
    shutil.copyfile(orig, feed)
    with open(feed, "rb") as f:
        lines = [l for l in f.read().split(b"\n") if l]
    with open(half, "wb") as g:
        g.write(b"\n".join(lines[: len(lines) // 2]) + b"\n")

    print("reference build of the whole corpus ...", flush=True)
    ref_db = os.path.join(work, "ref")
    ref_code, full_s, err = run_index(bin_dir, ["build", "--db", ref_db, feed])
    print("  " + err.strip().split("\n")[-1], flush=True)
    ref_ids = ids_of(ref_db)
    ref_revised = revised_count(ref_db)  # titles of 2019 that say "revisi" themselves
    print("base index of the first half ...", flush=True)
    base_db = os.path.join(work, "base")
    _, half_s, _ = run_index(bin_dir, ["build", "--quiet", "--db", base_db, half])
    base_ids = ids_of(base_db)
    # The measured remaining time of an add run: the whole corpus minus the half.
    add_s = max(1.0, full_s - half_s)

    rows = []
    db = os.path.join(work, "db")
    rng = random.Random(a.seed)
    n_add = a.kills // 2
    current = None  # the feed the full index was last completed with
    for trial in range(a.kills):
        kind = "add" if trial < n_add else "replace"
        if kind == "add":
            shutil.rmtree(db, ignore_errors=True)
            shutil.copytree(base_db, db)
            target, window = feed, add_s
        else:
            if trial == n_add:
                shutil.rmtree(db, ignore_errors=True)
                shutil.copytree(ref_db, db)
                current = orig
            # The other version, written over the same path, as a feed changes.
            version = rev if current == orig else orig
            shutil.copyfile(version, feed)
            target, window = feed, full_s
        before = ids_of(db)
        delay = rng.uniform(0.02, 0.95) * window
        killed, at, kerr = killed_update(bin_dir, db, target, delay, a.batch)
        row = {"trial": trial + 1, "kind": kind, "delay": delay, "killed": killed, "before": len(before),
               "took": at, "modified_errors": modified_skips(kerr)}
        try:
            after = ids_of(db)
            row["opens"] = True
            row["after"] = len(after)
            row["lost"] = len(before - after)
            row["count_ok"] = doc_count(db) == len(after)
            ok, p = search_ok(bin_dir, db)
            row["search"] = ok
        except RuntimeError as e:
            row.update(opens=False, after=0, lost=len(before), count_ok=False, search=False, error=str(e))
        code, rerun_s, err = run_index(bin_dir, ["update", "--db", db, target])
        try:
            final = ids_of(db)
        except RuntimeError:
            final = set()
        row["rerun_code"] = code
        row["rerun_s"] = rerun_s
        row["final"] = len(final)
        # The content too: after a revised run every title carries the mark, after
        # an original run only the reference's own titles do.
        row["revised"] = revised_count(db)
        want_revised = len(ref_ids) if kind == "replace" and version == rev else ref_revised
        row["complete"] = final == ref_ids and code == ref_code and row["revised"] == want_revised
        row["rerun_modified_errors"] = modified_skips(err)
        if kind == "replace":
            current = version
        rows.append(row)
        print("  trial %2d %-7s kill at %5.1f s%s: before %d, after %d, lost %d, opens %s, search %s; "
              "re-run -> %d (%d revised, exit %d) %s; DatabaseModifiedError lines %d + %d"
              % (trial + 1, kind, delay, "" if killed else " (ended first at %.1f s)" % at, row["before"],
                 row["after"], row["lost"], row["opens"], row["search"], row["final"], row["revised"], code,
                 "ok" if row["complete"] else "INCOMPLETE", row["modified_errors"], row["rerun_modified_errors"]),
              flush=True)
    return rows, len(ref_ids), ref_code, full_s, half_s, len(base_ids)


def searches_during_update(a, work, feed, orig, rev, bin_dir):
    db = os.path.join(work, "sdb")
    shutil.rmtree(db, ignore_errors=True)
    shutil.copytree(os.path.join(work, "ref"), db)  # the original version
    shutil.copyfile(rev, feed)
    queries = ["jakarta", "presiden jokowi", '"bank indonesia"', "indonesia NEAR/10 tahun", "indo*",
               "title:revisi", "pemerintah daerah", "sepak bola"]
    proc = subprocess.Popen([os.path.join(bin_dir, "cari-index"), "update", "--quiet", "--db", db, feed],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    n = fails = 0
    lat = []
    failures = []
    t0 = time.monotonic()
    second = None
    while proc.poll() is None:
        if second is None and time.monotonic() - t0 > 3:
            # A second writer while the first holds the lock: refused, lock named.
            p2 = subprocess.run([os.path.join(bin_dir, "cari-index"), "update", "--quiet", "--db", db, feed],
                                capture_output=True, text=True)
            second = (p2.returncode, p2.stderr.strip())
        q = queries[n % len(queries)]
        s0 = time.monotonic()
        p = subprocess.run([os.path.join(bin_dir, "cari-search"), "--json", "--limit", "10", "--db", db, q],
                           capture_output=True, text=True)
        lat.append(time.monotonic() - s0)
        n += 1
        # exit 1 (no hits) is a failure too for these queries, except title:revisi
        # before the first revised batch is committed.
        bad = p.returncode == 2 or p.returncode < 0 or not p.stdout.startswith("{") or \
            (p.returncode == 1 and q != "title:revisi")
        if bad:
            fails += 1
            if len(failures) < 5:
                failures.append("%s: exit %d: %s" % (q, p.returncode, p.stderr.strip()[:200]))
    update_s = time.monotonic() - t0
    err = proc.stderr.read()
    return {"searches": n, "failures": fails, "examples": failures, "update_s": update_s,
            "update_code": proc.returncode, "update_err": err.strip(),
            "p50": statistics.median(lat) if lat else 0,
            "p95": sorted(lat)[int(0.95 * (len(lat) - 1))] if lat else 0, "max": max(lat) if lat else 0,
            "count": doc_count(db), "second": second}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--shared", default=os.environ.get("CARI_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--batch", type=int, default=1000, help="--batch of the killed runs (the default)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--skip-searches", action="store_true")
    ap.add_argument("--label", default=None, help="how to name the binaries in RESULTS.md (default: --bin)")
    a = ap.parse_args()
    if a.seed is None:
        a.seed = int.from_bytes(os.urandom(4), "little")
    src = os.path.join(a.shared, "corpus", "clickid", "clickid_articles.jsonl")
    if not os.path.exists(src):
        sys.exit("no corpus at " + src + " (give --shared)")
    bin_dir = os.path.abspath(a.bin)
    work = tempfile.mkdtemp(prefix="cari-kill-")
    try:
        feed = os.path.join(work, "clickid.jsonl")  # the live feed: each version is copied here
        orig = os.path.join(work, "original.jsonl")
        shutil.copyfile(src, orig)
        rev = os.path.join(work, "revised.jsonl")
        revised(orig, rev)
        t0 = time.monotonic()
        rows, ref_n, ref_code, full_s, half_s, base_n = kill_trials(a, work, feed, orig, rev, bin_dir)
        sd = None
        if not a.skip_searches:
            print("searches during an update ...", flush=True)
            sd = searches_during_update(a, work, feed, orig, rev, bin_dir)
            print("  %d searches, %d failed" % (sd["searches"], sd["failures"]), flush=True)
        total_s = time.monotonic() - t0
    finally:
        shutil.rmtree(work, ignore_errors=True)

    killed = sum(r["killed"] for r in rows)
    lost = sum(r["lost"] for r in rows)
    no_open = sum(not r["opens"] for r in rows)
    no_search = sum(not r["search"] for r in rows)
    complete = sum(r["complete"] for r in rows)
    out = []
    out.append("# Robustness: SIGKILL during `cari-index update`, searches during an update\n")
    out.append("Measured by `python3 benchmarks/robustness/kill_test.py --kills %d --seed %d` on %s (UTC), "
               "%d cores shared with other work; binaries: %s. Whole `corpus/clickid` (21,940 lines, 44.5 MB)."
               % (a.kills, a.seed, time.strftime("%Y-%m-%d %H:%M", time.gmtime()), os.cpu_count(),
                  a.label or os.path.relpath(bin_dir, ROOT)))
    out.append("")
    out.append("## Kills\n")
    out.append("| | |\n|---|---|")
    out.append("| runs SIGKILLed mid-run | %d of %d |" % (killed, len(rows)))
    out.append("| documents lost (ids held before a killed run and missing after it) | **%d** |" % lost)
    out.append("| indexes that fail to open after a kill | **%d** |" % no_open)
    out.append("| searches failing right after a kill | %d |" % no_search)
    out.append("| re-runs completing to the uninterrupted build's %d ids, with the right version of every title | **%d of %d** |"
               % (ref_n, complete, len(rows)))
    out.append("| lines skipped with DatabaseModifiedError (killed runs + re-runs) | %d |"
               % sum(r["modified_errors"] + r["rerun_modified_errors"] for r in rows))
    out.append("| uninterrupted build of the corpus / of its first half | %.1f s / %.1f s (exit %d) |"
               % (full_s, half_s, ref_code))
    out.append("")
    out.append("`add` trials start from an index of the first half (%d documents) and kill an update of the whole "
               "corpus; `replace` trials start from the full index and kill an update that changes every title, so "
               "that every document is being replaced. Killed runs use `--batch %d`. After each kill every id held "
               "before is looked up (all of them, with `xapian-delve -A Q`), `cari-search jakarta` must answer, then "
               "`update` is run to completion and its ids compared with the reference build's." % (base_n, a.batch))
    out.append("")
    out.append("| trial | kind | kill at (s) | killed | ids before | ids after | lost | opens | search | "
               "DatabaseModifiedError skips (run + re-run) | re-run (s), exit | ids after re-run | revised titles after re-run |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        out.append("| %d | %s | %.1f | %s | %d | %d | %d | %s | %s | %d + %d | %.1f, %d | %d | %d%s |"
                   % (r["trial"], r["kind"], r["delay"], "yes" if r["killed"] else "ended first (%.1f s)" % r["took"],
                      r["before"], r["after"], r["lost"], "yes" if r["opens"] else "NO",
                      "yes" if r["search"] else "NO", r["modified_errors"], r["rerun_modified_errors"], r["rerun_s"],
                      r["rerun_code"], r["final"], r["revised"], "" if r["complete"] else " (INCOMPLETE)"))
    if sd:
        out.append("")
        out.append("## Searches during an update\n")
        out.append("`cari-search --json` in a loop (a new process per query, 8 queries in turn) while `cari-index "
                   "update` replaces all %d documents (default `--batch 1000`, %.1f s, exit %d):\n"
                   % (sd["count"], sd["update_s"], sd["update_code"]))
        out.append("| | |\n|---|---|")
        out.append("| searches | %d |" % sd["searches"])
        out.append("| failures (exit 2, no JSON, or no hits for a query that always has some) | **%d** |" % sd["failures"])
        out.append("| latency per search process, p50 / p95 / max | %.0f / %.0f / %.0f ms |"
                   % (sd["p50"] * 1e3, sd["p95"] * 1e3, sd["max"] * 1e3))
        if sd["second"]:
            out.append("\nA second `cari-index update` on the same index 3 s into that update (there is no `--wait`): "
                       "exit %d, `%s`" % (sd["second"][0], sd["second"][1]))
        for e in sd["examples"]:
            out.append("\nfailure: `%s`" % e)
    out.append("")
    out.append("Total time %.0f s." % total_s)
    with open(a.out, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote " + a.out)
    return 0 if lost == 0 and no_open == 0 and complete == len(rows) and (not sd or sd["failures"] == 0) else 1


if __name__ == "__main__":
    sys.exit(main())
