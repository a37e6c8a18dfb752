#!/usr/bin/env bash
# `mlarc purge` and `mlarc quarantine` end to end, on a small mbox written
# here: import -> search finds the message -> dry run changes nothing ->
# purge it -> search no longer finds it, `show` does not either, its thread
# shows a placeholder where it stood and keeps the reply under it -> the purge
# log says why -> importing the same mail again (a copy of the mbox, so it is
# read again) does not bring it back and counts it as purged, with
# read = stored + duplicates + quarantined + purged; purge by query; the
# writer lock; every usage error exits 2. Then the quarantine: list (text and
# JSON, counts per reason), show (exact bytes), export (mboxrd) and import of
# the export (quarantined again, nothing lost).
#
# Usage: bash purge_quarantine.sh MLARC [SHARED_DIR]
set -u
MLARC=$1
export NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC
unset MLARC_ARCHIVE

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
die() { echo "purge_quarantine: $*" >&2; exit 1; }
A=$tmp/archive
m() { "$MLARC" "$@" --archive "$A"; }
# status EXPECTED ARGS...: runs mlarc ARGS, checks the exit status.
status() {
    local want=$1
    shift
    "$MLARC" "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    [ "$got" = "$want" ] || die "mlarc $* exited $got, expected $want: $(cat "$tmp/err")"
}
# json_get FILE EXPR: a value from a JSON file (python3 expression on j).
json_get() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

cat >"$tmp/list.mbox" <<'EOF'
From root@example.org Mon Jan  1 10:00:00 2018
From: Root Author <root@example.org>
To: list@example.org
Subject: cache coherency on the R4000
Date: Mon, 01 Jan 2018 10:00:00 +0000
Message-ID: <root@example.org>

What do we do about cache coherency?

From victim@example.org Mon Jan  1 11:00:00 2018
From: Private Person <victim@example.org>
To: list@example.org
Subject: Re: cache coherency on the R4000
Date: Mon, 01 Jan 2018 11:00:00 +0000
Message-ID: <victim@example.org>
In-Reply-To: <root@example.org>
References: <root@example.org>

My home address is 1 zanzibarite street. Flush the caches.

From after@example.org Mon Jan  1 12:00:00 2018
From: Third Author <after@example.org>
To: list@example.org
Subject: Re: cache coherency on the R4000
Date: Mon, 01 Jan 2018 12:00:00 +0000
Message-ID: <after@example.org>
In-Reply-To: <victim@example.org>
References: <root@example.org> <victim@example.org>

Agreed, flush them.

From spam1@example.net Tue Jan  2 10:00:00 2018
From: Spammer <spam@example.net>
To: list@example.org
Subject: cheap pills
Date: Tue, 02 Jan 2018 10:00:00 +0000
Message-ID: <spam1@example.net>

Buy quuxpills now.

From spam2@example.net Tue Jan  2 11:00:00 2018
From: Spammer <spam@example.net>
To: list@example.org
Subject: cheap pills again
Date: Tue, 02 Jan 2018 11:00:00 +0000
Message-ID: <spam2@example.net>

Buy quuxpills today.

From nobody Tue Jan  2 12:00:00 2018
just some text, no header field
>From here on, escaped

EOF

# ---- import, search ----------------------------------------------------------
m import --list linux-mips --json "$tmp/list.mbox" >"$tmp/imp1.json" || die "first import failed"
[ "$(json_get "$tmp/imp1.json" "j['read']")" = 6 ] || die "first import: read is not 6: $(cat "$tmp/imp1.json")"
[ "$(json_get "$tmp/imp1.json" "j['stored'] + j['duplicates'] + j['quarantined'] + j['purged'] == j['read'] and j['quarantined'] == 1 and j['purged'] == 0")" = True ] ||
    die "first import counts do not add up: $(cat "$tmp/imp1.json")"
[ "$(m count zanzibarite)" = 1 ] || die "search does not find the message before the purge"

