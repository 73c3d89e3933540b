// A workload for the pacer conformance test: a fixed live heap, garbage
// allocated at a steady rate, run under GODEBUG=gctrace=1 (the caller sets
// GOGC and GOMEMLIMIT). At the end it prints, as JSON on stdout, what the
// model needs to be given the same parameters: the scannable stack and
// globals the runtime measured.
package main

import (
	"encoding/json"
	"flag"
	"os"
	"runtime/metrics"
	"time"
)

// live holds the live heap: pointer-free 64 KiB chunks, so marking is quick
// and the heap goal depends on the live size alone.
var live [][]byte

// sink keeps the latest garbage chunk reachable so the compiler cannot drop
// the allocation.
var sink []byte

func main() {
	liveMB := flag.Int("live-mb", 64, "live heap in MiB")
	rate := flag.Int("alloc-mb-per-sec", 256, "garbage allocation rate in MiB/s")
	seconds := flag.Float64("seconds", 2, "how long to allocate")
	flag.Parse()

	const chunk = 64 << 10
	for i := 0; i < *liveMB<<20/chunk; i++ {
		live = append(live, make([]byte, chunk))
	}

	// Allocate 8 KiB pieces, checking the clock every MiB and sleeping
	// until the schedule catches up, so the rate is steady.
	const piece = 8 << 10
	start := time.Now()
	total := time.Duration(*seconds * float64(time.Second))
	allocated := 0
	for time.Since(start) < total {
		for i := 0; i < (1<<20)/piece; i++ {
			sink = make([]byte, piece)
		}
		allocated += 1 << 20
		due := time.Duration(float64(allocated) / float64(*rate<<20) * float64(time.Second))
		if d := due - time.Since(start); d > 0 {
			time.Sleep(d)
		}
	}

	samples := []metrics.Sample{
		{Name: "/gc/scan/stack:bytes"},
		{Name: "/gc/scan/globals:bytes"},
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(samples)
	out := map[string]uint64{}
	for _, s := range samples {
		out[s.Name] = s.Value.Uint64()
	}
	out["live_chunks"] = uint64(len(live))
	json.NewEncoder(os.Stdout).Encode(out)
}
