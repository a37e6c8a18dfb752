#!/usr/bin/env bash
# Sharded and remote indexes end to end (issue #8, docs/scaling.md): the same
# queries over one index, 4 local shards, and 2 shards served by xapian-tcpsrv
# on loopback (through a front-end archive holding nothing but the stub, so
# result lines come from the document data alone) give identical thread
# lists, counts and facets. Then a remote shard fails: a killed server and a
# stopped (hung) one each give the documented error naming the shard within
# the configured timeout, and --allow-partial gives the other shard's results
# marked partial in text and JSON.
#
# Usage: bash shards.sh MLARC [SHARED_DIR]. Exit 77 (skip) when xapian-tcpsrv
# (package xapian-tools) is not installed. Installs nothing.
set -u
MLARC=$1
build=$(dirname "$(dirname "$MLARC")")
GEN=$build/data/generator/mlarc-sample-gen
command -v xapian-tcpsrv >/dev/null 2>&1 || { echo "shards: xapian-tcpsrv is not installed (package xapian-tools); skipping"; exit 77; }
[ -x "$GEN" ] || { echo "shards: no sample generator at $GEN" >&2; exit 1; }
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
export LC_ALL=C.UTF-8 NO_COLOR=1 TZ=UTC
unset MLARC_ARCHIVE
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
die() { echo "shards: $*" >&2; exit 1; }

"$GEN" --out "$tmp/sample" --scale 1 >/dev/null || die "sample generation failed"
A1=$tmp/one
for l in fgdpm fgdpmwg1 fgdpmwg3; do
    "$MLARC" import -q --no-index --archive "$A1" --list "$l" "$tmp/sample/$l.mbox" || die "import $l failed"
done
cp -r "$A1" "$tmp/four"
cp -r "$A1" "$tmp/two"
"$MLARC" index -q --archive "$A1" || die "index failed"
"$MLARC" index -q --archive "$tmp/four" --shards 4 || die "index --shards 4 failed"
"$MLARC" index -q --archive "$tmp/two" --shards 2 || die "index --shards 2 failed"
"$MLARC" index --archive "$tmp/four" --stats | grep -q '^shards: *4$' || fail "--stats does not say 4 shards"
# The layout is kept by later runs; changing it needs --rebuild.
"$MLARC" index -q --archive "$tmp/four" || fail "re-running index on 4 shards failed"
[ "$(grep -c '^auto ' "$tmp/four/xapian/XAPIANDB")" = 4 ] || fail "the stub does not list 4 shards"
"$MLARC" index -q --archive "$tmp/four" --shards 3 2>"$tmp/err" && fail "--shards 3 without --rebuild was accepted"
grep -q -- '--rebuild' "$tmp/err" || fail "no --rebuild hint: $(cat "$tmp/err")"

# xapian-tcpsrv for each shard of "two" on a free loopback port.
start_server() { # DB -> sets port, appends pid
    local db=$1 try p pid
    for try in 1 2 3 4 5 6 7 8 9 10; do
        p=$((20000 + RANDOM % 30000))
        # Its own session: on SIGTERM xapian-tcpsrv signals its whole process group.
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$p" "$db" >"$tmp/srv-$p.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 50); do
            if ! kill -0 "$pid" 2>/dev/null; then break; fi
            if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
                pids+=("$pid"); port=$p; server_pid=$pid; return 0
            fi
            sleep 0.1
        done
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    done
    die "could not start xapian-tcpsrv for $db"
}
start_server "$tmp/two/xapian/shard0"; p0=$port; s0=$server_pid
start_server "$tmp/two/xapian/shard1"; p1=$port; s1=$server_pid
F=$tmp/frontend   # nothing but the stub: no store
mkdir -p "$F/xapian"
cat >"$F/xapian/XAPIANDB" <<EOF
# two shards served by xapian-tcpsrv
#mlarc timeout-ms 3000
remote 127.0.0.1:$p0
remote 127.0.0.1:$p1
EOF

