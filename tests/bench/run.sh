#!/usr/bin/env bash
# mlarc benchmark: import + index of the linux-mips corpus next to notmuch, mu and
# mairix on the same messages, in the same run, and the floor (decompress and split).
# Prints one table (wall and CPU seconds, messages/s, peak RSS, size on disk)
# with the ratios mlarc/notmuch and mlarc/mu, and writes it to
# BUILD/bench/results.md. On a shared machine wall times move with the load:
# compare the CPU column (user + sys) and the ratios of one run.
#
# Usage: tests/bench/run.sh BUILD_DIR        (QUICK=1: only the 2017-2019 files)
# Needs ../shared/corpora/linux-mips (MLARC_SHARED overrides ../shared);
# installs notmuch, maildir-utils, time, hyperfine with apt-get when missing.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${MLARC_SHARED:-$src/../shared}
corpus=$shared/corpora/linux-mips
mlarc=$build/cli/mlarc
out=$build/bench
if [ ! -d "$corpus" ]; then
  echo "bench: $corpus is absent; the benchmark needs the shared linux-mips corpus" \
       "(set MLARC_SHARED to the folder holding corpora/)" >&2
  exit 1
fi
if [ ! -x "$mlarc" ]; then
  echo "bench: $mlarc is missing; build first (make -f Makefile.dist build)" >&2
  exit 1
fi
need=""
for p in notmuch maildir-utils mairix time hyperfine zstd; do
  dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "bench: installing$need" >&2
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need >/dev/null ||
    { echo "bench: could not install$need (apt-get failed)" >&2; exit 1; }
fi

if [ "${QUICK:-0}" = 1 ]; then
  files=("$corpus"/linux-mips-201[789].mbox.zst); label="2017-2019 files"
