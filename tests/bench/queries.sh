#!/usr/bin/env bash
# Query timings, whole process, mlarc against notmuch and mu on the same
# corpus (BASELINE.md's query set): the median wall time of RUNS runs of each
# command and its mean CPU time (user + sys; hyperfine when installed, else a
# loop timed with date +%s%N and no CPU figure), printed as a table with the
# ratios notmuch/mlarc and mu/mlarc (above 1: mlarc is faster). The CPU ratio
# is the one to trust on a loaded machine (other processes stretch wall time).
#
# Usage: bash queries.sh MLARC ARCHIVE_DIR [NOTMUCH_CONFIG|-] [MU_HOME|-] [RUNS]
#   NOTMUCH_CONFIG and MU_HOME point at indexes of the same mail (a Maildir
#   copy of the archive's mbox files, see tests/cli/notmuch_agreement.sh for
#   the split); "-" or an absent tool leaves that column empty. RUNS: 20.
#
# Rows per query: "count" (mlarc count / notmuch count; mu has no count
# command), "page" (the first 20 threads: mlarc search, snippets included /
# notmuch search --limit=20 / mu find --maxnum=20), "page-ns" (mlarc's page
# without snippets, against the same notmuch and mu figures) and "all" (every match:
# mlarc search --limit 100000 --no-snippets, one line per thread / notmuch
# search, one line per thread / mu find, one line per message).
# Shared machines are noisy: compare within one run, quote the ratios.
set -u
MLARC=${1:?usage: queries.sh MLARC ARCHIVE_DIR [NOTMUCH_CONFIG|-] [MU_HOME|-] [RUNS]}
ARCHIVE=${2:?archive dir}
NMCFG=${3:--}
MUHOME=${4:--}
RUNS=${5:-20}
export NO_COLOR=1 TZ=UTC

have_notmuch=0
[ "$NMCFG" != - ] && [ -f "$NMCFG" ] && command -v notmuch >/dev/null 2>&1 && have_notmuch=1
have_mu=0
[ "$MUHOME" != - ] && [ -d "$MUHOME" ] && command -v mu >/dev/null 2>&1 && have_mu=1
[ -d "$ARCHIVE" ] || { echo "queries.sh: no archive at $ARCHIVE" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# median_ms CMD...: "WALL CPU": median wall time of RUNS runs and mean
# user+sys time, in ms (one decimal; CPU "-" without hyperfine).
median_ms() {
    if command -v hyperfine >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
        hyperfine -N --style none -w 3 -r "$RUNS" -i --export-json "$tmp/h.json" -- "$(printf '%q ' "$@")" \
            >/dev/null 2>&1 || { echo "- -"; return; }
        python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.1f %.1f" % (r["median"] * 1000, (r["user"] + r["system"]) * 1000))' "$tmp/h.json"
        return
    fi
    local times=() i t0 t1
    "$@" >/dev/null 2>&1 # warm-up
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 100000)))
    done
    local m
    m=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
    echo "$((m / 10)).$((m % 10)) -"
}

ratio() { # A B -> A/B with two decimals, or "-"
    if [ "$1" = - ] || [ "$2" = - ] || [ -z "$1" ] || [ -z "$2" ]; then echo -; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'
}

# name | mlarc query | notmuch query | mu query
QUERIES=(
    'kernel|kernel|kernel|kernel'
    'nevada|nevada|nevada|nevada'
    '"cache coherency"|"cache coherency"|"cache coherency"|"cache coherency"'
    '"the patch"|"the patch"|"the patch"|"the patch"'
    'from:ralf@linux-mips.org|from:ralf@linux-mips.org|from:ralf@linux-mips.org|from:ralf@linux-mips.org'
    '2018-H1 and kernel|date:2018-01-01..2018-06-30 kernel|date:2018-01-01..2018-06-30 kernel|date:20180101..20180630 kernel'
    'subject:octeon|subject:octeon|subject:octeon|subject:octeon'
)

((have_notmuch)) && export NOTMUCH_CONFIG=$NMCFG

echo "# mlarc $("$MLARC" --version | awk '{print $2}') vs notmuch $( ((have_notmuch)) && notmuch --version | awk '{print $2}' || echo -) vs mu $( ((have_mu)) && mu --version | head -1 | awk '{print $NF}' || echo -); whole process, ms: median wall time of $RUNS runs and mean CPU (user+sys)"
echo "# archive: $ARCHIVE ($("$MLARC" count --archive "$ARCHIVE") messages); ratios above 1: mlarc is faster"
printf '| %-28s | %-7s | %8s | %8s | %8s | %8s | %8s | %8s | %8s | %s |\n' query op mlarc notmuch mu "nm/mlarc" "mu/mlarc" "nm/m cpu" "mu/m cpu" "matches mlarc/notmuch"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' ------------------------------ --------- ---------- ---------- ---------- ---------- ---------- ---------- ---------- ----------------------
for row in "${QUERIES[@]}"; do
    IFS='|' read -r name mq nq uq <<<"$row"
    for op in count page page-ns all; do
        n="- -" u="- -" matches=""
        case $op in
        count)
            m=$(median_ms "$MLARC" count --archive "$ARCHIVE" -- "$mq")
            ((have_notmuch)) && n=$(median_ms notmuch count -- "$nq")
            matches="$("$MLARC" count --archive "$ARCHIVE" -- "$mq")/$( ((have_notmuch)) && notmuch count -- "$nq" || echo -) messages" ;;
        page)
            m=$(median_ms "$MLARC" search --archive "$ARCHIVE" -- "$mq")
            ((have_notmuch)) && n=$(median_ms notmuch search --limit=20 -- "$nq")
            ((have_mu)) && u=$(median_ms mu find --muhome="$MUHOME" --maxnum=20 -- "$uq")
            page_n=$n page_u=$u ;;
        page-ns) # the same page without snippets (neither notmuch nor mu makes any): same peers' figures
            m=$(median_ms "$MLARC" search --archive "$ARCHIVE" --no-snippets -- "$mq")
            n=$page_n u=$page_u ;;
        all)
            m=$(median_ms "$MLARC" search --archive "$ARCHIVE" --limit 100000 --no-snippets -- "$mq")
            ((have_notmuch)) && n=$(median_ms notmuch search -- "$nq")
            ((have_mu)) && u=$(median_ms mu find --muhome="$MUHOME" -- "$uq")
            matches="$("$MLARC" count --threads --archive "$ARCHIVE" -- "$mq")/$( ((have_notmuch)) && notmuch count --output=threads -- "$nq" || echo -) threads" ;;
        esac
        read -r mw mc <<<"$m"
        read -r nw nc <<<"$n"
        read -r uw uc <<<"$u"
        printf '| %-28s | %-7s | %8s | %8s | %8s | %8s | %8s | %8s | %8s | %s |\n' "$name" "$op" "$mw" "$nw" "$uw" \
            "$(ratio "$nw" "$mw")" "$(ratio "$uw" "$mw")" "$(ratio "$nc" "$mc")" "$(ratio "$uc" "$mc")" "$matches"
    done
done