# ---- usage errors (exit 2), missing messages (exit 3) ------------------------
status 2 purge --archive "$A"
status 2 purge --archive "$A" --query ' '
status 2 purge --archive "$A" --id 0
status 2 purge --archive "$A" --id abc
status 2 purge --archive "$A" --mid victim@example.org --yes
status 2 purge --archive "$A" --mid victim@example.org --yes --reason '  '
status 2 purge --archive "$A" --mid victim@example.org --format xml
status 2 purge --archive "$A" --log --mid victim@example.org
status 2 purge --archive "$A" --query 'from:(' --yes --reason x
status 3 purge --archive "$A" --mid nosuch@example.org
status 3 purge --archive "$A" --id 999 --yes --reason x
grep -q "nothing was purged" "$tmp/err" || die "a missing --id does not say nothing was purged"
status 2 quarantine --archive "$A"
status 2 quarantine show --archive "$A" abc
status 2 quarantine show --archive "$A" 0
status 3 quarantine show --archive "$A" 99
status 2 quarantine list --archive "$A" --format xml
status 2 quarantine export --archive "$A" --id 1 --reason x
status 0 purge --help
grep -q -- "--reason" "$tmp/out" || die "purge --help does not mention --reason"
status 0 quarantine export --help

# ---- dry run ------------------------------------------------------------------
status 0 purge --archive "$A" --mid '<victim@example.org>'
grep -q "victim@example.org" "$tmp/out" || die "the dry run does not list the message"
grep -q "would be purged" "$tmp/out" || die "the dry run does not say it is one"
[ "$(m count zanzibarite)" = 1 ] || die "the dry run purged something"

# ---- the writer lock --------------------------------------------------------
if command -v flock >/dev/null 2>&1; then
    flock "$A/archive.lock" sleep 3 &
    holder=$!
    sleep 0.5
    status 75 purge --archive "$A" --mid victim@example.org --yes --reason 'takedown'
    wait "$holder"
    [ "$(m count zanzibarite)" = 1 ] || die "a locked-out purge changed the archive"
fi

# ---- purge ------------------------------------------------------------------
status 0 purge --archive "$A" --mid victim@example.org --yes --reason 'personal data, ticket 42'
grep -q "purged 1 message" "$tmp/out" || die "purge does not report what it did: $(cat "$tmp/out")"
[ "$(m count zanzibarite)" = 0 ] || die "search still finds the purged message"
[ "$(m count 'id:victim@example.org')" = 0 ] || die "id: still finds the purged message"
status 3 show --archive "$A" '<victim@example.org>'
m thread '<after@example.org>' >"$tmp/thread" || die "thread failed"
grep -q "\[message not in archive\] <victim@example.org>" "$tmp/thread" ||
    die "the thread shows no placeholder for the purged message: $(cat "$tmp/thread")"
grep -q "2 messages" "$tmp/thread" || die "the thread lost a message: $(cat "$tmp/thread")"
# The reply still sits under the placeholder (deeper indentation).
awk '/not in archive/ {d=index($0,"[")} /Third Author/ {r=index($0,"d")} END {exit !(r > d && d > 0)}' "$tmp/thread" ||
    die "the reply is not under the placeholder: $(cat "$tmp/thread")"
m purge --log >"$tmp/log" || die "purge --log failed"
grep -q "personal data, ticket 42" "$tmp/log" || die "the purge log lacks the reason"
grep -q "mid:victim@example.org" "$tmp/log" || die "the purge log lacks the selector"
m purge --log --format json >"$tmp/log.json" || die "purge --log --format json failed"
[ "$(json_get "$tmp/log.json" "len(j['purged'])")" = 1 ] || die "purge log JSON"
if command -v sqlite3 >/dev/null 2>&1; then
    [ "$(sqlite3 "$A/store.sqlite" "SELECT count(*) FROM messages WHERE mid='victim@example.org'")" = 0 ] ||
        die "the message row is still there"
    sqlite3 "$A/store.sqlite" .dump | grep -q "zanzibarite" && die "the purged text is still in the store"
fi
grep -q -a "zanzibarite" "$A/store.sqlite" && die "the purged text is still in the database file"

# ---- re-import does not bring it back -----------------------------------------
m import --list linux-mips --json "$tmp/list.mbox" >"$tmp/imp2.json" || die "second import failed"
[ "$(json_get "$tmp/imp2.json" "j['files'][0]['status']")" = unchanged ] || die "same file not unchanged"
cp "$tmp/list.mbox" "$tmp/copy.mbox"
m import --list linux-mips --json "$tmp/copy.mbox" >"$tmp/imp3.json" || die "import of the copy failed"
[ "$(json_get "$tmp/imp3.json" "(j['read'], j['stored'], j['purged'])")" = "(6, 0, 1)" ] ||
    die "re-import: expected read 6, stored 0, purged 1: $(cat "$tmp/imp3.json")"
