#!/bin/sh
# Records the example logs of the web's "Paste your program's log" widget
# (web/data/logs) from this program, with the pinned Go toolchain.
# Standard output and standard error are merged, as a learner's terminal
# shows them, so each file ends with the program's own "live chunks" line.
# Usage: tests/conformance/go/logs/record.sh [path/to/go]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
go=${1:-$root/.tools/venv/bin/go}
out=$root/web/data/logs
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
(cd "$here" && GOTOOLCHAIN=local GOPROXY=off CGO_ENABLED=0 "$go" build -o "$bin" .)
"$go" version
mkdir -p "$out"
GOMAXPROCS=2 GODEBUG=gctrace=1 "$bin" -ms 700 >"$out/gctrace.txt" 2>&1
GOMAXPROCS=4 GODEBUG=schedtrace=100 "$bin" -ms 1500 -busy >"$out/schedtrace.txt" 2>&1
wc -l "$out"/*.txt
