// A tiny busy program for the toolchain page: it burns CPU in two
// recognisable functions (fib and sum) on a few goroutines that hand work
// over a channel, and writes a CPU profile and an execution trace, so that
// go tool pprof and go tool trace have something real to show.
//
//	busy -cpuprofile cpu.pprof -trace trace.out
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"sync"
)

// fib is deliberately naive: its recursion is the hot spot pprof finds.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	traceout := flag.String("trace", "", "write an execution trace to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		check(err)
		defer f.Close()
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	if *traceout != "" {
		f, err := os.Create(*traceout)
		check(err)
		defer f.Close()
		check(trace.Start(f))
		defer trace.Stop()
	}

	work := make(chan int)
	results := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			xs := make([]int, 1<<16)
			for n := range work {
				for i := range xs {
					xs[i] = i * n
				}
				total := fib(n)
				for range 100 {
					total += sum(xs)
				}
				results <- total
			}
		}()
	}
	go func() {
		for i := 0; i < 12; i++ {
			work <- 32 + i%4
		}
		close(work)
		wg.Wait()
		close(results)
	}()
	total := 0
	for r := range results {
		total += r
	}
	fmt.Println("busy: total", total)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
