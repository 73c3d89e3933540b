// A workload for the GC-cost conformance test and its calibration: it
// builds a live heap of a known shape, then allocates pointer-free garbage
// on GOMAXPROCS goroutines for a while, under
// GODEBUG=gctrace=1 (the caller sets GOGC and GOMAXPROCS). At the end it
// prints, as JSON on stdout, what the model needs to be given the same
// program: the live heap's shape and size, the scannable stacks and
// globals, and how fast the goroutines allocate per second of mutator CPU.
//
// Shapes (-live-mb of objects in all, -object-bytes each, the first
// -pointer-bytes of each holding pointers, built with reflect.StructOf):
//   - bytes: pointer-free []byte chunks of -object-bytes;
//   - slice: a slice of pointers to the objects, whose pointer words are
//     nil, so marking fans out from the slice;
//   - tree:  a complete binary tree (each object's first two words point
//     to its children);
//   - list:  each object's first word points to the previous one, and only
//     the newest is held: marking must follow one chain.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

var (
	chunks [][]byte
	slots  []unsafe.Pointer
	head   unsafe.Pointer
)

// sink keeps each goroutine's latest garbage reachable so the compiler
// cannot drop the allocation.
var sink [64][]byte

// objectType is a struct of `pointerBytes/8` unsafe.Pointer fields
// followed by the rest of `objectBytes` as uint64 words.
func objectType(objectBytes, pointerBytes int) reflect.Type {
	var fields []reflect.StructField
	for i := 0; i < pointerBytes/8; i++ {
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("P%d", i),
			Type: reflect.TypeFor[unsafe.Pointer](),
		})
	}
	if pad := (objectBytes - pointerBytes) / 8; pad > 0 {
		fields = append(fields, reflect.StructField{
			Name: "Pad",
			Type: reflect.ArrayOf(pad, reflect.TypeFor[uint64]()),
		})
	}
	return reflect.StructOf(fields)
}

// tree builds a complete tree of `depth` levels; words 0 and 1 of each
// object point to its children.
func tree(t reflect.Type, depth int) unsafe.Pointer {
	if depth == 0 {
		return nil
	}
	p := reflect.New(t).UnsafePointer()
	w := (*[2]unsafe.Pointer)(p)
	w[0] = tree(t, depth-1)
	w[1] = tree(t, depth-1)
	return p
}

