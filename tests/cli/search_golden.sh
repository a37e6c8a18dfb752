#!/usr/bin/env bash
# Golden-output tests of the search commands (search, count, facets, show,
# thread, export) on the small fixture archive built from
# tests/fixtures/search/*.mbox (see the README there): each command's stdout,
# stderr and exit status are compared with tests/fixtures/search/golden/NAME.txt
# after masking what changes from run to run (the temporary directory).
# Then `export` is checked for byte-exactness: the exported mbox, imported into
# a fresh archive, gives the same messages (`show --raw` compared byte for
# byte) and the same counts.
#
# Usage: bash search_golden.sh MLARC [SHARED_DIR]
# Set MLARC_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate
# change of the output (then review the diff before committing).
set -u
MLARC=$1
here=$(cd "$(dirname "$0")" && pwd)
fix=$here/../fixtures/search
gold=$fix/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
A=$tmp/archive
failures=0
update=${MLARC_UPDATE_GOLDEN:-0}
export NO_COLOR=1 LC_ALL=C.UTF-8
unset MLARC_ARCHIVE

die() { echo "search_golden: $*" >&2; exit 1; }

"$MLARC" import --archive "$A" --list fgdpm -q "$fix/fgdpm.mbox" || die "import fgdpm failed"
"$MLARC" import --archive "$A" --list fgdpmwg3 -q "$fix/fgdpmwg3.mbox" || die "import fgdpmwg3 failed"
# Working-group numbers come from the list registry; set them here so wg:
# queries have something to map (a no-op once the import sets them itself).
have_wg=0
if command -v sqlite3 >/dev/null 2>&1; then
    sqlite3 "$A/store.sqlite" "UPDATE lists SET wg=0 WHERE name='fgdpm'; UPDATE lists SET wg=3 WHERE name='fgdpmwg3';" \
        && have_wg=1
else
    echo "search_golden: sqlite3 not installed: the wg: cases are skipped"
fi

# check NAME ARGS...: runs `mlarc ARGS...` and compares with golden/NAME.txt.
check() {
    local name=$1
    shift
    local out=$tmp/out.$name
    {
        "$MLARC" "$@" 2>"$tmp/err"
        local rc=$?
        sed 's/^/stderr: /' "$tmp/err"
        echo "exit: $rc"
    } >"$out"
    sed -i "s#$tmp#TMP#g" "$out"
    if [ "$update" = 1 ]; then
        cp "$out" "$gold/$name.txt"
    elif ! cmp -s "$out" "$gold/$name.txt"; then
        echo "FAIL $name: mlarc $*"
        diff -u "$gold/$name.txt" "$out" | head -40
        failures=$((failures + 1))
    else
        echo "ok   $name"
    fi
}

# Searching: threads (default), messages, sort orders, paging, formats.
check search_kernel search --archive "$A" kernel
check search_kernel_json search --archive "$A" --format json kernel
check search_all search --archive "$A" --no-snippets
check search_all_csv search --archive "$A" --format csv --no-snippets
check search_messages_oldest search --archive "$A" --messages --sort oldest --no-snippets coherency
check search_relevance search --archive "$A" --sort relevance --no-snippets '"cache coherency"'
check search_page2 search --archive "$A" --limit 2 --offset 2 --no-snippets
check search_page2_json search --archive "$A" --limit 2 --offset 2 --no-snippets --format json
check search_filters search --archive "$A" --list fgdpmwg3 --since 2018-06 --until 2018-06 --explain --no-snippets
check search_author search --archive "$A" --author alice@example.org --messages --no-snippets
check search_prefixes search --archive "$A" --messages --no-snippets 'from:ralf has:attachment' OR 'subject:agenda' OR 'to:fgdpmwg3@lists.itu.int'
check search_phrase_not search --archive "$A" --messages --no-snippets '"cache coherency" NOT from:bob'
check search_date search --archive "$A" --messages --no-snippets 'date:2018-01..2018-02-10'
check search_nonascii search --archive "$A" 'übersicht'
check search_facets search --archive "$A" --facets --no-snippets kernel
check search_empty search --archive "$A" nosuchwordanywhere
check facets_json facets --archive "$A" --format json
check facets_csv facets --archive "$A" --format csv date:2018
if [ "$have_wg" = 1 ]; then
    check search_wg search --archive "$A" --wg 3 --no-snippets
    check search_wg_prefix count --archive "$A" wg:3
    check error_wg count --archive "$A" wg:7
fi

