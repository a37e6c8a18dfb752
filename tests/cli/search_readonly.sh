#!/usr/bin/env bash
# The search commands on a read-only archive (issue 4, FAILURE-MODES 45): a
# copy of the small fixture archive with `chmod -R a-w` and no -wal/-shm
# files, read by an unprivileged user (root ignores permission bits, so as
# root the commands run through `setpriv` as nobody). Every read command
# (count, search with snippets, facets, show, show --raw, thread, export) must
# give the same output as on the writable original, and must leave no file
# behind in the archive.
#
# Usage: bash search_readonly.sh MLARC [SHARED_DIR]    (exit 77: skipped)
set -u
MLARC=$1
here=$(cd "$(dirname "$0")" && pwd)
fix=$here/../fixtures/search
export NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC
unset MLARC_ARCHIVE

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
die() { echo "search_readonly: $*" >&2; exit 1; }

as_reader=()
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null 2>&1 || { echo "search_readonly: skipped: running as root and setpriv is not installed (root ignores permission bits)"; exit 77; }
    as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    "${as_reader[@]}" "$MLARC" --version >/dev/null 2>&1 ||
        { echo "search_readonly: skipped: user 65534 cannot run $MLARC (a parent directory not readable)"; exit 77; }
fi

W=$tmp/writable
R=$tmp/readonly
"$MLARC" import --archive "$W" --list fgdpm -q "$fix/fgdpm.mbox" || die "import fgdpm failed"
"$MLARC" import --archive "$W" --list fgdpmwg3 -q "$fix/fgdpmwg3.mbox" || die "import fgdpmwg3 failed"
[ -s "$W/store.sqlite-wal" ] && die "the importer left a non-empty -wal: a copy without it would lack transactions"
# R: no -wal/-shm (a copy, a backup restored, a read-only mount).
# RW: the -wal/-shm files the importer leaves (empty -wal), read-only too.
cp -a "$W" "$R"
rm -f "$R"/store.sqlite-wal "$R"/store.sqlite-shm "$R"/archive.lock
cp -a "$W" "$tmp/readonly-with-wal"
chmod -R a-w "$R" "$tmp/readonly-with-wal"
chmod -R a+rX "$tmp"
before=$(cd "$R" && find . | sort)

# Confirm the setup: the reader really cannot write there.
if "${as_reader[@]}" touch "$R/probe" 2>/dev/null; then
    die "setup: the reader can still write into $R"
fi

failures=0
# same NAME ARGS...: mlarc ARGS --archive DIR on both copies, outputs compared.
same() {
    local name=$1
    shift
    "$MLARC" "$@" --archive "$W" >"$tmp/w.out" 2>&1
    local rw=$?
    "${as_reader[@]}" "$MLARC" "$@" --archive "$RO" >"$tmp/r.out" 2>&1
    local rr=$?
    sed -i "s#$RO#ARCHIVE#g" "$tmp/r.out"
    sed -i "s#$W#ARCHIVE#g" "$tmp/w.out"
    if [ "$rw" != 0 ] || [ "$rr" != "$rw" ] || ! cmp -s "$tmp/w.out" "$tmp/r.out"; then
        echo "FAIL $name: exit $rr (writable: $rw)"
        diff -u "$tmp/w.out" "$tmp/r.out" | head -20
        failures=$((failures + 1))
    else
        echo "ok   $name"
    fi
}

for RO in "$R" "$tmp/readonly-with-wal"; do
    echo "== $(basename "$RO")"
    same count count kernel
    same count_threads count --threads
    same count_list count list:fgdpmwg3
    same search search cache
    same search_json search --format json --messages kernel
    same facets facets
    same show show root.1@fixture.test
    same show_raw show --raw root.1@fixture.test
    same thread thread root.1@fixture.test
    same export export --threads cache
done

after=$(cd "$R" && find . | sort)
if [ "$before" != "$after" ]; then
    echo "FAIL files appeared in the read-only archive:"
    diff <(echo "$before") <(echo "$after")
    failures=$((failures + 1))
fi
[ "$failures" = 0 ] || { echo "search_readonly: $failures failure(s)"; exit 1; }
echo "search_readonly: all passed"
