#!/usr/bin/env bash
# Runs the fuzz targets built in <build>/fuzz/ one after the other, each for
# FUZZ_SECONDS (default 60) on its corpus (<build>/fuzz/corpus/<name>/, kept
# and grown between runs) and its seeds (<build>/fuzz/seeds/<name>/, from
# seeds.sh), with the limits of docs/reliability.md: inputs up to 64 KiB, 10 s
# per input, 2 GiB of RSS. Before fuzzing, each target replays its saved
# regressions (tests/fuzz/regressions/fuzz_<name>-*) once with the same limits.
# A crash, hang (timeout), out-of-memory or leak stops that target; its input
# is saved under <build>/fuzz/crashes/ and printed with the end of the log, the
# other targets still run, and the script exits 1.
# Each target's full log is <build>/fuzz/fuzz_<name>.log.
#
# Usage: tests/fuzz/run.sh <build-dir>
# Environment: FUZZ_SECONDS (per target), FUZZ_TARGETS (names, e.g. "mime
# date"; default: all of <build>/fuzz/targets.txt), FUZZ_FLAGS (extra
# libFuzzer flags, e.g. "-jobs=2 -workers=2" or "-only_ascii=1").
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="${1:?usage: run.sh <build-dir>}"
lsan_user="${LSAN_OPTIONS-}" # the caller's own LeakSanitizer options, kept
seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-$(cat "$build/fuzz/targets.txt")}"
targets="$(tr -s ' \n\t' '   ' <<<"$targets")" # one line, single spaces
targets="${targets% }"
crashes="$build/fuzz/crashes"
mkdir -p "$crashes"

failed=()
for name in $targets; do
  name="${name#fuzz_}"
  bin="$build/fuzz/fuzz_$name"
  log="$build/fuzz/fuzz_$name.log"
  if [ ! -x "$bin" ]; then
    echo "fuzz_$name: not built ($bin)" >&2
    failed+=("fuzz_$name: not built")
    continue
  fi
  mkdir -p "$build/fuzz/corpus/$name" "$build/fuzz/seeds/$name"
  # A known libxapian leak on query syntax errors (the .supp file says
  # which, and what mlarc does about it): suppressed for that target only.
  if [ "$name" = query_index ]; then
    export LSAN_OPTIONS="${lsan_user:+$lsan_user:}suppressions=$here/lsan-xapian-queryparser.supp:print_suppressions=0"
  elif [ -n "$lsan_user" ]; then
    export LSAN_OPTIONS="$lsan_user"
  else
    unset LSAN_OPTIONS
  fi
  # The saved regressions first, with the same limits: under the sanitizers
  # and the 10 s timeout they also catch what the replay unit test cannot
  # (a super-linear cost is a timeout here).
  replay_log="$build/fuzz/fuzz_$name.replay.log"
  : >"$replay_log"
  for input in "$here/regressions/fuzz_$name-"*; do
    [ -f "$input" ] || continue
    "$bin" -runs=1 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/replay-fuzz_$name-" \
      "$input" >"$replay_log.one" 2>&1
    rc=$?
    cat "$replay_log.one" >>"$replay_log"
    if [ "$rc" -ne 0 ]; then
      echo "---- fuzz_$name: saved regression $(basename "$input") still fails:"
      grep -E '^SUMMARY|==[0-9]+==ERROR|invariant violated' "$replay_log.one" | tail -n 3
      failed+=("fuzz_$name: regression $input (log: $replay_log)")
    fi
    rm -f "$replay_log.one"
  done
  args=(-max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$crashes/fuzz_$name-" -print_final_stats=1)
  [ -f "$here/$name.dict" ] && args+=(-dict="$here/$name.dict")
  echo "fuzz_$name: ${seconds}s ..."
  # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
  "$bin" "${args[@]}" ${FUZZ_FLAGS:-} "$build/fuzz/corpus/$name" "$build/fuzz/seeds/$name" \
    >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
  corpus=$(find "$build/fuzz/corpus/$name" -type f | wc -l)
  echo "fuzz_$name: exit $rc, ${runs:-?} execs, ${rate:-?} exec/s, ${cov:-cov: ?}, corpus $corpus files"
  if [ "$rc" -ne 0 ]; then
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    echo "---- fuzz_$name FAILED; end of $log:"
    grep -v -E '^(#[0-9]+|INFO:|MS:|Dictionary:|Loaded |stat::)' "$log" | tail -n 60
    echo "---- crashing input: ${artifact:-(none written; see $log)}"
    echo "     replay: $bin ${artifact:-<file>}"
    echo "     minimise: $bin -minimize_crash=1 -max_total_time=60 ${artifact:-<file>}"
    failed+=("fuzz_$name: ${artifact:-exit $rc, see $log}")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems:"
  printf '  %s\n' "${failed[@]}"
  exit 1
fi
echo "fuzzing: no crash in $targets (${seconds}s each)"
