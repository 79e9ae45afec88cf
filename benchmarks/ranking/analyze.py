#!/usr/bin/env python3
"""Error analysis of Cari's ranking on facqa, and a re-ranking prototype.

For every question whose relevant passage is not ranked first it asks what
ranks above it and why: a near-duplicate copy of the relevant passage (the
corpus holds pairs that differ in number spacing, "6,5" / "6, 5", with one of
them judged relevant), the every-word tier lifting a passage that holds every
query word over a relevant one that lacks some, or a relevant passage that
holds fewer, the same or more of the query's words than the passage ranked
first. It measures what a user gets with near-duplicate collapse on (eval.py
runs with --no-collapse), how much of the query's IDF mass the relevant
passages hold (the lexical ceiling), and which query words they lack.

Then it re-ranks Cari's top 100 with candidate features (soft IDF coverage,
min-span proximity, neighbouring query words close together, query bigrams
with function words, exact forms, length, answer-type cues for kapan /
berapa / siapa / di mana, local IDF over the leading 10 or 30 candidates) added to the normalised engine score inside each
tier, fits each weight on train (grid) and reports valid at that weight;
--fit also runs a coordinate ascent over all of them (about 2 minutes).
--vectors FILE adds two features from word vectors of roots (a fastText
.vec file, made by vectors.sh; needs python3-numpy): the cosine of the
IDF-weighted mean vectors of question and passage, and a soft coverage
that gives each question root the passage lacks its best cosine with a
passage root.
Words, roots and stop words come from the shared Analyzer (tokens.cpp), so
they are the engine's own.

Usage: analyze.py [--bin DIR] [--shared DIR] [--fit] [--vectors FILE.vec]
"""
import argparse
import collections
import heapq
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from eval import build_cari, load_split, read_lines  # noqa: E402

MONTHS = set("januari februari maret april mei juni juli agustus september oktober november desember "
             "jan feb mar apr jun jul agu agt ags sep sept okt nov des".split())
DAYS = set("senin selasa rabu kamis jumat sabtu minggu".split())
NUMBER_WORDS = set("satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belas puluh puluhan "
                   "ratus ratusan ribu ribuan juta jutaan miliar triliun seratus seribu setengah persen".split())
FEATURES = ["cov", "frac", "span", "prox", "pairs", "pairs_ordered", "bigrams", "exact", "loglen",
            "when", "num", "who", "where", "local10", "local30"]


def build_tokens_tool(bin_dir, work):
    """Compiles tokens.cpp against the library beside bin_dir; returns its path."""
    lib = os.path.join(os.path.dirname(bin_dir), "libcari_common.a")
    tool = os.path.join(work, "tokens")
    subprocess.run(["sh", "-c", f'c++ -O2 -std=c++20 -I"{ROOT}/common" "{HERE}/tokens.cpp" "{lib}" '
                    "$(pkg-config --cflags --libs xapian-core icu-uc icu-i18n libxml-2.0) -lpthread "
                    f'-o "{tool}"'], check=True)
    return tool


