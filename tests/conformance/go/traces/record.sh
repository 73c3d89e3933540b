#!/bin/sh
# Records the sample traces of the web's "Your program" widget
# (web/data/traces) from this program, with the pinned Go toolchain:
# each sample runs once and writes its execution trace (runtime/trace.Start)
# to <out>/<sample>.trace, with GOMAXPROCS=4, but gc with GOMAXPROCS=8 (more
# Ps than busy goroutines: see gc in main.go). Built with -trimpath, so the
# stacks name files as runtime/proc.go and gopherscope.test/traces/main.go,
# wherever Go is installed.
# Usage: tests/conformance/go/traces/record.sh [path/to/go [out-dir]]
# (the conformance test records into a temporary folder this way).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
go=${1:-$root/.tools/venv/bin/go}
out=${2:-$root/web/data/traces}
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
(cd "$here" && GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod CGO_ENABLED=0 "$go" build -trimpath -o "$bin" .)
"$go" version
mkdir -p "$out"
for sample in netpoll pipeline syscalls gc gomaxprocs; do
	procs=4
	[ "$sample" = gc ] && procs=8
	GOMAXPROCS=$procs "$bin" -sample "$sample" -o "$out/$sample.trace"
done
ls -l "$out"/*.trace