else
  files=("$corpus"/*.mbox.zst); label="whole corpus"
fi
[ -f "${files[0]}" ] || { echo "bench: no .mbox.zst files in $corpus" >&2; exit 1; }
rm -rf "$out"; mkdir -p "$out"
T=/usr/bin/time
fmt="%e %U %S %M"   # wall user sys maxrss(KB)
rows=()
calc() { awk "BEGIN { v = $1; if (v == int(v)) print v; else printf \"%.2f\\n\", v }"; }
size_mb() { local s=0 p; for p in "$@"; do [ -e "$p" ] && s=$((s + $(du -sk "$p" | cut -f1))); done; echo $((s / 1024)); }

# row NAME MESSAGES WALL CPU RSS_MB SIZE_MB -> appends a table row, remembers wall/cpu
row() {
  local key=${1//[-.+]/_}
  rows+=("$1|$2|$3|$4|$(calc "int($2 / ($3 > 0 ? $3 : 0.01))")|$5|$6")
  eval "wall_$key=$3; cpu_$key=$4; rss_$key=$5"
}

# measure NAME MESSAGES "SIZE_PATHS" cmd...  -> runs cmd under time(1), appends a row
measure() {
  local name=$1 msgs=$2 sizepaths=$3; shift 3
  if ! $T -f "$fmt" -o "$out/time.txt" "$@" > "$out/$name.log" 2>&1; then
    echo "bench: $name failed, see $out/$name.log" >&2; tail -5 "$out/$name.log" >&2; return 1
  fi
  local wall user sys rss size="-"
  read -r wall user sys rss < <(tail -1 "$out/time.txt")
  # shellcheck disable=SC2086
  [ -n "$sizepaths" ] && size=$(size_mb $sizepaths)
  row "$name" "$msgs" "$wall" "$(calc "$user + $sys")" "$((rss / 1024))" "$size"
}

echo "== corpus: $label (${#files[@]} files)"
total=$("$mlarc" import --count-only "${files[@]}" | awk '/^total/ {print $2}' | tr -d ,)
echo "messages: $total"

echo "== floor: decompress only, and decompress + split"
measure zstd-decompress "$total" "" bash -c 'zstd -dcq "$@" > /dev/null' _ "${files[@]}"
measure floor-split "$total" "" "$mlarc" import --count-only "${files[@]}"

echo "== mlarc import (store only), then index (full, then light)"
ml=$out/mlarc
measure mlarc-import "$total" "$ml/store.sqlite" "$mlarc" import --quiet --no-index --archive "$ml" --list linux-mips "${files[@]}"
cp -r "$ml" "$out/mlarc-light"   # not timed: the light index starts from the same store
measure mlarc-index "$total" "$ml/xapian" "$mlarc" index --quiet --archive "$ml"
measure mlarc-index-light "$total" "$out/mlarc-light/xapian" "$mlarc" index --quiet --level light --archive "$out/mlarc-light"
# Import + index, as `mlarc import` runs it by default: the sum of the two steps.
row mlarc-import+index "$total" "$(calc "$wall_mlarc_import + $wall_mlarc_index")" \
    "$(calc "$cpu_mlarc_import + $cpu_mlarc_index")" \
    "$((rss_mlarc_import > rss_mlarc_index ? rss_mlarc_import : rss_mlarc_index))" \
    "$(size_mb "$ml/store.sqlite" "$ml/xapian")"
row mlarc-import+light "$total" "$(calc "$wall_mlarc_import + $wall_mlarc_index_light")" \
    "$(calc "$cpu_mlarc_import + $cpu_mlarc_index_light")" \
    "$((rss_mlarc_import > rss_mlarc_index_light ? rss_mlarc_import : rss_mlarc_index_light))" \
    "$(size_mb "$out/mlarc-light/store.sqlite" "$out/mlarc-light/xapian")"
measure mlarc-reimport "$total" "" "$mlarc" import --quiet --archive "$ml" --list linux-mips "${files[@]}"
# What `mlarc import` does by default: on a new archive, the import and then a
# full index build on both cores (on an archive with an index, the index
# follows the import batch by batch instead: IndexFollower).
mo=$out/mlarc-overlap
measure mlarc-import-indexing "$total" "$mo/store.sqlite $mo/xapian" "$mlarc" import --quiet --archive "$mo" --list linux-mips "${files[@]}"

echo "== Maildir copy for notmuch and mu (not timed)"
md=$out/maildir
mkdir -p "$md/cur" "$md/new" "$md/tmp"
for f in "${files[@]}"; do
  zstd -dcq "$f" | awk -v dir="$md/cur" -v base="$(basename "$f" .mbox.zst)" '
    BEGIN { n = 0; prev_blank = 1; out = "" }
    /^From / && prev_blank { if (out != "") close(out); n++; out = sprintf("%s/%s-%06d:2,", dir, base, n); prev_blank = 0; next }
    { line = $0; if (line ~ /^>+From /) line = substr(line, 2); print line > out; prev_blank = ($0 == "") }'
done
echo "maildir files: $(find "$md/cur" -type f | wc -l)"

echo "== notmuch new"
nm=$out/notmuch; mkdir -p "$nm"
cat > "$nm/config" <<EOC
[database]
path=$md
[new]
tags=
[search]
exclude_tags=
[maildir]
synchronize_flags=false
EOC
measure notmuch-new "$total" "$md/.notmuch" env NOTMUCH_CONFIG="$nm/config" notmuch new --quiet
measure notmuch-rerun "$total" "" env NOTMUCH_CONFIG="$nm/config" notmuch new --quiet

echo "== mu index"
mh=$out/mu
mu init --quiet --muhome="$mh" --maildir="$md" > /dev/null 2>&1 || mu init --muhome="$mh" --maildir="$md" > /dev/null
measure mu-index "$total" "$mh/xapian" mu index --quiet --muhome="$mh"
measure mu-rerun "$total" "" mu index --quiet --muhome="$mh"

# mairix (issue 3's yardstick for `--level light`): a word index without
# positions (no phrase search), over the same Maildir.
if command -v mairix > /dev/null; then
  echo "== mairix"
  mx=$out/mairix; mkdir -p "$mx"
  printf 'base=%s\nmaildir=%s\ndatabase=%s/db\nmfolder=%s/results\n' \
    "$(dirname "$md")" "$(basename "$md")" "$mx" "$mx" > "$mx/rc"
  measure mairix-index "$total" "$mx/db" mairix -f "$mx/rc"
fi

# ratio A B -> "A/B" of wall and of CPU ("x" means mlarc takes that fraction)
ratio() { echo "wall $(calc "$1 / $2"), CPU $(calc "$3 / $4")"; }
{
  echo "# mlarc benchmark ($label, $total messages), $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| step | messages | wall s | CPU s (user+sys) | messages/s (wall) | peak RSS MB | size MB |"
  echo "|---|---|---|---|---|---|---|"
  for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
  echo
  echo "Ratios (below 1: mlarc takes less):"
  echo "- mlarc import+index / notmuch new: $(ratio "$wall_mlarc_import_index" "$wall_notmuch_new" "$cpu_mlarc_import_index" "$cpu_notmuch_new")"
  echo "- mlarc import+index / mu index:    $(ratio "$wall_mlarc_import_index" "$wall_mu_index" "$cpu_mlarc_import_index" "$cpu_mu_index")"
  echo "- mlarc import (default, with its index) / notmuch new: $(ratio "$wall_mlarc_import_indexing" "$wall_notmuch_new" "$cpu_mlarc_import_indexing" "$cpu_notmuch_new")"
  echo "- mlarc import (default, with its index) / mu index:     $(ratio "$wall_mlarc_import_indexing" "$wall_mu_index" "$cpu_mlarc_import_indexing" "$cpu_mu_index")"
  echo "- mlarc import+light / notmuch new: $(ratio "$wall_mlarc_import_light" "$wall_notmuch_new" "$cpu_mlarc_import_light" "$cpu_notmuch_new")"
  echo "- mlarc import+light / mu index:    $(ratio "$wall_mlarc_import_light" "$wall_mu_index" "$cpu_mlarc_import_light" "$cpu_mu_index")"
  if [ -n "${wall_mairix_index:-}" ]; then
    echo "- mlarc index (light) / mairix:      $(ratio "$wall_mlarc_index_light" "$wall_mairix_index" "$cpu_mlarc_index_light" "$cpu_mairix_index")"
    echo "- mlarc import+light / mairix:       $(ratio "$wall_mlarc_import_light" "$wall_mairix_index" "$cpu_mlarc_import_light" "$cpu_mairix_index")"
  fi
  echo "- mlarc import / split floor:       $(ratio "$wall_mlarc_import" "$wall_floor_split" "$cpu_mlarc_import" "$cpu_floor_split")"
  echo "- mlarc index size / notmuch size:  $(calc "$(size_mb "$ml/xapian") / $(size_mb "$md/.notmuch")")"
} | tee "$out/results.md"

if [ -f "$src/tests/bench/queries.sh" ]; then
  echo "== queries"
  bash "$src/tests/bench/queries.sh" "$mlarc" "$ml" "$nm/config" "$mh" | tee -a "$out/results.md"
fi

# ---- further benchmarks ------------------------------------------------------
# Other benchmark scripts append their calls below this line; each gets
# $mlarc, $ml (the imported and indexed archive), $out (results folder, append
# to $out/results.md) and "${files[@]}" (the corpus files of this run).
# (tests/bench/web.sh and tests/bench/scale.sh go here.)

# ---- growth benchmark (issue #8, tests/bench/scale.sh; docs/scaling.md) -----
# SCALE=0 skips it; SCALES="100 1000" for the million-message row.
if [ "${SCALE:-1}" != 0 ]; then
  echo "== growth (tests/bench/scale.sh)"
  SCALES=${SCALES:-100} bash "$src/tests/bench/scale.sh" "$build" "$out/scale" | tee -a "$out/results.md"
fi

# --- web (issue 6): wrk against lighttpd + CGI and + FastCGI -------------------
echo "== web"
MLARC_WEB_ARCHIVE="$ml" MLARC_SHARED="$shared" bash "$src/tests/bench/web.sh" "$build" | tee -a "$out/results.md"
# --- end of web ------------------------------------------------------------------