# Counting.
check count_kernel count --archive "$A" kernel
check count_threads count --archive "$A" --threads
check count_all count --archive "$A"
check count_json count --archive "$A" --format json --threads list:fgdpm
check count_from count --archive "$A" from:ralf@linux-mips.org

# Showing messages and threads.
check show_text show --archive "$A" '<late.4@fixture.test>'
check show_json show --archive "$A" --format json other.5@fixture.test
check show_crosspost show --archive "$A" id:kickoff.3@fixture.test
check show_raw show --archive "$A" --raw '<reply.2@fixture.test>'
check thread_text thread --archive "$A" '<late.4@fixture.test>'
check thread_json thread --archive "$A" --format json thread:1
check thread_csv thread --archive "$A" --format csv minutes.6@fixture.test

# Errors: one line, what is wrong and what would be right, exit 2 (3: not found).
check error_prefix search --archive "$A" 'foo:bar'
check error_case search --archive "$A" 'From:ralf'
check error_date count --archive "$A" 'date:2018-13'
check error_since count --archive "$A" --since 'last week'
check error_list search --archive "$A" 'list:nope'
check error_option_list count --archive "$A" --list nope
check error_syntax count --archive "$A" 'kernel OR'
check error_wildcard count --archive "$A" '*ernel'
check error_pure_not count --archive "$A" 'NOT kernel'
check error_show show --archive "$A" nobody@fixture.test
check error_archive search --archive "$tmp/none" kernel
check error_format search --archive "$A" --format xml kernel

# Export: byte-exact. The export of whole threads is compared with a golden
# mbox, and every message's original bytes survive export + re-import.
check export_threads export --archive "$A" --threads coherency
"$MLARC" export --archive "$A" -o "$tmp/all.mbox" || die "export failed"
B=$tmp/reimport
"$MLARC" import --archive "$B" --list again -q "$tmp/all.mbox" || die "re-import failed"
n_a=$("$MLARC" count --archive "$A")
n_b=$("$MLARC" count --archive "$B")
if [ "$n_a" != "$n_b" ]; then
    echo "FAIL export: $n_a messages exported, $n_b re-imported"
    failures=$((failures + 1))
fi
for mid in root.1 reply.2 kickoff.3 late.4 other.5 minutes.6 minutes-re.7; do
    "$MLARC" show --archive "$A" --raw "$mid@fixture.test" >"$tmp/a.eml"
    "$MLARC" show --archive "$B" --raw "$mid@fixture.test" >"$tmp/b.eml"
    if ! cmp -s "$tmp/a.eml" "$tmp/b.eml" || [ ! -s "$tmp/a.eml" ]; then
        echo "FAIL export: $mid differs after export and re-import"
        failures=$((failures + 1))
    fi
done
# The raw bytes are the original message: the mboxrd escaping is undone.
if ! grep -q '^From the kernel' <("$MLARC" show --archive "$A" --raw reply.2@fixture.test); then
    echo "FAIL show --raw: the >From line was not unescaped"
    failures=$((failures + 1))
fi
# An mboxrd input comes back as the same file.
"$MLARC" export --archive "$A" --list fgdpm -o "$tmp/fgdpm.mbox" || die "export --list failed"
if ! cmp -s "$tmp/fgdpm.mbox" "$fix/fgdpm.mbox"; then
    echo "FAIL export: the fgdpm list does not come back byte for byte"
    diff -u "$fix/fgdpm.mbox" "$tmp/fgdpm.mbox" | head -20
    failures=$((failures + 1))
fi
[ "$failures" = 0 ] && echo "export: byte-exact" 

# The JSON outputs follow docs/search-json-schema.json (when python3 has jsonschema).
if command -v python3 >/dev/null 2>&1 && python3 -c 'import jsonschema' 2>/dev/null; then
    if python3 - "$here/../../docs/search-json-schema.json" "$gold"/*.txt <<'PY'
import json, sys, jsonschema
validator = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
bad = 0
for path in sys.argv[2:]:
    for line in open(path, encoding="utf-8"):
        if line.startswith("{"):
            for e in validator.iter_errors(json.loads(line)):
                print("FAIL schema:", path, e.message[:200])
                bad += 1
sys.exit(1 if bad else 0)
PY
    then
        echo "ok   JSON outputs valid against docs/search-json-schema.json"
    else
        failures=$((failures + 1))
    fi
else
    echo "search_golden: python3 jsonschema not installed: JSON schema check skipped"
fi

if [ "$failures" != 0 ]; then
    echo "search_golden: $failures failure(s)"
    exit 1
fi
echo "search_golden: all passed"
