#!/usr/bin/env bash
# Benchmarks of reifegrad (not part of the test suite; see BENCHMARKS.md).
#
#   benches/run.sh            sizes 10k, 100k and 1M rows, 5 repetitions each
#   REPS=3 SIZES="100000" benches/run.sh
#
# Every measurement of `reifegrad score` is paired with the reference loop (plain csv
# crate parse + count, examples/bench_reference.rs) over the same file in the same
# run, so the ratio survives a noisy machine. Times are medians; RSS is the peak
# resident set size of one run (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-5}
SIZES=${SIZES:-"10000 100000 1000000"}
DATA=target/bench-data
OUT=target/bench-out
cargo build --release --locked --quiet --bin reifegrad --example bench_data --example bench_reference
BIN=target/release/reifegrad
mkdir -p "$DATA" "$OUT"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }
peak_kb() {
  if [ -x /usr/bin/time ]; then /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; else echo "n/a"; fi
}

echo "| rows | file | reference (s) | reifegrad score (s) | ratio | peak RSS |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  target/release/examples/bench_data "$DATA" "$n"
  f="$DATA/survey-$n.csv"
  cat "$f" >/dev/null   # warm the page cache
  ref=(); ours=()
  for _ in $(seq "$REPS"); do
    ref+=("$(seconds target/release/examples/bench_reference "$f")")
    ours+=("$(seconds "$BIN" score -q "$DATA/questionnaire.toml" "$f" --quiet)")
  done
  r=$(printf '%s\n' "${ref[@]}" | median); o=$(printf '%s\n' "${ours[@]}" | median)
  rss=$(peak_kb "$BIN" score -q "$DATA/questionnaire.toml" "$f" --quiet)
  size=$(du -h "$f" | cut -f1)
  printf '| %s | %s | %.3f | %.3f | %.2f | %s MB |\n' "$n" "$size" "$r" "$o" "$(div "$o" "$r")" "$(( ${rss/n\/a/0} / 1024 ))"
done

# the same rows as one file per department (a survey pooled from many offices): files
# are read two at a time
last=${SIZES##* }
target/release/examples/bench_data "$DATA" "$last" files
dirf="$DATA/survey-$last-files"
many=()
for _ in $(seq "$REPS"); do
  many+=("$(seconds "$BIN" score -q "$DATA/questionnaire.toml" "$dirf" --quiet)")
done
m=$(printf '%s\n' "${many[@]}" | median)
rss=$(peak_kb "$BIN" score -q "$DATA/questionnaire.toml" "$dirf" --quiet)
printf '| %s in %s files | %s | | %.3f | | %s MB |\n' "$last" "$(ls "$dirf" | wc -l)" "$(du -sh "$dirf" | cut -f1)" "$m" "$(( ${rss/n\/a/0} / 1024 ))"

echo
echo "| report | time (s) | charts | per chart (ms) |"
echo "|---|---:|---:|---:|"
sample=()
for _ in $(seq "$REPS"); do
  rm -rf "$OUT/sample"
  sample+=("$(seconds "$BIN" report -p samples/musterstadt/reifegrad.toml -o "$OUT/sample" --quiet)")
done
s=$(printf '%s\n' "${sample[@]}" | median)
c=$(ls "$OUT/sample/charts" | wc -l)
printf '| sample (2 waves, 11 departments) | %.3f | %s | |\n' "$s" "$c"
f="$DATA/survey-100000.csv"
target/release/examples/bench_data "$DATA" 100000
big=()
for _ in $(seq "$REPS"); do
  rm -rf "$OUT/big"
  big+=("$(seconds "$BIN" report -q "$DATA/questionnaire.toml" "$f" -o "$OUT/big" --quiet)")
done
b=$(printf '%s\n' "${big[@]}" | median)
c=$(ls "$OUT/big/charts" | wc -l)
printf '| 400 departments, 100k rows | %.3f | %s | |\n' "$b" "$c"
ch=()
for _ in $(seq "$REPS"); do
  rm -rf "$OUT/charts"
  ch+=("$(seconds "$BIN" chart -q "$DATA/questionnaire.toml" "$DATA/survey-10000.csv" -o "$OUT/charts" --chart bars --quiet)")
done
t=$(printf '%s\n' "${ch[@]}" | median)
c=$(ls "$OUT/charts" | wc -l)
printf '| bars charts only (10k rows, incl. scoring) | %.3f | %s | %.1f |\n' "$t" "$c" "$(div "$(div "$t" "$c")" 0.001)"