[ "$(json_get "$tmp/imp3.json" "j['stored'] + j['duplicates'] + j['quarantined'] + j['purged'] == j['read']")" = True ] ||
    die "re-import counts do not add up: $(cat "$tmp/imp3.json")"
m import --list linux-mips "$tmp/copy.mbox" "$tmp/list.mbox" >/dev/null || die "text import failed"
cp "$tmp/list.mbox" "$tmp/copy2.mbox"
m import --list linux-mips --no-index "$tmp/copy2.mbox" >"$tmp/imp4.txt" || die "text import failed"
grep -q "purged 1" "$tmp/imp4.txt" || die "the text summary does not count the purged message: $(cat "$tmp/imp4.txt")"
[ "$(m count zanzibarite)" = 0 ] || die "the re-import brought the purged message back"

# ---- purge by query, --max ------------------------------------------------------
status 0 purge --archive "$A" --query quuxpills --format json
[ "$(json_get "$tmp/out" "(j['dry_run'], j['count'])")" = "(True, 2)" ] || die "query dry run: $(cat "$tmp/out")"
status 2 purge --archive "$A" --query quuxpills --yes --reason spam --max 1
[ "$(m count quuxpills)" = 2 ] || die "--max did not stop the purge"
status 0 purge --archive "$A" --query quuxpills --yes --reason spam --format json
[ "$(json_get "$tmp/out" "(j['purged'], j['placeholders'])")" = "(2, 0)" ] || die "query purge: $(cat "$tmp/out")"
[ "$(m count quuxpills)" = 0 ] || die "search still finds the purged spam"
[ "$(m count)" = 2 ] || die "expected 2 messages left, found $(m count)"
status 0 purge --archive "$A" --query quuxpills
grep -q "nothing would be purged" "$tmp/out" || die "an empty selection does not say so"

# ---- quarantine ----------------------------------------------------------------
m quarantine list >"$tmp/q.txt" || die "quarantine list failed"
grep -q "$tmp/list.mbox @ " "$tmp/q.txt" || die "quarantine list lacks the source file and offset: $(cat "$tmp/q.txt")"
grep -q "^quarantined: 1 (" "$tmp/q.txt" || die "quarantine list lacks the counts: $(cat "$tmp/q.txt")"
m quarantine list --format json >"$tmp/q.json" || die "quarantine list --format json failed"
qid=$(json_get "$tmp/q.json" "j['messages'][0]['id']")
kind=$(json_get "$tmp/q.json" "j['reasons'][0]['reason']")
[ "$(json_get "$tmp/q.json" "(j['total'], j['reasons'][0]['count'], j['messages'][0]['offset'] > 0)")" = "(1, 1, True)" ] ||
    die "quarantine JSON: $(cat "$tmp/q.json")"
m quarantine list --summary --reason "$kind" >"$tmp/q2.txt" || die "quarantine list --reason failed"
[ "$(cat "$tmp/q2.txt")" = "quarantined: 1 ($kind 1)" ] || die "--summary --reason: $(cat "$tmp/q2.txt")"
m quarantine list --summary --reason "no such kind" | grep -q "^quarantined: 0$" || die "--reason filter"
m quarantine show "$qid" >"$tmp/q.raw" || die "quarantine show failed"
printf 'just some text, no header field\n>From here on, escaped\n' | cmp -s - "$tmp/q.raw" || die "quarantine show is not the exact bytes: $(od -c "$tmp/q.raw" | head)"
m quarantine export -o "$tmp/q.mbox" | grep -q "wrote 1 quarantined message" || die "quarantine export failed"
head -1 "$tmp/q.mbox" | grep -q "^From MAILER-DAEMON " || die "the export is not an mbox"
grep -q "^>From here on" "$tmp/q.mbox" || die "the export is not mboxrd-escaped: $(cat "$tmp/q.mbox")"
"$MLARC" import --archive "$tmp/again" --list linux-mips --json --no-index "$tmp/q.mbox" >"$tmp/again.json" ||
    die "import of the export failed"
[ "$(json_get "$tmp/again.json" "(j['read'], j['quarantined'])")" = "(1, 1)" ] || die "export round trip: $(cat "$tmp/again.json")"
"$MLARC" quarantine show --archive "$tmp/again" 1 | cmp -s - "$tmp/q.raw" || die "the round trip changed the bytes"
echo "purge_quarantine: ok"
