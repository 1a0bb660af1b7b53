#!/usr/bin/env bash
# History-walk benchmark: a synthetic repository with 10,000 articles and
# 5,000 commits (built with git fast-import), then `sanshen build --rev HEAD`
# five times; prints the median of the 提交历史（history） phase and of the
# whole `sanshen status --rev HEAD` run.
#
#   bench/history.sh [ARTICLES] [COMMITS]
set -euo pipefail
cd "$(dirname "$0")/.."
articles="${1:-10000}"
commits="${2:-5000}"
runs=5

cargo build --release --quiet
bin="$PWD/target/release/sanshen"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

repo="$work/repo"
git init -q "$repo"
git -C "$repo" symbolic-ref HEAD refs/heads/main
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.3f", b - a}'; }
start=$(date +%s.%N)
python3 bench/gen_history.py . --articles "$articles" --commits "$commits" |
  git -C "$repo" fast-import --quiet
echo "生成仓库：$articles 篇文章、$((commits + 1)) 个提交，用时 $(since "$start") 秒"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

export SOURCE_DATE_EPOCH=1795233600
hist=()
for _ in $(seq "$runs"); do
  "$bin" build --root "$repo" --rev HEAD --out "$work/out" --timings --quiet >"$work/log" 2>&1 || {
    cat "$work/log" >&2
    exit 1
  }
  hist+=("$(grep '提交历史' "$work/log" | awk '{print $1}')")
done
echo "历史遍历（一次 revwalk，${runs} 次的中位数）：$(printf '%s\n' "${hist[@]}" | median) 秒"
grep -E '秒  ' "$work/log" | sed 's/^/  最后一次：/'

totals=()
for _ in $(seq "$runs"); do
  s=$(date +%s.%N)
  "$bin" status --root "$repo" --rev HEAD >/dev/null 2>&1 || true
  totals+=("$(since "$s")")
done
echo "sanshen status --rev HEAD 全程（${runs} 次的中位数）：$(printf '%s\n' "${totals[@]}" | median) 秒"
