#!/usr/bin/env bash
# The web front end in a real headless Chromium (issue 6): lighttpd + mlarc.cgi
# on a free 127.0.0.1 port with two lists of the generated sample, driven over
# WebDriver (chromedriver, plain HTTP from python3's standard library): load
# the search page, type a word, pick a working group and a date range in the
# form, submit, check the results page (its URL carries the filters, the
# expected thread is listed, no other list leaks in), follow the thread link,
# check the thread page (subject, tree nodes, folded quotes), and save a
# screenshot of each page under BUILD/test-artifacts/.
#
# The word, WG and date come from `mlarc search --format json` on the same
# archive, so the test does not depend on the generator's text.
#
# Usage: bash web_chromium.sh MLARC SHARED_DIR. Exit 77 (skip) only when
# chromium, chromedriver or lighttpd is not installed (Makefile.dist `deps`
# installs them) or when Chromium cannot start a session (the reason is
# printed). Every wait is bounded.
set -u
MLARC=$1
build=$(dirname "$(dirname "$MLARC")")
build=$(cd "$build" && pwd)
CGI=$build/cgi/mlarc.cgi
GEN=$build/data/generator/mlarc-sample-gen
here=$(cd "$(dirname "$0")" && pwd)
web=$here/../../data/web
art=$build/test-artifacts
skip() { echo "web_chromium: SKIP: $*"; exit 77; }
die() { echo "web_chromium: FAIL: $*" >&2; exit 1; }

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
DRIVER=$(command -v chromedriver || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed (apt-get install chromium chromium-driver)"
[ -n "$DRIVER" ] || skip "chromedriver is not installed (apt-get install chromium-driver)"
command -v lighttpd >/dev/null || skip "lighttpd is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
[ -x "$CGI" ] || die "no CGI binary at $CGI"
[ -x "$GEN" ] || die "no sample generator at $GEN"

tmp=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
export LC_ALL=C.UTF-8
unset MLARC_OBFUSCATE_ADDRESSES MLARC_BASE_URL

A=$tmp/archive
"$GEN" --out "$tmp/sample" --scale 1 >/dev/null || die "sample generation failed"
for l in fgdpm fgdpmwg3; do
  "$MLARC" import --archive "$A" --list $l@lists.itu.int -q "$tmp/sample/$l.mbox" || die "import $l failed"
done
"$MLARC" search --archive "$A" --wg 3 --format json --limit 1 > "$tmp/pick.json" || die "mlarc search --wg 3 failed"

. "$here/../web_server.sh"
web_start "$tmp/srv" "$web/lighttpd.conf.in" "$A" "$CGI" || die "lighttpd did not start"
pids+=("$WEB_PID")
port=$WEB_PORT
mkdir -p "$art"
dport=$(web_free_port)
"$DRIVER" --port="$dport" > "$tmp/driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$dport/status" && break
  sleep 0.1
done
curl -s -o /dev/null "http://127.0.0.1:$dport/status" || skip "chromedriver did not start: $(tail -3 "$tmp/driver.log")"

python3 - "$CHROMIUM" "$dport" "$port" "$tmp/pick.json" "$art" <<'PY'
import base64, datetime, json, os, re, sys, time, urllib.error, urllib.request
chromium, dport, port, pick, art = sys.argv[1:6]
driver = "http://127.0.0.1:%s" % dport
site = "http://127.0.0.1:%s" % port

def call(method, path, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(driver + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read())["value"]
    except urllib.error.HTTPError as e:
        raise RuntimeError("%s %s: %s" % (method, path, e.read()[:500].decode(errors="replace")))

hit = json.load(open(pick))["hits"][0]
subject = hit["subject"]
words = sorted(re.findall(r"[A-Za-z]{4,}", subject), key=len, reverse=True)
if not words:
    sys.exit("FAIL: no word of 4+ letters in the subject %r" % subject)
# A three-day window around the message's UTC day (dates filter by UTC day).
day = datetime.datetime.fromtimestamp(hit["date_unix"], datetime.timezone.utc)
since_text = (day - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
until_text = (day + datetime.timedelta(days=1)).strftime("%Y-%m-%d")

args = ["--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,1000",
        "--no-first-run", "--user-data-dir=" + os.path.join(os.path.dirname(pick), "profile")]
if os.geteuid() == 0:
    args.append("--no-sandbox")
caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "pageLoadStrategy": "normal",
        "timeouts": {"pageLoad": 30000, "script": 10000, "implicit": 0},
        "goog:chromeOptions": {"binary": chromium, "args": args}}}}
