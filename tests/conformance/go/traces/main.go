// Command traces is a set of small real programs whose execution traces
// (runtime/trace) are the sample traces of the web's "Your program"
// widget (web/data/traces) and the inputs of the trace conformance test
// and of `cargo xtask bench trace`. Each sample exercises one part of the
// runtime so that its events show in the trace:
//
//   - netpoll: an HTTP server on 127.0.0.1 and a few clients in the same
//     process; goroutines block on the network poller;
//   - pipeline: stages connected by unbuffered channels, with select;
//   - syscalls: goroutines in blocking syscalls (file writes and reads,
//     nanosleep), so that sysmon takes their Ps away and hands them on;
//   - gc: allocation-heavy workers over a live heap of a few MB, so the
//     collector runs several cycles (heap and goal metrics, mark phases,
//     stop-the-world pauses, mark assists);
//   - gomaxprocs: runtime.GOMAXPROCS changes during the run, so Ps stop
//     and start;
//   - big: many goroutines, channels and allocation, traced until the
//     trace holds -size bytes (for the benchmarks).
//
// Usage: traces -sample NAME -o FILE [-size BYTES]
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var samples = map[string]func(ctx context.Context){
	"netpoll":    netpoll,
	"pipeline":   pipeline,
	"syscalls":   syscalls,
	"gc":         gc,
	"gomaxprocs": gomaxprocs,
	"big":        big,
}

// written counts the bytes of trace written so far (for -sample big).
var written atomic.Int64

var bigSize = flag.Int64("size", 10_500_000, "-sample big: trace until this many bytes are written")

type countingWriter struct{ w io.Writer }

func (c countingWriter) Write(p []byte) (int, error) {
	written.Add(int64(len(p)))
	return c.w.Write(p)
}

func main() {
	name := flag.String("sample", "", "the sample to run: netpoll, pipeline, syscalls, gc, gomaxprocs or big")
	out := flag.String("o", "", "the trace file to write")
	flag.Parse()
	run, ok := samples[*name]
	if !ok || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: traces -sample netpoll|pipeline|syscalls|gc|gomaxprocs|big -o FILE [-size BYTES]")
		os.Exit(2)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := trace.Start(countingWriter{w}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, task := trace.NewTask(context.Background(), "sample "+*name)
	run(ctx)
	task.End()
	trace.Stop()
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// netpoll: an HTTP server and clients over loopback with keep-alive
// connections. Each handler reads the request body and writes a reply;
// between requests the server's connection goroutines wait in the
// network poller, as do the clients' transport goroutines.
func netpoll(ctx context.Context) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	reply := make([]byte, 2048)
	for i := range reply {
		reply[i] = 'a' + byte(i%26)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(200 * time.Microsecond) // as if it asked something else
		w.Write(reply)
	})}
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String() + "/"
	const clients, requests = 4, 40
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			for i := 0; i < requests; i++ {
				trace.WithRegion(ctx, "request", func() {
					resp, err := client.Get(url)
					if err != nil {
						panic(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				})
			}
			client.CloseIdleConnections()
		}(c)
	}
	wg.Wait()
	srv.Close()
}

// pipeline: a source, three squaring workers, a filter and a sink,
// connected by unbuffered channels; the filter also selects on a ticker
// and the sink on a done channel.
func pipeline(ctx context.Context) {
	const items = 2000
	src := make(chan int)
	sq := make(chan int)
	kept := make(chan int)
	done := make(chan struct{})
	go func() {
		for i := 0; i < items; i++ {
			src <- i
		}
		close(src)
	}()
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range src {
				sq <- v * v
			}
		}()
	}
	go func() { wg.Wait(); close(sq) }()
	go func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case v, ok := <-sq:
				if !ok {
					close(kept)
					return
				}
				if v%3 != 0 {
					kept <- v
				}
			case <-tick.C:
				trace.Log(ctx, "filter", "tick")
			}
		}
	}()
	sum := 0
	go func() {
		for v := range kept {
			sum += v
			if v%64 == 1 {
				time.Sleep(100 * time.Microsecond)
			}
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		panic("pipeline stuck")
	}
	trace.Logf(ctx, "sink", "sum %d", sum)
}

