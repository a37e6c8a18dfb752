#!/usr/bin/env bash
# Agreement of `mlarc count` with `notmuch count` on real mail: the 2017
# linux-mips archive (5,638 messages) from ../shared/corpora. notmuch cannot
# read mbox, so the file is split into a Maildir first (below), indexed with
# `notmuch new` under a throw-away config, and imported into mlarc as it is.
# For each query of the table the two counts are compared under the rule the
# table states, with the reason for every difference written next to it.
#
# Skips (exit 77, with the reason) when the corpus, notmuch or zstd is absent.
#
# Usage: bash notmuch_agreement.sh MLARC SHARED_DIR [YEAR...]
#   YEAR... defaults to 2017; e.g. "2017 2018 2019" for a larger run.
#
# Known differences between what the two index (why some rules are not "eq"):
#  D1 notmuch keeps one document per Message-ID (a second copy with other
#     content is merged into it); mlarc keeps each distinct content (mid_seq).
#     Exact copies are one message in both.
#  D2 notmuch's unprefixed text also holds the To/Cc addresses and names
#     (linux-mips@linux-mips.org is on nearly every message) and quoted reply
#     lines; mlarc's holds subject, author, attachment names and the body
#     WITHOUT quoted lines (they repeat the parent, which is indexed itself).
#     So free text is compared with notmuch's body:/subject:/from: (not the
#     bare word), and mlarc may find fewer: only messages whose every match
#     is in quoted text. Those rules are "le PCT": mlarc <= notmuch and
#     mlarc >= PCT% of notmuch.
#  D3 Stemming: notmuch indexes words and their stems (STEM_SOME); mlarc
#     stems only (STEM_ALL), so a phrase also matches inflected forms
#     ("caches coherency"). Phrase rules allow mlarc to find a few more.
#  D4 Threads: mlarc joins header-less replies by subject unless told not to;
#     this script imports with --no-subject-threading so both thread by
#     References/In-Reply-To only. notmuch also merges threads through
#     duplicate Message-IDs (D1).
#  D5 Dates: both use the Date header (mlarc falls back to the From_ line or
#     Received when it is missing or implausible). notmuch reads date: bounds
#     in the local zone: TZ=UTC here, as mlarc's dates are UTC.
set -u
MLARC=${1:?usage: notmuch_agreement.sh MLARC SHARED_DIR [YEAR...]}
SHARED=${2:-}
shift 2 2>/dev/null || shift $#
YEARS=${*:-2017}

skip() { echo "notmuch_agreement: SKIPPED: $*"; exit 77; }
[ -n "$SHARED" ] && [ -d "$SHARED/corpora/linux-mips" ] || skip "../shared/corpora/linux-mips is absent"
dpkg -s notmuch >/dev/null 2>&1 || command -v notmuch >/dev/null 2>&1 || skip "notmuch is not installed (apt-get install notmuch)"
command -v zstdcat >/dev/null 2>&1 || skip "zstdcat is not installed (apt-get install zstd)"
files=()
for y in $YEARS; do
    f=$SHARED/corpora/linux-mips/linux-mips-$y.mbox.zst
    [ -f "$f" ] || skip "$f is absent"
    files+=("$f")
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC NO_COLOR=1
unset MLARC_ARCHIVE

# mbox -> Maildir, the way mlarc frames mboxrd: a message starts at a
# "From " line that follows a blank line (or the start of the file); the
# From_ line is dropped, one trailing blank line (the separator) is dropped,
# and ^>(>*From ) loses one '>'.
split_mbox() { # FILE DIR TAG
    zstdcat "$1" | awk -v dir="$2" -v tag="$3" '
        BEGIN { n = 0; out = ""; blanks = 0; prev_blank = 1 }
        /^From / && prev_blank {
            if (out != "") { for (; blanks > 1; blanks--) print "" > out; close(out) }
            n++; out = sprintf("%s/cur/%s%06d:2,", dir, tag, n); blanks = 0; prev_blank = 0; next
        }
        {
            if (out == "") next
            line = $0
            if (line ~ /^>+From /) line = substr(line, 2)
            if (line == "") { blanks++; prev_blank = 1; next }
            for (; blanks > 0; blanks--) print "" > out
            print line > out
            prev_blank = 0
        }
        END { if (out != "") for (; blanks > 1; blanks--) print "" > out }'
}
md=$tmp/maildir
mkdir -p "$md/cur" "$md/new" "$md/tmp"
for f in "${files[@]}"; do split_mbox "$f" "$md" "$(basename "$f" .mbox.zst)-"; done
cat >"$tmp/notmuch-config" <<EOF
[database]
path=$md
[user]
name=Agreement Test
primary_email=test@example.org
[new]
tags=
ignore=
[search]
exclude_tags=
[maildir]
synchronize_flags=false
EOF
export NOTMUCH_CONFIG=$tmp/notmuch-config
echo "notmuch_agreement: indexing $(ls "$md/cur" | wc -l) messages of $YEARS with notmuch and mlarc"
notmuch new --quiet >/dev/null 2>"$tmp/notmuch-new.err" || { cat "$tmp/notmuch-new.err"; echo "notmuch new failed"; exit 1; }
A=$tmp/archive
"$MLARC" import --archive "$A" --list linux-mips --no-subject-threading -q "${files[@]}" ||
    { echo "mlarc import failed"; exit 1; }

