#!/usr/bin/env bash
# End-to-end tests of the web front end (cgi/): mlarc.cgi run from the command
# line (status lines, security headers, JSON, errors, hostile input, X-No-
# Archive, address obfuscation), then the same pages under a real lighttpd on
# a free 127.0.0.1 port, with mod_cgi and (when built) mod_fastcgi.
#
# The archive: two lists of the generated sample (mlarc-sample-gen --scale 1)
# plus hand-made messages: one with <script> in the subject and display name
# and "onerror= in the address, one flagged X-No-Archive.
#
# Escaping check: every HTML and Atom response is grepped for `<script`, for an
# attribute break-out (`"onerror=`, `'onerror=`, a tag with an ` onerror=`
# attribute) and for a `javascript:` URL in href/src: zero hits. (Escaped text
# such as `&quot;onerror=` is harmless and allowed; JSON and the raw message
# carry the bytes as they are, served as application/json and text/plain with
# nosniff, which is checked instead.)
#
# Usage: bash cgi_e2e.sh MLARC SHARED_DIR. Exit 77 (skip) when lighttpd is not
# installed (after the command-line part has passed).
set -u
MLARC=$1
build=$(dirname "$(dirname "$MLARC")")
CGI=$build/cgi/mlarc.cgi
FCGI=$build/cgi/mlarc.fcgi
GEN=$build/data/generator/mlarc-sample-gen
here=$(cd "$(dirname "$0")" && pwd)
web=$here/../../data/web
tmp=$(mktemp -d)
lighttpd_pid=
cleanup() {
    [ -n "$lighttpd_pid" ] && kill "$lighttpd_pid" 2>/dev/null && wait "$lighttpd_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
export LC_ALL=C.UTF-8 NO_COLOR=1
unset MLARC_OBFUSCATE_ADDRESSES MLARC_BASE_URL REQUEST_METHOD PATH_INFO QUERY_STRING
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
die() { echo "cgi_e2e: $*" >&2; exit 1; }

[ -x "$CGI" ] || die "no CGI binary at $CGI (build the mlarc.cgi target)"
[ -x "$GEN" ] || die "no sample generator at $GEN"

# --- the archive -------------------------------------------------------------
A=$tmp/archive
export MLARC_ARCHIVE=$A
"$GEN" --out "$tmp/sample" --scale 1 >/dev/null || die "sample generation failed"
"$MLARC" import --archive "$A" --list fgdpm@lists.itu.int -q --no-index "$tmp/sample/fgdpm.mbox" || die "import fgdpm failed"
"$MLARC" import --archive "$A" --list fgdpmwg3@lists.itu.int -q --no-index "$tmp/sample/fgdpmwg3.mbox" || die "import fgdpmwg3 failed"
cat > "$tmp/hostile.mbox" <<'MBOX'
From hostile@example.org Mon Jan  1 00:00:00 2018
From: "<script>alert(1)</script>" <"onerror=alert(1)"@example.org>
To: fgdpm@lists.itu.int
Subject: </title><script>alert(1)</script> hostilesubject "onerror=alert(2) onload=x
Message-ID: <hostile-1@example.org>
Date: Mon, 1 Jan 2018 00:00:00 +0000

<script>alert(3)</script> hostilebody <img src=x onerror=alert(4)>
<a href="javascript:alert(5)">x</a> '"onerror=alert(6)
> quoted <script>alert(7)</script>
Write to alice.wonderland@example.org please.

From secret@example.org Tue Jan  2 00:00:00 2018
From: Secret Person <secret@example.org>
To: fgdpm@lists.itu.int
Subject: secretword not for the archive
Message-ID: <noarchive-1@example.org>
X-No-Archive: yes
Date: Tue, 2 Jan 2018 00:00:00 +0000

secretword body.

From slash@example.org Wed Jan  3 00:00:00 2018
From: Slash Person <slash@example.org>
To: fgdpm@lists.itu.int
Subject: slashword message
Message-ID: <a/b+c%d@example.org>
Date: Wed, 3 Jan 2018 00:00:00 +0000

slashword body.

From evil@example.org Thu Jan  4 00:00:00 2018
From: "x\" onload=\"alert(9)" <evil@example.org>
To: fgdpm@lists.itu.int
Subject: Re: hostilesubject evil id
Message-ID: <"><script>alert(8)</script>@example.org>
In-Reply-To: <hostile-1@example.org>
Date: Thu, 4 Jan 2018 00:00:00 +0000

evil id body <svg onload=alert(10)>

From attach@example.org Fri Jan  5 00:00:00 2018
From: Attach Person <attach@example.org>
To: fgdpm@lists.itu.int
Subject: attachword files
Message-ID: <attach-1@example.org>
Date: Fri, 5 Jan 2018 00:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain

attachword body.
--BOUNDARY
Content-Type: text/html; name="x.html"
Content-Disposition: attachment; filename="\"><script>alert(11)</script>.html"
Content-Transfer-Encoding: base64

PGh0bWw+PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD48L2h0bWw+Cg==
--BOUNDARY
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%9C%93%3B.bin
Content-Transfer-Encoding: base64

AAECA/7/gIFeCg0K
--BOUNDARY--
MBOX
"$MLARC" import --archive "$A" --list fgdpm@lists.itu.int -q "$tmp/hostile.mbox" || die "import hostile failed"

# --- helpers -----------------------------------------------------------------
# cgi NAME=VALUE...: runs the CGI, output in $tmp/out; sets $status (the code).
n=0
cgi() {
    n=$((n + 1))
    "$CGI" "$@" > "$tmp/out" 2> "$tmp/err"
    cp "$tmp/out" "$tmp/resp.$n"
    status=$(head -1 "$tmp/out" | tr -d '\r' | sed -n 's/^Status: \([0-9]*\).*/\1/p')
}
body() { sed '1,/^\r$/d' "$tmp/out"; }
header() { sed '/^\r$/q' "$tmp/out" | tr -d '\r' | grep -i "^$1:" | head -1 | sed 's/^[^:]*: //'; }
expect() { # expect CODE DESCRIPTION
    [ "$status" = "$1" ] || fail "$2: status '$status', expected $1 ($(head -c 300 "$tmp/out" | tr '\r\n' '  '))"
}
json_ok() {
    if command -v python3 >/dev/null 2>&1; then
        body | python3 -m json.tool >/dev/null 2>&1 || fail "$1: body is not valid JSON"
    else
        body | grep -q '"format_version"' || fail "$1: no format_version in the JSON"
    fi
}
# The security headers on the last response.
check_headers() {
    header Content-Security-Policy | grep -q "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'" \
        || fail "$1: no CSP header"
    [ "$(header X-Content-Type-Options)" = nosniff ] || fail "$1: no nosniff header"
    [ "$(header Referrer-Policy)" = no-referrer ] || fail "$1: no Referrer-Policy header"
}
# decode %XX (PATH_INFO is given decoded, as a web server does).
urldecode() { printf '%b' "$(printf '%s' "$1" | sed 's/%/\\x/g')"; }

# --- pages from the command line -----------------------------------------------
cgi PATH_INFO=/; expect 200 "home"; check_headers home
grep -q '<form' "$tmp/out" || fail "home: no search form"
grep -q 'option value="fgdpmwg3"' "$tmp/out" || fail "home: list selector lacks fgdpmwg3"
cgi PATH_INFO=/style.css; expect 200 "style.css"; check_headers style.css
[ "$(header Content-Type)" = "text/css; charset=utf-8" ] || fail "style.css: content type"
cgi PATH_INFO=/search list=fgdpmwg3; expect 200 "search list"
grep -q 'href="/t/[0-9]*"' "$tmp/out" || fail "search list: no thread links"
grep -q 'rel="next"' "$tmp/out" || fail "search list: no next page link"
tid=$(grep -o 'href="/t/[0-9]*"' "$tmp/out" | head -1 | sed 's/[^0-9]//g')
cgi PATH_INFO=/search list=fgdpmwg3 format=json; expect 200 "search json"; json_ok "search json"
[ "$(header Content-Type)" = "application/json; charset=utf-8" ] || fail "search json: content type"
cgi PATH_INFO=/search list=fgdpm page=2 n=5 sort=oldest; expect 200 "search page 2"
cgi PATH_INFO=/search q=hostilesubject format=atom; expect 200 "search atom"
if command -v python3 >/dev/null 2>&1; then
    body | python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())' \
        || fail "search atom: not well-formed XML"
