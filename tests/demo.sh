#!/usr/bin/env bash
# The demo: generate the FG-DPM-shaped sample archive, import its six lists,
# index, and show what is in it. Usage: tests/demo.sh BUILD_DIR DEMO_DIR
set -euo pipefail
build=${1:-build}
demo=${2:-$build/demo}
mlarc="$build/cli/mlarc"
gen="$build/data/generator/mlarc-sample-gen"
rm -rf "$demo"
mkdir -p "$demo"
echo "== generating the sample archive into $demo/sample"
"$gen" --out "$demo/sample"
ls -l "$demo/sample"
archive="$demo/archive"
echo "== importing (archive: $archive)"
for list in fgdpm fgdpmwg1 fgdpmwg2 fgdpmwg3 fgdpmwg4 fgdpmwg5; do
  "$mlarc" import --quiet --archive "$archive" --list "$list@lists.itu.int" --no-index "$demo/sample/$list.mbox"
done
"$mlarc" import --archive "$archive" --list fgdpm@lists.itu.int "$demo/sample/fgdpm.mbox"
echo "== subscriber rosters (list and date from each file name)"
for roster in "$demo"/sample/rosters/*; do
  "$mlarc" subscribers import --archive "$archive" "$roster"
done
"$mlarc" subscribers count --archive "$archive" --as-of 2019-07-15
echo "== report for the group's lifetime"
"$mlarc" report --archive "$archive" --since 2017-07-19 --until 2019-07-15 --chart "$demo/report.svg"
echo "== deliverable links"
"$mlarc" links --archive "$archive" --summary
if "$mlarc" index --help >/dev/null 2>&1; then
  echo "== index"
  "$mlarc" index --archive "$archive" --stats
fi
if "$mlarc" search --help >/dev/null 2>&1; then
  echo "== threads of WG3 mentioning SensorThings, 2018"
  "$mlarc" search --archive "$archive" --wg 3 --since 2018-01-01 --until 2018-12-31 --limit 5 SensorThings
fi
echo "== sqlite summary"
sqlite3 "$archive/store.sqlite" "SELECT l.name, count(*) FROM message_lists ml JOIN lists l ON l.id=ml.list_id GROUP BY l.name ORDER BY l.name;"
echo "demo done: archive in $archive"
