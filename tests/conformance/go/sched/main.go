// The scheduler oracle for the conformance tests and benchmarks.
//
//	sched spawnorder N   main starts N goroutines that record their index,
//	                     then waits; prints the indices in the order they ran
//	sched yield G Y      G goroutines each call runtime.Gosched Y times;
//	                     prints the elapsed nanoseconds
//	sched busy MS        keeps the Ps busy for MS milliseconds, so that
//	                     GODEBUG=schedtrace has something to print
//
// Run it with GOMAXPROCS set in the environment, so the runtime's state at
// main is the one it starts with (runtime.GOMAXPROCS would stop the world).
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func arg(i int) int {
	n, err := strconv.Atoi(os.Args[i])
	if err != nil {
		panic(err)
	}
	return n
}

func spawnorder(n int) {
	order := make([]int, n)
	var next atomic.Int32
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			order[next.Add(1)-1] = i
			wg.Done()
		}()
	}
	wg.Wait()
	s := make([]string, n)
	for i, v := range order {
		s[i] = strconv.Itoa(v)
	}
	fmt.Println(strings.Join(s, " "))
}

func yield(g, y int) {
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(g)
	for i := 0; i < g; i++ {
		go func() {
			for j := 0; j < y; j++ {
				runtime.Gosched()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	fmt.Println(time.Since(start).Nanoseconds())
}

var sink atomic.Uint64

func busy(ms int) {
	deadline := time.Now().Add(time.Duration(ms) * time.Millisecond)
	var wg sync.WaitGroup
	for i := 0; i < 2*runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := uint64(i)
			for time.Now().Before(deadline) {
				for k := 0; k < 1000; k++ {
					x = x*6364136223846793005 + 1
				}
				time.Sleep(time.Microsecond * 100)
			}
			sink.Add(x)
		}()
	}
	wg.Wait()
}

func main() {
	switch os.Args[1] {
	case "spawnorder":
		spawnorder(arg(2))
	case "yield":
		yield(arg(2), arg(3))
	case "busy":
		busy(arg(2))
	default:
		panic("unknown mode " + os.Args[1])
	}
}
