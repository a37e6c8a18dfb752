#!/usr/bin/env bash
# Web soak (issue 7, "the web side under load and attack"): for DURATION
# seconds, wrk hammers lighttpd + mlarc.fcgi and lighttpd + mlarc.cgi on
# loopback (both at once, same archive) while a writer keeps importing new
# mail (a fresh mlarc-sample-gen seed per round, every list of it, each import
# committing to the store and the index) and a checker follows every hit of a
# JSON search to its message page. Passes when:
#   - wrk saw no non-2xx response and no socket error on either server,
#   - every hit the checker saw points at a message that exists (200), and
#     every search it made counted what `mlarc count` counted around it,
#   - the FastCGI process's RSS stays bounded: the last sample is at most
#     2x the first sample after warm-up plus 64 MB.
# Prints the figures (and writes them to BUILD/soak/web.md).
#
# Usage: tests/soak/web_soak.sh BUILD_DIR [DURATION_SECONDS (default 300)]
#   SOAK_CONNECTIONS=N  wrk connections per server (default 2)
# Needs lighttpd, wrk, curl, python3. Run it with `nice` on a shared machine.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
duration=${2:-300}
conns=${SOAK_CONNECTIONS:-2}
src=$(cd "$(dirname "$0")/../.." && pwd)
mlarc=$build/cli/mlarc
cgi=$build/cgi/mlarc.cgi
fcgi=$build/cgi/mlarc.fcgi
gen=$build/data/generator/mlarc-sample-gen
out=$build/soak
for b in "$mlarc" "$cgi" "$fcgi" "$gen"; do
  [ -x "$b" ] || { echo "soak: $b is not built" >&2; exit 1; }
done
for t in lighttpd wrk curl python3; do
  command -v "$t" >/dev/null || { echo "soak: $t is not installed" >&2; exit 1; }
done
mkdir -p "$out"
tmp=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
export LC_ALL=C.UTF-8
A=$tmp/archive

