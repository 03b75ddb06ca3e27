#!/usr/bin/env bash
# Builds the fuzz preset (clang, libFuzzer, ASan + UBSan) and runs every fuzz
# target (tests/fuzz) from its committed seeds, two at a time.
#
#   scripts/fuzz.sh --runs N [TARGET...]     N executions per target
#   scripts/fuzz.sh --seconds S [TARGET...]  S seconds per target (CI smoke)
#   scripts/fuzz.sh --report [TARGET...]     the table of the last runs only
#
# New coverage-increasing inputs collect in build/fuzz/work/<target> (not in
# the source tree); a finding (crash, sanitizer report, timeout of 10 s,
# more than 2 GiB) is saved in build/fuzz/findings/<target>/ and makes the
# script exit 1. Once fixed, commit the input to tests/fuzz/crashes/<target>/
# so that CTest replays it forever. The summary (executions, time, rate,
# findings) is printed and written to build/fuzz/report.md.
source "$(dirname "$0")/common.sh"

limit=() ; what="" ; report_only=0
case "${1:-}" in
  --runs) limit=(-runs="$2"); what="$2 runs per target"; shift 2 ;;
  --seconds) limit=(-max_total_time="$2"); what="$2 s per target"; shift 2 ;;
  --report) report_only=1; what="report of the last runs"; shift ;;
  *) echo "fuzz.sh: error: usage: fuzz.sh --runs N | --seconds S |" \
          "--report [TARGET...]" >&2
     exit 2 ;;
esac
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(nn_trace_spec iris_csv corpus lm_files lm_checkpoint word_vectors
           eval_files live_request)
fi

out="$FFNN_ROOT/build/fuzz"
if [ $report_only -eq 0 ]; then
  ffnn_build fuzz
  mkdir -p "$out/logs"
fi

run_one() {
  local t=$1
  mkdir -p "$out/work/$t" "$out/findings/$t"
  # -rss_limit_mb: a reader that trusts a lying header allocates gigabytes;
  # -timeout: one input taking 10 s is a hang; -max_len: 4096 bytes (the
  # Iris seeds need 2.7 KB to reach the split), 1024 for the text corpora
  # (the tokenizer's and vocabulary's cases are local, and shorter inputs
  # run four times as fast under the sanitizers).
  local max_len=4096
  case $t in corpus|lm_files) max_len=1024 ;; esac
  "$out/tests/fuzz/fuzz_$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
      -max_len=$max_len \
      -print_final_stats=1 -artifact_prefix="$out/findings/$t/" \
      "$out/work/$t" "$FFNN_ROOT/tests/fuzz/corpus/$t" \
      > "$out/logs/$t.log" 2>&1 || true
}
if [ $report_only -eq 0 ]; then
  export -f run_one
  export out FFNN_ROOT
  export limit_str="${limit[*]}"
  printf '%s\n' "${targets[@]}" |
    xargs -P "$(nproc)" -I{} bash -c 'limit=($limit_str); run_one {}'
fi

status=0
report="$out/report.md"
{
  echo "| target | executions | seconds | executions/s | findings |"
  echo "|---|---:|---:|---:|---:|"
} > "$report.tmp"
for t in "${targets[@]}"; do
  if [ ! -f "$out/logs/$t.log" ]; then
    echo "| $t | not run | | | |" >> "$report.tmp"; status=1; continue
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/logs/$t.log" |
         grep -o '[0-9]*$' || echo 0)
  secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$out/logs/$t.log" |
         grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo "?")
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$out/logs/$t.log" |
         grep -o '[0-9]*$' || echo 0)
  found=$(find "$out/findings/$t" -type f 2>/dev/null | wc -l)
  # A finding, or a run that did not end with libFuzzer's "Done".
  if [ "$found" -ne 0 ] || ! grep -q '^Done ' "$out/logs/$t.log"; then
    status=1
  fi
  echo "| $t | ${runs:-0} | ${secs:-?} | ${rate:-0} | $found |" >> "$report.tmp"
done
mv "$report.tmp" "$report"
cat "$report"
echo "fuzz.sh: $what; logs in $out/logs, report in $out/report.md"
if [ $status -ne 0 ]; then
  echo "fuzz.sh: error: findings (or a target that did not finish):" \
       "see $out/findings and $out/logs" >&2
fi
exit $status