fi
cgi PATH_INFO=/t/"$tid"; expect 200 "thread $tid"
mid_enc=$(grep -o 'href="/m/[^"]*"' "$tmp/out" | head -1 | sed 's|href="/m/||; s|"$||')
mid=$(urldecode "$mid_enc")
cgi PATH_INFO=/t/"$tid" format=json; expect 200 "thread json"; json_ok "thread json"
cgi PATH_INFO=/t/"$tid"/mbox; expect 200 "thread mbox"
[ "$(header Content-Type)" = "application/mbox" ] || fail "thread mbox: content type"
body | head -1 | grep -q '^From ' || fail "thread mbox: does not start with a From_ line"
cgi PATH_INFO="/m/$mid"; expect 200 "message $mid"
grep -q '<table class="hdr">' "$tmp/out" || fail "message: no header table"
cgi PATH_INFO="/m/$mid" format=json; expect 200 "message json"; json_ok "message json"
cgi PATH_INFO="/m/$mid/raw"; expect 200 "raw"
[ "$(header Content-Type)" = "text/plain; charset=utf-8" ] || fail "raw: content type"
[ "$(header Content-Disposition)" = inline ] || fail "raw: content disposition"
body > "$tmp/raw.cgi"
"$MLARC" show --archive "$A" --raw "$mid" > "$tmp/raw.cli" || fail "mlarc show --raw failed"
cmp -s "$tmp/raw.cgi" "$tmp/raw.cli" || fail "raw: bytes differ from mlarc show --raw"
cgi PATH_INFO=/l/fgdpmwg3; expect 200 "list page"
cgi PATH_INFO=/l/fgdpmwg3/atom; expect 200 "list atom"
[ "$(header Content-Type)" = "application/atom+xml; charset=utf-8" ] || fail "list atom: content type"
cgi PATH_INFO='/m/a/b+c%d@example.org'; expect 200 "message id with a slash"
cgi PATH_INFO='/m/a%2Fb+c%d@example.org'; expect 200 "message id with %2F left encoded"
cgi REQUEST_METHOD=HEAD PATH_INFO=/; expect 200 "HEAD"