try:
    session = call("POST", "/session", caps, timeout=90)["sessionId"]
except Exception as e:
    print("web_chromium: SKIP: Chromium cannot start a session: %s" % e)
    sys.exit(77)
S = "/session/" + session
failures = []
def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
def find(css):
    return call("POST", S + "/element", {"using": "css selector", "value": css})
def find_all(css):
    return call("POST", S + "/elements", {"using": "css selector", "value": css})
def eid(e):
    return next(iter(e.values()))
def text(e):
    return call("GET", S + "/element/%s/text" % eid(e))
def shot(name):
    png = base64.b64decode(call("GET", S + "/screenshot"))
    with open(os.path.join(art, name), "wb") as f:
        f.write(png)
    check(png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000, "screenshot %s is a PNG" % name)
def wait_url(pattern):
    end = time.time() + 30
    while time.time() < end:
        url = call("GET", S + "/url")
        if re.search(pattern, url):
            return url
        time.sleep(0.2)
    return call("GET", S + "/url")

try:
    call("POST", S + "/url", {"url": site + "/"})
    check(call("GET", S + "/title") == "Search", "the home page title is Search")
    q = find("input[name=q]")
    call("POST", S + "/element/%s/value" % eid(q), {"text": words[0]})
    call("POST", S + "/element/%s/click" % eid(find("select[name=wg] option[value='3']")), {})
    for name, value in (("since", since_text), ("until", until_text)):
        e = find("input[name=%s]" % name)
        call("POST", S + "/element/%s/value" % eid(e), {"text": value})
    shot("web_chromium-form.png")
    call("POST", S + "/element/%s/click" % eid(find("form.search button[type=submit]")), {})
    url = wait_url(r"/search\?")
    check("wg=3" in url and "since=" + since_text in url and "until=" + until_text in url,
          "the results URL carries wg, since and until: %s" % url)
    links = find_all("ol.hits li > a")
    titles = [text(l) for l in links]
    check(subject in titles, "the thread %r is listed (got %r)" % (subject, titles[:5]))
    lists = [text(l) for l in find_all("ol.hits .meta a")]
    check(lists and all(l == "fgdpmwg3" for l in lists), "only the WG3 list in the results: %r" % lists[:5])
    shot("web_chromium-results.png")
    target = links[titles.index(subject)] if subject in titles else (links[0] if links else None)
    if target:
        call("POST", S + "/element/%s/click" % eid(target), {})
        url = wait_url(r"/t/[0-9]+$")
        check(re.search(r"/t/[0-9]+$", url) is not None, "the thread link leads to /t/N: %s" % url)
        nodes = [text(a) for a in find_all("div.node p > a")]
        check(subject in nodes, "the message %r is in the thread tree (got %r)" % (subject, nodes[:5]))
        check(text(find("h1")) != "", "the thread page has a heading")
        check(len(find_all("div.node")) >= 1, "the thread page shows tree nodes")
        # Folded quotes: a <details> is closed until its summary is clicked.
        details = find_all("div.node details")
        if details:
            pre = call("POST", S + "/element/%s/element" % eid(details[0]),
                       {"using": "css selector", "value": "pre"})
            check(not call("GET", S + "/element/%s/displayed" % eid(pre)), "quoted text is folded")
            summ = call("POST", S + "/element/%s/element" % eid(details[0]),
                        {"using": "css selector", "value": "summary"})
            call("POST", S + "/element/%s/click" % eid(summ), {})
            check(call("GET", S + "/element/%s/displayed" % eid(pre)), "a click unfolds the quote")
        shot("web_chromium-thread.png")
finally:
    try:
        call("DELETE", S, timeout=30)
    except Exception:
        pass
print("web_chromium: %d failures; screenshots in %s" % (len(failures), art))
sys.exit(1 if failures else 0)
PY
