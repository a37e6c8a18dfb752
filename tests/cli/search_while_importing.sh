#!/usr/bin/env bash
# The search commands while `mlarc import` writes the same archive (issue 4,
# FAILURE-MODES 45): an import of several thousand generated messages, in
# batches (each batch commits to SQLite and the index), runs in the
# background while count, search and show are run again and again. Every
# read must succeed (exit 0, never "database is locked" or a Xapian
# DatabaseModifiedError), counts must never go down, every count must lie
# between the count before and the count after the import, and a page of
# results must never name a message that `show` cannot find.
#
# Usage: bash search_while_importing.sh MLARC [SHARED_DIR]
set -u
MLARC=$1
here=$(cd "$(dirname "$0")" && pwd)
fix=$here/../fixtures/search
export NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC
unset MLARC_ARCHIVE
tmp=$(mktemp -d)
trap 'kill "$writer" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
A=$tmp/archive
die() { echo "search_while_importing: $*" >&2; exit 1; }

"$MLARC" import --archive "$A" --list fgdpm -q "$fix/fgdpm.mbox" || die "first import failed"
before=$("$MLARC" count --archive "$A") || die "count failed"

# N generated messages, each with the word "generated", in threads of 5.
N=6000
awk -v n=$N 'BEGIN {
    for (i = 1; i <= n; i++) {
        t = int((i - 1) / 5)
        printf "From gen%d@example.org Mon Jan  1 10:00:00 2018\n", i % 37
        printf "From: Generator %d <gen%d@example.org>\n", i % 37, i % 37
        printf "To: fgdpm@lists.itu.int\n"
        printf "Subject: generated thread %d\n", t
        printf "Date: Mon, 1 Jan 2018 %02d:%02d:%02d +0000\n", int(i / 3600) % 24, int(i / 60) % 60, i % 60
        printf "Message-ID: <gen.%d@fixture.test>\n", i
        if (i % 5 != 1) printf "In-Reply-To: <gen.%d@fixture.test>\n", i - 1
        printf "\nA generated message number %d about cache coherency and the kernel.\n\n", i
    }
}' >"$tmp/gen.mbox"

"$MLARC" import --archive "$A" --list fgdpm -q --batch 200 "$tmp/gen.mbox" >"$tmp/writer.log" 2>&1 &
writer=$!

failures=0
reads=0
shown=0
last=$before
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
while kill -0 "$writer" 2>/dev/null || [ "$reads" -lt 3 ]; do
    reads=$((reads + 1))
    n=$("$MLARC" count --archive "$A" 2>"$tmp/err") || fail "count exit $?: $(cat "$tmp/err")"
    if [ -n "$n" ]; then
        [ "$n" -ge "$last" ] || fail "count went down: $last then $n"
        last=$n
    fi
    "$MLARC" search --archive "$A" --messages --format csv --limit 5 generated >"$tmp/page" 2>"$tmp/err" ||
        fail "search exit $?: $(cat "$tmp/err")"
    # The page's Message-IDs (csv: a column holding <...@fixture.test>) must all resolve.
    for mid in $(grep -o 'gen\.[0-9]*@fixture\.test' "$tmp/page" | sort -u); do
        shown=$((shown + 1))
        "$MLARC" show --archive "$A" "$mid" >/dev/null 2>"$tmp/err" || fail "show $mid exit $?: $(cat "$tmp/err")"
    done
    [ "$failures" -gt 5 ] && break
done
wait "$writer" || die "the import failed: $(cat "$tmp/writer.log")"
after=$("$MLARC" count --archive "$A") || die "count after failed"
[ "$after" = $((before + N)) ] || fail "after the import: $after messages, expected $((before + N))"
[ "$shown" -gt 0 ] || fail "no search page during the import named a generated message"
[ "$last" -le "$after" ] || fail "a count during the import ($last) exceeds the final one ($after)"
echo "search_while_importing: $reads rounds of reads during the import, counts $before..$last..$after"
[ "$failures" = 0 ] || { echo "search_while_importing: $failures failure(s)"; exit 1; }
echo "search_while_importing: all passed"