def tokens(tool, rows):
    """rows: [(id, text)] -> id -> [(norm, stem, stop, pos)] from the shared Analyzer."""
    text = "".join(f"{i}\t{' '.join(t.split())}\n" for i, t in rows)
    out = subprocess.run([tool], input=text, capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.split("\n"):
        if not line:
            continue
        i, t = line.split("\t", 1)
        toks = []
        for x in t.split(" "):
            if x:
                n, s, st, p = x.rsplit("|", 3)
                toks.append((n, s, st == "1", int(p)))
        res[i] = toks
    return res


def search(bin_dir, db, texts, limit, collapse):
    cmd = [os.path.join(bin_dir, "cari-search"), "--db", db, "--batch", "-", "--json", "--limit", str(limit)]
    if not collapse:
        cmd.append("--no-collapse")
    out = subprocess.run(cmd, input="".join(t + "\n" for t in texts), capture_output=True, text=True)
    lines = [json.loads(l) for l in out.stdout.split("\n") if l.strip()]
    if len(lines) != len(texts):
        sys.exit(f"cari-search answered {len(lines)} of {len(texts)} queries: {out.stderr.strip()}")
    return lines


class Corpus:
    def __init__(self, texts, toks):
        self.text = texts
        self.toks = toks
        self.n = len(toks)
        self.df = collections.Counter()
        self.pos = {}
        self.norms = {}
        for d, t in toks.items():
            p = collections.defaultdict(list)
            for n, s, _, i in t:
                p[s].append(i)
            self.pos[d] = p
            self.norms[d] = {x[0] for x in t}
            self.df.update(p.keys())
        self.dfn = collections.Counter(n for d in toks for n in self.norms[d])
        self.norm2stem = {n: s for t in toks.values() for n, s, _, _ in t}
        self.shingles = {}
        for d, t in texts.items():
            w = re.findall(r"\w+", t.lower())
            self.shingles[d] = set(zip(w, w[1:], w[2:]))
        self.caps = {d: {m.group(1).lower() for m in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w']+)", t)}
                     for d, t in texts.items()}
        self.dated = {d: bool(re.search(r"\(\d{1,2}/\d{1,2}\)|\b(19|20)\d\d\b", t)) for d, t in texts.items()}

    def idf(self, stem):
        return math.log((self.n + 1) / (self.df.get(stem, 0) + 0.5))

    def idf_norm(self, norm):
        return math.log((self.n + 1) / (self.dfn.get(norm, 0) + 0.5))

    def jaccard(self, a, b):
        x, y = self.shingles[a], self.shingles[b]
        return len(x & y) / max(1, len(x | y))

    def parse(self, parsed):
        """The query as understood ("parsed") -> items; item = alternatives; alternative = stems in order."""
        items, i, p = [], 0, parsed

        def atom(i):
            if p[i] == '"':
                j = p.index('"', i + 1)
                return [self.norm2stem.get(w, w) for w in p[i + 1:j].split()], j + 1
            j = i
            while j < len(p) and p[j] not in " ()":
                j += 1
            return [p[i:j]], j

        while i < len(p):
            if p[i] in " )":  # a group's closing parenthesis past its first
                i += 1
            elif p[i] == "(":
                # (a OR "b c" ...): one item. (w1 w2 w3 OR abbr ...): an expansion typed
                # out, each word an item of its own with the other forms as alternatives.
                groups, cur, i = [], [], i + 1
                while i < len(p) and p[i] != ")":
                    if p[i] in " (":
                        i += 1
                    elif p.startswith("OR ", i):
                        groups.append(cur)
                        cur, i = [], i + 3
                    else:
                        a, i = atom(i)
                        cur.append(a)
                groups.append(cur)
                i += 1
                first, others = groups[0], [a for g in groups[1:] for a in g]
                if len(first) > 1:
                    items.extend([a] + others for a in first)
                else:
                    items.append(first + others)
            else:
                a, i = atom(i)
                items.append([a])
        return items

    def where(self, d, item):
        """Positions where any alternative of item starts in passage d."""
        dp, out = self.pos[d], set()
        for alt in item:
            first = dp.get(alt[0], [])
            if len(alt) == 1:
                out.update(first)
            else:
                rest = [set(dp.get(s, [])) for s in alt[1:]]
                out.update(x for x in first if all(x + k + 1 in r for k, r in enumerate(rest)))
        return sorted(out)

    def item_idf(self, item):
        return max(sum(self.idf(s) for s in alt) for alt in item)


def min_span(lists):
    """Smallest window (in positions) holding one position of every list."""
    if len(lists) < 2:
        return 1
    h = [(l[0], i, 0) for i, l in enumerate(lists)]
    heapq.heapify(h)
    hi, best = max(l[0] for l in lists), 1 << 30
    while True:
        lo, i, j = heapq.heappop(h)
        best = min(best, hi - lo + 1)
        if j + 1 >= len(lists[i]):
            return best
        hi = max(hi, lists[i][j + 1])
        heapq.heappush(h, (lists[i][j + 1], i, j + 1))


def answer_type(qtoks):
    norms = [re.sub(r"(kah|lah)$", "", x[0]) for x in qtoks]
    for n in norms:
        if n in ("kapan", "bilamana"):
            return "when"
        if n == "berapa":
            return "num"
        if n == "siapa":
            return "who"
        if n in ("dimana", "mana"):
            return "where"
    return "other"


def features(c, qtoks, result):
    items = c.parse(result["parsed"])
    idfs = [c.item_idf(it) for it in items]
    total = sum(idfs) or 1.0
    typ = answer_type(qtoks)
    qnorms = {x[0] for x in qtoks}
    content = [x[0] for x in qtoks if not x[2]]
    content_idf = sum(c.idf_norm(n) for n in content) or 1.0
    seq = [x[1] for x in qtoks]
    qbig = set(zip(seq, seq[1:]))
    top = result["hits"][0]["score"] if result["hits"] else 1.0
    rows = []
    for h in result["hits"]:
        d = h["id"]
        at = [c.where(d, it) for it in items]
        present = [bool(a) for a in at]
        m = sum(present)
        span = min_span([a for a in at if a]) if m > 1 else 1
        pairs = ordered = 0.0
        for k in range(len(items) - 1):
            if at[k] and at[k + 1]:
                b = set(at[k + 1])
                if any(x + g in b or x - g in b for x in at[k] for g in (1, 2, 3)):
                    pairs += idfs[k] + idfs[k + 1]
                if any(x + g in b for x in at[k] for g in (1, 2)):
                    ordered += idfs[k] + idfs[k + 1]
        dseq = [x[1] for x in c.toks[d]]
        dnorms = [x[0] for x in c.toks[d]]
        new_numbers = sum(1 for n in dnorms if (n[0].isdigit() or n in NUMBER_WORDS) and n not in qnorms)
        new_names = len(c.caps[d] - qnorms)
        f = {
            "s": h["score"] / top,
            "tier": 1.0 if len(items) > 1 and m == len(items) else 0.0,
            "cov": sum(i for i, p in zip(idfs, present) if p) / total,
            "frac": m / len(items) if items else 0.0,
            "span": 1.0 / span if m > 1 else 0.0,
            "prox": (m - 1) / (span - 1) if m > 1 and span > 1 else 0.0,
            "pairs": pairs / (2 * total),
            "pairs_ordered": ordered / (2 * total),
            "bigrams": len(qbig & set(zip(dseq, dseq[1:]))) / max(1, len(qbig)),
            "exact": sum(c.idf_norm(n) for n in content if n in c.norms[d]) / content_idf,
            "loglen": math.log(1 + len(dseq)),
            "when": 1.0 if typ == "when" and (c.dated[d] or any(n in MONTHS or n in DAYS
                                                               for n in dnorms if n not in qnorms)) else 0.0,
            "num": min(new_numbers, 5) / 5 if typ == "num" else 0.0,
            "who": min(new_names, 5) / 5 if typ == "who" else 0.0,
            "where": min(new_names, 5) / 5 if typ == "where" else 0.0,
        }
        rows.append((d, f, present))
    # Local IDF: a query word most of the leading candidates hold (the story's
    # topic, its people) tells them apart less than one few of them hold.
    for name, k in (("local10", 10), ("local30", 30)):
        head = rows[:k]
        ldf = [sum(1 for _, _, p in head if p[j]) for j in range(len(items))]
        lw = [idfs[j] * math.log((len(head) + 1) / (ldf[j] + 0.5)) for j in range(len(items))]
        norm = sum(lw) or 1.0
        for _, f, p in rows:
            f[name] = sum(w for w, q in zip(lw, p) if q) / norm
    return items, idfs, rows


class Vectors:
    """Unit word vectors of roots (fastText .vec text format) and the two
    vector features of a question and a passage."""

    def __init__(self, path, corpus):
        try:
            import numpy
        except ImportError:
            sys.exit("--vectors needs numpy: apt-get install python3-numpy")
        self.np = numpy
        with open(path, encoding="utf-8", errors="replace") as f:
            n, dim = map(int, f.readline().split())
            self.index, rows = {}, []
            for line in f:
                parts = line.rstrip().split(" ")
                if len(parts) == dim + 1:
                    self.index[parts[0]] = len(rows)
                    rows.append([float(x) for x in parts[1:]])
        m = numpy.array(rows, dtype=numpy.float32)
        self.m = m / (numpy.linalg.norm(m, axis=1, keepdims=True) + 1e-9)
        self.c = corpus
        self.doc = {}
        for d, t in corpus.toks.items():
            roots = list(dict.fromkeys(x[1] for x in t if not x[2]))
            known = [self.index[r] for r in roots if r in self.index]
            self.doc[d] = (set(roots), self.mean(roots), self.m[known] if known else None)

    def mean(self, roots):
        v = self.np.zeros(self.m.shape[1], dtype=self.np.float32)
        for r in roots:
            if r in self.index:
                v += self.c.idf(r) * self.m[self.index[r]]
        n = float(self.np.linalg.norm(v))
        return v / n if n > 0 else v

    def features(self, qtoks, d):
        roots = list(dict.fromkeys(x[1] for x in qtoks if not x[2]))
        present, dvec, dmat = self.doc[d]
        cos = float(self.mean(roots) @ dvec)
        got = total = 0.0
        for r in roots:
            w = self.c.idf(r)
            total += w
            if r in present:
                got += w
            elif r in self.index and dmat is not None:
                got += w * max(0.0, float((dmat @ self.m[self.index[r]]).max()))
        return {"vcos": cos, "vsoft": got / total if total else 0.0}


def rerank_score(data, w, k=100):
    """MRR@10, R@10 when the top k are re-ranked by tier, then s + sum(w * feature)."""
    mrr = rec = 0.0
    for rel, rows in data:
        head = sorted(((f["tier"], f["s"] + sum(v * f[n] for n, v in w.items()), -i, d)
                       for i, (d, f) in enumerate(rows[:k])), reverse=True)
        ids = ([x[3] for x in head] + [d for d, _ in rows[k:]])[:10]
        if rel in ids:
            mrr += 1.0 / (ids.index(rel) + 1)
            rec += 1
    return mrr / len(data), rec / len(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--shared", default=os.environ.get("CARI_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--fit", action="store_true", help="coordinate ascent over all features on train")
    ap.add_argument("--vectors", help="a fastText .vec file of roots (vectors.sh): adds vcos and vsoft")
    a = ap.parse_args()
    features_used = FEATURES + (["vcos", "vsoft"] if a.vectors else [])
    facqa = os.path.join(a.shared, "retrieval", "facqa")
    work = tempfile.mkdtemp(prefix="cari-analyze-")
    out = []
    say = out.append
    try:
        tool = build_tokens_tool(a.bin, work)
        db = os.path.join(work, "db")
        build_cari(a.bin, facqa, db)
        texts = {}
        for line in read_lines(os.path.join(facqa, "corpus.jsonl")):
            d = json.loads(line)
            texts[d["id"]] = d["text"]
        c = Corpus(texts, tokens(tool, list(texts.items())))
        vec = Vectors(a.vectors, c) if a.vectors else None
        data = {}
        for split in ("train", "valid"):
            queries, rel = load_split(facqa, split)
            rel = {q: next(iter(r)) for q, r in rel.items()}
            qtoks = tokens(tool, queries)
            texts_q = [t for _, t in queries]
            deep = search(a.bin, db, texts_q, 100, collapse=False)
            user = search(a.bin, db, texts_q, 10, collapse=True)
            n = len(queries)
            classes = collections.Counter()
            loss = collections.Counter()
            cover = collections.Counter()
            missing = collections.Counter()
            feats = []
            for (qid, _), r, u in zip(queries, deep, user):
                R = rel[qid]
                items, idfs, rows = features(c, qtoks[qid], r)
                if vec:
                    for d, f, _ in rows:
                        f.update(vec.features(qtoks[qid], d))
                feats.append((R, [(d, f) for d, f, _ in rows]))
                ids = [h["id"] for h in r["hits"]]
                rank = ids.index(R) + 1 if R in ids else 0
                at = [bool(c.where(R, it)) for it in items]
                cov = sum(i for i, p in zip(idfs, at) if p) / (sum(idfs) or 1)
                bucket = "none" if cov == 0 else "< 0.3" if cov < 0.3 else "0.3-0.6" if cov < 0.6 else ">= 0.6"
                cover[(bucket, "found" if 0 < rank <= 10 else "missed")] += 1
                if rank == 1:
                    continue
                gone = 1.0 - (1.0 / rank if 0 < rank <= 10 else 0.0)
                for it, p in zip(items, at):
                    if not p:
                        missing[" ".join("/".join(alt) for alt in it)] += 1
                above = ids[:rank - 1] if rank else ids[:10]
                if rank == 0 or rank > 100:
                    k = "not in the top 100"
                elif any(c.jaccard(d, R) >= 0.5 for d in above):
                    k = "a near-duplicate copy of it ranks above"
                elif not all(at) and len(items) > 1 and rows[0][1]["tier"]:
                    k = "it lacks a query word; a passage with every word is first (tier)"
                else:
                    top_m, rel_m = sum(rows[0][2]), sum(at)
                    k = ("it holds fewer query words than rank 1" if rel_m < top_m else
                         "it holds more query words than rank 1" if rel_m > top_m else
                         "it holds as many query words as rank 1")
                classes[k] += 1
                loss[k] += gone
            data[split] = feats
            strict = aware = 0.0
            s_rec = a_rec = 0
            for (qid, _), u in zip(queries, user):
                ids = [h["id"] for h in u["hits"]]
                if rel[qid] in ids:
                    strict += 1.0 / (ids.index(rel[qid]) + 1)
                    s_rec += 1
                for i, h in enumerate(u["hits"]):
                    if rel[qid] == h["id"] or rel[qid] in h["duplicate_ids"]:
                        aware += 1.0 / (i + 1)
                        a_rec += 1
                        break
            base = rerank_score(feats, {})
            say(f"### {split} ({n} questions)\n")
            say(f"Cari as eval.py runs it (--no-collapse): MRR@10 {base[0]:.3f}, Recall@10 {base[1]:.3f}. "
                f"With near-duplicate collapse on (the default a user gets): MRR@10 {strict / n:.3f}, "
                f"Recall@10 {s_rec / n:.3f} counting the judged id only; {aware / n:.3f} / {a_rec / n:.3f} "
                "when a hit whose folded copies include the judged passage counts.\n")
            say("| relevant passage not first: what ranks above it | questions | MRR@10 lost |\n|---|---|---|")
            for k, v in classes.most_common():
                say(f"| {k} | {v} | {loss[k] / n:.3f} |")
            say("\n| share of the query's IDF mass in the relevant passage | found in the top 10 | missed |\n|---|---|---|")
            for b in (">= 0.6", "0.3-0.6", "< 0.3", "none"):
                say(f"| {b} | {cover[(b, 'found')]} | {cover[(b, 'missed')]} |")
            reach = n - cover[("< 0.3", "missed")] - cover[("none", "missed")]
            say(f"\nEven if every relevant passage holding at least 0.3 of the query's IDF mass were in the top 10 "
                f"(and those below stayed where they are), Recall@10 would be {reach / n:.3f}.")
            say("\nQuery words most often absent from a relevant passage that is not first: " +
                ", ".join(f"{w} ({k})" for w, k in missing.most_common(15)) + "\n")
        say("### Re-ranking the top 100 (prototype)\n")
        say("Each feature added to the engine score (divided by the query's top score) inside each tier, "
            "weight chosen on train from -1 .. 2 (0: no gain), valid at that weight.\n")
        say("| feature | weight | train MRR@10 | train R@10 | valid MRR@10 | valid R@10 |\n|---|---|---|---|---|---|")
        t0, v0 = rerank_score(data["train"], {}), rerank_score(data["valid"], {})
        say(f"| (none: the engine) | | {t0[0]:.4f} | {t0[1]:.4f} | {v0[0]:.4f} | {v0[1]:.4f} |")
        grid = (-1, -0.5, -0.25, -0.1, -0.05, 0, 0.05, 0.1, 0.25, 0.5, 1, 2)
        for name in features_used:
            best = max((rerank_score(data["train"], {name: v})[0], v) for v in grid)
            t, v = rerank_score(data["train"], {name: best[1]}), rerank_score(data["valid"], {name: best[1]})
            say(f"| {name} | {best[1]} | {t[0]:.4f} | {t[1]:.4f} | {v[0]:.4f} | {v[1]:.4f} |")
            print(f"{name}: {best[1]} train {t} valid {v}", file=sys.stderr, flush=True)
        if a.fit:
            w, cur = {}, t0[0]
            for _ in range(2):
                for name in features_used:
                    for v in grid:
                        m = rerank_score(data["train"], dict(w, **{name: v}))[0]
                        if m > cur + 1e-4:
                            cur, w = m, dict(w, **{name: v})
            t, v = rerank_score(data["train"], w), rerank_score(data["valid"], w)
            say(f"| coordinate ascent, all: {w} | | {t[0]:.4f} | {t[1]:.4f} | {v[0]:.4f} | {v[1]:.4f} |")
        print("\n".join(out))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