# --- the archive: the first round of mail --------------------------------------
# import_round SEED: generates the sample with that seed and imports every list.
import_round() {
  local dir=$tmp/gen.$1 f list n=0
  "$gen" --out "$dir" --scale 1 --seed "$1" --jobs 1 > /dev/null
  for f in "$dir"/*.mbox; do
    list=$(basename "$f" .mbox)@lists.itu.int
    "$mlarc" import --archive "$A" --list "$list" --wait 60 -q -j1 "$f"
    n=$((n + $(grep -c '^From ' "$f")))
  done
  rm -rf "$dir"
  echo "$n"
}
first=$(import_round 1000)
echo "soak: archive with $first messages; $duration s of load"

# --- two servers ---------------------------------------------------------------
# shellcheck source=../web_server.sh
. "$src/tests/web_server.sh"
# serve NAME TEMPLATE: sets port_NAME and srvpid_NAME.
serve() {
  web_start "$tmp/srv-$1" "$src/data/web/$2" "$A" "$cgi" "$fcgi" \
    || { echo "soak: lighttpd ($1) did not start" >&2; exit 1; }
  pids+=("$WEB_PID")
  eval "srvpid_$1=$WEB_PID port_$1=$WEB_PORT"
}
serve fastcgi lighttpd-fastcgi.conf.in
serve cgi lighttpd.conf.in
# shellcheck disable=SC2154
fcgi_pid=$(pgrep -P "$srvpid_fastcgi" -f mlarc.fcgi | head -1 || true)
[ -n "$fcgi_pid" ] || { echo "soak: no mlarc.fcgi process under lighttpd" >&2; exit 1; }

# --- load --------------------------------------------------------------------------
web_wrk_script "$tmp/paths.lua" "/search?q=deliverable" "/search?q=meeting+draft" "/search?list=fgdpm" \
  "/search?q=data&sort=relevance" "/search?q=report*&format=json" \
  "/search?q=the&since=2017-01-01&until=2019-12-31" "/l/fgdpmwg1" "/search?q=review&page=2" "/" \
  "/search?q=processing&format=atom"
# shellcheck disable=SC2154
wrk -t1 -c"$conns" -d"${duration}s" --timeout 20s --latency -s "$tmp/paths.lua" \
    "http://127.0.0.1:$port_fastcgi" > "$out/wrk-fastcgi.txt" 2>&1 &
wrk_f=$!; pids+=($wrk_f)
# shellcheck disable=SC2154
wrk -t1 -c"$conns" -d"${duration}s" --timeout 20s --latency -s "$tmp/paths.lua" \
    "http://127.0.0.1:$port_cgi" > "$out/wrk-cgi.txt" 2>&1 &
wrk_c=$!; pids+=($wrk_c)

# The writer: a new seed every round until the time is up.
end=$(( $(date +%s) + duration ))
(
  seed=1001 rounds=0 msgs=0
  while [ "$(date +%s)" -lt "$end" ]; do
    n=$(import_round "$seed") || { echo "writer: import of seed $seed failed" >&2; exit 1; }
    seed=$((seed + 1)) rounds=$((rounds + 1)) msgs=$((msgs + n))
    echo "$rounds $msgs" > "$tmp/writer.txt"
  done
) > "$tmp/writer.log" 2>&1 &
writer=$!; pids+=($writer)

# The checker: every hit of a JSON search must resolve to its message, and
# the search must be fresh: its message total lies between `mlarc count` run
# just before and just after it (the archive only grows), so a page kept by
# mlarc.fcgi's response cache past a commit would count as wrong.
cat > "$tmp/check.py" <<'PY'
import json, subprocess, sys, time, urllib.request, urllib.error, urllib.parse
ports, end, mlarc, archive = sys.argv[1:3], float(sys.argv[3]), sys.argv[4], sys.argv[5]
def count(w):
    return int(subprocess.run([mlarc, "count", "--archive", archive, w], check=True,
                              capture_output=True, text=True).stdout)
words = ["deliverable", "meeting", "data", "review", "report", "draft", "the", "processing"]
checks = wrong = server_errors = searches = 0
i = 0
def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
while time.time() < end:
    port = ports[i % 2]; w = words[i % len(words)]; i += 1
    base = "http://127.0.0.1:%s" % port
    before = count(w)
    st, body = get(base + "/search?format=json&n=20&q=" + w)
    after = count(w)
    searches += 1
    if st >= 500: server_errors += 1; continue
    if st != 200: wrong += 1; print("search", w, st, file=sys.stderr); continue
    page = json.loads(body)
    total = page["total"]["messages"]["count"]
    if not before <= total <= after:
        wrong += 1; print("stale search", w, port, before, total, after, file=sys.stderr)
    for h in page["hits"]:
        mid = h["message_id"]
        st, body = get(base + "/m/" + urllib.parse.quote(mid, safe="") + "?format=json")
        checks += 1
        if st >= 500: server_errors += 1
        if st != 200 or json.loads(body).get("message_id") != mid:
            wrong += 1; print("hit", mid, st, file=sys.stderr)
    time.sleep(0.5)
print(searches, checks, wrong, server_errors)
PY
# shellcheck disable=SC2154
python3 "$tmp/check.py" "$port_fastcgi" "$port_cgi" "$end" "$mlarc" "$A" > "$tmp/check.txt" 2> "$tmp/check.err" &
checker=$!; pids+=($checker)

# RSS of the FastCGI process every 5 s (KB).
: > "$out/fcgi-rss.txt"
while [ "$(date +%s)" -lt "$end" ]; do
  awk '/^VmRSS:/ {print $2}' "/proc/$fcgi_pid/status" >> "$out/fcgi-rss.txt" 2>/dev/null || true
  sleep 5
done
wait "$wrk_f" "$wrk_c" || true
wait "$checker" || true
wait "$writer" || echo "soak: the writer failed: $(tail -3 "$tmp/writer.log")" >&2
awk '/^VmRSS:/ {print $2}' "/proc/$fcgi_pid/status" >> "$out/fcgi-rss.txt" 2>/dev/null || true
[ -d "/proc/$fcgi_pid" ] || echo "soak: the FastCGI process $fcgi_pid is gone (restarted?)" >&2

# --- figures -------------------------------------------------------------------------
fail=0
summary() { # summary NAME FILE
  local reqs rps p99 non2xx errs
  reqs=$(awk '/requests in/ {print $1}' "$2")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$2")
  p99=$(awk '$1 == "99%" {print $2}' "$2")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$2"); non2xx=${non2xx:-0}
  errs=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$2"); errs=${errs:-0}
  echo "| $1 | ${reqs:-0} | ${rps:-0} | ${p99:-?} | $non2xx | $errs |"
  if [ "$non2xx" != 0 ] || [ "$errs" != 0 ] || [ -z "$reqs" ]; then fail=1; fi
}
read -r rounds added < "$tmp/writer.txt" 2>/dev/null || { rounds=0; added=0; }
read -r searches checks wrong server_errors < "$tmp/check.txt" || { searches=0; checks=0; wrong=?; server_errors=?; }
rss_first=$(sed -n 2p "$out/fcgi-rss.txt"); rss_first=${rss_first:-$(head -1 "$out/fcgi-rss.txt")}
rss_max=$(sort -n "$out/fcgi-rss.txt" | tail -1)
rss_last=$(tail -1 "$out/fcgi-rss.txt")
{
  echo "## Web soak ($(date -u +%Y-%m-%d), ${duration} s, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "wrk -t1 -c$conns per server, both at once; writer: $rounds import rounds, $added messages"
  echo "added to the $first of the start (every import commits the index)."
  echo
  echo "| server | requests | requests/s | p99 | non-2xx | socket errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  summary FastCGI "$out/wrk-fastcgi.txt"
  summary CGI "$out/wrk-cgi.txt"
  echo
  echo "Checker: $searches JSON searches (totals checked against \`mlarc count\` around each), $checks hits followed to their message: $wrong wrong, $server_errors 5xx."
  echo "mlarc.fcgi RSS: $((rss_first / 1024)) MB after warm-up, max $((rss_max / 1024)) MB, last $((rss_last / 1024)) MB ($(wc -l < "$out/fcgi-rss.txt") samples)."
} | tee "$out/web.md"
[ "$wrong" = 0 ] && [ "$server_errors" = 0 ] || fail=1
[ "$rss_last" -le $((rss_first * 2 + 65536)) ] || { echo "soak: RSS grew from $rss_first to $rss_last KB" >&2; fail=1; }
[ "$rounds" -gt 0 ] || { echo "soak: the writer finished no round" >&2; fail=1; }
[ -s "$tmp/check.err" ] && head -20 "$tmp/check.err" >&2
exit $fail