# --- errors ------------------------------------------------------------------------
cgi PATH_INFO=/t/99999999; expect 404 "unknown thread"; check_headers "404"
cgi PATH_INFO=/m/no-such-message@example.org; expect 404 "unknown message"
cgi PATH_INFO=/l/nosuchlist; expect 404 "unknown list"
cgi PATH_INFO=/nosuchpage; expect 404 "unknown page"
cgi PATH_INFO=/t/../../etc/passwd; expect 404 "thread path traversal"
cgi PATH_INFO=/m/../../../etc/passwd/raw; expect 404 "message path traversal"
cgi PATH_INFO=/search list=../../etc/passwd; expect 400 "list path traversal"
cgi PATH_INFO=/search page=abc; expect 400 "bad page"
cgi PATH_INFO=/search n=500; expect 400 "page size over 200"
cgi PATH_INFO=/search n=200 page=100; expect 400 "offset over 10000"
cgi PATH_INFO=/search format=xml; expect 400 "bad format"
cgi PATH_INFO=/search since=notadate; expect 400 "bad date"
cgi PATH_INFO=/search 'q=nosuchprefix:x'; expect 400 "unknown query prefix"
cgi PATH_INFO=/search 'q=(unbalanced AND'; [ "$status" = 200 ] || [ "$status" = 400 ] || fail "bad query syntax: status $status"
cgi PATH_INFO=/search archive=/etc; expect 400 "unknown parameter"
cgi PATH_INFO=/search QUERY_STRING='q=%ZZ'; expect 400 "invalid percent-encoding"
cgi PATH_INFO=/search QUERY_STRING='q=%'; expect 400 "truncated percent-encoding"
cgi PATH_INFO=/search QUERY_STRING='q=%FF%FE'; expect 400 "invalid UTF-8"
cgi PATH_INFO=/search QUERY_STRING='q=a&q=b'; expect 400 "repeated parameter"
big=$(head -c 10240 /dev/zero | tr '\0' 'a')
cgi PATH_INFO=/search "q=$big"; expect 400 "10 kB parameter"
cgi REQUEST_METHOD=POST PATH_INFO=/; expect 405 "POST"
[ "$(header Allow)" = "GET, HEAD" ] || fail "405: no Allow header"
grep -q 'Traceback\|terminate called\|what()' "$tmp/err" && fail "stderr shows a crash"

# --- hostile input, X-No-Archive, obfuscation -----------------------------------------
cgi PATH_INFO=/search q=hostilesubject; expect 200 "hostile search"
grep -q 'hostilesubject' "$tmp/out" || fail "hostile search: message not found"
cgi PATH_INFO=/m/hostile-1@example.org; expect 200 "hostile message"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/out" || fail "hostile message: subject not shown escaped"
htid=$(grep -o 'href="/t/[0-9]*"' "$tmp/out" | head -1 | sed 's/[^0-9]//g')
cgi PATH_INFO=/t/"$htid"; expect 200 "hostile thread"
cgi PATH_INFO=/m/hostile-1@example.org format=json; expect 200 "hostile json"; json_ok "hostile json"
cgi PATH_INFO=/search 'q=<script>alert(1)</script>'; [ "$status" = 200 ] || [ "$status" = 400 ] || fail "script query: status $status"
cgi PATH_INFO=/search 'author="onerror=alert(1)"@example.org'; [ "$status" = 200 ] || [ "$status" = 400 ] || fail "onerror author: status $status"
cgi PATH_INFO=/search 'q="><script>alert(1)</script>' format=atom; [ "$status" = 200 ] || [ "$status" = 400 ] || fail "script atom: status $status"
cgi PATH_INFO='/m/<script>alert(1)</script>'; expect 404 "script message id"
cgi PATH_INFO='/l/<script>alert(1)</script>'; expect 404 "script list"
cgi PATH_INFO=/search QUERY_STRING='q=%3Cscript%3E&list=%22onerror%3D'; [ "$status" = 400 ] || [ "$status" = 200 ] || fail "encoded script: status $status"