func main() {
	shape := flag.String("shape", "list", "bytes, slice, tree or list")
	liveMB := flag.Int("live-mb", 64, "live heap in MiB")
	objectBytes := flag.Int("object-bytes", 64, "size of each live object, a multiple of 8")
	pointerBytes := flag.Int("pointer-bytes", 8, "leading bytes of each object that hold pointers, a multiple of 8")
	seconds := flag.Float64("seconds", 2, "how long to allocate garbage")
	piece := flag.Int("piece", 4096, "size of each garbage allocation in bytes")
	rate := flag.Int("alloc-mb-per-sec", 0, "garbage allocation rate in MiB/s over all goroutines (0: flat out)")
	forced := flag.Int("forced", 0, "run this many forced GCs instead of allocating")
	flag.Parse()
	if *objectBytes < 8 || *objectBytes%8 != 0 || *pointerBytes < 0 || *pointerBytes%8 != 0 || *pointerBytes > *objectBytes {
		fmt.Fprintln(os.Stderr, "-object-bytes must be a positive multiple of 8 and -pointer-bytes a multiple of 8 no larger")
		os.Exit(2)
	}
	count := *liveMB << 20 / *objectBytes
	switch *shape {
	case "bytes":
		*pointerBytes = 0
		for i := 0; i < count; i++ {
			chunks = append(chunks, make([]byte, *objectBytes))
		}
	case "slice":
		t := objectType(*objectBytes, *pointerBytes)
		slots = make([]unsafe.Pointer, count)
		for i := range slots {
			slots[i] = reflect.New(t).UnsafePointer()
		}
	case "tree":
		if *pointerBytes < 16 {
			*pointerBytes = 16
		}
		// The deepest complete tree with at most count objects.
		depth := 1
		for 1<<(depth+1)-1 <= count {
			depth++
		}
		head = tree(objectType(*objectBytes, *pointerBytes), depth)
		count = 1<<depth - 1
	case "list":
		if *pointerBytes < 8 {
			*pointerBytes = 8
		}
		t := objectType(*objectBytes, *pointerBytes)
		for i := 0; i < count; i++ {
			p := reflect.New(t).UnsafePointer()
			*(*unsafe.Pointer)(p) = head
			head = p
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown shape %q; allowed: bytes, slice, tree, list\n", *shape)
		os.Exit(2)
	}
	runtime.GC()
	// -forced N: N forced collections of the live heap alone, no garbage
	// (the calibration's runs), then exit.
	for i := 0; i < *forced; i++ {
		runtime.GC()
	}
	if *forced > 0 {
		fmt.Printf("{\"objects\":%d,\"object_bytes\":%d,\"pointer_bytes\":%d}\n", count, *objectBytes, *pointerBytes)
		return
	}
	// First the goroutines allocate flat out for a moment, to measure how
	// fast they allocate per second of mutator CPU (GC's share taken
	// out); then, after "# allocating", at -alloc-mb-per-sec in all (0:
	// flat out), spinning between bursts so that the Ps stay busy and no
	// idle mark worker runs.
	procs := runtime.GOMAXPROCS(0)
	flatOut := allocate(procs, *piece, 0, 0.3)
	fmt.Fprintln(os.Stderr, "# allocating")
	before := read()
	start := time.Now()
	allocate(procs, *piece, *rate, *seconds)
	elapsed := time.Since(start).Seconds()
	after := read()

	userCPU := after["/cpu/classes/user:cpu-seconds"] - before["/cpu/classes/user:cpu-seconds"]
	allocated := after["/gc/heap/allocs:bytes"] - before["/gc/heap/allocs:bytes"]
	out := map[string]any{
		"shape":                  *shape,
		"objects":                count,
		"object_bytes":           *objectBytes,
		"pointer_bytes":          *pointerBytes,
		"seconds":                elapsed,
		"allocated_bytes":        allocated,
		"user_cpu_seconds":       userCPU,
		"alloc_per_user_cpu_sec": flatOut,
		"alloc_per_sec":          allocated / elapsed,
		"/gc/scan/stack:bytes":   after["/gc/scan/stack:bytes"],
		"/gc/scan/globals:bytes": after["/gc/scan/globals:bytes"],
	}
	json.NewEncoder(os.Stdout).Encode(out)
	runtime.KeepAlive(chunks)
	runtime.KeepAlive(slots)
	runtime.KeepAlive(head)
}

// read returns the metrics the model is fed, as float64.
func read() map[string]float64 {
	samples := []metrics.Sample{
		{Name: "/cpu/classes/user:cpu-seconds"},
		{Name: "/gc/heap/allocs:bytes"},
		{Name: "/gc/scan/stack:bytes"},
		{Name: "/gc/scan/globals:bytes"},
	}
	metrics.Read(samples)
	out := map[string]float64{}
	for _, s := range samples {
		switch s.Value.Kind() {
		case metrics.KindUint64:
			out[s.Name] = float64(s.Value.Uint64())
		case metrics.KindFloat64:
			out[s.Name] = s.Value.Float64()
		}
	}
	return out
}

// allocate runs one goroutine per P allocating -piece-byte garbage for
// `seconds`, at `rateMB` MiB/s over all of them (0: as fast as they can),
// and returns the bytes allocated per second of mutator CPU.
func allocate(procs, piece, rateMB int, seconds float64) float64 {
	var stop atomic.Bool
	var wg sync.WaitGroup
	before := read()
	start := time.Now()
	perG := float64(rateMB<<20) / float64(procs)
	for g := 0; g < procs; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			done := 0
			for !stop.Load() {
				for i := 0; i < 256; i++ {
					sink[g] = make([]byte, piece)
				}
				done += 256 * piece
				if rateMB == 0 {
					continue
				}
				due := time.Duration(float64(done) / perG * float64(time.Second))
				for time.Since(start) < due && !stop.Load() {
				}
			}
		}(g)
	}
	time.Sleep(time.Duration(seconds * float64(time.Second)))
	stop.Store(true)
	wg.Wait()
	after := read()
	user := after["/cpu/classes/user:cpu-seconds"] - before["/cpu/classes/user:cpu-seconds"]
	return (after["/gc/heap/allocs:bytes"] - before["/gc/heap/allocs:bytes"]) / user
}
