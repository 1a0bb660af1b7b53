#!/usr/bin/env python3
"""Write a `git fast-import` stream for the history benchmark: a site with
N articles in 20 columns built up over C commits (each commit adds N/C
articles and edits one earlier article), plus site.yaml and reviews/ of the
example site so that `sanshen build --rev HEAD` runs.

Usage: gen_history.py SITE_DIR [--articles 10000] [--commits 5000] | git fast-import
Output is a pure function of the arguments (fixed seed and dates).
"""
import argparse
import os
import random
import sys

COLUMNS = [f"col{i:02d}" for i in range(20)]
START = 1_767_225_600  # 2026-01-01T00:00:00Z


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", help="the example site (for site.yaml and reviews/)")
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=5000)
    args = ap.parse_args()
    out = sys.stdout.buffer
    rnd = random.Random(1)
    mark = 0

    def blob(data: bytes) -> int:
        nonlocal mark
        mark += 1
        out.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)))
        out.write(data + b"\n")
        return mark

    def commit(n: int, files: list, parent) -> int:
        nonlocal mark
        marks = [(path, blob(data)) for path, data in files]
        mark += 1
        when = START + n * 3600
        msg = f"提交 {n}".encode()
        out.write(b"commit refs/heads/main\nmark :%d\n" % mark)
        for who in (b"author", b"committer"):
            out.write(who + " 王芳 <wangfang@example.gov.cn> %d +0800\n".encode() % when)
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        if parent is not None:
            out.write(b"from :%d\n" % parent)
        for path, m in marks:
            out.write(b"M 100644 :%d %s\n" % (m, path.encode()))
        out.write(b"\n")
        return mark

    first = [("site.yaml", open(os.path.join(args.site, "site.yaml"), "rb").read())]
    reviews = os.path.join(args.site, "reviews")
    for name in sorted(os.listdir(reviews)):
        path = os.path.join(reviews, name)
        if os.path.isfile(path):
            first.append((f"reviews/{name}", open(path, "rb").read()))
    for c in COLUMNS:
        first.append((f"content/{c}/_index.md", f"---\ntitle: 栏目{c}\n---\n".encode()))
    head = commit(0, first, None)

    per = max(1, args.articles // args.commits)
    made = []
    for n in range(1, args.commits + 1):
        files = []
        for _ in range(per):
            if len(made) >= args.articles:
                break
            i = len(made)
            path = f"content/{COLUMNS[i % 20]}/a{i:05d}.md"
            made.append(path)
            files.append((path, article(i, 0)))
        if made:
            j = rnd.randrange(len(made))
            files.append((made[j], article(j, n)))
        head = commit(n, files, head)


def article(i: int, rev: int) -> bytes:
    day = 1 + i % 28
    return (
        f"---\ntitle: 测试文章{i}\nclass: A\ndate: \"2026-10-{day:02d}\"\n---\n\n"
        f"第 {rev} 版正文。关于做好第{i}项工作的通知。\n"
    ).encode()


if __name__ == "__main__":
    main()