cgi PATH_INFO=/search q=secretword; expect 200 "no-archive search"
grep -q 'secretword not for' "$tmp/out" && fail "X-No-Archive message listed in the results"
cgi PATH_INFO=/m/noarchive-1@example.org; expect 404 "X-No-Archive message"
cgi PATH_INFO=/m/noarchive-1@example.org/raw; expect 404 "X-No-Archive raw"

MLARC_OBFUSCATE_ADDRESSES=1 cgi PATH_INFO=/m/hostile-1@example.org; expect 200 "obfuscated message"
grep -q 'alice.wonderland@example.org' "$tmp/out" && fail "obfuscation: full address shown"
grep -q 'ali... at example.org' "$tmp/out" || fail "obfuscation: no obfuscated address"
MLARC_OBFUSCATE_ADDRESSES=1 cgi PATH_INFO=/m/hostile-1@example.org/raw; expect 403 "obfuscated raw"
MLARC_OBFUSCATE_ADDRESSES=1 cgi PATH_INFO=/search q=hostilesubject format=json; expect 200 "obfuscated json"
grep -q '@example.org' "$tmp/out" && fail "obfuscation: address in JSON"

# --- attachments: exact decoded bytes, never rendered ------------------------------
cgi PATH_INFO=/m/attach-1@example.org; expect 200 "attachment message"
grep -q 'href="/m/attach-1%40example.org/a/2"' "$tmp/out" || fail "attachment message: no link to part 2"
cgi PATH_INFO=/m/attach-1@example.org/a/2; expect 200 "html attachment"; check_headers "html attachment"
[ "$(header Content-Type)" = application/octet-stream ] || fail "html attachment: content type $(header Content-Type)"
header Content-Disposition | grep -q '^attachment; filename="___script_alert_11___script_.html"; filename\*=UTF-8'"''"'%22%3E%3Cscript%3Ealert%2811%29%3C%2Fscript%3E.html$' \
    || fail "html attachment: content disposition '$(header Content-Disposition)'"
body > "$tmp/att2"
printf '<html><script>alert(12)</script></html>\n' | cmp -s - "$tmp/att2" || fail "html attachment: bytes differ"
cgi PATH_INFO=/m/attach-1@example.org/a/3; expect 200 "binary attachment"
header Content-Disposition | grep -q "filename\*=UTF-8''r%C3%A9sum%C3%A9%20%E2%9C%93%3B.bin" \
    || fail "binary attachment: RFC 5987 name '$(header Content-Disposition)'"
body > "$tmp/att3"
printf 'AAECA/7/gIFeCg0K' | base64 -d | cmp -s - "$tmp/att3" || fail "binary attachment: bytes differ"
cgi PATH_INFO=/m/attach-1@example.org/a/9; expect 404 "no such attachment"
cgi PATH_INFO=/m/noarchive-1@example.org/a/1; expect 404 "X-No-Archive attachment"

# --- more pages: WG selector, facets, deliverables, report, Atom --------------------
cgi PATH_INFO=/search wg=3 q=the; expect 200 "wg search"
grep -q '<option value="3" selected>WG3</option>' "$tmp/out" || fail "wg search: WG3 not selected in the form"
cgi PATH_INFO=/search wg=3 q=the format=json; expect 200 "wg search json"
body | python3 -c '
import json, sys
hits = json.load(sys.stdin)["hits"]
assert hits and all("fgdpmwg3" in h["lists"] for h in hits)' || fail "wg search: a thread without the WG3 list"
cgi PATH_INFO=/search q=the list=fgdpm; expect 200 "facets"
grep -q 'class="facets"' "$tmp/out" || fail "facets: none shown for a narrowed search"
grep -q 'href="/search?[^"]*since=20[0-9][0-9]-[0-9][0-9]&amp;until=' "$tmp/out" || fail "facets: no month refining link"
grep -q '<meta name="viewport" content="width=device-width' "$tmp/out" || fail "no viewport meta"
# Facets are made for the first HTML page only (later pages and the JSON have none).
cgi PATH_INFO=/search q=the list=fgdpm page=2; expect 200 "facets page 2"
grep -q 'class="facets"' "$tmp/out" && fail "facets: computed for page 2"
cgi PATH_INFO=/search q=the list=fgdpm format=json; expect 200 "facets json"
body | grep -q '"facets"' && fail "facets: in the search JSON (as the CLI: only with --facets)"

