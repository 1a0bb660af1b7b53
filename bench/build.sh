#!/usr/bin/env bash
# Build-time benchmark against the peers' figures (../shared/bench/RESULTS.md):
# the same synthetic corpus (gen_corpus.py, seed 1), signed so that every
# article is published, with the example site's site.yaml and theme.
# Whole-process figures from ../shared/bench/measure.py (median of RUNS).
#
#   bench/build.sh [N] [WORK]      defaults: 10000, /dev/shm/sanshen-bench
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
work="${2:-/dev/shm/sanshen-bench}"
runs="${RUNS:-5}"
shared="$(cd .. && pwd)/shared/bench"

cargo build --release --quiet
bin="$PWD/target/release/sanshen"
site="$work/plain-$n"
rm -rf "$site" && mkdir -p "$work"
root=$(python3 "$shared/gen_corpus.py" --format plain --n "$n" --seed 1 --out "$site" --signed | tail -n 1)
grep -v -e '^trust_root' -e '^notices_column' site.yaml > "$site/site.yaml"
cp -r themes "$site/"
# The corpus tool signs governance v1 (reviews/ only); governance v2 signs
# the whole frame (site.yaml, theme, columns), so the root signs it again.
python3 "$shared/sign_corpus.py" "$site" --seed 1 --keys-out "$work/keys-$n" >/dev/null
"$bin" governance sign --key "$work/keys-$n/root.pem" --root "$site" --trust-root "$root" \
  --now 2026-11-21T12:00:00+08:00 >/dev/null
echo "语料：$n 篇文章（已签名），信任根 $root"

export SOURCE_DATE_EPOCH=1795233600
now=2026-11-21T12:00:00+08:00
"$bin" build --root "$site" --out "$work/out-$n" --trust-root "$root" --now "$now" --timings | tail -n 8
echo "== sanshen build（输出目录先写临时目录再整体替换）"
python3 "$shared/measure.py" -n "$runs" --warmup 1 -- \
  "$bin" build --root "$site" --out "$work/out-$n" --trust-root "$root" --now "$now" --quiet
