#!/usr/bin/env python3
"""Cari's benchmarks, side by side with stock Xapian; writes benchmarks/RESULTS.md.

Run through benchmarks/run.sh (or `make bench`). Environment:
  CARI_BIN      programs (cari-index, cari-search, xapian_query_peer, index_stages,
                bench_*); default build/bin
  CARI_SHARED   the shared data folder; default ../shared
  BENCH_WORK    scratch folder (about 8 GB at 10x); default a new folder in /tmp, removed after
  BENCH_SCALES  corpus sizes for growth, default "1,4,10"
  BENCH_REPEAT  runs of each 1x indexing measurement, default 2
  BENCH_OUT     the report; default benchmarks/RESULTS.md
Every figure in the report is measured by this run; nothing is carried over.
"""
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.abspath(os.environ.get("CARI_BIN", os.path.join(ROOT, "build", "bin")))
SHARED = os.path.abspath(os.environ.get("CARI_SHARED", os.path.join(ROOT, "..", "shared")))
SCALES = [int(x) for x in os.environ.get("BENCH_SCALES", "1,4,10").split(",") if x.strip()]
REPEAT = int(os.environ.get("BENCH_REPEAT", "2"))
OUT = os.environ.get("BENCH_OUT", os.path.join(HERE, "RESULTS.md"))
CORPUS = os.path.join(SHARED, "corpus", "clickid", "clickid_articles.jsonl")
SCRIPT = os.path.join(HERE, "scriptindex", "news.script")


def log(*a):
    print("[bench]", *a, file=sys.stderr, flush=True)


def load():
    return os.getloadavg()[0]


