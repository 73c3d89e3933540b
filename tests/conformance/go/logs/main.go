// Command logs is a small real program whose GODEBUG=gctrace=1 and
// GODEBUG=schedtrace output the conformance tests read back, and whose
// logs are the examples of the web's "Paste your program's log" widget.
//
// It keeps a live set that grows and shrinks while workers churn garbage,
// so the GC cycles have different heaps and goals, calls runtime.GC() now
// and then (forced cycles), and runs more runnable goroutines than Ps so
// schedtrace sees run queues.
//
// Usage: logs [-ms N] [-busy] (how long to run, default 1500 ms; -busy:
// the workers never sleep, so the run queues stay full)
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var sink atomic.Pointer[[]byte]

func main() {
	ms := flag.Int("ms", 1500, "how long to run, in milliseconds")
	busy := flag.Bool("busy", false, "workers never sleep: the run queues stay full")
	flag.Parse()
	deadline := time.Now().Add(time.Duration(*ms) * time.Millisecond)

	var live [][]byte
	var mu sync.Mutex
	var wg sync.WaitGroup
	// More busy goroutines than Ps: the run queues fill.
	workers := 4 * runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			if *busy {
				spin(deadline)
				return
			}
			for i := 0; time.Now().Before(deadline); i++ {
				b := make([]byte, 1024+(i%64)*512)
				sink.Store(&b)
				if i%200 == 0 {
					mu.Lock()
					live = append(live, make([]byte, 256<<10))
					if len(live) > 120 {
						live = live[80:]
					}
					mu.Unlock()
				}
				if i%5 == 0 {
					time.Sleep(200 * time.Microsecond)
				}
			}
		}(w)
	}
	// Forced cycles, and some sleeping goroutines for scheddetail's G lines.
	for i := 0; i < 4; i++ {
		go func() { time.Sleep(time.Duration(*ms) * time.Millisecond) }()
	}
	tick := time.NewTicker(300 * time.Millisecond)
	for time.Now().Before(deadline) {
		<-tick.C
		runtime.GC()
	}
	wg.Wait()
	mu.Lock()
	// Standard output, so standard error holds only the runtime's lines.
	fmt.Println("live chunks:", len(live))
	mu.Unlock()
}

// spin keeps a goroutine runnable until the deadline: it computes, and
// allocates a little now and then, but never blocks.
func spin(deadline time.Time) {
	x := uint64(1)
	for i := 0; ; i++ {
		x = x*6364136223846793005 + 1442695040888963407
		if i%4096 == 0 {
			b := make([]byte, 512+int(x%4096))
			sink.Store(&b)
			if time.Now().After(deadline) {
				return
			}
		}
	}
}