# --- browsing a list by month: /l/<list>/months, /l/<list>/<YYYY-MM> ----------------
cgi PATH_INFO=/l/fgdpm; expect 200 "list page"
grep -q 'href="/l/fgdpm/months"' "$tmp/out" || fail "list page: no link to the months"
cgi PATH_INFO=/l/fgdpm/months; expect 200 "month index"
months=$(grep -o 'href="/l/fgdpm/[0-9]\{4\}-[0-9][0-9]"' "$tmp/out" | sed 's|.*/||; s|"$||')
[ "$(echo "$months" | wc -l)" -ge 3 ] || fail "month index: fewer than 3 months ($months)"
[ "$months" = "$(echo "$months" | sort -r)" ] || fail "month index: not newest first"
newest=$(echo "$months" | head -1) second=$(echo "$months" | sed -n 2p) oldest=$(echo "$months" | tail -1)
# The month's message count in the index equals a search for the same month.
idx_n=$(grep -o "href=\"/l/fgdpm/$second\">[A-Za-z]*</a>([0-9]*)" "$tmp/out" | sed 's/.*(\([0-9]*\))/\1/')
cli_n=$("$MLARC" count --archive "$A" --list fgdpm --since "$second" --until "$second")
[ "$idx_n" = "$cli_n" ] || fail "month index: $second has $idx_n messages, mlarc count says $cli_n"
cgi PATH_INFO="/l/fgdpm/$second"; expect 200 "month page"
grep -q "<h1>List fgdpm: " "$tmp/out" || fail "month page: no title"
grep -q "rel=\"next\" href=\"/l/fgdpm/$newest\"" "$tmp/out" || fail "month page: no link to the newer month $newest"
grep -q 'href="/l/fgdpm/months">all months' "$tmp/out" || fail "month page: no link to the month index"
grep -q 'class="hits"' "$tmp/out" || fail "month page: no threads"
grep -q 'class="snip"' "$tmp/out" && fail "month page: snippets on an overview"
threads=$(grep -o 'href="/t/[0-9]*"' "$tmp/out" | wc -l)
cli_t=$("$MLARC" count --threads --archive "$A" --list fgdpm --since "$second" --until "$second")
[ "$threads" = "$cli_t" ] || fail "month page: $threads threads shown, $cli_t threads in that month"
cgi PATH_INFO="/l/fgdpm/$oldest"; expect 200 "oldest month page"
grep -q 'rel="prev"' "$tmp/out" && fail "oldest month page: a link to an older month"
cgi PATH_INFO="/l/fgdpm/$newest/"; expect 200 "month page with a slash"
grep -q 'rel="next"' "$tmp/out" && fail "newest month page: a link to a newer month"
cgi PATH_INFO=/l/fgdpm/1999-01; expect 200 "empty month"
grep -q "No messages match" "$tmp/out" || fail "empty month: not said"
cgi PATH_INFO=/l/fgdpm/2018-13; expect 404 "month 13"
cgi PATH_INFO=/l/nosuchlist/months; expect 404 "months of an unknown list"
cgi PATH_INFO=/l/fgdpm/2018-01 format=json; expect 200 "month page json"
json_ok "month page json"
cgi PATH_INFO=/search wg=abc; expect 400 "bad wg"
cgi PATH_INFO=/d/; expect 200 "deliverables"
did=$(grep -o 'href="/d/[^"][^"]*"' "$tmp/out" | head -1 | sed 's|href="/d/||; s|"$||')
[ -n "$did" ] || fail "deliverables: no deliverable link"
cgi PATH_INFO="/d/$(urldecode "$did")"; expect 200 "deliverable $did"
cgi PATH_INFO=/d/D99.99; expect 404 "unknown deliverable"
cgi PATH_INFO=/report since=2017-01-01; expect 200 "report"
grep -q '<img class="chart"[^>]*src="/report/chart.svg?since=2017-01-01"' "$tmp/out" || fail "report: no chart image"
cgi PATH_INFO=/report/chart.svg since=2017-01-01; expect 200 "chart"
[ "$(header Content-Type)" = image/svg+xml ] || fail "chart: content type"
body | grep -qi '<script' && fail "chart: script in the SVG"
body | python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())' || fail "chart: not XML"
cgi PATH_INFO=/report since=yesterday-ish; expect 400 "report bad date"
cgi PATH_INFO=/l/fgdpm/atom; expect 200 "atom again"
body | python3 -c '
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
f = ET.fromstring(sys.stdin.buffer.read())
assert f.tag == A + "feed", f.tag
for t in ("id", "title", "updated"): assert f.find(A + t) is not None, t
es = f.findall(A + "entry"); assert es, "no entries"
for e in es:
    for t in ("id", "title", "updated", "link"): assert e.find(A + t) is not None, t
' || fail "list atom: not a valid Atom feed"

# --- the query time limit: 503, never a hang ---------------------------------------------
MLARC_QUERY_TIME_LIMIT=0.000001 cgi PATH_INFO=/search q=the; expect 503 "time limit"
[ "$(header Retry-After)" = 10 ] || fail "time limit: no Retry-After"
grep -q 'took too long' "$tmp/out" || fail "time limit: no clear message"