QUERIES=(kernel '"data processing"' 'from:hua' 'list:fgdpmwg3' 'date:2018-01-01..2018-06-30 meeting' 'subject:minutes OR report' 'meeting NOT kernel' '"of the"' '"the data" OR "for the"')
run_all() { # ARCHIVE -> every output on stdout
    local a=$1 q
    for q in "${QUERIES[@]}"; do
        echo "== $q"
        "$MLARC" search --archive "$a" --no-snippets --limit 1000 -- "$q" 2>&1
        "$MLARC" search --archive "$a" --no-snippets --messages --sort oldest --limit 50 -- "$q" 2>&1
        "$MLARC" count --archive "$a" -- "$q" 2>&1
        "$MLARC" count --archive "$a" --threads -- "$q" 2>&1
        "$MLARC" search --archive "$a" --no-snippets --sort relevance --limit 20 --format json -- "$q" 2>&1
        # Facets (lists, authors, months) are counted from value slots by
        # Xapian's ValueCountMatchSpy, which xapian-tcpsrv runs too.
        "$MLARC" facets --archive "$a" --top 0 -- "$q" 2>&1
        "$MLARC" facets --archive "$a" --format json -- "$q" 2>&1
        "$MLARC" search --archive "$a" --no-snippets --facets --limit 5 --format json -- "$q" 2>&1
    done
    # Every message: the facets of the whole archive, one facet value each.
    "$MLARC" facets --archive "$a" --top 0 --format csv -- '' 2>&1
}
run_all "$A1" >"$tmp/one.out"
run_all "$tmp/four" >"$tmp/four.out"
run_all "$F" >"$tmp/remote.out"
grep -q '^thread:' "$tmp/one.out" || fail "the single index found no threads"
grep -qi 'error\|^mlarc [a-z]*:' "$tmp/one.out" && fail "errors on the single index: $(grep -i -m3 'error\|^mlarc [a-z]*:' "$tmp/one.out")"
[ "$(grep -c '"facets"' "$tmp/one.out")" -ge "${#QUERIES[@]}" ] || fail "search --facets gave no facets"
grep -q '"months"' "$tmp/one.out" && grep -q '"authors"' "$tmp/one.out" && grep -q '"lists"' "$tmp/one.out" ||
    fail "facets lack lists, authors or months: $(grep -m1 '"facets"' "$tmp/one.out" | head -c 300)"
diff -u "$tmp/one.out" "$tmp/four.out" >"$tmp/d4" || fail "4 local shards differ from one index: $(head -20 "$tmp/d4")"
diff -u "$tmp/one.out" "$tmp/remote.out" >"$tmp/d2" || fail "2 remote shards differ from one index: $(head -20 "$tmp/d2")"

# A killed server: the documented error, naming the shard, well within the timeout.
kill "$s1"; wait "$s1" 2>/dev/null
t0=$(date +%s)
timeout 60 "$MLARC" count --archive "$F" kernel >"$tmp/out" 2>"$tmp/err"
rc=$?
t1=$(date +%s)
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "killed shard: exit $rc (want a non-zero error, not a hang)"
grep -q "127.0.0.1:$p1 did not answer" "$tmp/err" || fail "killed shard: error does not name it: $(cat "$tmp/err")"
grep -q -- '--allow-partial' "$tmp/err" || fail "killed shard: no --allow-partial hint"
[ $((t1 - t0)) -le 20 ] || fail "killed shard: took $((t1 - t0)) s"
"$MLARC" search --archive "$F" --no-snippets --allow-partial meeting >"$tmp/out" 2>"$tmp/err" || fail "--allow-partial failed: $(cat "$tmp/err")"
grep -q "^# partial result: search index shard(s) 127.0.0.1:$p1 did not answer" "$tmp/out" || fail "text result not marked partial"
grep -q '^thread:' "$tmp/out" || fail "--allow-partial found nothing on the live shard"
grep -q 'partial result' "$tmp/err" || fail "no partial warning on stderr"
"$MLARC" search --archive "$F" --no-snippets --allow-partial --format json meeting >"$tmp/out" 2>/dev/null
grep -q '"partial":true' "$tmp/out" || fail "JSON not marked partial: $(head -c 300 "$tmp/out")"
grep -q "\"missing_shards\":\[\"127.0.0.1:$p1\"\]" "$tmp/out" || fail "JSON does not name the missing shard"
# The whole result has only shard 0's ids: message ids that are odd.
for id in $(grep -o '"docid":[0-9]*' "$tmp/out" | cut -d: -f2); do
    [ $((id % 2)) = 1 ] || fail "partial result holds docid $id of the missing shard"
done

# A hung server (stopped): an error within the 3 s timeout, not a hang.
kill -STOP "$s0"
t0=$(date +%s)
timeout 60 "$MLARC" count --archive "$F" kernel >"$tmp/out" 2>"$tmp/err"
rc=$?
t1=$(date +%s)
kill -CONT "$s0"
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "hung shard: exit $rc (want an error within the timeout)"
grep -q "did not answer" "$tmp/err" || fail "hung shard: unclear error: $(cat "$tmp/err")"
[ $((t1 - t0)) -le 20 ] || fail "hung shard: took $((t1 - t0)) s with a 3 s timeout"

if [ "$failures" -gt 0 ]; then
    echo "shards: $failures failure(s)"
    exit 1
fi
echo "shards: ok (1 = 4 local = 2 remote over ${#QUERIES[@]} queries; killed and hung shards fail in time)"
