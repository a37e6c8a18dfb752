#!/usr/bin/env bash
# Importing in parallel and merging (issue #8; the procedure of
# docs/scaling.md, "Importing in parallel and merging"), done exactly as
# documented and checked:
#  1. Index shards of one archive: `xapian-compact --no-renumber` compacts
#     each shard (answers unchanged) but cannot merge the round-robin shards
#     (their local docids overlap; it says so); `mlarc index --rebuild
#     --shards 1` makes one database again, answering like the reference.
#  2. Several archives imported at the same time (one per list, each by its
#     own `mlarc import`) merge into one archive by exporting each list
#     (`mlarc export --list L`) and importing the exports in a fixed order:
#     the merged archive holds the same messages, lists and threads and
#     answers every query (results, counts, facets) exactly like an archive
#     that imported the original files in that order; importing an export a
#     second time adds nothing.
#
# Usage: bash merge.sh MLARC [SHARED_DIR]. Exit 77 (skip) when xapian-compact
# (package xapian-tools) is not installed.
set -u
MLARC=$1
build=$(dirname "$(dirname "$MLARC")")
GEN=$build/data/generator/mlarc-sample-gen
command -v xapian-compact >/dev/null 2>&1 || { echo "merge: xapian-compact is not installed (package xapian-tools); skipping"; exit 77; }
[ -x "$GEN" ] || { echo "merge: no sample generator at $GEN" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 NO_COLOR=1 TZ=UTC
unset MLARC_ARCHIVE
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
die() { echo "merge: $*" >&2; exit 1; }

"$GEN" --out "$tmp/sample" --scale 1 >/dev/null || die "sample generation failed"
LISTS=(fgdpm fgdpmwg1 fgdpmwg3) # fgdpm and the working groups share cross-posts

QUERIES=(kernel '"data processing"' 'from:hua' 'list:fgdpmwg3' 'date:2018-01-01..2018-06-30 meeting' '')
answers() { # ARCHIVE -> every output on stdout
    local a=$1 q
    for q in "${QUERIES[@]}"; do
        echo "== $q"
        "$MLARC" search --archive "$a" --no-snippets --limit 1000 -- "$q" 2>&1
        "$MLARC" search --archive "$a" --no-snippets --messages --sort oldest --limit 1000 --format json -- "$q" 2>&1
        "$MLARC" count --archive "$a" -- "$q" 2>&1
        "$MLARC" count --archive "$a" --threads -- "$q" 2>&1
        "$MLARC" facets --archive "$a" --top 0 -- "$q" 2>&1
    done
}

# The reference: one archive importing the files in order.
REF=$tmp/ref
for l in "${LISTS[@]}"; do
    "$MLARC" import -q --no-index --archive "$REF" --list "$l" "$tmp/sample/$l.mbox" || die "import $l failed"
done
"$MLARC" index -q --archive "$REF" || die "index failed"
answers "$REF" >"$tmp/ref.out"
grep -q '^thread:' "$tmp/ref.out" || fail "the reference archive found no threads"

# 1. Index shards. Xapian docids are message ids, dealt round-robin to the
# shards, so the shards' local docid ranges overlap: xapian-compact refuses
# to merge them without renumbering (and renumbering would break docid ==
# message id). One database again: `mlarc index --rebuild --shards 1`. Each
# shard on its own compacts with `xapian-compact --no-renumber`.
S=$tmp/sharded
cp -r "$REF" "$S"
"$MLARC" index -q --archive "$S" --rebuild --shards 3 || die "index --shards 3 failed"
xapian-compact --no-renumber "$S/xapian" "$tmp/refused" >/dev/null 2>"$tmp/err" &&
    fail "xapian-compact merged round-robin shards (the documented limit changed?)"
grep -q 'disjoint ranges' "$tmp/err" || fail "xapian-compact: not the documented error: $(cat "$tmp/err")"
for k in 0 1 2; do
    xapian-compact --no-renumber "$S/xapian/shard$k" "$S/xapian/shard$k.new" >/dev/null || fail "xapian-compact of shard $k failed"
    mv "$S/xapian/shard$k" "$S/xapian/shard$k.old" && mv "$S/xapian/shard$k.new" "$S/xapian/shard$k" && rm -rf "$S/xapian/shard$k.old"
done
answers "$S" >"$tmp/compacted.out"
diff -u "$tmp/ref.out" "$tmp/compacted.out" >"$tmp/d1" || fail "compacted shards differ: $(head -20 "$tmp/d1")"
"$MLARC" index -q --archive "$S" --rebuild --shards 1 || fail "index --rebuild --shards 1 failed"
"$MLARC" index --archive "$S" --stats | grep -q '^shards: *1$' || fail "--shards 1 did not give one database"
[ -f "$S/xapian/XAPIANDB" ] && fail "the index is still a stub"
answers "$S" >"$tmp/one-again.out"
diff -u "$tmp/ref.out" "$tmp/one-again.out" >"$tmp/d1" || fail "3 shards rebuilt as one differ: $(head -20 "$tmp/d1")"

# 2. One archive per list, imported at the same time, merged by export + import.
pids=()
for l in "${LISTS[@]}"; do
    "$MLARC" import -q --archive "$tmp/part-$l" --list "$l" "$tmp/sample/$l.mbox" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "a parallel import failed"; done
M=$tmp/merged
for l in "${LISTS[@]}"; do
    "$MLARC" export --archive "$tmp/part-$l" --list "$l" -o "$tmp/$l.export.mbox" -- '' || die "export $l failed"
done
for l in "${LISTS[@]}"; do
    "$MLARC" import -q --no-index --archive "$M" --list "$l" "$tmp/$l.export.mbox" || die "import of the $l export failed"
done
"$MLARC" index -q --archive "$M" || die "index of the merged archive failed"
for l in "${LISTS[@]}"; do
    [ "$("$MLARC" count --archive "$M" --list "$l" -- '')" = "$("$MLARC" count --archive "$tmp/part-$l" -- '')" ] ||
        fail "list $l: the merged archive does not hold every message of its part"
done
answers "$M" >"$tmp/merged.out"
diff -u "$tmp/ref.out" "$tmp/merged.out" >"$tmp/d2" || fail "the merged archive differs from the reference: $(head -20 "$tmp/d2")"
# Importing an export again (e.g. a merge run twice) adds nothing.
before=$("$MLARC" count --archive "$M" -- '')
"$MLARC" import -q --archive "$M" --list fgdpm "$tmp/fgdpm.export.mbox" || fail "re-import failed"
[ "$("$MLARC" count --archive "$M" -- '')" = "$before" ] || fail "re-importing an export added messages"

if [ "$failures" -gt 0 ]; then
    echo "merge: $failures failure(s)"
    exit 1
fi
echo "merge: ok (3 shards compacted and rebuilt as one, and export+import of 3 parallel archives = one archive, ${#QUERIES[@]} queries)"