# --- hostile parameters: 400 with a message, in bounded time ------------------------------
deep=$(printf '(%.0s' $(seq 1 300))x$(printf ')%.0s' $(seq 1 300))
hostile_400() { # hostile_400 DESCRIPTION NAME=VALUE...
    local d=$1 t0; shift
    t0=$(date +%s)
    timeout 60 "$CGI" "$@" > "$tmp/out" 2> "$tmp/err"
    n=$((n + 1)); cp "$tmp/out" "$tmp/resp.$n"
    status=$(head -1 "$tmp/out" | tr -d '\r' | sed -n 's/^Status: \([0-9]*\).*/\1/p')
    expect 400 "$d"
    [ $(( $(date +%s) - t0 )) -le 30 ] || fail "$d: took over 30 s"
    grep -q '<h1>400 Bad Request</h1><p>[^<]' "$tmp/out" || fail "$d: no message on the 400 page"
}
hostile_400 "leading wildcard" PATH_INFO=/search 'q=*foo'
hostile_400 "pure NOT" PATH_INFO=/search 'q=NOT foo'
hostile_400 "deep nesting" PATH_INFO=/search "q=$deep"
hostile_400 "huge page size" PATH_INFO=/search n=100000000000000000000
hostile_400 "NUL in q" PATH_INFO=/search QUERY_STRING='q=a%00b'
hostile_400 "NUL in list" PATH_INFO=/search QUERY_STRING='list=fgdpm%00..%2F'
hostile_400 "overlong UTF-8" PATH_INFO=/search QUERY_STRING='q=%C0%AF'
hostile_400 "lone surrogate" PATH_INFO=/search QUERY_STRING='q=%ED%A0%80'
hostile_400 "bad percent in name" PATH_INFO=/search QUERY_STRING='%q=1'
hostile_400 "format traversal" PATH_INFO=/search 'format=../../etc/passwd'
hostile_400 "sort injection" PATH_INFO=/search 'sort=<script>alert(1)</script>'
hostile_400 "script param name" PATH_INFO=/search QUERY_STRING='%3Cscript%3E=1'
hostile_400 "report list path" PATH_INFO=/report QUERY_STRING='until=..%2F..%2Fetc'
grep -q '&lt;script&gt;' "$tmp/resp.$((n - 1))" || fail "script param name: not echoed escaped"
cgi PATH_INFO=$'/m/a\xff\xfe'; expect 400 "invalid UTF-8 in the path"
cgi PATH_INFO=/search 'author=../../etc/passwd'; [ "$status" = 200 ] || [ "$status" = 400 ] || fail "dotdot author: status $status"
cgi PATH_INFO=/search 'q=x*'; [ "$status" = 200 ] || [ "$status" = 400 ] || fail "short wildcard: status $status"

