#!/usr/bin/env bash
# Web benchmark (issue 6): wrk on loopback against lighttpd + mlarc.cgi
# (mod_cgi: one process per request) and lighttpd + mlarc.fcgi (mod_fastcgi:
# one long-lived process that keeps the archive open), on a linux-mips
# archive, with two request sets:
#   fixed:  10 search requests (word, phrase, prefix, boolean, filtered, paged,
#           JSON), cycled through: the same few queries again and again;
#   varied: WEB_VARIED (default 120) different search requests made from the
#           corpus's own words (subject words of middling frequency, so
#           neither stop words nor hapaxes): single words, pairs, relevance
#           sort, a date range, page 2, JSON and a month page, each query
#           asked once per cycle.
# Three servers per set: CGI, FastCGI as deployed (mlarc.fcgi's response
# cache on: a request asked again while the archive is unchanged is answered
# from memory, as a repeated set is after its first pass), and FastCGI with
# the cache off (MLARC_WEB_CACHE_MB=0: every request searched and rendered
# again; the honest figure for traffic that never repeats).
# Reports requests/s, p50 and p99 latency, non-2xx responses and socket
# errors for each server and set, and the FastCGI/CGI request-rate ratio;
# writes the table to BUILD/bench/web.md.
#
# Aims (issue 6): FastCGI >= 10x the CGI rate, p99 < 50 ms, zero errors. The
# figures are wall-clock and depend on the machine's load: quote them with it.
#
# Usage: tests/bench/web.sh BUILD_DIR
#   MLARC_WEB_ARCHIVE=DIR   reuse an archive (else BUILD/bench/web-archive is
#                           made once from the 2017-2019 linux-mips files)
#   WEB_DURATION=SECONDS    per server (default 15)
#   WEB_CONNECTIONS=N       wrk connections (default 4; 2 wrk threads)
#   WEB_VARIED=N            requests of the varied set (default 120)
#   WEB_SETS="fixed varied" the sets to run
# Needs lighttpd and wrk (apt-get install when missing, as root or via sudo).
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${MLARC_SHARED:-$src/../shared}
corpus=$shared/corpora/linux-mips
mlarc=$build/cli/mlarc
cgi=$build/cgi/mlarc.cgi
fcgi=$build/cgi/mlarc.fcgi
out=$build/bench
duration=${WEB_DURATION:-15}
conns=${WEB_CONNECTIONS:-4}
mkdir -p "$out"

need=""
for p in lighttpd wrk; do
  dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need
fi
for b in "$cgi" "$fcgi" "$mlarc"; do
  [ -x "$b" ] || { echo "bench web: $b is not built (mlarc.fcgi needs libfcgi-dev)" >&2; exit 1; }
done

archive=${MLARC_WEB_ARCHIVE:-$out/web-archive}
if [ ! -f "$archive/store.sqlite" ]; then
  [ -d "$corpus" ] || { echo "bench web: $corpus is absent and MLARC_WEB_ARCHIVE is not set" >&2; exit 1; }
  echo "== importing the 2017-2019 linux-mips files into $archive"
  "$mlarc" import --archive "$archive" --list linux-mips -q "$corpus"/linux-mips-201[789].mbox.zst
fi
# lighttpd runs the CGI in its own working directory: the archive path must be absolute.
archive=$(cd "$archive" && pwd)

tmp=$(mktemp -d)
srv_pid=
cleanup() {
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# The fixed set: word, phrase, prefix, boolean, filtered, paged and JSON
# searches, cycled through by every connection.
fixed_paths=(
  "/search?q=kernel"
  "/search?q=patch+mips"
  "/search?q=%22page+table%22"
  "/search?q=cache+AND+flush"
  "/search?q=irq&sort=relevance"
  "/search?q=cavium*"
  "/search?q=build&since=2018-01-01&until=2018-06-30"
  "/search?q=dma&page=3"
  "/search?q=smp&format=json"
  "/search?q=device+tree&list=linux-mips"
)

# The varied set: words from the subjects of the corpus files the archive
# was made from (deterministic: ranked by frequency, ties by the word).
varied=${WEB_VARIED:-120}
words=()
if [ -d "$corpus" ]; then
  mapfile -t words < <(zstdcat "$corpus"/linux-mips-201[789].mbox.zst 2>/dev/null |
    grep -a '^Subject:' | tr 'A-Z' 'a-z' | tr -c 'a-z\n' ' ' | tr ' ' '\n' |
    awk 'length($0) >= 4' | sort | uniq -c | sort -k1,1nr -k2 | awk 'NR > 40 {print $2}' | head -n 400)
fi
varied_paths=()
if [ "${#words[@]}" -ge 200 ]; then
  for ((i = 0; ${#varied_paths[@]} < varied; i++)); do
    w=${words[i]} w2=${words[i + 200]}
    case $((i % 8)) in
    0) varied_paths+=("/search?q=$w") ;;
    1) varied_paths+=("/search?q=$w+$w2") ;;
    2) varied_paths+=("/search?q=$w&sort=relevance") ;;
    3) varied_paths+=("/search?q=$w&since=2018-01-01&until=2018-12-31") ;;
    4) varied_paths+=("/search?q=$w&page=2") ;;
    5) varied_paths+=("/search?q=$w&format=json") ;;
    6) varied_paths+=("/search?q=$w+OR+$w2&list=linux-mips") ;;
    7) varied_paths+=("/l/linux-mips/201$((7 + i / 8 % 3))-$(printf %02d $((i / 24 % 12 + 1)))") ;;
    esac
  done