failures=0
# compare RULE MLARC_QUERY NOTMUCH_QUERY [--threads]
#   eq        equal counts
#   eq N      |mlarc - notmuch| <= N
#   le PCT    PCT% of notmuch <= mlarc <= notmuch
#   ge PCT    notmuch <= mlarc <= notmuch * (100 + PCT) / 100
compare() {
    local rule=$1 arg=$2 mq=$3 nq=$4 threads=${5:-}
    local m n
    if [ -n "$threads" ]; then
        m=$("$MLARC" count --archive "$A" --threads -- "$mq") || { echo "FAIL mlarc count '$mq'"; failures=$((failures + 1)); return; }
        n=$(notmuch count --output=threads -- "$nq")
    else
        m=$("$MLARC" count --archive "$A" -- "$mq") || { echo "FAIL mlarc count '$mq'"; failures=$((failures + 1)); return; }
        n=$(notmuch count -- "$nq")
    fi
    local ok=1
    case $rule in
    eq) [ $((m > n ? m - n : n - m)) -le "${arg:-0}" ] || ok=0 ;;
    le) [ "$m" -le "$n" ] && [ $((m * 100)) -ge $((n * arg)) ] || ok=0 ;;
    ge) [ "$m" -ge "$n" ] && [ $((m * 100)) -le $((n * (100 + arg))) ] || ok=0 ;;
    esac
    printf '%-4s %-6s %-3s mlarc %6d  notmuch %6d  %-40s | %s\n' "$([ $ok = 1 ] && echo ok || echo FAIL)" \
        "$rule" "$arg" "$m" "$n" "$mq${threads:+ (threads)}" "$nq"
    [ $ok = 1 ] || failures=$((failures + 1))
}

# Everything: D1 (repeated Message-IDs with other content) is the difference.
dups=$(( $("$MLARC" count --archive "$A") - $(notmuch count '*') ))
echo "notmuch_agreement: mlarc keeps $dups more message(s) than notmuch (D1)"
compare eq 10 '' '*'
# Authors: exact addresses (D1 only).
compare eq 3 'from:ralf@linux-mips.org' 'from:ralf@linux-mips.org'
compare eq 3 'from:paul.burton@mips.com' 'from:paul.burton@mips.com'
compare eq 3 'from:jhogan@kernel.org' 'from:jhogan@kernel.org'
compare eq 3 'from:"Maciej W. Rozycki"' 'from:"Maciej W. Rozycki"'
# Dates (D5).
compare eq 3 'date:2017-03' 'date:2017-03-01..2017-03-31'
compare eq 3 'date:2017-06-01..2017-06-30' 'date:2017-06-01..2017-06-30'
compare eq 3 'date:2017-11-15..' 'date:2017-11-15..'
compare eq 3 'date:..2017-01-31' 'date:..2017-01-31'
# Subjects (D3 only: subjects have no quoted lines).
compare eq 3 'subject:patch' 'subject:patch'
compare eq 3 'subject:octeon' 'subject:octeon'
compare eq 3 'subject:"device tree"' 'subject:"device tree"'
compare eq 3 'subject:ralink' 'subject:ralink'
# Free text against notmuch's body/subject/from (D2: quoted lines).
compare le 60 'nevada' 'body:nevada OR subject:nevada OR from:nevada'
compare le 60 'octeon' 'body:octeon OR subject:octeon OR from:octeon'
compare le 50 'kernel' 'body:kernel OR subject:kernel OR from:kernel'
compare le 50 'coherency' 'body:coherency OR subject:coherency OR from:coherency'
compare le 50 'interrupt' 'body:interrupt OR subject:interrupt OR from:interrupt'
compare le 50 'bootloader' 'body:bootloader OR subject:bootloader OR from:bootloader'
# Phrases (D2: quoted lines; D3 would let mlarc find inflected forms too).
compare le 60 '"device tree"' 'body:"device tree" OR subject:"device tree" OR from:"device tree"'
compare le 60 '"cache coherency"' 'body:"cache coherency" OR subject:"cache coherency"'
# Combinations.
compare eq 3 'from:ralf@linux-mips.org date:2017-01..2017-06' 'from:ralf@linux-mips.org date:2017-01-01..2017-06-30'
compare eq 3 'subject:patch AND NOT from:ralf@linux-mips.org' 'subject:patch AND NOT from:ralf@linux-mips.org'
compare eq 3 'subject:mips OR subject:octeon' 'subject:mips OR subject:octeon'
compare le 60 'octeon date:2017-01..2017-06' '(body:octeon OR subject:octeon OR from:octeon) date:2017-01-01..2017-06-30'
compare eq 0 'id:<20170126161100.GJ21568@linux-mips.org>' 'id:20170126161100.GJ21568@linux-mips.org'
# Threads (D4; D1 can merge a few threads in notmuch).
compare eq 40 '' '*' --threads
compare eq 5 'from:ralf@linux-mips.org' 'from:ralf@linux-mips.org' --threads
compare eq 5 'subject:octeon' 'subject:octeon' --threads

if [ "$failures" != 0 ]; then
    echo "notmuch_agreement: $failures disagreement(s) beyond the stated bounds"
    exit 1
fi
echo "notmuch_agreement: all counts agree within the stated bounds"
