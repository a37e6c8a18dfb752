#!/usr/bin/env bash
# Growth benchmark (issue #8): how import, index and queries scale with the
# size of the archive. For each size - the sample generator at SCALES copies
# (100: about 100,000 messages, 1000: about 1,000,000) and the linux-mips
# corpus - it imports (--no-index) and indexes a fresh archive and prints one
# row: messages, wall and CPU seconds, messages/s (per wall and per CPU
# second), peak RSS and size on disk of each step, and the median whole-process
# time of a few queries. Cost should grow linearly with the archive for import
# and index, stay nearly flat for queries, and peak RSS should not grow.
#
# Usage: tests/bench/scale.sh BUILD_DIR [WORK_DIR]
#   SCALES="100 1000" (default "100"), CORPUS=0 skips linux-mips, SHARDS=N
#   also indexes with --shards N, RUNS=5 query runs, KEEP=1 keeps the archives.
#   WORK_DIR (default BUILD_DIR/bench-scale) needs about 2 GB per 100,000
#   messages. Writes WORK_DIR/scale.md. The machine is shared: quote CPU
#   seconds (user+sys), not wall seconds, when it is loaded.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
work=${2:-$build/bench-scale}
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${MLARC_SHARED:-$src/../shared}
mlarc=$build/cli/mlarc
gen=$build/data/generator/mlarc-sample-gen
SCALES=${SCALES:-100}
CORPUS=${CORPUS:-1}
RUNS=${RUNS:-5}
T=/usr/bin/time
[ -x "$mlarc" ] || { echo "scale.sh: no $mlarc; build first" >&2; exit 2; }
[ -x "$gen" ] || { echo "scale.sh: no $gen; build first" >&2; exit 2; }
[ -x "$T" ] || { echo "scale.sh: needs /usr/bin/time (package time)" >&2; exit 2; }
mkdir -p "$work"
export NO_COLOR=1 TZ=UTC
rows=()

calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

# timed LOG cmd... -> sets wall cpu rss_mb
timed() {
    local log=$1; shift
    $T -f "%e %U %S %M" -o "$work/time.txt" "$@" >"$log" 2>&1 ||
        { echo "scale.sh: failed: $* (see $log)" >&2; tail -5 "$log" >&2; exit 1; }
    read -r wall u s rss < <(tail -1 "$work/time.txt")
    cpu=$(calc "$u + $s" 2)
    rss_mb=$((rss / 1024))
}

# query_ms ARCHIVE QUERY... -> median wall ms and median CPU ms of RUNS runs.
# Wall time from date +%s%N around the run (time(1)'s %e has 10 ms steps, which
# showed every fast query as 0); CPU from time(1), still in 10 ms steps.
query_ms() {
    local a=$1; shift
    local walls=() cpus=() i t0 t1
    "$mlarc" search --archive "$a" --no-snippets "$@" >/dev/null 2>&1 || true
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        $T -f "%e %U %S" -o "$work/q.txt" "$mlarc" search --archive "$a" --limit 20 "$@" >/dev/null 2>&1
        t1=$(date +%s%N)
        read -r w u s < <(tail -1 "$work/q.txt")
        walls+=("$(calc "($t1 - $t0) / 1000000" 1)"); cpus+=("$(calc "($u + $s) * 1000" 0)")
    done
    med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
    echo "$(med "${walls[@]}")/$(med "${cpus[@]}")"
}

# measure NAME ARCHIVE IMPORT_CMD... : import, index, size, queries -> row
measure() {
    local name=$1 a=$2; shift 2
    rm -rf "$a"
    echo "== $name: import" >&2
    timed "$work/$name-import.log" "$@"
    local iw=$wall ic=$cpu ir=$rss_mb
    echo "== $name: index" >&2
    timed "$work/$name-index.log" "$mlarc" index --quiet --archive "$a"
    local xw=$wall xc=$cpu xr=$rss_mb
    local msgs
    msgs=$("$mlarc" count --archive "$a")
    local store_mb index_mb
    store_mb=$(du -sm "$a/store.sqlite" | cut -f1)
    index_mb=$(du -sm "$a/xapian" | cut -f1)
    echo "== $name: queries" >&2
    local q1 q2 q3
    q1=$(query_ms "$a" kernel)
    q2=$(query_ms "$a" '"the meeting"')
    q3=$(query_ms "$a" --since 2018-01 --until 2018-06 data)
    rows+=("$name|$msgs|$iw|$ic|$(calc "$msgs / $ic" 0)|$ir|$store_mb|$xw|$xc|$(calc "$msgs / $xc" 0)|$xr|$index_mb|$q1|$q2|$q3")
    if [ -n "${SHARDS:-}" ]; then
        echo "== $name: index --shards $SHARDS" >&2
        timed "$work/$name-shards.log" "$mlarc" index --quiet --rebuild --shards "$SHARDS" --archive "$a"
        rows+=("$name --shards $SHARDS|$msgs|-|-|-|-|-|$wall|$cpu|$(calc "$msgs / $cpu" 0)|$rss_mb|$(du -sm "$a/xapian" | cut -f1)|$(query_ms "$a" kernel)|$(query_ms "$a" '"the meeting"')|$(query_ms "$a" --since 2018-01 --until 2018-06 data)")
    fi
    [ "${KEEP:-0}" = 1 ] || rm -rf "$a"
}

for scale in $SCALES; do
    g=$work/gen-$scale
    if [ ! -f "$g/fgdpm.mbox" ]; then
        echo "== generating --scale $scale" >&2
        "$gen" --out "$g" --scale "$scale" --jobs 1 >/dev/null
    fi
    measure "sample-x$scale" "$work/a-$scale" bash -c '
        m=$1 a=$2 g=$3
        for f in "$g"/*.mbox; do "$m" import --quiet --no-index --archive "$a" --list "$(basename "$f" .mbox)" "$f" || exit 1; done' \
        _ "$mlarc" "$work/a-$scale" "$g"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$g"
done
if [ "$CORPUS" = 1 ]; then
    if [ -d "$shared/corpora/linux-mips" ]; then
        measure linux-mips "$work/a-linux-mips" "$mlarc" import --quiet --no-index --archive "$work/a-linux-mips" \
            --list linux-mips "$shared"/corpora/linux-mips/*.mbox.zst
    else
        echo "scale.sh: $shared/corpora/linux-mips is absent; skipping the corpus row" >&2
    fi
fi

{
    echo "# mlarc growth benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "Import and index: wall s, CPU s (user+sys), messages per CPU second, peak RSS MB, size MB."
    echo "Queries (mlarc search --limit 20, whole process): median wall ms / median CPU ms of $RUNS runs."
    echo
    echo "| archive | messages | import wall | import CPU | import msg/CPU-s | import RSS | store MB | index wall | index CPU | index msg/CPU-s | index RSS | index MB | q kernel | q \"the meeting\" | q date+word |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
} | tee "$work/scale.md"