fi

# shellcheck source=../web_server.sh
. "$src/tests/web_server.sh"
web_wrk_script "$tmp/fixed.lua" "${fixed_paths[@]}"
sets=${WEB_SETS:-fixed varied}
if [ "${#varied_paths[@]}" -eq 0 ]; then
  echo "bench web: no corpus words (needs $corpus and zstdcat): the varied set is left out" >&2
  sets=${sets//varied/}
else
  web_wrk_script "$tmp/varied.lua" "${varied_paths[@]}"
fi
# serve TEMPLATE: lighttpd on a free port with the archive; sets $port.
serve() {
  rm -rf "$tmp/srv"
  web_start "$tmp/srv" "$src/data/web/$1" "$archive" "$cgi" "$fcgi" \
    || { echo "bench web: lighttpd did not start with $1" >&2; exit 1; }
  port=$WEB_PORT srv_pid=$WEB_PID
}
stop() { kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null || true; srv_pid=; }

# ms VALUE: wrk's "1.23ms" / "456.00us" / "1.20s" in milliseconds.
ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.0f", v * 60000 }
    else { sub(/s$/, "", v); printf "%.0f", v * 1000 } }'
}

# run NAME TEMPLATE SET: every request of SET checked once (a cold pass, not
# timed), then wrk; sets row_NAME, rps_NAME.
rows=()
run() {
  local name=$1 set=$3 code p
  local -n set_paths=${set}_paths
  serve "$2"
  for p in "${set_paths[@]}"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$p")
    [ "$code" = 200 ] || { echo "bench web: $name GET $p: status $code" >&2; exit 1; }
  done
  wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s --latency -s "$tmp/$set.lua" \
      "http://127.0.0.1:$port" > "$out/web-$name.txt" 2>&1
  stop
  local rps p50 p99 non2xx errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out/web-$name.txt")
  p50=$(ms "$(awk '$1 == "50%" {print $2}' "$out/web-$name.txt")")
  p99=$(ms "$(awk '$1 == "99%" {print $2}' "$out/web-$name.txt")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out/web-$name.txt")
  errors=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out/web-$name.txt")
  rows+=("$name|${#set_paths[@]}|$rps|$p50|$p99|${non2xx:-0}|${errors:-0}")
  eval "rps_${name//-/_}=$rps"
  echo "$name: $rps requests/s, p50 $p50 ms, p99 $p99 ms, non-2xx ${non2xx:-0}, socket errors ${errors:-0}"
}

msgs=$("$mlarc" count --archive "$archive" '' 2>/dev/null || echo "?")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== web: sets '$sets' (fixed ${#fixed_paths[@]}, varied ${#varied_paths[@]} requests), wrk -t2 -c$conns -d${duration}s, archive $archive ($msgs messages)"
ratios=()
for set in $sets; do
  run "cgi-$set" lighttpd.conf.in "$set"
  run "fastcgi-$set" lighttpd-fastcgi.conf.in "$set"
  WEB_CACHE_MB=0 run "fastcgi-nocache-$set" lighttpd-fastcgi.conf.in "$set"
  b=rps_cgi_$set
  for f in fastcgi nocache; do
    a=rps_fastcgi_$set
    [ $f = nocache ] && a=rps_fastcgi_nocache_$set
    label=$set; [ $f = nocache ] && label="$set, cache off"
    ratios+=("$label: $(awk -v a="${!a}" -v b="${!b}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')x")
  done
done
{
  echo "## Web: lighttpd + CGI vs FastCGI ($(date -u +%Y-%m-%d), load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after)"
  echo
  echo "wrk -t2 -c$conns -d${duration}s on 127.0.0.1, $msgs messages; fixed: ${#fixed_paths[@]} search requests in turn;"
  echo "varied: ${#varied_paths[@]} different requests from corpus words (tests/bench/web.sh)."
  echo "Wall-clock figures: they depend on the load of the machine."
  echo
  echo "| server-set | requests in the set | requests/s | p50 ms | p99 ms | non-2xx | socket errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
  echo
  echo "FastCGI / CGI request rate (\"nocache\": MLARC_WEB_CACHE_MB=0): ${ratios[*]} (aim: >= 10x; p99 aim: < 50 ms; errors aim: 0)"
} > "$out/web.md"
cat "$out/web.md"
