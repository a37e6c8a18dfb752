#!/usr/bin/env bash
# mlarc benchmark: import + index of the linux-mips corpus next to notmuch and
# mu on the same messages, in the same run, and the floor (decompress and split).
# Prints a table with ratios and writes it to BUILD/bench/results.md.
#
# Usage: tests/bench/run.sh BUILD_DIR        (QUICK=1: only the 2017-2019 files)
# Needs ../shared/corpora/linux-mips; installs notmuch, maildir-utils, time,
# hyperfine with apt-get when missing.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${MLARC_SHARED:-$src/../shared}
corpus=$shared/corpora/linux-mips
mlarc=$build/cli/mlarc
out=$build/bench
if [ ! -d "$corpus" ]; then
  echo "bench: $corpus is absent; the benchmark needs the shared linux-mips corpus" >&2
  exit 1
fi
need=""
for p in notmuch maildir-utils time hyperfine; do
  dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need
fi

if [ "${QUICK:-0}" = 1 ]; then
  files=("$corpus"/linux-mips-201[789].mbox.zst); label="2017-2019 files"
else
  files=("$corpus"/*.mbox.zst); label="whole corpus"
fi
rm -rf "$out"; mkdir -p "$out"
T=/usr/bin/time
fmt="%e %U %S %M"   # wall user sys maxrss(KB)
rows=()
calc() { awk "BEGIN { v = $1; if (v == int(v)) print v; else printf \"%.2f\\n\", v }"; }

# measure NAME MESSAGES SIZE_PATH cmd...  -> appends a row
measure() {
  local name=$1 msgs=$2 sizepath=$3; shift 3
  $T -f "$fmt" -o "$out/time.txt" "$@" > "$out/$name.log" 2>&1 || { echo "bench: $name failed, see $out/$name.log" >&2; tail -5 "$out/$name.log" >&2; return 1; }
  read -r wall user sys rss < <(tail -1 "$out/time.txt")
  local cpu size
  cpu=$(calc "$user + $sys")
  size="-"
  [ -n "$sizepath" ] && size=$(du -sm "$sizepath" | cut -f1)
  rows+=("$name|$msgs|$wall|$cpu|$(calc "int($msgs / ($wall > 0 ? $wall : 0.01))")|$((rss / 1024))|$size")
  eval "wall_${name//[-.]/_}=$wall"
}

echo "== corpus: $label (${#files[@]} files)"
total=$("$mlarc" import --count-only "${files[@]}" | awk '/^total/ {print $2}' | tr -d ,)
echo "messages: $total"

echo "== floor: decompress only, and decompress + split"
measure zstd-decompress "$total" "" bash -c 'zstd -dcq "$@" > /dev/null' _ "${files[@]}"
measure mlarc-split "$total" "" "$mlarc" import --count-only "${files[@]}"

echo "== mlarc import (store only), then index"
measure mlarc-import "$total" "$out/mlarc/store.sqlite" "$mlarc" import --quiet --no-index --archive "$out/mlarc" --list linux-mips "${files[@]}"
if "$mlarc" index --help >/dev/null 2>&1; then
  measure mlarc-index "$total" "$out/mlarc/xapian" "$mlarc" index --quiet --archive "$out/mlarc"
  measure mlarc-index-light "$total" "$out/mlarc-light/xapian" bash -c "cp -r '$out/mlarc' '$out/mlarc-light' && rm -rf '$out/mlarc-light/xapian' && '$mlarc' index --quiet --level light --archive '$out/mlarc-light'"
fi
measure mlarc-reimport "$total" "" "$mlarc" import --quiet --archive "$out/mlarc" --list linux-mips "${files[@]}"

echo "== Maildir copy for notmuch and mu (not timed)"
md=$out/maildir
mkdir -p "$md/cur" "$md/new" "$md/tmp"
for f in "${files[@]}"; do
  zstd -dcq "$f" | awk -v dir="$md/cur" -v base="$(basename "$f" .mbox.zst)" '
    BEGIN { n = 0; prev_blank = 1; out = "" }
    /^From / && prev_blank { if (out != "") close(out); n++; out = sprintf("%s/%s-%06d:2,", dir, base, n); prev_blank = 0; next }
    { line = $0; if (line ~ /^>+From /) line = substr(line, 2); print line > out; prev_blank = ($0 == "") }'
done
echo "maildir files: $(ls "$md/cur" | wc -l)"

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

{
  echo "# mlarc benchmark ($label, $total messages), $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores"
  echo
  echo "| step | messages | wall s | CPU s | messages/s | peak RSS MB | size MB |"
  echo "|---|---|---|---|---|---|---|"
  for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
  echo
  ml=$(calc "${wall_mlarc_import:-0} + ${wall_mlarc_index:-0}")
  echo "mlarc import + index: ${ml} s wall"
  echo "- vs notmuch new: $(calc "${wall_notmuch_new} / $ml")x faster"
  echo "- vs mu index:    $(calc "${wall_mu_index} / $ml")x faster"
  echo "- import vs split floor: $(calc "${wall_mlarc_import} / ${wall_mlarc_split}")x the floor"
} | tee "$out/results.md"

if [ -x "$src/tests/bench/queries.sh" ] || [ -f "$src/tests/bench/queries.sh" ]; then
  echo "== queries"
  bash "$src/tests/bench/queries.sh" "$mlarc" "$out/mlarc" "$nm/config" "$mh" | tee -a "$out/results.md"
fi

# ---- growth benchmark (issue #8, tests/bench/scale.sh; docs/scaling.md) -----
# SCALE=0 skips it; SCALES="100 1000" for the million-message row.
if [ "${SCALE:-1}" != 0 ]; then
  echo "== growth (tests/bench/scale.sh)"
  SCALES=${SCALES:-100} bash "$src/tests/bench/scale.sh" "$build" "$out/scale" | tee -a "$out/results.md"
fi

# --- web (issue 6): wrk against lighttpd + CGI and + FastCGI -------------------
echo "== web"
MLARC_SHARED="$shared" bash "$src/tests/bench/web.sh" "$build" | tee -a "$out/results.md"
# --- end of web ------------------------------------------------------------------
