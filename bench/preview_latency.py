#!/usr/bin/env python3
"""Time from saving a file to the reloaded page in `sanshen serve`.

Usage: python3 bench/preview_latency.py [--site DIR] [--rounds N] [--binary PATH]
       [--trust-root KEY]

Copies the site (default: the example site at the repository root) to a
temporary folder, starts `sanshen serve --port 0` on it, listens on the
preview's reload stream as a browser tab does, then N times: appends a
line to one article's body, and measures until (a) the reload event
arrives and (b) the article's page has been fetched again. Prints the
median and range of both in milliseconds. It measures the preview's own
path (watcher, judge, render, event, page); a browser adds its page load.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def copy_site(src, dst):
    for name in ["site.yaml", "content", "reviews", "static", "themes"]:
        p = os.path.join(src, name)
        if os.path.isdir(p):
            shutil.copytree(p, os.path.join(dst, name))
        elif os.path.isfile(p):
            shutil.copy2(p, os.path.join(dst, name))


def first_article(root):
    for dirpath, _, files in sorted(os.walk(os.path.join(root, "content"))):
        for f in sorted(files):
            if f.endswith(".md") and f != "_index.md":
                return os.path.join(dirpath, f)
    sys.exit("no article found")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default=REPO)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--binary", default=os.path.join(REPO, "target/release/sanshen"))
    ap.add_argument("--trust-root", default=os.environ.get("SANSHEN_TRUST_ROOT", ""))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sanshen-preview-")
    copy_site(args.site, tmp)
    article = first_article(tmp)
    cmd = [args.binary, "serve", "--root", tmp, "--port", "0"]
    if args.trust_root:
        cmd += ["--trust-root", args.trust_root]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = None
        deadline = time.time() + 600
        while port is None and time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                sys.exit("serve stopped before it listened")
            m = re.search(r"127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
        rel = os.path.relpath(article, os.path.join(tmp, "content"))
        page = "/" + rel[: -len(".md")].replace(os.sep, "/") + "/"
        if page.endswith("/index/"):
            page = page[: -len("index/")]
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(f"GET /__sanshen/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        stream = sock.makefile("rb")
        while stream.readline() not in (b"\r\n", b""):
            pass
        event_ms, page_ms = [], []
        for i in range(args.rounds):
            time.sleep(0.5)
            t0 = time.perf_counter()
            with open(article, "a", encoding="utf-8") as f:
                f.write(f"\n预览计时第 {i + 1} 次修改。\n")
            while True:
                line = stream.readline()
                if not line:
                    sys.exit("event stream closed")
                if line.startswith(b"event: reload"):
                    break
            t1 = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}") as r:
                r.read()
            t2 = time.perf_counter()
            event_ms.append((t1 - t0) * 1000)
            page_ms.append((t2 - t0) * 1000)
        for name, xs in [("reload event", event_ms), ("page fetched", page_ms)]:
            print(f"{name}: median {statistics.median(xs):.0f} ms (range {min(xs):.0f}–{max(xs):.0f}) over {len(xs)} saves")
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