# --- permalinks survive a re-import into a fresh archive -----------------------------------
B=$tmp/archive2
"$MLARC" import --archive "$B" --list fgdpm@lists.itu.int -q "$tmp/hostile.mbox" || die "re-import hostile failed"
"$MLARC" import --archive "$B" --list fgdpmwg3@lists.itu.int -q "$tmp/sample/fgdpmwg3.mbox" || die "re-import fgdpmwg3 failed"
"$MLARC" import --archive "$B" --list fgdpm@lists.itu.int -q "$tmp/sample/fgdpm.mbox" || die "re-import fgdpm failed"
for pm in hostile-1@example.org "$mid" attach-1@example.org/a/3; do
    cgi PATH_INFO="/m/$pm"; expect 200 "permalink /m/$pm in the first archive"; body > "$tmp/pm1"
    MLARC_ARCHIVE=$B cgi PATH_INFO="/m/$pm"; expect 200 "permalink /m/$pm after a re-import"; body > "$tmp/pm2"
    case "$pm" in */a/*) cmp -s "$tmp/pm1" "$tmp/pm2" || fail "permalink /m/$pm: bytes differ" ;;
    *) diff <(sed 's|/t/[0-9]*|/t/N|g' "$tmp/pm1") <(sed 's|/t/[0-9]*|/t/N|g' "$tmp/pm2") >/dev/null \
        || fail "permalink /m/$pm: the page differs after a re-import" ;; esac
done

MLARC_ARCHIVE=$tmp/nowhere cgi PATH_INFO=/; expect 503 "missing archive"
grep -q "$tmp" "$tmp/out" && fail "missing archive: the path is shown to the visitor"

# The escaping check over every HTML/Atom response so far.
scan() { # scan FILE...: the dangerous forms, for HTML and Atom responses
    local f ct
    for f in "$@"; do
        ct=$(sed '/^\r$/q' "$f" | tr -d '\r' | grep -i '^Content-Type:' | head -1)
        case "$ct" in *text/html*|*atom*) ;; *) continue ;; esac
        if sed '1,/^\r$/d' "$f" | grep -i -E '<script|["'"'"'](onerror|onload)=|<[^>]*[[:space:]](onerror|onload)=|(href|src)=["'"'"']?[[:space:]]*javascript:' >/dev/null; then
            fail "unescaped markup in response $(basename "$f") ($(sed -n 's/^Status: //p' "$f" | tr -d '\r'))"
        fi
    done
}
scan "$tmp"/resp.*
echo "command line: $n requests, $failures failures"
[ "$failures" = 0 ] || exit 1

# --- under lighttpd -------------------------------------------------------------------
if ! command -v lighttpd >/dev/null 2>&1; then
    echo "cgi_e2e: SKIP the web-server part: lighttpd is not installed"
    exit 77
fi
. "$here/../web_server.sh"
# serve TEMPLATE: starts lighttpd on a free port; sets $port.
serve() {
    rm -rf "$tmp/srv"
    if web_start "$tmp/srv" "$1" "$A" "$(cd "$(dirname "$CGI")" && pwd)/mlarc.cgi" \
        "$(cd "$(dirname "$FCGI")" && pwd)/mlarc.fcgi"; then
        port=$WEB_PORT lighttpd_pid=$WEB_PID
        return 0
    fi
    lighttpd_pid=$WEB_PID
    fail "lighttpd did not start with $(basename "$1")"
    return 1
}
stop() { kill "$lighttpd_pid" 2>/dev/null; wait "$lighttpd_pid" 2>/dev/null; lighttpd_pid=; }
m=0
# get EXPECTED_STATUS URL_PATH_AND_QUERY [server]: with "server", lighttpd
# may answer itself (it rejects some bad URLs before the CGI: 400 without our
# headers) or repair the URL (it re-encodes a stray '%': then the CGI's 200).
get() {
    m=$((m + 1))
    local code
    code=$(curl -s -g -D "$tmp/h.$m" -o "$tmp/b.$m" -w '%{http_code}' "http://127.0.0.1:$port$2")
    if [ "${3:-}" = server ]; then
        case "$code" in 200|400) ;; *) fail "$mode GET $2: status $code, expected 400 (or 200)" ;; esac
        grep -qi '^Content-Security-Policy:' "$tmp/h.$m" || return 0
    fi
    [ "$code" = "$1" ] || [ "${3:-}" = server ] || fail "$mode GET $2: status $code, expected $1"
    grep -qi '^X-Content-Type-Options: nosniff' "$tmp/h.$m" || fail "$mode GET $2: no nosniff header"
    grep -qi "^Content-Security-Policy: default-src 'none'" "$tmp/h.$m" || fail "$mode GET $2: no CSP"
    # For scan(): a CGI-like file with the headers, then the body.
    { cat "$tmp/h.$m"; cat "$tmp/b.$m"; } > "$tmp/web.$m"
}
web_tests() {
    get 200 /
    get 200 /search?list=fgdpmwg3
    get 200 "/search?list=fgdpmwg3&format=json"
    if command -v python3 >/dev/null 2>&1; then
        python3 -m json.tool "$tmp/b.$m" >/dev/null 2>&1 || fail "$mode: search JSON does not parse"
    fi
    get 200 /style.css
    get 200 "/t/$tid"
    get 200 "/t/$tid?format=json"
    get 200 "/t/$tid/mbox"
    get 200 "/m/$mid_enc"
    get 200 "/m/$mid_enc/raw"
    cmp -s "$tmp/b.$m" "$tmp/raw.cli" || fail "$mode: raw bytes differ"
    get 200 "/m/a%2Fb%2Bc%25d%40example.org"
    get 200 /l/fgdpm
    get 200 /l/fgdpm/atom
    get 200 "/search?q=hostilesubject"
    get 200 /m/hostile-1@example.org
    get 200 "/t/$htid"
    get 404 /t/99999999
    get 404 /m/no-such@example.org
    get 404 /m/noarchive-1@example.org
    get 400 "/search?page=abc"
    get 400 "/search?q=%ZZ" server
    get 400 "/search?q=%FF" server
    get 400 "/search?n=1000"
    get 400 "/search?list=..%2F..%2Fetc%2Fpasswd"
    get 400 "/search?q=${big:0:5000}"
    get 400 "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&bogus=1"
    get 200 /m/attach-1@example.org/a/2
    grep -qi '^Content-Type: application/octet-stream' "$tmp/h.$m" || fail "$mode attachment: content type"
    grep -qi '^Content-Disposition: attachment; filename=' "$tmp/h.$m" || fail "$mode attachment: disposition"
    cmp -s "$tmp/b.$m" "$tmp/att2" || fail "$mode attachment: bytes differ"
    get 400 "/search?q=%2Afoo"
    get 400 "/search?q=NOT%20foo"
    get 400 "/search?n=999999"
    get 400 "/search?q=a%00b" server
    get 200 "/report"
    get 200 "/d/"
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x=1 "http://127.0.0.1:$port/search")
    [ "$code" = 405 ] || fail "$mode POST: status $code, expected 405"
}
mode=cgi
if serve "$web/lighttpd.conf.in"; then
    web_tests
    stop
fi
if [ -x "$FCGI" ]; then
    mode=fastcgi
    if serve "$web/lighttpd-fastcgi.conf.in"; then
        web_tests
        get 200 /l/fgdpm/months
        get 200 "/l/fgdpm/$second"
        # The response cache (cgi/cache.hpp): the same search asked again is
        # answered from memory (by one of the two server processes), same bytes.
        get 200 "/search?q=deliverable&list=fgdpmwg3"
        first=$m hit=
        for _ in 1 2 3 4; do
            get 200 "/search?q=deliverable&list=fgdpmwg3"
            cmp -s "$tmp/b.$first" "$tmp/b.$m" || fail "fastcgi: a repeated search differs"
            grep -qi '^X-Cache: hit' "$tmp/h.$m" && hit=1
        done
        [ -n "$hit" ] || fail "fastcgi: a repeated search was never answered from the cache"
        grep -qi '^X-Cache:' "$tmp/h.$first" || fail "fastcgi: no X-Cache header on a search"
        get 200 /report
        grep -qi '^X-Cache:' "$tmp/h.$m" && fail "fastcgi: the report page went through the cache"
        # Between requests the index is reopened and the list names read
        # again: a new list (and its messages) shows without a restart.
        grep -q '<option value="fgdpmwg1"' "$tmp/b.$m" && fail "fastcgi: fgdpmwg1 before its import"
        "$MLARC" import --archive "$A" --list fgdpmwg1@lists.itu.int -q "$tmp/sample/fgdpmwg1.mbox" 2>/dev/null \
            || fail "import fgdpmwg1 while the FastCGI server runs"
        get 200 /
        grep -q '<option value="fgdpmwg1"' "$tmp/b.$m" || fail "fastcgi: the new list is not in the list selector"
        get 200 /l/fgdpmwg1
        grep -q 'class="hits"' "$tmp/b.$m" || fail "fastcgi: the new list's page has no threads"
        # A new archive in the same place (made again, moved in): seen too.
        B=$tmp/archive-new
        "$MLARC" import --archive "$B" --list otherlist@example.org -q "$tmp/hostile.mbox" 2>/dev/null \
            || fail "import the new archive"
        mv "$A" "$tmp/archive-old" && mv "$B" "$A"
        get 200 /
        grep -q '<option value="otherlist"' "$tmp/b.$m" || fail "fastcgi: the replaced archive's list is not shown"
        grep -q '<option value="fgdpm"' "$tmp/b.$m" && fail "fastcgi: the old archive's lists are still shown"
        get 200 "/search?q=hostilesubject&list=otherlist"
        grep -q 'class="hits"' "$tmp/b.$m" || fail "fastcgi: no search results from the replaced archive"
        stop
    fi
    # The bad-request budget (MLARC_WEB_MAX_BAD_REQUESTS, cgi/cache.hpp): a
    # process that answered that many 400s starts afresh (execs itself on its
    # socket), and no request in between fails.
    mode=fastcgi-budget
    if WEB_MAX_BAD=2 serve "$web/lighttpd-fastcgi.conf.in"; then
        pids=$(pgrep -d' ' -f "$(cd "$(dirname "$FCGI")" && pwd)/mlarc.fcgi" | tr ' ' '\n' | sort | tr '\n' ' ')
        for _ in 1 2 3 4 5 6 7; do
            get 400 "/search?q=kernel+AND"
            get 200 "/search?q=hostilesubject&list=otherlist"
        done
        afresh=$(grep -c 'starting afresh' "$tmp/srv/stdout")
        # 7 bad requests over two processes with a budget of 2 each: 3 restarts at least.
        [ "$afresh" -ge 3 ] || fail "fastcgi: 7 bad requests with a budget of 2 started afresh $afresh times"
        now=$(pgrep -d' ' -f "$(cd "$(dirname "$FCGI")" && pwd)/mlarc.fcgi" | tr ' ' '\n' | sort | tr '\n' ' ')
        [ "$now" = "$pids" ] || fail "fastcgi: the processes changed ($pids -> $now): not started afresh in place"
        for p in $now; do
            [ "$(cat "/proc/$p/comm" 2>/dev/null)" = mlarc.fcgi ] ||
                fail "fastcgi: process $p is named '$(cat "/proc/$p/comm" 2>/dev/null)' after starting afresh"
        done
        grep -q 'are down' "$tmp/srv/error.log" && fail "fastcgi: lighttpd found its handlers down"
        stop
    fi
else
    echo "cgi_e2e: mlarc.fcgi not built (no libfcgi): the FastCGI part is skipped"
fi
scan "$tmp"/web.*
echo "web server: $m requests, $failures failures"
[ "$failures" = 0 ]