def du(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except OSError:
                pass
    return total


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time -v: wall, user, sys, peak RSS, load before/after, stderr."""
    l0 = load()
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    wall = time.monotonic() - t0
    err = p.stderr
    def grab(pat, conv=float):
        m = re.search(pat, err)
        return conv(m.group(1)) if m else None
    r = {
        "cmd": " ".join(cmd), "code": p.returncode, "wall": wall,
        "user": grab(r"User time \(seconds\): ([\d.]+)"), "sys": grab(r"System time \(seconds\): ([\d.]+)"),
        "rss_mb": grab(r"Maximum resident set size \(kbytes\): (\d+)") / 1024.0,
        "load0": l0, "load1": load(), "stderr": err, "stdout": p.stdout,
    }
    r["cpu"] = r["user"] + r["sys"]
    if p.returncode not in (0, 1):
        log("FAILED", r["cmd"], err[-2000:])
        raise SystemExit(2)
    return r


def doccount(db):
    out = subprocess.run(["xapian-delve", db], capture_output=True, text=True).stdout
    m = re.search(r"number of documents = (\d+)", out)
    return int(m.group(1)) if m else 0


def compact(src, dst):
    shutil.rmtree(dst, ignore_errors=True)
    t0 = time.monotonic()
    subprocess.run(["xapian-compact", src, dst], check=True, capture_output=True)
    return time.monotonic() - t0


def mb(b):
    return b / 1e6


def git(*args):
    try:
        return subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def cari_build(src, db):
    shutil.rmtree(db, ignore_errors=True)
    r = timed([os.path.join(BIN, "cari-index"), "build", "--db", db, src])
    m = re.search(r"(\d+) documents, .*?; (\d+) (?:parts?|shards?) of ([\d.]+) MB merged in ([\d.]+) s", r["stderr"])
    r["docs"] = int(m.group(1)) if m else doccount(db)
    r["shards"] = int(m.group(2)) if m else 0
    r["before"] = float(m.group(3)) * 1e6 if m else 0
    r["merge_s"] = float(m.group(4)) if m else 0
    r["after"] = du(db)
    r["summary"] = [l for l in r["stderr"].splitlines() if l.startswith("cari-index:")]
    return r


def scriptindex_build(si_input, db):
    shutil.rmtree(db, ignore_errors=True)
    r = timed(["scriptindex", "--stemmer=indonesian", db, SCRIPT, si_input])
    r["docs"] = doccount(db)
    r["before"] = du(db)
    r["compact_s"] = compact(db, db + "-compact")
    r["after"] = du(db + "-compact")
    return r


def pct(v, p):
    v = sorted(v)
    if not v:
        return 0.0
    k = (len(v) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(v) - 1)
    return v[f] + (v[c] - v[f]) * (k - f)


def kind_of(q):
    if q.startswith('"'):
        return "phrase"
    if " NEAR/" in q:
        return "NEAR/5"
    return "two words" if " " in q else "one word"


def cari_queries(db, qfile, *extra):
    p = subprocess.run([os.path.join(BIN, "cari-search"), "--db", db, "--batch", qfile, "--json", "--color", "never",
                        *extra], capture_output=True, text=True)
    rows = []
    for line in p.stdout.splitlines():
        if line.strip():
            o = json.loads(line)
            rows.append((o.get("query", ""), float(o["took_ms"]), len(o.get("hits", []))))
    return rows


def peer_queries(db, qfile):
    p = subprocess.run([os.path.join(BIN, "xapian_query_peer"), db, qfile, "10"], capture_output=True, text=True,
                       check=True)
    rows = []
    for line in p.stdout.splitlines():
        ms, n, q = line.split("\t", 2)
        rows.append((q, float(ms), int(n)))
    return rows


def main():
    for prog in ("cari-index", "cari-search", "xapian_query_peer", "index_stages"):
        if not os.access(os.path.join(BIN, prog), os.X_OK):
            log(f"missing {BIN}/{prog}: build first (make build), or set CARI_BIN")
            return 2
    if not os.path.exists(CORPUS):
        log(f"missing {CORPUS}: set CARI_SHARED")
        return 2
    own_work = "BENCH_WORK" not in os.environ
    work = os.environ.get("BENCH_WORK") or tempfile.mkdtemp(prefix="cari-bench-")
    os.makedirs(work, exist_ok=True)
    started = datetime.now(timezone.utc)
    info = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""),
        "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
        "cores": os.cpu_count(),
        "mem": next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0"),
        "os": platform.platform(),
        "xapian": subprocess.run(["xapian-config", "--version"], capture_output=True, text=True).stdout.strip(),
        "load0": os.getloadavg(),
    }
    corpus_bytes = os.path.getsize(CORPUS)
    res = {"info": info}
    try:
        # Inputs at every scale: the JSON Lines, and scriptindex's dump format (converted outside the timing).
        inputs = {}
        for s in sorted(set(SCALES) | {1}):
            src = CORPUS if s == 1 else os.path.join(work, f"clickid-x{s}.jsonl")
            if s != 1:
                log(f"replicating {s}x")
                subprocess.run([sys.executable, os.path.join(HERE, "replicate.py"), CORPUS, src, str(s)], check=True)
            inputs[s] = src
        si_inputs = {}
        for s in sorted({1, max(SCALES)}):
            si = os.path.join(work, f"clickid-x{s}.scriptindex")
            t0 = time.monotonic()
            subprocess.run([sys.executable, os.path.join(HERE, "scriptindex", "jsonl_to_scriptindex.py"), inputs[s], si],
                           check=True, capture_output=True)
            si_inputs[s] = si
            res.setdefault("convert_s", {})[s] = time.monotonic() - t0

        # 1. Indexing side by side, 1x, alternating runs.
        side = {"cari": [], "xapian": []}
        for r in range(REPEAT):
            log(f"1x indexing, run {r + 1}/{REPEAT}: scriptindex")
            side["xapian"].append(scriptindex_build(si_inputs[1], os.path.join(work, "si-x1")))
            log(f"1x indexing, run {r + 1}/{REPEAT}: cari")
            side["cari"].append(cari_build(inputs[1], os.path.join(work, "cari-x1")))
        c1 = side["cari"][-1]
        res["cari_xcompact"] = None
        compact(os.path.join(work, "cari-x1"), os.path.join(work, "cari-x1-xc"))
        res["cari_xcompact"] = du(os.path.join(work, "cari-x1-xc"))
        shutil.rmtree(os.path.join(work, "cari-x1-xc"), ignore_errors=True)
        res["side"] = side
        # Single writer (the update path) on the same input, for the design comparison.
        log("1x indexing: cari single writer (update into an empty index)")
        db = os.path.join(work, "cari-serial")
        shutil.rmtree(db, ignore_errors=True)
        res["serial"] = timed([os.path.join(BIN, "cari-index"), "update", "--db", db, inputs[1]])
        res["serial"]["after"] = du(db)
        shutil.rmtree(db, ignore_errors=True)

        # 2. Growth.
        growth = {}
        for s in SCALES:
            if s == 1:
                growth[1] = side["cari"][-1]
                continue
            log(f"{s}x indexing: cari")
            growth[s] = cari_build(inputs[s], os.path.join(work, f"cari-x{s}"))
        res["growth"] = growth
        big = max(SCALES)
        if big != 1:
            log(f"{big}x indexing: scriptindex")
            res["si_big"] = scriptindex_build(si_inputs[big], os.path.join(work, f"si-x{big}"))
            shutil.rmtree(os.path.join(work, f"si-x{big}"), ignore_errors=True)
        for s in SCALES:
            if s not in (1, big):
                shutil.rmtree(os.path.join(work, f"cari-x{s}"), ignore_errors=True)

        # 3. Queries: the same 1,000 on both engines, a warm-up pass then the measured one.
        qfile = os.path.join(work, "queries.txt")
        subprocess.run([sys.executable, os.path.join(HERE, "make_queries.py"), CORPUS, qfile, "1000"], check=True,
                       capture_output=True)
        res["queries_sample"] = open(qfile, encoding="utf-8").read().splitlines()[:8]
        qres = {}
        for s in sorted({1, big}):
            cdb = os.path.join(work, f"cari-x{s}")
            xdb = os.path.join(work, f"si-x{s}-compact")
            log(f"{s}x queries")
            cari_queries(cdb, qfile)
            peer_queries(xdb, qfile)
            l0 = load()
            c = cari_queries(cdb, qfile)
            x = peer_queries(xdb, qfile)
            # The same work as stock Xapian does: no near-duplicate folding.
            cari_queries(cdb, qfile, "--no-collapse")
            n = cari_queries(cdb, qfile, "--no-collapse")
            qres[s] = {"cari": c, "xapian": x, "cari-nc": n, "load": (l0, load())}
        res["queries"] = qres

        # 4. Stages of one indexing thread, and the microbenchmarks.
        log("index stages")
        res["stages"] = subprocess.run([os.path.join(BIN, "index_stages"), CORPUS, "--batch", "250", "--variants", "1",
                                        "--db", os.path.join(work, "stages")],
                                       capture_output=True, text=True).stdout
        micro = {}
        for name in ("bench_snippet", "bench_analysis", "bench_cleaner"):
            exe = os.path.join(BIN, name)
            if os.access(exe, os.X_OK):
                log(name)
                p = subprocess.run([exe, "--benchmark_min_time=0.3"], capture_output=True, text=True,
                                   env=dict(os.environ, CARI_SHARED=SHARED))
                micro[name] = p.stdout.strip() or p.stderr.strip()[-2000:]
            else:
                micro[name] = None
        res["micro"] = micro
        info["load1"] = os.getloadavg()
        info["minutes"] = (datetime.now(timezone.utc) - started).total_seconds() / 60
        write_report(res, corpus_bytes)
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
    log(f"wrote {OUT}")
    return 0


def write_report(res, corpus_bytes):
    info = res["info"]
    L = []
    w = L.append
    w("# Cari benchmarks")
    w("")
    w("Written by `benchmarks/run.sh` (`make bench`); every figure below was measured by that run.")
    w("")
    w(f"- date: {info['date']}, commit {info['commit']}, {info['minutes']:.0f} minutes")
    w(f"- machine: {info['cpu']}, {info['cores']} cores, {int(info['mem']) / 1024 / 1024:.1f} GiB, {info['os']}; Xapian {info['xapian']}")
    w(f"- load average (1 min) at start {info['load0'][0]:.1f}, at end {info['load1'][0]:.1f}; the machine is shared, so "
      "each timed run also shows the load around it. Wall times move with it; CPU times much less.")
    w(f"- corpus: `clickid_articles.jsonl`, {mb(corpus_bytes):.1f} MB; MB/s below is always of this JSON Lines input "
      "(times the scale)")
    w("")
    w("## Indexing, side by side (1x)")
    w("")
    w("Cari: `cari-index build --db DB clickid_articles.jsonl` (both cores: one shard per job, merged by "
      "`Xapian::Database::compact`; noise removal, dictionary stemmer, positions, stored text). "
      "Xapian: `scriptindex --stemmer=indonesian DB benchmarks/scriptindex/news.script INPUT` (one thread: "
      "words with positions and Z-stems, titles weighted and under S, stored fields) on the same articles converted by "
      f"`benchmarks/scriptindex/jsonl_to_scriptindex.py` (outside the timing: {res['convert_s'][1]:.1f} s). "
      "Sizes: Cari's index as built (already compacted; 'before' is its shards), and both after `xapian-compact`.")
    w("")
    w("| run | engine | wall s | CPU s (user+sys) | MB/s | docs/s | peak memory MB | index MB before compaction | after | load before/after |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for i in range(len(res["side"]["cari"])):
        for eng in ("xapian", "cari"):
            r = res["side"][eng][i]
            name = "scriptindex" if eng == "xapian" else "Cari build"
            after = r["after"]
            w(f"| {i + 1} | {name} | {r['wall']:.1f} | {r['cpu']:.1f} | {mb(corpus_bytes) / r['wall']:.2f} | "
              f"{r['docs'] / r['wall']:.0f} | {r['rss_mb']:.0f} | {mb(r['before']):.1f} | {mb(after):.1f} | "
              f"{r['load0']:.1f} / {r['load1']:.1f} |")
    cw = statistics.median(r["wall"] for r in res["side"]["cari"])
    xw = statistics.median(r["wall"] for r in res["side"]["xapian"])
    cc = statistics.median(r["cpu"] for r in res["side"]["cari"])
    xc = statistics.median(r["cpu"] for r in res["side"]["xapian"])
    w("")
    w(f"**Ratio (median of runs): Cari is {xw / cw:.2f}x as fast as scriptindex in wall time** "
      f"({cw:.1f} s vs {xw:.1f} s), and uses {cc / xc:.2f}x its CPU time ({cc:.1f} s vs {xc:.1f} s).")
    c1 = res["side"]["cari"][-1]
    x1 = res["side"]["xapian"][-1]
    w(f"Compacted sizes: Cari {mb(c1['after']):.1f} MB as built ({mb(res['cari_xcompact']):.1f} MB after another "
      f"`xapian-compact`), scriptindex {mb(x1['after']):.1f} MB after `xapian-compact` "
      f"(Cari/scriptindex {c1['after'] / x1['after']:.2f}).")
    s = res["serial"]
    w(f"The single-writer path (`cari-index update` into an empty index, workers cleaning and analysing in parallel, "
      f"one writer, 1,000 documents a durable commit): {s['wall']:.1f} s wall, {s['cpu']:.1f} s CPU, "
      f"{s['rss_mb']:.0f} MB peak, {mb(s['after']):.1f} MB uncompacted (load {s['load0']:.1f} / {s['load1']:.1f}).")
    w("")
    w("## Growth")
    w("")
    w("The corpus replicated with new ids (`benchmarks/replicate.py`), built by `cari-index build`.")
    w("")
    w("| scale | documents | wall s | CPU s | MB/s | docs/s | docs/s vs 1x | peak memory MB | shards | merge s | index MB | load before/after |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    g1 = res["growth"][1]
    for sc in sorted(res["growth"]):
        r = res["growth"][sc]
        dps = r["docs"] / r["wall"]
        w(f"| {sc}x | {r['docs']} | {r['wall']:.1f} | {r['cpu']:.1f} | {sc * mb(corpus_bytes) / r['wall']:.2f} | {dps:.0f} | "
          f"{dps / (g1['docs'] / g1['wall']):.2f} | {r['rss_mb']:.0f} | {r['shards']} | {r['merge_s']:.1f} | "
          f"{mb(r['after']):.0f} | {r['load0']:.1f} / {r['load1']:.1f} |")
    if "si_big" in res:
        r = res["si_big"]
        big = max(res["growth"])
        w("")
        w(f"scriptindex at {big}x (built for the query comparison): {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, "
          f"{r['docs'] / r['wall']:.0f} docs/s, {r['rss_mb']:.0f} MB peak, {mb(r['before']):.0f} MB, "
          f"{mb(r['after']):.0f} MB after `xapian-compact` (load {r['load0']:.1f} / {r['load1']:.1f}); "
          f"Cari at {big}x is {r['wall'] / res['growth'][big]['wall']:.2f}x as fast in wall time.")
    w("")
    w("## Queries")
    w("")
    w("1,000 queries made by `benchmarks/make_queries.py` from the corpus vocabulary (fixed seed): 250 each of one "
      "word, two words, a two-word phrase, a NEAR/5 pair; for example: " +
      ", ".join(f"`{q}`" for q in res["queries_sample"]) + ". Top 10 with snippets. "
      "Cari: `cari-search --db DB --batch FILE --json` (its `took_ms`: parse, match, near-duplicate collapse, "
      "snippets, spelling suggestion). Xapian: `xapian_query_peer` (benchmarks/xapian_query_peer.cpp: QueryParser with "
      "Stem(\"indonesian\"), Enquire, MSet::snippet with SNIPPET_EXHAUSTIVE) over the compacted scriptindex index. "
      "Each engine answers the whole file once to warm up, then once measured. Stock Xapian does not fold "
      "near-duplicates; `Cari --no-collapse` does the same work as it, `Cari` its default (folding copies of a story "
      "into one hit, which at 10x, where every article exists ten times, means reading ten times the candidates).")
    w("")
    w("| scale | engine | mean ms | p50 ms | p90 ms | p99 ms | max ms | load before/after |")
    w("|---|---|---|---|---|---|---|---|")
    for sc in sorted(res["queries"]):
        q = res["queries"][sc]
        for eng in ("xapian", "cari-nc", "cari"):
            if eng not in q:
                continue
            v = [r[1] for r in q[eng]]
            name = {"xapian": "stock Xapian", "cari-nc": "Cari --no-collapse", "cari": "Cari"}[eng]
            w(f"| {sc}x | {name} | {statistics.mean(v):.3f} | {pct(v, 50):.3f} | {pct(v, 90):.3f} | {pct(v, 99):.3f} | "
              f"{max(v):.3f} | {q['load'][0]:.1f} / {q['load'][1]:.1f} |")
    w("")
    w("By kind of query (mean / p99 ms):")
    w("")
    w("| scale | kind | stock Xapian | Cari --no-collapse | Cari |")
    w("|---|---|---|---|---|")
    for sc in sorted(res["queries"]):
        q = res["queries"][sc]
        for kind in ("one word", "two words", "phrase", "NEAR/5"):
            cells = []
            for eng in ("xapian", "cari-nc", "cari"):
                v = [r[1] for r in q.get(eng, []) if kind_of(r[0]) == kind]
                cells.append(f"{statistics.mean(v):.3f} / {pct(v, 99):.3f}" if v else "-")
            w(f"| {sc}x | {kind} | {cells[0]} | {cells[1]} | {cells[2]} |")
    w("")
    w("## Where one indexing thread's time goes (1x)")
    w("")
    w("`index_stages clickid_articles.jsonl` (benchmarks/index_stages.cpp): each stage over the whole corpus, one "
      "thread, CPU seconds; the write stage is Xapian's `add_document` + `commit` every 250 documents (as a build shard) into a "
      "DB_NO_SYNC database. Then the same documents written again as they are, without the `E` exact-form terms, "
      "without positions, and without both, each compacted (`Database::compact`, FULL): what those cost in time and space.")
    w("")
    w("```")
    w(res["stages"].strip())
    w("```")
    w("")
    w("## Microbenchmarks (Google Benchmark)")
    for name, out in res["micro"].items():
        w("")
        w(f"### {name}")
        w("")
        if out is None:
            w("(not built in this tree)")
        else:
            w("```")
            w(out)
            w("```")
    w("")
    # The optimisation steps and their figures at the time, kept by hand.
    steps = os.path.join(HERE, "STEPS.md")
    if os.path.exists(steps):
        with open(steps, encoding="utf-8") as f:
            w(f.read().rstrip("\n"))
        w("")
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    sys.exit(main())
