#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets under <build>/fuzz/seeds/<name>/
# (rebuilt from scratch on every call; the fuzzers' own growing corpora live
# in <build>/fuzz/corpus/ and are kept). Sources:
#   - tests/fuzz/seeds/<name>/: small hand-written seeds, committed;
#   - the edge corpus, ${MLARC_SHARED:-<repo>/../shared}/corpora/edge, when
#     present: whole files (up to 64 KiB, the fuzzers' -max_len) for mbox and
#     mime; header values (From, To, Cc, Subject, Message-ID, References,
#     In-Reply-To, Content-Type, Content-Disposition) for rfc2047_address;
#     Date values and From_ lines for date;
#   - for mbox, gzip/xz/zstd versions of the hand-written mbox seeds (when the
#     tools are installed), so that the decoders are reached.
# Seed files are named by the SHA-1 of their content, as libFuzzer names its
# corpus files, so duplicates collapse.
#
# Usage: tests/fuzz/seeds.sh <build-dir> [name...]   (default: every target
# listed in <build-dir>/fuzz/targets.txt, else every folder of tests/fuzz/seeds)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${1:?usage: seeds.sh <build-dir> [name...]}"
shift
edge="${MLARC_SHARED:-$repo/../shared}/corpora/edge"
max_bytes=65536
max_lines=400 # header-value seeds per target

if [ $# -gt 0 ]; then
  names=("$@")
elif [ -f "$build/fuzz/targets.txt" ]; then
  mapfile -t names < <(grep -v '^$' "$build/fuzz/targets.txt")
else
  mapfile -t names < <(cd "$here/seeds" && ls)
fi

# add <dir> <file>: copies a file into the seed dir under its SHA-1.
add() {
  local sum
  sum=$(sha1sum "$2" | cut -c1-40)
  cp "$2" "$1/$sum"
}

# add_text <dir> <text>: one seed holding exactly <text> (no newline added).
add_text() {
  local sum
  sum=$(printf '%s' "$2" | sha1sum | cut -c1-40)
  printf '%s' "$2" >"$1/$sum"
}

# edge_files: the edge corpus files small enough to seed with.
edge_files() {
  [ -d "$edge" ] || return 0
  find "$edge" -type f -size -$((max_bytes + 1))c ! -name '*.md' ! -name 'COPYING*' \
    ! -name '.git*' -print0
}

# header_values <regex>: values of matching header lines (first line only) in
# the edge corpus, deduplicated, at most max_lines.
header_values() {
  [ -d "$edge" ] || return 0
  edge_files | xargs -0 grep -a -h -i -E "^($1):" 2>/dev/null |
    sed -E 's/^[^:]*:[ \t]*//; s/\r$//' | awk 'length($0) > 0 && !seen[$0]++' | head -n "$max_lines"
}

for name in "${names[@]}"; do
  dir="$build/fuzz/seeds/$name"
  rm -rf "$dir"
  mkdir -p "$dir" "$build/fuzz/corpus/$name"
  if [ -d "$here/seeds/$name" ]; then
    for f in "$here/seeds/$name"/*; do
      [ -f "$f" ] && add "$dir" "$f"
    done
  fi
  case "$name" in
    mbox | mime)
      while IFS= read -r -d '' f; do add "$dir" "$f"; done < <(edge_files)
      ;;&
    mbox)
      tmp="$(mktemp -d)"
      for f in "$here/seeds/mbox"/*; do
        base="$tmp/$(basename "$f")"
        if command -v gzip >/dev/null; then gzip -c "$f" >"$base.gz" && add "$dir" "$base.gz"; fi
        if command -v xz >/dev/null; then xz -c "$f" >"$base.xz" && add "$dir" "$base.xz"; fi
        if command -v zstd >/dev/null; then zstd -q -c "$f" >"$base.zst" && add "$dir" "$base.zst"; fi
      done
      rm -rf "$tmp"
      ;;
    rfc2047_address)
      while IFS= read -r line; do add_text "$dir" "$line"; done < <(header_values \
        'from|to|cc|reply-to|subject|message-id|references|in-reply-to|content-type|content-disposition')
      ;;
    date)
      while IFS= read -r line; do add_text "$dir" "$line"; done < <(header_values 'date')
      if [ -d "$edge" ]; then
        while IFS= read -r line; do add_text "$dir" "$line"; done < <(edge_files |
          xargs -0 grep -a -h -E '^From ' 2>/dev/null | sed 's/\r$//' |
          awk '!seen[$0]++' | head -n "$max_lines")
      fi
      ;;
  esac
  echo "seeds: $name: $(find "$dir" -type f | wc -l) files in $dir"
done