// syscalls: eight goroutines write and read back a file of their own and
// sleep in nanosleep (a blocking syscall, not the runtime's timer), so
// sysmon retakes their Ps while they are in the kernel.
func syscalls(ctx context.Context) {
	dir, err := os.MkdirTemp("", "gopherscope-syscalls")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	data := make([]byte, 64<<10)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			file := filepath.Join(dir, fmt.Sprintf("f%d", g))
			for i := 0; i < 30; i++ {
				if err := os.WriteFile(file, data, 0o600); err != nil {
					panic(err)
				}
				if _, err := os.ReadFile(file); err != nil {
					panic(err)
				}
				_ = syscall.Getpid()
				ts := syscall.Timespec{Nsec: int64(1+g%3) * 1e6}
				syscall.Nanosleep(&ts, nil)
			}
		}(g)
	}
	wg.Wait()
}

var sink atomic.Pointer[[]*node]

type node struct {
	next *node
	buf  [48]byte
}

// gc: a live heap of about 4 MB (a list of nodes, so marking has pointers
// to follow) and three workers allocating short-lived nodes until the
// collector has run eight more cycles. Record it with more Ps than busy
// goroutines (record.sh gives it GOMAXPROCS=8): when no P is idle, the
// background sweeper yields (runtime.goschedIfBusy) again and again while
// another sweeper finishes, and the trace is little else.
func gc(ctx context.Context) {
	var live *node
	for i := 0; i < 60000; i++ {
		live = &node{next: live}
	}
	cycles := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(cycles)
	start := cycles[0].Value.Uint64()
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				batch := make([]*node, 256)
				for i := range batch {
					batch[i] = &node{}
				}
				sink.Store(&batch)
			}
		}()
	}
	for {
		time.Sleep(time.Millisecond)
		metrics.Read(cycles)
		if cycles[0].Value.Uint64()-start >= 8 {
			break
		}
	}
	stop.Store(true)
	wg.Wait()
	runtime.KeepAlive(live)
}

// gomaxprocs: eight workers that compute for a few tens of µs and sleep
// for 0.1 ms in turn, while main sets GOMAXPROCS to 4, 1, 2, 4, 3 and 1, 20 ms
// each: with fewer Ps the workers queue up, with more the Ps start again.
func gomaxprocs(ctx context.Context) {
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := uint64(1)
			for !stop.Load() {
				for i := 0; i < 30000; i++ {
					x = x*6364136223846793005 + 1442695040888963407
				}
				time.Sleep(100 * time.Microsecond)
			}
			runtime.KeepAlive(x)
		}()
	}
	for _, n := range []int{4, 1, 2, 4, 3, 1} {
		trace.Logf(ctx, "gomaxprocs", "%d", n)
		runtime.GOMAXPROCS(n)
		time.Sleep(20 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	runtime.GOMAXPROCS(4)
}

// big: 200 pipelines of four goroutines each, passing small allocated
// messages over channels, until the trace has -size bytes.
func big(ctx context.Context) {
	var stop atomic.Bool
	var wg sync.WaitGroup
	for p := 0; p < 200; p++ {
		in := make(chan []byte)
		a := make(chan []byte, 4)
		b := make(chan []byte)
		wg.Add(4)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				in <- make([]byte, 64+i%512)
			}
			close(in)
		}()
		go func() {
			defer wg.Done()
			for m := range in {
				a <- append(m, 1)
			}
			close(a)
		}()
		go func() {
			defer wg.Done()
			for m := range a {
				select {
				case b <- m:
				case <-time.After(time.Millisecond):
					b <- m
				}
			}
			close(b)
		}()
		go func() {
			defer wg.Done()
			n := 0
			for m := range b {
				n += len(m)
				if n%7 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	for written.Load() < *bigSize {
		time.Sleep(time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
}
